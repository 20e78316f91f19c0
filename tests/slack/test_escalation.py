"""Ask a safeguarding adviser, end to end through Bolt: signed requests, the fake Slack Web
API on 127.0.0.1, the query log in a real SQLite file. Ask → escalate → the advisers see the
redacted question → an adviser replies → the asker gets it privately in their answer's
thread → both are logged, redacted and pseudonymous."""

from __future__ import annotations

import json
from itertools import count

import sqlite_utils

from bot.askers import Asker
from handlers import constants as c

from .conftest import USER, dm_event, mention_event, texts
from .fake_slack import BOT_USER_ID, TEAM_ID

ADVISERS, BOARD = "C0ADVISE", "C0BOARD"
ADVISER, BOB = "U0ADVISER", "U0BOB"
ROUTING = {"default": ADVISERS, "topics": {"(unanswered)": BOARD}}
NAMED = "Tyler Smith got an NFA, what does NFA mean"
NOTE = "mum is Kerry Jones at 14 Elm Road, ring me on 07700 900123"
REPLY = "NFA means no further action. Keep recording; re-refer if worried."
_EVENTS = count(1)


def escalating(make_slack, **kw):
    slack = make_slack(escalation=ROUTING, **kw)
    slack.log.set_agency(Asker(TEAM_ID, USER), "health-gp")
    slack.log.flush()
    return slack


def button_value(blocks: list[dict], action_id: str) -> str | None:
    for block in blocks:
        for element in block.get("elements") or []:
            if element.get("action_id") == action_id:
                return element.get("value")
    return None


def ask_in_dm(slack, text: str = NAMED) -> tuple[dict, str]:
    """Alice asks in her DM; the answer as Slack received it, and its query id."""
    slack.event(dm_event(text), event_id=f"Ev-escalate-{next(_EVENTS)}")
    [answer] = slack.fake.wait_for("chat.postMessage")
    query_id = slack.rows()[-1]["id"]
    slack.fake.clear()
    return answer, query_id


DM_ANSWER = {"type": "message", "message_ts": "1700000000.900", "channel_id": "D0ALICE"}


def share_name(on: bool) -> dict:
    chosen = (
        [{"value": "share", "text": {"type": "plain_text", "text": "Share my name"}}] if on else []
    )
    return {c.SHARE_NAME_BLOCK: {c.SHARE_NAME_ACTION: {"selected_options": chosen}}}


def escalate(slack, query_id: str, *, note: str = "", name: bool = False, **kw) -> dict:
    """Click the button, submit the form; the advisers' message as Slack received it."""
    kw.setdefault("container", DM_ANSWER)
    slack.action(c.ESCALATE, query_id, **kw)
    [opened] = slack.fake.wait_for("views.open")
    values = {c.NOTE_BLOCK: {c.NOTE_ACTION: {"value": note or None}}, **share_name(name)}
    response = slack.submit(opened["view"], values)
    assert response.status == 200 and json.loads(response.body)["view"]["title"]["text"] == "Sent"
    [posted] = slack.fake.wait_for("chat.postMessage")
    slack.fake.clear()
    return posted


def adviser_replies(slack, posted: dict, text: str) -> None:
    row = slack.rows("escalations")[-1]
    container = {"type": "message", "message_ts": row["message_ts"], "channel_id": row["channel"]}
    slack.action(
        c.ESCALATION_REPLY,
        button_value(posted["blocks"], c.ESCALATION_REPLY),
        user=ADVISER,
        container=container,
        message={"type": "message", "ts": row["message_ts"], "blocks": posted["blocks"]},
    )
    [opened] = slack.fake.wait_for("views.open")
    assert "Tyler" not in texts([opened["view"]])
    slack.fake.clear()
    slack.submit(opened["view"], {c.REPLY_BLOCK: {c.REPLY_ACTION: {"value": text}}}, user=ADVISER)


def test_every_answer_offers_an_adviser_when_a_channel_is_set(make_slack):
    slack = escalating(make_slack)
    answer, query_id = ask_in_dm(slack, "what does NFA mean")
    assert button_value(answer["blocks"], c.ESCALATE) == query_id
    answer, unanswered = ask_in_dm(slack, "zebra crossings in the moonlight")
    assert slack.rows()[-1]["kind"] == "no_answer"
    assert button_value(answer["blocks"], c.ESCALATE) == unanswered


def test_no_button_without_an_advisers_channel(slack):
    answer, _ = ask_in_dm(slack, "what does NFA mean")
    assert button_value(answer["blocks"], c.ESCALATE) is None


