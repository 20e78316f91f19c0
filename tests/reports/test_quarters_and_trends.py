"""The board's period: the last full quarter by default, compared with the quarter before;
agency trends over four quarters; trend lines never break on a suppressed point."""

from __future__ import annotations

import base64
import re
from dataclasses import replace
from datetime import date

import pytest

from bot.reports import Scope, build_report, make_scope, parse_period
from bot.reports.periods import last_full_quarter, last_quarters

from .conftest import LogBuilder, read_csv, row

TODAY = date(2026, 11, 20)  # Q3 2026 (Jul-Sep) is the last full quarter


def test_quarter_periods():
    assert last_full_quarter(TODAY) == (date(2026, 7, 1), date(2026, 9, 30))
    assert last_full_quarter(date(2026, 1, 1)) == (date(2025, 10, 1), date(2025, 12, 31))
    assert parse_period("last quarter", TODAY) == (date(2026, 7, 1), date(2026, 9, 30))
    assert parse_period("2026-Q1", TODAY) == (date(2026, 1, 1), date(2026, 3, 31))
    assert parse_period("q4 2025", TODAY) == (date(2025, 10, 1), date(2025, 12, 31))
    assert parse_period("this quarter", TODAY) == (date(2026, 10, 1), TODAY)
    assert [q for q, _ in last_quarters(date(2026, 9, 30))] == [
        date(2025, 10, 1),
        date(2026, 1, 1),
        date(2026, 4, 1),
        date(2026, 7, 1),
    ]


def test_a_quarter_compares_with_the_quarter_before_and_a_month_with_the_month(config):
    q3 = make_scope(config, today=TODAY)
    assert (q3.date_from, q3.date_to) == (date(2026, 7, 1), date(2026, 9, 30))
    assert q3.previous() == Scope(date(2026, 4, 1), date(2026, 6, 30))  # 91 days, not 92
    march = Scope(date(2026, 3, 1), date(2026, 3, 31))
    assert march.previous() == Scope(date(2026, 2, 1), date(2026, 2, 28))
    days = Scope(date(2026, 3, 2), date(2026, 3, 29))
    assert days.previous() == Scope(date(2026, 2, 2), date(2026, 3, 1))


def quarterly_log(path, config) -> None:
    """Police: 6 people every quarter. Health visiting: 6 people, but in Q2 one person asked
    24 questions. Thresholds every week by 6 people in Jul; in Aug and Sep only one person a
    week (so weeks are thin) but 5 people a month."""
    log = LogBuilder(path, config)
    for start, police in ((date(2025, 10, 6), 30), (date(2026, 1, 5), 36), (date(2026, 4, 6), 40)):
        log.add(police, day=start, agency="police", askers=6, entry_id="nfa", topic="terms")
    log.add(6, day=date(2025, 10, 7), agency="health-visiting", askers=6, topic="terms")
    log.add(6, day=date(2026, 1, 7), agency="health-visiting", askers=6, topic="terms")
    log.add(24, day=date(2026, 4, 7), agency="health-visiting", askers=1, topic="terms")
    log.add(6, day=date(2026, 7, 8), agency="health-visiting", askers=6, topic="terms")
    log.add(60, day=date(2026, 7, 6), agency="police", askers=6, entry_id="nfa", topic="terms")
    for week in range(4):  # July: 6 people a week about thresholds
        log.add(
            6,
            day=date(2026, 7, 6 + 7 * week),
            agency="education-primary",
            askers=6,
            kind="triage",
            entry_id="level-3",
            topic="thresholds",
            level=3,
        )
    for month in (8, 9):  # August, September: one person a week, a different one each week
        for week in range(5):
            ids = log.add(
                2,
                day=date(2026, month, 1 + 7 * week),
                agency="education-primary",
                kind="triage",
                entry_id="level-3",
                topic="thresholds",
                level=3,
            )
            for q in log.queries:
                if q["id"] in ids:
                    q["asker"] = f"primary-{month}-{week}"
    log.save()


@pytest.fixture
def quarter_report(tmp_path, config, pack):
    db = tmp_path / "quarters.db"
    quarterly_log(db, config)
    return build_report(config, pack, out_dir=tmp_path / "out", db_path=db, today=TODAY)


