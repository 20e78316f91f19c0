"""Small numbers are suppressed everywhere; every table has its CSV; the HTML stands alone."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from bot.reports import build_report, suppress
from tests.reports.conftest import FROM, TO, read_csv


def test_counts_under_k_are_shown_as_a_range():
    assert [suppress.count(n, 5) for n in (0, 1, 4, 5, 120)] == [0, "<5", "<5", 5, 120]
    assert suppress.count(9, 10) == "<10"
    assert suppress.rate(3, 4, 5) == "–"  # a rate of fewer than k is not shown
    assert suppress.rate(3, 12, 5) == "25%"


def test_no_csv_cell_holds_a_count_under_k(report):
    for path in report.csv_paths:
        for record in read_csv(path):
            for column, cell in record.items():
                if column in ("#", "Wordings", "Agencies", "Agencies with evidence", "Evidence"):
                    continue  # ranks, wording counts and scores, not counts of questions
                if re.fullmatch(r"[1-4]", cell or ""):
                    raise AssertionError(f"{path.name}: {column} = {cell} is under k")


def test_a_larger_k_suppresses_more(tmp_path, config, pack, known_log):
    strict = replace(config, min_cell_count=10)
    result = build_report(
        strict,
        pack,
        date_from=FROM,
        date_to=TO,
        out_dir=tmp_path / "k10",
        db_path=known_log,
        today=TO,
    )
    out = result.html_path.parent
    # With 10 as the bar, the 5 GPs and 6 teachers are "small" too: no agency is named.
    [folded] = read_csv(out / "thresholds_by_agency.csv")
    assert folded["Agency"] == "Other agencies (fewer than 10 askers each)"
    # 12 and 15 questions, but from 6 and 8 people: fewer than 10 people stand behind each.
    assert (folded["Level 3"], folded["Level 4"], folded["Disagreed with level"]) == (
        "<10",
        "<10",
        "<10",
    )
    agencies = read_csv(out / "agencies.csv")
    assert [a["Agency"] for a in agencies] == ["Other agencies (fewer than 10 askers each)"]
    assert result.top_gaps == []  # no cluster reaches 10 questions, so nothing is quoted
    assert "records" not in result.html_path.read_text(encoding="utf-8")


def test_examples_only_from_clusters_of_k_or_more(report):
    html = report.html_path.read_text(encoding="utf-8")
    assert "how long must a school keep safeguarding records" in html  # 6 questions
    assert "staff car park" not in html  # asked once


def test_every_table_has_a_csv_and_the_html_stands_alone(report):
    html = report.html_path.read_text(encoding="utf-8")
    names = {p.name for p in report.csv_paths}
    assert names == {
        "summary.csv",
        "agencies.csv",
        "who_asks_what.csv",
        "thresholds_by_agency.csv",
        "thresholds_disagreements.csv",
        "thresholds_by_area.csv",
        "suggested_entries.csv",
        "gap_clusters.csv",
        "gaps_by_agency.csv",
        "entries_unhelpful.csv",
        "entries_competing.csv",
        "entries_not_asked.csv",
        "entries_review_due.csv",
        "training_by_course.csv",
        "training_by_agency.csv",
        "training_offers.csv",
        "trends_weekly.csv",
        "trends_agency_quarters.csv",
        "escalations_by_topic.csv",
        "escalations_by_agency.csv",
    }
    for name in names:
        assert name in html, f"{name} is not named in the report"
        assert (report.html_path.parent / name).exists()
    # One file: no scripts, links or images fetched from anywhere.
    assert not re.search(r"<(script|link)\b", html)
    assert not re.search(r"""(src|href)=["'](?!data:|#)""", html)
    assert html.count('src="data:image/svg+xml;base64,') >= 5
    assert "@page" in html and "@media print" in html
    for section in (
        "Summary",
        "Who asks what",
        "Thresholds",
        "Gaps",
        "Content to fix",
        "Training to offer",
        "Trends",
    ):
        assert f". {section}" in html
    assert html.count("What this tells you:") == 8


def test_question_text_is_escaped(tmp_path, config, pack):
    from tests.reports.conftest import LogBuilder

    log = LogBuilder(tmp_path / "x.db", config)
    log.add(
        6,
        day=FROM,
        agency="education-primary",
        askers=6,
        kind="no_answer",
        question="<script>alert(1)</script> what level",
    )
    log.save()
    result = build_report(
        config,
        pack,
        date_from=FROM,
        date_to=TO,
        out_dir=tmp_path / "o",
        db_path=tmp_path / "x.db",
        today=TO,
    )
    html = result.html_path.read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_an_empty_period_still_makes_a_report(tmp_path, config, pack, known_log):
    result = build_report(
        config,
        pack,
        date_from=date(2025, 1, 1),
        date_to=date(2025, 1, 31),
        out_dir=tmp_path / "empty",
        db_path=known_log,
        today=TO,
    )
    html = result.html_path.read_text(encoding="utf-8")
    assert "No questions were logged in this period." in html
    assert result.headline["questions"] == 0 and result.top_gaps == []
    assert len(result.csv_paths) == 20
