"""The one-page board summary: `report` writes board-summary.pdf (exactly one A4 page, checked
with pypdf) and board-summary.html (print-ready, A4, self-contained); it holds the biggest
changes, gaps with their fix, training to whom, advisers and the scrutiny asks, each resting
on k or more different people; and questions sent to advisers are reported by topic and
agency with the median time to first reply."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
import uuid
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
import sqlite_utils
from pypdf import PdfReader

from bot.reports import build_report
from bot.reports.board import BoardSummary, Headline
from bot.reports.board_html import render_html
from bot.reports.board_pdf import render_pdf

from .conftest import FROM, TO, LogBuilder, read_csv, row

A4_POINTS = (595.3, 841.9)


def pdf_text(path) -> tuple[int, str, tuple[float, float]]:
    reader = PdfReader(str(path))
    box = reader.pages[0].mediabox
    text = "\n".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), text, (float(box.width), float(box.height))


def squash(text: str) -> str:
    """Extracted PDF text with runs of space as one and ligatures ("ﬁ") as letters."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text))


def test_report_writes_a_one_page_a4_pdf_and_html(report):
    pdf, html = report.board_paths
    assert (pdf.name, html.name) == ("board-summary.pdf", "board-summary.html")
    pages, text, size = pdf_text(pdf)
    assert pages == 1
    assert size == pytest.approx(A4_POINTS, abs=1)
    text = squash(text)
    for heading in (
        "The three biggest changes",
        "Top gaps, and the suggested fix",
        "Training to offer, and to whom",
        "Questions sent to safeguarding advisers",
        "The scrutiny review's asks",
    ):
        assert heading in text
    page = html.read_text(encoding="utf-8")
    assert "@page { size: A4" in page and "Top gaps, and the suggested fix" in page
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert "<script" not in page


def test_the_summary_quotes_only_gaps_k_people_asked(report):
    text = squash(pdf_text(report.board_paths[0])[1])
    assert "recourse to public funds" in text
    assert "lollipop" not in text.lower()


def long_board(wording: str = "x", n: int = 12) -> BoardSummary:
    words = "what do we do when a family with no recourse to public funds is evicted " * 3
    return BoardSummary(
        partnership="Test partnership",
        title="What practitioners asked: the board summary",
        period="1 Jul 2026 – 30 Sep 2026",
        compared="compared with the previous quarter (1 Apr 2026 – 30 Jun 2026)",
        generated="01 Oct 2026",
        headlines=[Headline("Questions", "12,345", "▲ 12% on the previous quarter")] * 5,
        changes=[
            f"Questions from an agency with a long name up {i}0% (100 → 1{i}0)." for i in range(3)
        ],
        gaps=[
            (
                f"{wording} {i} {words}",
                "New entry (the bot offered “MASH” instead)",
                "40 questions from 30 people",
            )
            for i in range(n)
        ],
        training=[
            f"“A very long course title number {i} {words}” to Secondary school: 300 "
            "questions from 60 people, 22% unsure or disagreed (partnership 17%)."
            for i in range(n)
        ],
        advisers=[
            "12 questions sent to advisers (most about thresholds 7).",
            "Median time to first reply 3.5 hours.",
        ],
        scrutiny=[("Contacts by partner", "83 questions on making a contact: " + words)] * 3,
        partners=[("Health", 300, 250), ("Education", 280, 300), ("Police", 90, 70)],
        notes="Every number stands on 5 or more different people; smaller groups are not shown.",
    )


def test_too_much_content_still_fits_one_page_and_nothing_runs_off_it(tmp_path):
    path = tmp_path / "long.pdf"
    fitted = render_pdf(long_board(), path)
    pages, text, size = pdf_text(path)
    assert pages == 1 and size == pytest.approx(A4_POINTS, abs=1)
    assert 2 <= len(fitted.gaps) < 12 and 2 <= len(fitted.training) < 12
    text = squash(text)
    assert "smaller groups are not shown" in text  # the footer is on the page
    assert fitted.gaps[-1][0].split(" what")[0] in text
    last_course = fitted.training[-1][:40]
    assert squash(last_course) in text
    # The HTML holds exactly what the PDF could fit.
    page = render_html(fitted)
    assert page.count('class="wording"') == len(fitted.gaps)


