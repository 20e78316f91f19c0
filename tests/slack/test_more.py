"""The first screen and More, through Bolt with signed requests and the fake Slack: an answer
leads with what to do (an emergency with its numbers), sources on one line and a More
button; More expands a private answer in place, shows a public one's whole answer only to
the clicker, and after 30 minutes opens the full entry (not logged again)."""

import re

import pytest

from handlers import constants as c
from handlers import service
from handlers.blocks import more_value

from .conftest import dm_event, mention_event, texts
from .test_guided import time_after

LEVEL_4 = "dad hits mum in front of the kids, police called twice this month"
EMERGENCY = "child says he is scared to go home because dad will beat him tonight"
MASH_PAGE = (
    "https://www.coventry.gov.uk/early-years-childcare/"
    "provider-resources-safeguarding-early-years-childcare"
)
DM = {"type": "message", "message_ts": "1700000000.5", "channel_id": "D0ALICE"}
PUBLIC = {"type": "message", "message_ts": "1700000000.7", "channel_id": "C0GENERAL"}


@pytest.fixture
def slack(make_slack, coventry):
    return make_slack(pack=coventry.pack, rate_limit_per_minute=0)


def more_button(blocks: list[dict]) -> dict:
    [button] = [
        e
        for b in blocks
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == c.MORE
    ]
    return button


def words(block: dict) -> int:
    """Words a person reads in a section (Slack's *bold* markers and links are not words)."""
    text = re.sub(r"<[^|>]+\|([^>]+)>", r"\1", block["text"]["text"]).replace("*", "")
    return len(text.replace(":rotating_light:", "").split())


def test_a_level_4_answer_leads_with_the_next_step_and_whom_to_call(slack):
    slack.command(f"level {LEVEL_4}", hook="q")
    [answer] = slack.fake.wait_for("response_url")
    blocks = answer["blocks"]
    [lead] = [b for b in blocks if b.get("block_id") == c.LEAD_BLOCK]
    shown = lead["text"]["text"]
    assert shown.startswith("Suggested level: RHRT level 4")
    assert "*Next step:* If the child is in immediate danger, call 999." in shown
    assert "Coventry MASH: 024 7678 8555" in shown and "Out of hours: 024 7683 2222" in shown
    # Under the numbers, the page they were published on (a link) and the date checked.
    assert shown.endswith(
        "Out of hours: 024 7683 2222\n"
        f"Numbers as published on <{MASH_PAGE}|coventry.gov.uk>, checked 2026-12-01"
    )
    assert words(lead) <= 90
    # The rest waits behind More: no indicator list, no full contacts, sources on one line.
    assert not [b for b in blocks if str(b.get("block_id", "")).startswith("indicators_")]
    assert "Coventry Local Authority Designated Officer" not in texts(blocks)
    [sources] = [b for b in blocks if b["type"] == "context" and "reviewed 2026-" in texts([b])]
    assert "(+7 more)" in texts([sources])
    [row] = slack.rows()
    assert more_button(blocks)["value"] == more_value(row["id"], "level-4")
    assert c.FEEDBACK_UP in texts(blocks)


def test_more_expands_a_private_answer_in_place_with_everything(slack):
    slack.command(f"level {LEVEL_4}", hook="q")
    [answer] = slack.fake.wait_for("response_url")
    slack.fake.clear()
    response = slack.action(c.MORE, more_button(answer["blocks"])["value"])
    assert response.status == 200
    [update] = slack.fake.wait_for("response_url")
    assert update["replace_original"] is True
    full = texts(update["blocks"])
    assert [b for b in update["blocks"] if str(b.get("block_id", "")).startswith("indicators_")]
    assert "What to do at RHRT level 4" in full and "checked 2026-12-01" in full
    assert "Working Together to Safeguard Children 2023" in full  # every source
    assert "Coventry Local Authority Designated Officer (LADO)" in full  # every contact
    assert c.MORE not in full  # nothing more to open
    assert c.FEEDBACK_UP in full  # the 👍/👎 row stays with the whole answer
    assert len(slack.rows()) == 1  # More is not a new question


