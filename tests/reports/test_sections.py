"""Every section's numbers against the hand-built log in conftest.py (k = 5)."""

from __future__ import annotations

from datetime import date

from bot.reports import build_report
from tests.reports.conftest import FROM, TO, read_csv, row

OTHERS = "Other agencies (fewer than 5 askers each)"


def test_summary_counts_rates_and_change(report):
    rows = {r["Measure"]: r for r in read_csv(report.html_path.parent / "summary.csv")}
    now, before = "This period", "Previous period"
    # The period before: 20 questions, but from 4 people, so not shown (k is over people).
    assert rows["Questions"][now] == "63" and rows["Questions"][before] == "<5"
    assert rows["People asking (distinct)"][now] == "13"
    assert rows["People asking (distinct)"][before] == "<5"  # 4 people
    assert rows["Answered"][now] == "50"
    assert rows["Unanswered or low-confidence"][now] == "18"  # 12 unanswered + 6 under 0.65
    assert rows["Threshold questions"][now] == "27"  # 25 triage + 2 emergencies with a level
    assert rows["Emergencies flagged"][now] == "<5"  # 2
    assert rows["Ratings"][now] == "14" and rows["Rated helpful"][now] == "<5"  # 3
    assert report.headline == {
        "questions": 63,
        "askers": 13,
        "answered_rate": 0.806,
        "helpful_rate": 0.214,
        "emergencies": "<5",
        "threshold_questions": 27,
        "gaps": 18,
        "disagreements": 5,
        "previous_questions": "<5",
    }
    assert "63 questions from 13 people\n" in report.summary_text  # no change from 4 people
    assert "81% answered · 21% of ratings helpful · <5 emergencies flagged" in report.summary_text


def test_who_asks_what_by_agency_and_topic(report):
    out = report.html_path.parent
    grid = read_csv(out / "who_asks_what.csv")
    school = row(grid, Agency="Secondary school")
    assert (school["Thresholds"], school["Process"], school["Not answered"]) == ("18", "8", "5")
    gp = row(grid, Agency="GP / primary care")
    assert (gp["Information sharing"], gp["Process"], gp["Not answered"]) == ("10", "5", "7")
    # Police has 2 askers: reported only with the other small agencies, and with only 2
    # people behind them its 9 threshold questions are not shown as a number.
    assert row(grid, Agency=OTHERS)["Thresholds"] == "<5"
    assert not any(r["Agency"] == "Police" for r in grid)
    agencies = read_csv(out / "agencies.csv")
    school = row(agencies, Agency="Secondary school")
    assert (school["Sector"], school["Questions"], school["People asking"]) == (
        "Education",
        "31",
        "6",
    )
    assert (school["Threshold questions"], school["Answered"]) == ("18", "84%")
    assert row(agencies, Agency="GP / primary care")["Answered"] == "68%"  # 15 of 22
    others = row(agencies, Agency=OTHERS)
    assert (others["People asking"], others["Emergencies"], others["Answered"]) == (
        "<5",
        "<5",
        "–",
    )  # 2 people: no rate of theirs is given


def test_thresholds_levels_disagreements_and_borderline_areas(report):
    out = report.html_path.parent
    school = row(read_csv(out / "thresholds_by_agency.csv"), Agency="Secondary school")
    assert (school["Threshold questions"], school["Level 3"], school["Level 4"]) == (
        "18",
        "12",
        "6",
    )
    assert (school["Low-confidence"], school["Rated"], school["Disagreed with level"]) == (
        "6",
        "6",
        "5",
    )
    assert school["Disagreement rate"] == "83%"
    levels = {r["Suggested level"]: r for r in read_csv(out / "thresholds_disagreements.csv")}
    assert levels["Level 4"]["Threshold questions"] == "15"
    assert levels["Level 4"]["Disagreed (not helpful: wrong level)"] == "5"
    assert levels["Level 4"]["Per 100 questions"] == "33.3%"
    areas = read_csv(out / "thresholds_by_area.csv")
    assert [a["Area"] for a in areas] == ["Parental substance misuse", "Domestic abuse", "Injuries"]
    misuse = areas[0]
    assert (misuse["Threshold questions"], misuse["Disagreed"], misuse["Borderline"]) == (
        "18",
        "5",
        "yes",
    )
    assert misuse["Pack has a 'distinguish' note"] == "yes"
    assert areas[1]["Borderline"] == "" and areas[2]["Threshold questions"] == "<5"


