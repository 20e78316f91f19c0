"""Training suggestions stand on at least k different people in that agency; agencies not
known, "Other" and those reported together get none; course titles are never cut."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date

import pytest

from bot.loader import load_pack
from bot.reports import build_report

from .conftest import LogBuilder, read_csv

LONG = (
    "Thresholds and levels of need in practice (Right Help, Right Time) and "
    '"what level is this?" for multi-agency partners, with case studies'
)
DAY, FROM, TO = date(2026, 3, 4), date(2026, 3, 2), date(2026, 3, 29)


@pytest.fixture
def long_pack(tmp_path, pack_dir):
    target = tmp_path / "pack"
    shutil.copytree(pack_dir, target)
    (target / "training.yaml").write_text(
        "courses:\n"
        f"  - id: course-thresholds\n    title: '{LONG}'\n"
        "    areas: [substance-misuse]\n    topics: [thresholds]\n    entries: [level-3]\n",
        encoding="utf-8",
    )
    return load_pack(target)


def threshold_questions(log: LogBuilder, n: int, agency: str, askers: int) -> None:
    log.add(
        n,
        day=DAY,
        agency=agency,
        askers=askers,
        kind="triage",
        entry_id="level-3",
        topic="thresholds",
        areas=["substance-misuse"],
        level=3,
        confidence=0.3,
        question="mum drinking, what level",
    )


def report_for(tmp_path, config, pack, fill) -> tuple[list[str], list[dict], str]:
    db = tmp_path / "t.db"
    log = LogBuilder(db, config)
    fill(log)
    log.save()
    result = build_report(
        config, pack, date_from=FROM, date_to=TO, out_dir=tmp_path / "out", db_path=db, today=TO
    )
    offers = read_csv(result.html_path.parent / "training_offers.csv")
    html = result.html_path.read_text(encoding="utf-8")
    training = [f for f in result.findings if f.startswith("Offer")]
    return training, offers, html


def test_one_persons_many_questions_never_make_a_suggestion(tmp_path, config, long_pack):
    def fill(log):
        threshold_questions(log, 24, "health-visiting", askers=1)  # one person, 24 questions
        threshold_questions(log, 24, "police", askers=4)  # four people: still under k=5
        threshold_questions(log, 12, "education-primary", askers=6)

    training, offers, _ = report_for(tmp_path, config, long_pack, fill)
    assert {o["Agency"] for o in offers} == {"Primary school"}
    assert all("Other agencies" not in f and "Police" not in f for f in training)


def test_unknown_and_other_agencies_get_no_course(tmp_path, config, long_pack):
    def fill(log):
        threshold_questions(log, 30, "unknown", askers=10)
        threshold_questions(log, 30, "other", askers=10)

    training, offers, html = report_for(tmp_path, config, long_pack, fill)
    assert offers == [] and training == []


def test_course_titles_are_never_cut(tmp_path, config, long_pack):
    def fill(log):
        threshold_questions(log, 20, "education-primary", askers=8)

    training, offers, html = report_for(tmp_path, config, long_pack, fill)
    assert offers and offers[0]["Course"] == LONG
    assert any(f"“{LONG}”" in f for f in training)
    by_course = read_csv(tmp_path / "out" / "training_by_course.csv")
    assert by_course[0]["Course"] == LONG
    assert "…" not in "".join(training)


def test_k_follows_the_config(tmp_path, config, long_pack):
    def fill(log):
        threshold_questions(log, 24, "police", askers=4)

    training, offers, _ = report_for(tmp_path, replace(config, min_cell_count=3), long_pack, fill)
    assert {o["Agency"] for o in offers} == {"Police"}