def test_round_trip_ask_escalate_reply_delivered_and_logged(make_slack):
    slack = escalating(make_slack)
    _, query_id = ask_in_dm(slack)

    # The form shows what the adviser will see: the logged, redacted question; the reminder.
    slack.action(c.ESCALATE, query_id, container=DM_ANSWER)
    [opened] = slack.fake.wait_for("views.open")
    form = texts([opened["view"]])
    assert "Tyler" not in form and "Smith" not in form and "[NAME]" in form
    assert "DSL" in form and "MASH" in form and "999" in form
    assert "GP / primary care" in form
    slack.fake.clear()

    values = {
        c.NOTE_BLOCK: {
            c.NOTE_ACTION: {"value": "mum is Kerry Jones at 14 Elm Road, ring me on 07700 900123"}
        },
        **share_name(False),
    }
    response = slack.submit(opened["view"], values)
    assert "DSL" in response.body  # the confirmation repeats the reminder

    [posted] = slack.fake.wait_for("chat.postMessage")
    assert posted["channel"] == ADVISERS
    shown = texts(posted["blocks"])
    for identifying in ("Tyler", "Smith", "Elm Road", "Kerry", "07700", USER):
        assert identifying not in shown
    assert "[NAME]" in shown and "[PHONE]" in shown and "[ADDRESS]" in shown
    assert "GP / primary care" in shown and "health" in shown
    assert "NFA" in shown  # the bot's answer
    assert button_value(posted["blocks"], c.ESCALATION_RESOLVE)
    slack.fake.clear()

    adviser_replies(
        slack, posted, "NFA means no further action. Keep recording; re-refer if worried."
    )
    [delivered, note] = slack.fake.wait_for("chat.postMessage", 2)
    assert delivered["channel"] == "D0ALICE"
    assert delivered["thread_ts"] == DM_ANSWER["message_ts"]  # in the answer's thread
    assert "no further action" in texts(delivered["blocks"])
    assert f"<@{ADVISER}>" in texts(delivered["blocks"])
    assert (
        note["channel"] == ADVISERS
        and note["thread_ts"] == slack.rows("escalations")[0]["message_ts"]
    )

    [row] = slack.rows("escalations")
    [reply] = slack.rows("escalation_replies")
    pid = slack.log.pseudonym_of
    assert row["query_id"] == query_id and row["asker"] == pid(Asker(TEAM_ID, USER))
    assert (row["agency"], row["sector"], row["status"]) == ("health-gp", "health", "replied")
    assert "[NAME]" in row["question"] and "[PHONE]" in row["note"] and row["name_shared"] == 0
    assert row["replies"] == 1 and row["first_reply_ts"] and row["reply_seconds"] >= 0
    assert reply["adviser"] == pid(Asker(TEAM_ID, ADVISER)) and reply["delivered"] == 1
    assert "no further action" in reply["text"]

    raw = slack.db_path.read_bytes() + b"".join(
        p.read_bytes() for p in slack.db_path.parent.glob("rhrt.db-wal")
    )
    for identifying in (b"Tyler", b"Kerry", b"Elm Road", b"07700", USER.encode(), ADVISER.encode()):
        assert identifying not in raw


def test_mark_resolved_logs_it_and_removes_the_buttons(make_slack):
    slack = escalating(make_slack)
    _, query_id = ask_in_dm(slack)
    posted = escalate(slack, query_id)
    row = slack.rows("escalations")[0]
    message = {"type": "message", "ts": row["message_ts"], "blocks": posted["blocks"]}
    container = {"type": "message", "message_ts": row["message_ts"], "channel_id": ADVISERS}
    slack.action(
        c.ESCALATION_RESOLVE,
        row["id"],
        user=ADVISER,
        container=container,
        message=message,
    )
    [update] = slack.fake.wait_for("chat.update")
    assert update["channel"] == ADVISERS and update["ts"] == row["message_ts"]
    assert button_value(update["blocks"], c.ESCALATION_REPLY) is None
    assert f"Resolved by <@{ADVISER}>" in texts(update["blocks"])
    [row] = slack.rows("escalations")
    assert row["status"] == "resolved" and row["resolved_by"] and row["resolved_ts"]


def test_the_asker_may_share_their_name(make_slack):
    slack = escalating(make_slack)
    _, query_id = ask_in_dm(slack)
    posted = escalate(slack, query_id, name=True)
    assert f"<@{USER}>" in texts(posted["blocks"])
    assert slack.rows("escalations")[0]["name_shared"] == 1


def test_unanswered_questions_go_to_their_topics_channel(make_slack):
    slack = escalating(make_slack)
    _, query_id = ask_in_dm(slack, "zebra crossings in the moonlight")
    posted = escalate(slack, query_id)
    assert posted["channel"] == BOARD
    assert "no answer" in texts(posted["blocks"])