def test_gaps_clusters_suggested_entries_and_examples(report):
    out = report.html_path.parent
    clusters = read_csv(out / "gap_clusters.csv")
    records = row(
        clusters, **{"Most common wording": "How long do we keep safeguarding records for?"}
    )
    assert (records["Questions"], records["Wordings"], records["Unanswered"]) == ("6", "6", "6")
    assert records["Agencies asking"] == "GP / primary care 6"
    assert len(records["Examples (redacted)"].splitlines()) == 3
    nrpf = [c for c in clusters if "recourse to public funds" in c["Most common wording"]]
    assert len(nrpf) == 1 and nrpf[0]["Questions"] == "5"
    assert nrpf[0]["Closest entry offered"] == "Sharing information without consent"
    # The one-off question is not listed (or quoted), only counted.
    assert not any("car park" in c["Examples (redacted)"] for c in clusters)
    assert clusters[-1]["Most common wording"] == (
        "1 smaller group (fewer than 5 questions or people each, or worded only in their own words)"
    )
    suggested = read_csv(out / "suggested_entries.csv")
    assert [s["Questions"] for s in suggested] == ["6", "6", "5"]
    actions = {s["Question to answer"]: s["Suggested action"] for s in suggested}
    assert actions["How long do we keep safeguarding records for?"] == "New entry"
    assert actions["Drugs within reach of child, what level?"].startswith("Sharpen the level")
    assert report.top_gaps[1] == ("How long do we keep safeguarding records for?", 6)
    by_agency = row(read_csv(out / "gaps_by_agency.csv"), Agency="Secondary school")
    assert (by_agency["Unanswered"], by_agency["Low-confidence"], by_agency["Gap rate"]) == (
        "5",
        "6",
        "35%",
    )


def test_content_to_fix(report):
    out = report.html_path.parent
    unhelpful = read_csv(out / "entries_unhelpful.csv")
    assert [u["Id"] for u in unhelpful] == ["nfa", "level-4"]
    nfa = unhelpful[0]
    assert (nfa["Ratings"], nfa["Not helpful"], nfa["Not helpful rate"], nfa["Out of date"]) == (
        "8",
        "6",
        "75%",
        "6",
    )
    assert nfa["Suggested edit"].startswith("Re-check against the current source")
    assert unhelpful[1]["Wrong level"] == "5"
    [pair] = read_csv(out / "entries_competing.csv")
    assert (pair["Entry A"], pair["Entry B"], pair["Questions"]) == ("MASH", "NFA", "13")
    assert (pair["A answered, B runner-up"], pair["B answered, A runner-up"]) == ("5", "8")
    assert pair["Suggestion"].startswith("Possible duplicate")
    unused = {u["Id"] for u in read_csv(out / "entries_not_asked.csv")}
    assert unused == {"level-1", "level-2", "dsl", "emergency", "omg-neglect"}
    assert read_csv(out / "entries_review_due.csv") == []  # reviewed 2026-01-10, due 2027


def test_entries_past_their_review_date(tmp_path, config, pack, known_log):
    result = build_report(
        config,
        pack,
        date_from=FROM,
        date_to=TO,
        out_dir=tmp_path / "late",
        db_path=known_log,
        today=date(2027, 2, 1),
    )
    due = read_csv(result.html_path.parent / "entries_review_due.csv")
    assert len(due) == len(pack.entries)
    nfa = row(due, Id="nfa")
    assert (nfa["Review due"], nfa["Status"], nfa["Questions this period"]) == (
        "2027-01-10",
        "overdue by 22 days",
        "8",
    )
    assert "are past the review date" in result.html_path.read_text(encoding="utf-8")


def test_training_to_offer(report):
    out = report.html_path.parent
    [course] = read_csv(out / "training_by_course.csv")
    assert (course["Course"], course["Offer first to"]) == (
        "Thresholds training",
        "Secondary school",
    )
    assert (
        course["Threshold questions"],
        course["Low-confidence or unanswered"],
        course["Disagreed with level"],
    ) == ("18", "6", "5")
    assert course["Unsure or disagreed"] == "61% (all 41%)"  # (6+5)/18 vs (6+5)/27
    sentence = (
        "Offer “Thresholds training” to Secondary school: 18 threshold questions, "
        "6 low-confidence or unanswered, 5 disagreements."
    )
    assert sentence in report.findings
    school = row(read_csv(out / "training_by_agency.csv"), Agency="Secondary school")
    assert school["Courses to offer, in order"].splitlines() == [
        "1. Thresholds training",
        "2. Information sharing and consent",
    ]
    assert school["Least confident answers on"] == "Parental substance misuse (33% unsure)"
    assert school["Disagrees most on"] == "Parental substance misuse"


def test_trends_by_week(report):
    weeks = {
        r["Week commencing"]: r for r in read_csv(report.html_path.parent / "trends_weekly.csv")
    }
    assert list(weeks) == ["2026-03-02", "2026-03-09", "2026-03-16", "2026-03-23"]
    assert weeks["2026-03-02"]["All questions"] == "35"
    assert weeks["2026-03-02"]["Thresholds"] == "12"
    assert weeks["2026-03-09"]["All questions"] == "0"
    assert weeks["2026-03-16"]["Thresholds"] == "15"
    assert weeks["2026-03-23"]["Unanswered or low-confidence"] == "12"
    assert weeks["2026-03-16"]["ISO week"] == "2026-W12"


def test_one_agency_or_sector(tmp_path, config, pack, known_log):
    result = build_report(
        config,
        pack,
        date_from=FROM,
        date_to=TO,
        agency="health",
        out_dir=tmp_path / "health",
        db_path=known_log,
        today=TO,
    )
    assert result.headline["questions"] == 22
    [gp] = read_csv(result.html_path.parent / "agencies.csv")
    assert gp["Agency"] == "GP / primary care"
    assert "(health sector)" in result.summary_text
