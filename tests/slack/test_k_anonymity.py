"""Reports are k-anonymous over people, not questions: one person asking an identifying
question eight times is still one person, and their words reach no report file, CSV, Slack
summary, admin Home tab or log export. Ten other people's shared gap is reported as ever.

The log is the real schema in a real file; the Home tab is opened through the Bolt app with
a signed event and read from the fake Slack's views.publish."""

from __future__ import annotations

import csv
import io
import re
import sqlite3
from datetime import UTC, datetime

from bot.reports import build_report
from tests.conftest import MINI, run_cli
from tests.reports.conftest import LogBuilder

from .test_report import ADMIN, home_of

# Redacted already (no name, number or address), yet only one person on earth asks it.
LONELY = "the lad on the narrowboat moored by the canal basin with the green parrot, who sees him"
LONELY_WORDS = ("narrowboat", "moored", "parrot", "canal")
SHARED = (
    "how long should we keep safeguarding records",
    "how long do we keep safeguarding records for",
    "safeguarding records - how long should we keep them",
)


def seed(slack) -> None:
    log = LogBuilder(slack.db_path, slack.config)
    day = datetime.now(UTC).date()
    # Ten people: five teachers and five GPs, all asking the same unanswered thing.
    log.add(10, day=day, agency="education-secondary", askers=5, kind="no_answer", question=SHARED)
    log.add(10, day=day, agency="health-gp", askers=5, kind="no_answer", question=SHARED)
    log.add(6, day=day, agency="health-gp", askers=5, entry_id="nfa", topic="terms")
    # The eleventh person, eight times.
    log.add(8, day=day, agency="faith", askers=1, kind="no_answer", question=LONELY)
    log.save()


def leaks(text: str) -> list[str]:
    return [w for w in LONELY_WORDS if w in text.lower()]


def test_one_persons_question_asked_eight_times_reaches_no_report(make_slack, tmp_path):
    # The configured default period (shipped: the last full quarter) is set to 30 days here.
    slack = make_slack(admins=(ADMIN,), report={"default_period": "30 days", "scrutiny": []})
    seed(slack)
    result = build_report(slack.config, slack.assistant.pack, out_dir=tmp_path / "report")
    html = result.html_path.read_text(encoding="utf-8")
    assert "How long should we keep safeguarding records?" in html  # ten people: reported
    assert leaks(html) == []
    for path in result.csv_paths:
        assert leaks(path.read_text(encoding="utf-8-sig")) == [], path.name
    assert leaks(result.summary_text) == []
    assert [gap for gap, _ in result.top_gaps] == ["How long should we keep safeguarding records?"]
    # The eleventh person's eight questions are counted, never named or quoted.
    clusters = list(
        csv.DictReader(
            io.StringIO(
                (result.html_path.parent / "gap_clusters.csv").read_text(encoding="utf-8-sig")
            )
        )
    )
    assert clusters[-1]["Most common wording"].startswith("1 smaller group")
    assert clusters[-1]["Questions"] == "<5"

    home = home_of(slack, ADMIN)
    assert "Top gaps this month" in home and "safeguarding records" in home
    assert leaks(home) == []

    env = {"RHRT_DB": str(slack.db_path), "RHRT_KNOWLEDGE": str(MINI)}
    exported = run_cli("log", "export", "--csv", "-", env=env)
    assert exported.returncode == 0, exported.stderr
    assert leaks(exported.stdout) == []
    rows = list(csv.DictReader(io.StringIO(exported.stdout)))
    assert len(rows) == 34
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:00Z", r["hour"]) for r in rows)
    faith = [r for r in rows if "withheld" in r["question"]]
    assert len(faith) == 8 and {r["agency"] for r in faith} == {"other (fewer than 5 askers each)"}
    shared = {r["question"] for r in rows if r["question"] in SHARED}
    assert shared == set(SHARED)  # ten people's words are theirs in common: given

    everything = run_cli("log", "export", "--csv", "-", "--all-text", env=env)
    assert everything.returncode == 0 and LONELY in everything.stdout
    assert "--all-text" in everything.stderr and "recorded" in everything.stderr
    with sqlite3.connect(slack.db_path) as conn:
        audit = conn.execute("select rows, all_text from exports order by rowid").fetchall()
    assert audit == [(34, 0), (34, 1)]
