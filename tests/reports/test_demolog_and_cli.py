"""demo-log writes N realistic rows; the CLI runs end to end; the API Slack will call."""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import replace
from datetime import date, timedelta

import pytest
import sqlite_utils

from bot.demolog import DemoLogError, write_demo_log
from bot.reports import ReportError, Scope, data, headline_numbers, make_scope, parse_period
from bot.schema import LATEST, version
from tests.conftest import run_cli
from tests.reports.conftest import FROM, TO, read_csv

END = date(2026, 3, 29)


def test_demo_log_writes_n_rows_of_plausible_traffic(tmp_path, config, pack):
    path = tmp_path / "demo.db"
    counts = write_demo_log(path, pack, config, 3000, months=3, seed=7, end=END)
    db = sqlite_utils.Database(path)
    assert counts["queries"] == db["queries"].count == 3000
    assert counts["feedback"] == db["feedback"].count > 100
    assert counts["askers"] == db["askers"].count > 40
    assert version(db) == LATEST
    assert {i.columns[0] for i in db["queries"].indexes} >= {"day", "agency", "ts", "kind"}
    kinds = Counter(r[0] for r in db.execute("select kind from queries"))
    assert {"triage", "no_answer", "emergency", "help"} <= set(kinds)
    assert kinds["triage"] > kinds["no_answer"] > kinds["emergency"]
    days = [r[0] for r in db.execute("select min(day), max(day) from queries")][0]
    assert days <= (END - timedelta(days=80)).isoformat()
    reasons = {r[0] for r in db.execute("select reason from feedback where helpful = 0")}
    assert "wrong_level" in reasons
    # Recurring unanswered questions are asked in several wordings.
    wordings = db.execute(
        "select count(distinct question) from queries where kind = "
        "'no_answer' and question like '%parental responsibility%'"
    ).fetchone()
    assert wordings[0] >= 3
    # Nothing that looks like a real identifier: pseudonyms only, redaction placeholders only.
    assert db.execute("select count(*) from queries where length(asker) != 32").fetchone()[0] == 0
    assert all(r[0].startswith("demo:") for r in db.execute("select event_id from queries"))


def test_demo_log_is_repeatable_and_replaces_itself(tmp_path, config, pack):
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    write_demo_log(a, pack, config, 500, months=2, seed=3, end=END)
    write_demo_log(b, pack, config, 500, months=2, seed=3, end=END)
    rows = "select question, kind, day from queries order by ts"
    assert list(sqlite_utils.Database(a).execute(rows)) == list(
        sqlite_utils.Database(b).execute(rows)
    )
    write_demo_log(a, pack, config, 200, months=2, seed=4, end=END)
    assert sqlite_utils.Database(a)["queries"].count == 200


def test_demo_log_never_touches_a_real_log(tmp_path, config, pack, known_log):
    with pytest.raises(DemoLogError, match="real logged questions"):
        write_demo_log(known_log, pack, config, 100, end=END)
    assert sqlite_utils.Database(known_log)["queries"].count == 83


def test_split_periods_merge_to_the_same_numbers(tmp_path, config, pack):
    path = tmp_path / "demo.db"
    write_demo_log(path, pack, config, 4000, months=4, seed=5, end=END)
    scope = Scope(END - timedelta(days=100), END)
    whole = data.load(path, scope, workers=1)
    split = data.load(path, scope, workers=3)  # 100 days > 45: every query split in three
    assert sorted(whole.cube, key=repr) == sorted(split.cube, key=repr)
    assert sorted(whole.gap_texts) == sorted(split.gap_texts)
    assert sorted(whole.days) == sorted(split.days)
    assert whole.distinct_askers == split.distinct_askers
    assert (
        sum(r.n for r in whole.cube)
        == sqlite3.connect(path)
        .execute("select count(*) from queries where day >= ?", [scope.date_from.isoformat()])
        .fetchone()[0]
    )


def test_cli_demo_log_then_report(tmp_path):
    db, out = tmp_path / "cli.db", tmp_path / "report"
    made = run_cli("demo-log", "--rows", "2000", "--db", str(db), "--months", "6")
    assert made.returncode == 0, made.stderr
    assert "2,000 synthetic questions" in made.stdout
    done = run_cli("report", "--out", str(out), env={"RHRT_DB": str(db)})
    assert done.returncode == 0, done.stderr
    assert "report: reading the query log" in done.stderr  # progress goes to stderr
    assert "*Board-office report," in done.stdout and "questions from" in done.stdout
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Act on these" in html and "Training to offer" in html
    assert len(list(out.glob("*.csv"))) == 20
    total = sum(
        int(r["All questions"].replace(",", ""))
        for r in read_csv(out / "trends_weekly.csv")
        if r["All questions"][0].isdigit()
    )
    assert total > 100