def test_only_the_asker_can_escalate_their_question(make_slack):
    slack = escalating(make_slack)
    slack.event(mention_event(f"<@{BOT_USER_ID}> what does NFA mean"))
    slack.fake.wait_for("chat.postMessage")
    query_id = slack.rows()[-1]["id"]
    slack.fake.clear()
    public = {"type": "message", "message_ts": "1700000000.7", "channel_id": "C0GENERAL"}
    slack.action(c.ESCALATE, query_id, user=BOB, container=public, hook="bob")
    [notice] = slack.fake.wait_for("response_url")
    assert "Only the person who asked" in notice["text"]
    assert slack.fake.of("views.open") == []


def test_a_reply_to_a_channel_question_reaches_only_the_asker_in_its_thread(make_slack):
    slack = escalating(make_slack)
    slack.event(mention_event(f"<@{BOT_USER_ID}> what does NFA mean", ts="1700000000.300"))
    slack.fake.wait_for("chat.postMessage")
    query_id = slack.rows()[-1]["id"]
    slack.fake.clear()
    thread = {
        "type": "message",
        "message_ts": "1700000000.400",
        "channel_id": "C0GENERAL",
        "thread_ts": "1700000000.300",
    }
    posted = escalate(slack, query_id, container=thread)
    adviser_replies(slack, posted, "Happy to talk it through.")
    [private] = slack.fake.wait_for("chat.postEphemeral")
    assert (private["channel"], private["user"], private["thread_ts"]) == (
        "C0GENERAL",
        USER,
        "1700000000.300",
    )


def test_a_refused_private_reply_falls_back_to_the_askers_dm(make_slack):
    slack = escalating(make_slack)
    slack.command("what does NFA mean", hook="q")
    slack.fake.wait_for("response_url")
    query_id = slack.rows()[-1]["id"]
    slack.fake.clear()
    posted = escalate(slack, query_id, container=None)  # the slash answer is ephemeral
    slack.fake.fail("chat.postEphemeral", 200, error="not_in_channel")
    adviser_replies(slack, posted, "Call me.")
    delivered = [p for p in slack.fake.wait_for("chat.postMessage", 2) if p["channel"] == USER]
    assert delivered and "Call me." in texts(delivered[0]["blocks"])
    assert slack.rows("escalation_replies")[0]["delivered"] == 1


def test_a_tampered_way_back_delivers_nothing_and_says_so(make_slack):
    slack = escalating(make_slack)
    _, query_id = ask_in_dm(slack)
    posted = escalate(slack, query_id)
    for block in posted["blocks"]:
        for element in block.get("elements") or []:
            if element.get("action_id") == c.ESCALATION_REPLY:
                element["value"] = element["value"][:-6] + "AAAAAA"
    adviser_replies(slack, posted, "hello")
    [note] = slack.fake.wait_for("chat.postMessage")
    assert note["channel"] == ADVISERS and "could not be delivered" in note["text"]
    assert slack.rows("escalation_replies")[0]["delivered"] == 0


def test_an_unreachable_advisers_channel_tells_the_asker(make_slack):
    slack = escalating(make_slack)
    _, query_id = ask_in_dm(slack)
    slack.action(c.ESCALATE, query_id, container=DM_ANSWER)
    [opened] = slack.fake.wait_for("views.open")
    slack.fake.fail("chat.postMessage", 200, error="not_in_channel")
    slack.submit(opened["view"], share_name(False))
    [told] = slack.fake.wait_for("chat.postMessage")
    assert told["channel"] == USER and "couldn't reach" in told["text"]
    assert slack.rows("escalations") == []


def test_migration_to_v6_on_a_real_file_keeps_questions(tmp_path):
    from bot.schema import LATEST, migrate

    path = tmp_path / "v5.db"
    db = sqlite_utils.Database(path)
    migrate(db, target=5)
    db["queries"].insert({"id": "q1", "ts": "2026-01-01T00:00:00Z", "question": "kept"})
    assert "exports" in db.table_names() and "escalations" not in db.table_names()
    db.conn.close()
    db = sqlite_utils.Database(path)
    assert migrate(db) == LATEST >= 6
    assert [r["question"] for r in db["queries"].rows] == ["kept"]
    assert {"escalations", "escalation_replies", "exports"} <= set(db.table_names())
    assert {"reply_seconds", "name_shared"} <= set(db["escalations"].columns_dict)


def test_escalating_counts_against_the_rate_limit(make_slack):
    slack = escalating(make_slack, rate_limit_per_minute=1)
    _, query_id = ask_in_dm(slack)  # the question used the one allowed this minute
    slack.action(c.ESCALATE, query_id, container=DM_ANSWER)
    [notice] = slack.fake.wait_for("chat.postMessage")
    assert "wait a moment" in notice["text"] and slack.fake.of("views.open") == []
