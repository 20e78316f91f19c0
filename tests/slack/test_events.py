"""DMs, mentions, what the bot ignores, Slack retries, and the Home tab — through Bolt."""

import pytest

from handlers.events import should_answer

from .conftest import USER, dm_event, mention_event, texts
from .fake_slack import BOT_ID, BOT_USER_ID


def test_a_dm_is_answered_in_the_dm(slack):
    assert slack.event(dm_event("what does NFA mean")).status == 200
    [posted] = slack.fake.wait_for("chat.postMessage")
    assert posted["channel"] == "D0ALICE" and posted.get("thread_ts") is None
    assert "No further action" in texts(posted["blocks"])
    [row] = slack.rows()
    assert (row["surface"], row["entry_id"], row["event_id"]) == ("dm", "nfa", "Ev001")


def test_a_follow_up_in_a_dm_thread_is_answered_in_that_thread(slack):
    slack.event(
        dm_event("what is the MASH", ts="1700000000.000900", thread_ts="1700000000.000100"),
        event_id="Ev002",
    )
    [posted] = slack.fake.wait_for("chat.postMessage")
    assert posted["thread_ts"] == "1700000000.000100"
    assert slack.rows()[0]["entry_id"] == "mash"


def test_a_mention_is_answered_in_a_thread_under_the_question(slack):
    slack.event(mention_event(f"<@{BOT_USER_ID}> what does NFA mean"))
    [posted] = slack.fake.wait_for("chat.postMessage")
    assert posted["channel"] == "C0GENERAL" and posted["thread_ts"] == "1700000000.000200"
    [row] = slack.rows()
    assert (row["surface"], row["entry_id"]) == ("mention", "nfa")
    assert BOT_USER_ID not in row["question"]  # Slack mentions are redacted before logging


def test_a_mention_inside_a_thread_replies_in_that_thread(slack):
    slack.event(mention_event(f"<@{BOT_USER_ID}> nfa?", thread_ts="1700000000.000001"))
    [posted] = slack.fake.wait_for("chat.postMessage")
    assert posted["thread_ts"] == "1700000000.000001"


IGNORED = {
    "own message": dm_event("hello", user=BOT_USER_ID),
    "other bot": dm_event("what does NFA mean", bot_id="B0OTHER"),
    "bot_message": dm_event("what does NFA mean", subtype="bot_message"),
    "edit": {
        "type": "message",
        "subtype": "message_changed",
        "channel": "D0ALICE",
        "channel_type": "im",
        "hidden": True,
        "ts": "2.0",
        "message": {"user": USER, "text": "what does NFA mean", "ts": "1.0"},
    },
    "deletion": {
        "type": "message",
        "subtype": "message_deleted",
        "channel": "D0ALICE",
        "channel_type": "im",
        "hidden": True,
        "ts": "2.0",
        "deleted_ts": "1.0",
    },
    "channel join": {
        "type": "message",
        "subtype": "channel_join",
        "channel": "C0GENERAL",
        "channel_type": "channel",
        "user": USER,
        "text": "joined",
        "ts": "3.0",
    },
    "channel message": {
        "type": "message",
        "channel": "C0GENERAL",
        "channel_type": "channel",
        "user": USER,
        "text": "what does NFA mean",
        "ts": "4.0",
    },
    "thread reply without a mention": {
        "type": "message",
        "channel": "C0GENERAL",
        "channel_type": "channel",
        "user": USER,
        "text": "and what about MASH?",
        "ts": "5.0",
        "thread_ts": "4.0",
    },
    "edited mention": mention_event(f"<@{BOT_USER_ID}> nfa", edited={"user": USER}),
    "mention by a bot": mention_event(f"<@{BOT_USER_ID}> nfa", bot_id=BOT_ID),
}


@pytest.mark.parametrize("name", list(IGNORED))
def test_the_bot_ignores(slack, name):
    assert slack.event(IGNORED[name], event_id=f"Ev-{name}").status == 200
    assert slack.fake.of("chat.postMessage") == [] and slack.rows() == []


def test_prefilter_answers_only_people_in_dms_and_mentions():
    assert should_answer(dm_event("hi"), BOT_USER_ID)
    assert should_answer(mention_event(f"<@{BOT_USER_ID}> hi"), BOT_USER_ID)
    assert not should_answer(mention_event("<@U0SOMEONE> hi"), BOT_USER_ID)
    assert not should_answer(
        {**mention_event(f"<@{BOT_USER_ID}> hi"), "channel": "D1"}, BOT_USER_ID
    )  # arrives as message.im too
    assert not should_answer({"type": "reaction_added", "user": USER}, BOT_USER_ID)


def test_a_retried_event_is_answered_and_logged_once(slack):
    event = dm_event("what does NFA mean")
    slack.event(event, event_id="Ev-retry")
    slack.event(event, event_id="Ev-retry", retry=1)
    slack.event(event, event_id="Ev-retry", retry=2)
    assert len(slack.fake.wait_for("chat.postMessage")) == 1
    assert [r["event_id"] for r in slack.rows()] == ["Ev-retry"]
    assert slack.fake.of("chat.postMessage") == slack.fake.wait_for("chat.postMessage")


