"""`/rhrt report [period]` and the admin Home tab's top gaps, through the real Bolt app with
signed requests and the fake Slack: admins get the summary and the HTML in their DM; nobody
else gets a report, a file or the gaps."""

from __future__ import annotations

import json
import re
import tempfile
from datetime import UTC, datetime, timedelta

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse

from handlers import commands
from handlers import constants as c
from tests.reports.conftest import NRPF, LogBuilder

from .conftest import USER, texts
from .fake_slack import DM_CHANNEL

ADMIN = "U0ADMIN"
GAP = "recourse to public funds"  # six unanswered questions: a top gap
SMALL_GAP = "lollipop crossing patrol"  # two: below min_cell_count (5), never shown
FILE_CALLS = ("conversations.open", "files.getUploadURLExternal", "file_upload")


def today():
    return datetime.now(UTC).date()


@pytest.fixture
def seeded(make_slack, tmp_path, monkeypatch):
    """An app with one admin and a log (real schema) holding today's questions: 12 answered
    by 6 people, 6 unanswered about no recourse to public funds, 2 about a lollipop patrol.
    Temporary files go to tmp_path/"tmp" so the test can see they are removed."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    # The configured default period (shipped: the last full quarter) is set to 30 days here.
    slack = make_slack(admins=(ADMIN,), report={"default_period": "30 days", "scrutiny": []})
    log = LogBuilder(slack.db_path, slack.config)
    day = today()
    log.add(8, day=day, agency="police", askers=4, entry_id="nfa", topic="terms")
    log.add(4, day=day, agency="education-secondary", askers=2, entry_id="nfa", topic="terms")
    log.add(
        6,
        day=day,
        agency="health-gp",
        askers=6,
        kind="no_answer",
        confidence=0.2,
        question=NRPF,
    )
    log.add(
        2,
        day=day,
        agency="faith",
        askers=2,
        kind="no_answer",
        confidence=0.1,
        question=f"who runs the {SMALL_GAP}",
    )
    log.save()
    slack.temp = temp
    return slack


def replies(slack, n: int) -> list[str]:
    return [json.dumps(m, ensure_ascii=False) for m in slack.fake.wait_for("response_url", n)]


def no_file_calls(slack) -> bool:
    return all(slack.fake.of(method) == [] for method in FILE_CALLS)


@pytest.fixture
def builds(monkeypatch):
    """Every build_report call the command makes (still building the real report)."""
    calls = []
    real = commands.build_report

    def counting(*args, **kwargs):
        calls.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(commands, "build_report", counting)
    return calls


@pytest.mark.parametrize("text", ["report", "report 7d", "report last month"])
def test_anyone_else_is_refused_and_no_report_is_built(seeded, builds, text):
    seeded.command(text, user=USER)
    [refusal] = replies(seeded, 1)
    assert c.ADMIN_ONLY.split(" — ")[0] in refusal
    assert '"response_type": "ephemeral"' in refusal
    assert builds == [] and no_file_calls(seeded)
    assert list(seeded.temp.iterdir()) == []


def test_a_practitioners_question_starting_with_report_is_still_answered(seeded, builds):
    before = len(seeded.rows())
    seeded.command("report a concern about neglect", user=USER)
    [answer] = replies(seeded, 1)
    assert c.ADMIN_ONLY.split(" — ")[0] not in answer
    assert builds == [] and no_file_calls(seeded)
    assert len(seeded.rows()) == before + 1  # answered and logged like any question


def test_an_admin_gets_the_summary_and_the_html_report_in_a_dm(seeded, builds):
    seeded.command("report", user=ADMIN)
    working, summary = replies(seeded, 2)
    start, end = today() - timedelta(days=29), today()
    assert "Building the board-office report for" in working
    assert "*Board-office report, " in summary and "(all agencies)" in summary
    assert "20 questions from 14 people" in summary
    assert "is in your DM" in summary and '"response_type": "ephemeral"' in summary
    assert [(b["date_from"], b["date_to"]) for b in builds] == [(start, end)]

    [opened] = seeded.fake.of("conversations.open")
    assert opened["users"] == ADMIN
    filename = f"rhrt-report-{start.isoformat()}-{end.isoformat()}.html"
    [asked] = seeded.fake.of("files.getUploadURLExternal")
    assert asked["filename"] == filename
    [completed] = seeded.fake.of("files.completeUploadExternal")
    assert completed["channel_id"] == DM_CHANNEL
    assert "board-office report" in completed["initial_comment"]
    [upload] = seeded.fake.of("file_upload")
    assert [f["id"] for f in completed["files"]] == [upload["file_id"]]
    assert completed["files"][0]["title"].startswith("Board-office report")

    html = seeded.fake.uploads[upload["file_id"]].decode("utf-8")
    assert int(asked["length"]) == len(html.encode("utf-8"))
    assert html.lstrip().lower().startswith("<!doctype html")
    assert "What practitioners asked, and what to do about it" in html
    assert GAP in html and SMALL_GAP not in html  # small groups suppressed
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html)  # self-contained
    assert "<script src" not in html and "<link" not in html
    assert list(seeded.temp.iterdir()) == []  # report.html and the CSVs are removed


def test_an_admin_can_choose_the_period(seeded, builds):
    seeded.command("report 7d", user=ADMIN)
    replies(seeded, 2)
    start = today() - timedelta(days=6)
    assert [(b["date_from"], b["date_to"]) for b in builds] == [(start, today())]
    [asked] = seeded.fake.wait_for("files.getUploadURLExternal")
    assert asked["filename"] == f"rhrt-report-{start.isoformat()}-{today().isoformat()}.html"


def test_a_bad_period_gets_a_clear_message(seeded, builds):
    seeded.command("report next tuesday-ish", user=ADMIN)
    [message] = replies(seeded, 1)
    assert "can't build that report" in message and "not a period" in message
    assert "last month" in message and "30d" in message
    assert builds == [] and no_file_calls(seeded)


def test_no_log_gets_a_clear_message(make_slack, builds):
    slack = make_slack(admins=(ADMIN,), log=False)
    slack.command("report", user=ADMIN)
    [message] = replies(slack, 1)
    assert "query log isn't available" in message
    assert builds == [] and no_file_calls(slack)


def test_one_report_at_a_time(seeded, builds):
    with commands._REPORT_LOCK:
        seeded.command("report", user=ADMIN)
        [message] = replies(seeded, 1)
    assert c.REPORT_BUSY in message and builds == []


def test_a_failed_upload_still_gives_the_summary_and_says_why(seeded, monkeypatch):
    def refuse(self, **kwargs):
        response = SlackResponse(
            client=self,
            http_verb="POST",
            api_url="files.getUploadURLExternal",
            req_args={},
            data={"ok": False, "error": "missing_scope"},
            headers={},
            status_code=200,
        )
        raise SlackApiError("missing_scope", response)

    monkeypatch.setattr(WebClient, "files_upload_v2", refuse)
    seeded.command("report", user=ADMIN)
    _, summary = replies(seeded, 2)
    assert "20 questions from 14 people" in summary
    assert "missing_scope" in summary and "files:write" in summary
    assert list(seeded.temp.iterdir()) == []


def home_of(slack, user: str) -> str:
    slack.fake.clear()
    slack.event(
        {"type": "app_home_opened", "user": user, "channel": "D0X", "tab": "home", "event_ts": "1"},
        event_id=f"Ev-home-{user}",
    )
    [published] = slack.fake.wait_for("views.publish")
    return texts(published["view"]["blocks"])


def test_the_admin_home_shows_the_top_gaps_and_nobody_elses_does(seeded):
    shown = home_of(seeded, ADMIN)
    assert "This month (admins)" in shown and "Top gaps this month" in shown
    gaps = re.search(r"Top gaps this month.*?people, are not shown", shown)
    assert gaps and GAP in gaps.group(0) and "— 6 questions" in gaps.group(0)
    assert SMALL_GAP not in shown  # a group under min_cell_count stays suppressed
    assert "/rhrt report" in shown

    shown = home_of(seeded, USER)
    assert "Top gaps" not in shown and GAP not in shown and "This month" not in shown


def test_without_a_configured_period_the_report_covers_the_last_full_quarter(make_slack, builds):
    from bot.reports.periods import last_full_quarter

    slack = make_slack(admins=(ADMIN,), report={})
    LogBuilder(slack.db_path, slack.config).save()
    slack.command("report", user=ADMIN)
    replies(slack, 2)
    assert [(b["date_from"], b["date_to"]) for b in builds] == [last_full_quarter(today())]