def test_the_default_report_is_the_last_full_quarter(quarter_report):
    assert quarter_report.scope == Scope(date(2026, 7, 1), date(2026, 9, 30))
    html = quarter_report.html_path.read_text(encoding="utf-8")
    assert "the previous quarter" in html
    assert "1 Apr 2026 – 30 Jun 2026" in html


def test_agency_trends_over_four_quarters_suppress_by_distinct_askers(quarter_report):
    rows = read_csv(quarter_report.html_path.parent / "trends_agency_quarters.csv")
    police = row(rows, Agency="Police")
    assert [police[q] for q in ("Q4 2025", "Q1 2026", "Q2 2026", "Q3 2026")] == [
        "30",
        "36",
        "40",
        "60",
    ]
    assert police["Change on the quarter before"] == "up 50%"  # text, not a formula
    visiting = row(rows, Agency="Health visiting")
    assert visiting["Q2 2026"] == "<5"  # one person's 24 questions are never shown
    assert visiting["Change on the quarter before"] == "–"


def _svg_texts(html: str) -> list[str]:
    svgs = [
        base64.b64decode(m).decode("utf-8")
        for m in re.findall(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)", html)
    ]
    return svgs


def test_thin_weeks_are_drawn_by_month_without_gaps(quarter_report):
    html = quarter_report.html_path.read_text(encoding="utf-8")
    assert "Top 2 topics: questions per full month" in html
    assert "questions per full week" not in html
    trends = next(s for s in _svg_texts(html) if "Jul 2026" in s and "Sep 2026" in s)
    assert "Thresholds" in trends
    weekly = read_csv(quarter_report.html_path.parent / "trends_weekly.csv")
    assert row(weekly, **{"Week commencing": "2026-08-10"})["Thresholds"] == "<5"


def test_an_agency_thin_in_any_quarter_is_drawn_with_the_others(tmp_path, config, pack):
    db = tmp_path / "q.db"
    quarterly_log(db, config)
    result = build_report(
        replace(config, min_cell_count=5), pack, out_dir=tmp_path / "o", db_path=db, today=TODAY
    )
    html = result.html_path.read_text(encoding="utf-8")
    agency_chart = next(s for s in _svg_texts(html) if "Q4 2025" in s)
    assert "Police" in agency_chart and "Health visiting" not in agency_chart


def test_agencies_with_the_same_questions_keep_one_order_whatever_the_hash_seed(
    tmp_path, config, pack_dir
):
    """Agencies tied on questions are listed (and drawn) in agency order: the same
    trends_agency_quarters.csv from every process, not an order that changes with Python's
    hash seed."""
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    db = tmp_path / "ties.db"
    log = LogBuilder(db, config)
    tied = ["police", "health-visiting", "education-primary", "early-years", "housing"]
    for agency in tied:
        log.add(12, day=date(2026, 7, 8), agency=agency, askers=6, topic="terms")
    log.save()
    code = (
        "import sys\nfrom dataclasses import replace\nfrom datetime import date\n"
        "from bot.config import load_config\nfrom bot.loader import load_pack\n"
        "from bot.reports import build_report\n"
        "config = replace(load_config(sys.argv[1] + '/config.yaml', pack_dir=sys.argv[2]),"
        " min_cell_count=5)\n"
        "build_report(config, load_pack(sys.argv[2]), out_dir=sys.argv[4], db_path=sys.argv[3],"
        " today=date(2026, 11, 20))\n"
    )
    tables = []
    for seed in ("1", "2", "3", "4"):
        out = tmp_path / f"out-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        proc = subprocess.run(
            [sys.executable, "-c", code, str(ROOT), str(pack_dir), str(db), str(out)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert proc.returncode == 0, proc.stderr[-2000:]
        tables.append((out / "trends_agency_quarters.csv").read_bytes())
    assert len(set(tables)) == 1
    rows = read_csv(tmp_path / "out-1" / "trends_agency_quarters.csv")
    # In agency-id order: early-years, education-primary, health-visiting, housing, police.
    assert [r["Agency"] for r in rows] == [
        "early-years",
        "Primary school",
        "Health visiting",
        "housing",
        "Police",
    ]