def test_question_text_is_never_read_as_mathtext_or_markup(tmp_path):
    wording = "is $5 for a taxi and $10 for lunch ok <script>alert(1)</script>"
    board = replace(long_board(wording, n=2), partners=[("Cost $ partner", 10, 5)])
    path = tmp_path / "money.pdf"
    render_pdf(board, path)
    text = squash(pdf_text(path)[1])
    assert "is $5 for a taxi and $10 for lunch" in text
    page = render_html(board)
    assert "<script>alert" not in page and "&lt;script&gt;" in page


def escalations(path, config, people: int, *, replied_after: float | None = 3600.0) -> None:
    db = sqlite_utils.Database(path)
    for i in range(people):
        ts = datetime(2026, 3, 10, 9, 0) + timedelta(minutes=i)
        db["escalations"].insert(
            {
                "id": uuid.uuid4().hex,
                "ts": ts.isoformat() + "Z",
                "day": "2026-03-10",
                "asker": f"escalating-{i}",
                "agency": "health-gp",
                "sector": "health",
                "topic": "thresholds",
                "question": "what level is this",
                "status": "replied" if replied_after else "open",
                "reply_seconds": replied_after * (i + 1) if replied_after else None,
                "replies": 1 if replied_after else 0,
                "purged": 0,
            }
        )
    db.conn.close()


@pytest.mark.parametrize(("people", "shown", "median"), [(6, "6", "3.5 hours"), (3, "<5", "–")])
def test_escalations_by_topic_and_agency_with_the_median_reply(
    tmp_path, config, pack, people, shown, median
):
    db = tmp_path / "e.db"
    LogBuilder(db, config).save()
    escalations(db, config, people)
    result = build_report(
        config, pack, date_from=FROM, date_to=TO, out_dir=tmp_path / "o", db_path=db, today=TO
    )
    assert (
        row(read_csv(tmp_path / "o" / "escalations_by_topic.csv"), Topic="Thresholds")["Questions"]
        == shown
    )
    agency = "GP / primary care" if people >= 5 else "Other agencies (fewer than 5 askers each)"
    by_agency = read_csv(tmp_path / "o" / "escalations_by_agency.csv")
    assert row(by_agency, Agency=agency)["Questions"] == shown
    html = result.html_path.read_text(encoding="utf-8")
    assert "Median time to first reply" in html and median in html
    board = squash(pdf_text(result.board_paths[0])[1])
    assert ("Median time to first reply 3.5 hours" in board) == (people >= 5)


def test_a_quarter_summary_names_the_biggest_changes(tmp_path, config, pack):
    db = tmp_path / "q.db"
    log = LogBuilder(db, config)
    log.add(40, day=date(2026, 4, 8), agency="police", askers=8, entry_id="nfa", topic="terms")
    log.add(80, day=date(2026, 8, 8), agency="police", askers=8, entry_id="nfa", topic="terms")
    log.add(
        20, day=date(2026, 4, 8), agency="health-gp", askers=6, entry_id="mash", topic="process"
    )
    log.add(
        21, day=date(2026, 8, 8), agency="health-gp", askers=6, entry_id="mash", topic="process"
    )
    log.save()
    result = build_report(config, pack, out_dir=tmp_path / "o", db_path=db, today=date(2026, 10, 5))
    text = squash(pdf_text(result.board_paths[0])[1])
    assert "1 Jul 2026 – 30 Sep 2026" in text and "previous quarter" in text
    assert "Questions from Police up 100% (40 → 80)" in text


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(not CHROMIUM, reason="needs a headless Chromium to print the HTML")
def test_the_html_summary_prints_on_one_a4_page(report, tmp_path):
    printed = tmp_path / "printed.pdf"
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--print-to-pdf={printed}",
            report.board_paths[1].as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )
    pages, text, size = pdf_text(printed)
    assert pages == 1 and size == pytest.approx(A4_POINTS, abs=1)
    assert "Top gaps, and the suggested fix" in squash(text)
