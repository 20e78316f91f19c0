"""Buttons open what they name: a "Did you mean" or guide button carries the entry id and
opens that entry, for every entry of both shipped packs, and the click is logged as that
entry (not as whatever its title would match if asked, e.g. a triage)."""

import pytest

from bot.assistant import Assistant
from bot.config import load_config
from handlers import constants as c
from handlers.blocks import HEADER_LIMIT, escape, truncate
from tests.conftest import ROOT

from .conftest import texts


@pytest.fixture(scope="module")
def example() -> Assistant:
    return Assistant.from_config(load_config(ROOT / "config.yaml", pack_dir="knowledge/example"))


def header(blocks) -> str:
    return next(b["text"]["text"] for b in blocks if b["type"] == "header")


@pytest.mark.parametrize("pack_name", ["coventry", "example"])
def test_every_entry_opens_itself_from_its_button(make_slack, request, pack_name):
    pack = request.getfixturevalue(pack_name).pack
    slack = make_slack(pack=pack, rate_limit_per_minute=0, db_name=f"{pack_name}.db")
    wrong = []
    for n, entry in enumerate(pack.entries.values()):
        slack.action(f"{c.OPEN_ENTRY}_{n % 5}", entry.id, hook=f"e{n}")
        [answer] = slack.fake.wait_for("response_url")
        slack.fake.clear()
        shown = header(answer["blocks"])
        if shown != truncate(escape(entry.title), HEADER_LIMIT) or "emergency" in [
            b.get("block_id") for b in answer["blocks"]
        ]:
            wrong.append((entry.id, shown))
    assert wrong == []
    rows = slack.rows()
    assert [(r["entry_id"], r["kind"]) for r in rows] == [
        (e.id, e.kind) for e in pack.entries.values()
    ]
    assert "triage" not in {r["kind"] for r in rows}


def test_entries_that_used_to_open_the_wrong_answer(make_slack, coventry):
    slack = make_slack(pack=coventry.pack)
    for entry_id in ("epo", "pprc"):
        slack.action("open_entry_0", entry_id)
        [answer] = slack.fake.wait_for("response_url")
        slack.fake.clear()
        assert header(answer["blocks"]) == escape(coventry.pack.entries[entry_id].title)
        assert "IMMEDIATE RISK" not in texts(answer["blocks"])
    assert [r["entry_id"] for r in slack.rows()] == ["epo", "pprc"]


def test_each_guide_button_in_the_guide_list_opens_its_guide(make_slack, coventry):
    slack = make_slack(pack=coventry.pack, rate_limit_per_minute=0)
    slack.command("guide", hook="list")
    [listing] = slack.fake.wait_for("response_url")
    buttons = [e for b in listing["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert len(buttons) == len(coventry.pack.entries_of("guide"))
    for button in buttons:
        slack.fake.clear()
        slack.action(button["action_id"], button["value"])
        [answer] = slack.fake.wait_for("response_url")
        entry = coventry.pack.entries[button["value"]]
        assert header(answer["blocks"]) == truncate(escape(entry.title), HEADER_LIMIT)
        assert header(answer["blocks"]).startswith(button["text"]["text"].rstrip("…"))


def test_share_of_an_opened_entry_shares_that_entry(make_slack, coventry):
    slack = make_slack(pack=coventry.pack)
    slack.action("open_entry_0", "epo")
    [answer] = slack.fake.wait_for("response_url")
    [share] = [
        e
        for b in answer["blocks"]
        if b.get("block_id") == c.FEEDBACK_BLOCK
        for e in b["elements"]
        if e["action_id"] == c.SHARE_ANSWER
    ]
    slack.fake.clear()
    slack.action(c.SHARE_ANSWER, share["value"])
    [shared] = slack.fake.wait_for("response_url")
    assert header(shared["blocks"]) == escape(coventry.pack.entries["epo"].title)