def test_cli_errors_are_one_line(tmp_path, capsys, known_log):
    from bot.cli import main

    def run(*args: str) -> tuple[int, str]:
        code = main(list(args))
        return code, capsys.readouterr().err

    code, err = run("report", "--out", str(tmp_path / "o"), "--db", str(tmp_path / "no.db"))
    assert code == 2 and "no query log yet" in err and "Traceback" not in err
    code, err = run(
        "report", "--out", str(tmp_path / "o"), "--db", str(known_log), "--agency", "nope"
    )
    assert code == 2 and "unknown agency `nope`" in err
    code, err = run(
        "report",
        "--out",
        str(tmp_path / "o"),
        "--db",
        str(known_log),
        "--from",
        "2026-05-01",
        "--to",
        "2026-04-01",
    )
    assert code == 2 and "is after" in err
    code, err = run("demo-log", "--rows", "10", "--db", str(known_log))
    assert code == 2 and "real logged questions" in err


def test_headline_numbers_for_the_app_home(config, pack, known_log):
    numbers = headline_numbers(known_log, FROM, until=TO, config=config, pack=pack)
    assert numbers["questions"] == 63 and numbers["emergencies"] == "<5"
    assert numbers["answered_rate"] == 0.806
    assert numbers["top_gaps"][1] == ("How long do we keep safeguarding records for?", 6)
    assert len(numbers["top_gaps"]) == 3  # only clusters of k or more questions
    db = sqlite_utils.Database(known_log)
    assert headline_numbers(db, FROM, until=TO, config=config)["questions"] == 63


def test_periods_typed_in_slack():
    today = date(2026, 3, 18)
    assert parse_period("", today) == (date(2026, 2, 17), today)
    assert parse_period("7d", today) == (date(2026, 3, 12), today)
    assert parse_period("6 weeks", today) == (date(2026, 2, 5), today)
    assert parse_period("last month", today) == (date(2026, 2, 1), date(2026, 2, 28))
    assert parse_period("this month", today) == (date(2026, 3, 1), today)
    assert parse_period("2025-12", today) == (date(2025, 12, 1), date(2025, 12, 31))
    assert parse_period("2026-01-05 to 2026-01-30", today) == (date(2026, 1, 5), date(2026, 1, 30))
    with pytest.raises(ReportError, match="not a period"):
        parse_period("yesterday-ish", today)


def test_scope_by_agency_or_sector(config):
    assert make_scope(config, agency="police", today=TO).agency == "police"
    assert make_scope(config, agency="health", today=TO).sector == "health"
    assert (make_scope(config, today=TO).date_from, make_scope(config, today=TO).date_to) == (
        date(2025, 10, 1),
        date(2025, 12, 31),
    )  # the shipped default: the last full quarter
    thirty = replace(config, report={"default_period": "30d", "scrutiny": []})
    assert make_scope(thirty, today=TO).days == 30
    assert make_scope(config, date_from=FROM, date_to=TO).previous() == Scope(
        date(2026, 2, 2), date(2026, 3, 1)
    )


def test_a_pack_with_an_error_still_gets_its_report(tmp_path, known_log, mini_dir):
    """A half-written glossary does not stop the board's report: the entries that could be
    read are used (the built-pack cache, which holds only valid packs, is passed by) and the
    error is named on stderr."""
    glossary = mini_dir / "glossary.yaml"
    text = glossary.read_text(encoding="utf-8")
    glossary.write_text(text.replace("sources: [wt2023]", "sources: []", 1), encoding="utf-8")
    out = tmp_path / "out"
    done = run_cli("--pack", str(mini_dir), "report", "--out", str(out), "--db", str(known_log))
    assert done.returncode == 0, done.stderr
    assert "the knowledge pack has 1 error(s); using the entries it could read" in done.stderr
    assert "Traceback" not in done.stderr
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "What practitioners asked" in html and "knowledge pack mini" in html