def test_an_emergency_banner_puts_the_numbers_first_in_60_words(slack):
    slack.event(dm_event(EMERGENCY))
    [posted] = slack.fake.wait_for("chat.postMessage")
    banner = posted["blocks"][0]
    lines = banner["text"]["text"].split("\n")
    assert lines[0] == ":rotating_light: *IMMEDIATE RISK*"
    assert lines[1:5] == [
        "• *Emergency (police, ambulance)*: 999",
        "• *Coventry MASH*: 024 7678 8555",
        "• *Out of hours*: 024 7683 2222",
        f"Numbers as published on <{MASH_PAGE}|coventry.gov.uk>, checked 2026-12-01",
    ]
    assert lines[5].startswith("Call 999 now")
    assert words(banner) <= 60
    assert posted["text"].startswith("IMMEDIATE RISK")  # the notification, numbers next
    # In the DM, More replaces the message with the whole answer, emergency advice first.
    [row] = slack.rows()
    message = {"type": "message", "text": posted["text"], "ts": "1.5", "blocks": posted["blocks"]}
    slack.action(c.MORE, more_value(row["id"], row["entry_id"]), container=DM, message=message)
    [update] = slack.fake.wait_for("response_url")
    assert update["replace_original"] is True
    first = update["blocks"][0]["text"]["text"]
    assert (
        first.startswith(":rotating_light: *IMMEDIATE RISK") and "Write down what you saw" in first
    )
    assert "Suggested level: RHRT level 4" in texts(update["blocks"])


def test_a_number_in_a_dm_answer_comes_with_its_page_and_checked_date(slack):
    slack.event(dm_event("can I share information without consent?"))
    [posted] = slack.fake.wait_for("chat.postMessage")
    [lead] = [b for b in posted["blocks"] if b.get("block_id") == c.LEAD_BLOCK]
    assert lead["text"]["type"] == "mrkdwn"
    assert lead["text"]["text"].splitlines()[-2:] == [
        "*Contact:* Your DSL or safeguarding lead · Coventry MASH: 024 7678 8555",
        f"Number as published on <{MASH_PAGE}|coventry.gov.uk>, checked 2026-12-01",
    ]


def test_a_page_with_a_title_in_the_pack_is_linked_by_host_and_title(slack):
    slack.command("define sarahs law", hook="q")
    [answer] = slack.fake.wait_for("response_url")
    [lead] = [b for b in answer["blocks"] if b.get("block_id") == c.LEAD_BLOCK]
    shown = lead["text"]["text"]
    assert "(101, online or at a police station)" in shown
    assert shown.splitlines()[-1] == (
        "Number as published on <https://www.west-midlands.police.uk/about-us/citizen-charter"
        "|west-midlands.police.uk (Citizen charter)>, checked 2026-12-02"
    )


def test_more_under_a_public_answer_is_shown_only_to_the_clicker(slack):
    slack.event(mention_event("<@UBOT> what does NFA mean"))
    [posted] = slack.fake.wait_for("chat.postMessage")
    assert posted["thread_ts"] == "1700000000.000200"
    slack.fake.clear()
    container = {**PUBLIC, "thread_ts": "1700000000.000200"}
    slack.action(c.MORE, more_button(posted["blocks"])["value"], container=container, user="U0BOB")
    [reply] = slack.fake.wait_for("response_url")
    assert reply["response_type"] == "ephemeral" and reply["replace_original"] is False
    assert reply["thread_ts"] == "1700000000.000200"
    assert "Sources" in texts(reply["blocks"]) and "Reviewed 2026-" in texts(reply["blocks"])


def test_after_30_minutes_more_opens_the_full_entry_without_logging_it(slack, monkeypatch):
    slack.command("what does NFA mean", hook="q")
    [answer] = slack.fake.wait_for("response_url")
    value = more_button(answer["blocks"])["value"]
    slack.fake.clear()
    monkeypatch.setattr(service, "time", time_after(service.SENT_SECONDS + 1))
    slack.action(c.MORE, value)
    [update] = slack.fake.wait_for("response_url")
    shown = texts(update["blocks"])
    assert c.MORE_ENTRY in shown and "Sources" in shown and "NFA" in shown
    assert len(slack.rows()) == 1


@pytest.mark.parametrize("value", ["garbage", "|", None, "0" * 40 + "|"])
def test_a_malformed_or_unknown_more_gets_a_polite_notice(slack, value):
    assert slack.action(c.MORE, value).status == 200
    [notice] = slack.fake.wait_for("response_url")
    assert notice["text"] == c.MORE_EXPIRED and notice["replace_original"] is False
    assert slack.rows() == []
