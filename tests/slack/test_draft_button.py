"""The admin Home's "Draft: …" buttons, through Bolt with signed requests and the fake Slack:
an admin turns a gap that k or more people asked into a draft in the pack's drafts/ folder;
anyone else is refused and nothing is written."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import yaml

from bot.loader import load_pack
from handlers import constants as c
from tests.reports.conftest import NRPF, LogBuilder

from .conftest import USER
from .test_report import ADMIN, SMALL_GAP

HOME = {"type": "view", "view_id": "V0HOME"}


@pytest.fixture
def drafting(make_slack, mini_dir):
    slack = make_slack(admins=(ADMIN,), pack=load_pack(mini_dir))
    log = LogBuilder(slack.db_path, slack.config)
    day = datetime.now(UTC).date()
    log.add(
        6, day=day, agency="health-gp", askers=6, kind="no_answer", confidence=0.2, question=NRPF
    )
    log.add(
        4,
        day=day,
        agency="faith",
        askers=1,
        kind="no_answer",
        confidence=0.1,
        question=f"who runs the {SMALL_GAP}",
    )
    log.save()
    slack.drafts = mini_dir / "drafts"
    return slack


def draft_buttons(slack, user: str) -> list[dict]:
    slack.fake.clear()
    slack.event(
        {"type": "app_home_opened", "user": user, "channel": "D0X", "tab": "home", "event_ts": "1"},
        event_id=f"Ev-drafts-{user}",
    )
    [published] = slack.fake.wait_for("views.publish")
    return [
        e
        for b in published["view"]["blocks"]
        for e in b.get("elements") or []
        if str(e.get("action_id", "")).startswith(c.DRAFT_ENTRY)
    ]


def test_an_admin_drafts_an_entry_from_a_gap(drafting):
    [button] = draft_buttons(drafting, ADMIN)
    assert "recourse to public funds" in button["text"]["text"]
    drafting.fake.clear()
    drafting.action(button["action_id"], button["value"], user=ADMIN, container=HOME)
    [told] = drafting.fake.wait_for("chat.postMessage")
    assert told["channel"] == ADMIN and "Draft written" in told["text"]
    [path] = drafting.drafts.glob("*.yaml")
    stub = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert stub["draft"]["gap"]["people"] == 6 and set(stub["questions"]) <= set(NRPF)
    assert SMALL_GAP not in path.read_text(encoding="utf-8")


def test_nobody_else_sees_or_can_use_the_buttons(drafting):
    assert draft_buttons(drafting, USER) == []
    [button] = draft_buttons(drafting, ADMIN)
    drafting.fake.clear()
    drafting.action(button["action_id"], button["value"], user=USER, container=HOME)
    [told] = drafting.fake.wait_for("chat.postMessage")
    assert told["channel"] == USER and "board-office admins" in told["text"]
    assert not drafting.drafts.exists()