def test_a_retry_after_a_restart_is_still_answered_once(make_slack):
    first = make_slack()
    first.event(dm_event("what does NFA mean"), event_id="Ev-restart")
    first.fake.wait_for("chat.postMessage")
    first.log.flush()
    restarted = make_slack()  # a new process: same database, nothing in memory
    restarted.event(dm_event("what does NFA mean"), event_id="Ev-restart", retry=1)
    assert len(restarted.fake.of("chat.postMessage")) == 1
    assert len(restarted.rows()) == 1


def test_an_emergency_in_a_dm_leads_with_emergency_advice(slack):
    slack.event(dm_event("he said he would kill himself tonight, the child is in danger"))
    [posted] = slack.fake.wait_for("chat.postMessage")
    assert posted["blocks"][0]["block_id"] == "emergency"
    assert posted["text"].startswith("IMMEDIATE RISK")


def test_home_tab_is_published_when_opened(slack):
    slack.event(
        {
            "type": "app_home_opened",
            "user": USER,
            "channel": "D0ALICE",
            "tab": "home",
            "event_ts": "1.0",
        },
        event_id="Ev-home",
    )
    [published] = slack.fake.wait_for("views.publish")
    assert published["user_id"] == USER and published["view"]["type"] == "home"
    shown = texts(published["view"]["blocks"])
    for part in (
        "Levels of need",
        "Level 1 — Universal",
        "Indicators by area",
        "Neglect — one-minute guide",
        "Emergency contacts",
        "What level is this?",
        "Set my organisation",
    ):
        assert part in shown
    assert "This month" not in shown  # not an admin


def test_the_messages_tab_publishes_nothing(slack):
    slack.event(
        {
            "type": "app_home_opened",
            "user": USER,
            "channel": "D0ALICE",
            "tab": "messages",
            "event_ts": "1.0",
        },
        event_id="Ev-messages",
    )
    assert slack.fake.of("views.publish") == []


def test_admins_see_this_months_numbers(make_slack):
    slack = make_slack(admins=("U0ADMIN",), min_cell_count=2)
    for n, question in enumerate(
        ["what does NFA mean", "what does NFA mean", "zebra crossing lollipop"]
    ):
        slack.command(question, hook=str(n))
    slack.event(
        {
            "type": "app_home_opened",
            "user": "U0ADMIN",
            "channel": "D0ADMIN",
            "tab": "home",
            "event_ts": "1.0",
        },
        event_id="Ev-admin",
    )
    [published] = slack.fake.wait_for("views.publish")
    shown = texts(published["view"]["blocks"])
    assert "This month (admins)" in shown
    assert "*Questions*\\n3" in shown and "67%" in shown and "Unknown (3)" in shown


def test_a_first_mention_offers_the_agency_picker_privately_not_in_the_thread(slack):
    slack.event(mention_event(f"<@{BOT_USER_ID}> what does NFA mean"))
    [posted] = slack.fake.wait_for("chat.postMessage")
    assert "agency_offer" not in texts(posted["blocks"])
    [offer] = slack.fake.wait_for("chat.postEphemeral")
    assert (offer["channel"], offer["user"], offer["thread_ts"]) == (
        "C0GENERAL",
        USER,
        "1700000000.000200",
    )
    assert "open_agency_picker" in texts(offer["blocks"])


def test_a_reply_in_a_dm_thread_is_answered_without_an_undeclared_call(slack):
    # Bolt's AI-assistant wiring would read the thread with conversations.replies, which
    # the manifest does not declare: the fake refuses it, as a test failure.
    slack.event(
        dm_event("what is the MASH", ts="1700000000.000900", thread_ts="1700000000.000100"),
        event_id="Ev-thread",
    )
    [posted] = slack.fake.wait_for("chat.postMessage")
    assert posted["thread_ts"] == "1700000000.000100"
    assert "Multi-Agency Safeguarding Hub" in texts(posted["blocks"])
    assert "something went wrong" not in posted["text"]
    assert slack.fake.refused == []


def test_a_dm_with_a_file_attached_is_answered_from_its_text(slack):
    event = dm_event(
        "what does NFA mean",
        subtype="file_share",
        files=[{"id": "F0DOC", "name": "notes.docx", "mimetype": "application/msword"}],
        upload=False,
    )
    slack.event(event, event_id="Ev-file")
    [posted] = slack.fake.wait_for("chat.postMessage")
    assert posted["channel"] == "D0ALICE" and "No further action" in texts(posted["blocks"])
    assert slack.rows()[0]["entry_id"] == "nfa"


# What Slack really sends: `&`, `<` and `>` typed by a person arrive as entities.
A_AND_E = "a&amp;e notification"


def test_slacks_entities_are_decoded_before_matching_in_a_dm(make_slack, coventry):
    slack = make_slack(pack=coventry.pack)
    slack.event(dm_event(A_AND_E))
    [posted] = slack.fake.wait_for("chat.postMessage")
    assert "Paediatric liaison" in texts(posted["blocks"])
    [row] = slack.rows()
    assert (row["entry_id"], row["question"]) == ("paediatric-liaison", "a&e notification")


def test_slacks_entities_are_decoded_in_a_slash_command(make_slack, coventry):
    slack = make_slack(pack=coventry.pack)
    slack.command(f"define {A_AND_E}")
    [answer] = slack.fake.wait_for("response_url")
    assert "Paediatric liaison" in texts(answer["blocks"])
    assert slack.rows()[0]["entry_id"] == "paediatric-liaison"
