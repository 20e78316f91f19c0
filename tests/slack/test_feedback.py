"""Feedback is one vote per person per answer (a later vote replaces it); a bystander's vote
on a public answer is theirs; on a private answer the 👍/👎 row becomes "Thanks". Signed
clicks through Bolt; the votes in a real SQLite file."""

import sqlite_utils

from bot.askers import Asker
from bot.querylog import QueryLog
from bot.schema import migrate
from handlers import constants as c

from .conftest import USER, dm_event, mention_event, texts
from .fake_slack import BOT_USER_ID, TEAM_ID

BOB = "U0BOB"
DM = {"type": "message", "message_ts": "1700000000.5", "channel_id": "D0ALICE"}
PUBLIC = {"type": "message", "message_ts": "1700000000.7", "channel_id": "C0GENERAL"}
REASON = {
    c.REASON_BLOCK: {
        c.REASON_ACTION: {
            "type": "radio_buttons",
            "selected_option": {"value": "unclear", "text": {"type": "plain_text", "text": "x"}},
        }
    }
}


def slash_answer(slack) -> str:
    slack.command("what does NFA mean", hook="q")
    slack.fake.wait_for("response_url")
    slack.fake.clear()
    return slack.rows()[-1]["id"]


def votes(slack) -> list[tuple]:
    return [(r["query_id"], r["asker"], r["helpful"], r["reason"]) for r in slack.rows("feedback")]


def pid(slack, user: str) -> str:
    return slack.log.pseudonym_of(Asker(TEAM_ID, user))


def test_one_vote_per_person_per_answer_and_a_later_vote_replaces_it(slack):
    query_id = slash_answer(slack)
    for _ in range(3):  # pressed again and again (e.g. a double click, or a second device)
        slack.action(c.FEEDBACK_UP, query_id)
    assert votes(slack) == [(query_id, pid(slack, USER), 1, None)]

    slack.action(c.FEEDBACK_DOWN, query_id)  # changes their mind: 👎 with a reason
    [opened] = slack.fake.wait_for("views.open")
    slack.submit(opened["view"], REASON)
    assert votes(slack) == [(query_id, pid(slack, USER), 0, "unclear")]


def test_a_bystanders_vote_on_a_public_answer_is_theirs(slack):
    slack.event(mention_event(f"<@{BOT_USER_ID}> what does NFA mean"))
    [posted] = slack.fake.wait_for("chat.postMessage")
    query_id = slack.rows()[0]["id"]
    message = {"type": "message", "text": posted["text"], "ts": "1.7", "blocks": posted["blocks"]}
    slack.action(c.FEEDBACK_UP, query_id, user=BOB, container=PUBLIC, message=message)
    slack.action(c.FEEDBACK_DOWN, query_id, user=USER, container=PUBLIC, message=message)
    [opened] = slack.fake.wait_for("views.open")
    slack.submit(opened["view"], {}, kind="view_closed")
    assert sorted(votes(slack)) == sorted(
        [(query_id, pid(slack, BOB), 1, None), (query_id, pid(slack, USER), 0, None)]
    )
    assert pid(slack, BOB) != pid(slack, USER)
    # The public answer keeps its row for everyone else; only the voter sees thanks.
    thanks = slack.fake.of("response_url")
    assert thanks and all(t["replace_original"] is False for t in thanks)
    assert all(t["response_type"] == "ephemeral" for t in thanks)


def test_the_row_becomes_thanks_on_a_dm_answer_after_thumbs_down(slack):
    slack.event(dm_event("what does NFA mean"))
    [posted] = slack.fake.wait_for("chat.postMessage")
    query_id = slack.rows()[0]["id"]
    message = {"type": "message", "text": posted["text"], "ts": "1.5", "blocks": posted["blocks"]}
    slack.action(c.FEEDBACK_DOWN, query_id, container=DM, message=message)
    slack.fake.wait_for("views.open")
    [update] = slack.fake.wait_for("response_url")
    assert update["replace_original"] is True and "Thanks" in texts(update["blocks"])
    assert c.FEEDBACK_BLOCK not in [b.get("block_id") for b in update["blocks"]]
    assert "No further action" in texts(update["blocks"])


def test_the_row_becomes_thanks_on_an_ephemeral_answer_after_thumbs_down(slack):
    query_id = slash_answer(slack)
    slack.action(c.FEEDBACK_DOWN, query_id)  # Slack sends no `message` for an ephemeral one
    [update] = slack.fake.wait_for("response_url")
    assert update["replace_original"] is True
    assert c.FEEDBACK_BLOCK not in [b.get("block_id") for b in update["blocks"]]
    assert "No further action" in texts(update["blocks"])


def test_the_migration_keeps_each_persons_latest_vote(tmp_path, mini):
    path = tmp_path / "old.db"
    db = sqlite_utils.Database(path)
    migrate(db, target=2)  # a log from before the one-vote rule, with repeated votes
    db["queries"].insert({"id": "q1", "ts": "2026-01-01T00:00:00Z", "question": "x"})
    rows = [
        ("f1", "2026-01-01T10:00:00Z", "alice", 1),
        ("f2", "2026-01-01T10:05:00Z", "alice", 0),
        ("f3", "2026-01-01T10:01:00Z", "bob", 1),
        ("f4", "2026-01-01T10:02:00Z", None, 1),
        ("f5", "2026-01-01T10:03:00Z", None, 0),
    ]
    for fid, ts, asker, helpful in rows:
        db["feedback"].insert(
            {"id": fid, "query_id": "q1", "ts": ts, "asker": asker, "helpful": helpful}
        )
    db.conn.close()
    log = QueryLog(path, b"k", mini.config)
    try:
        kept = sqlite_utils.Database(path).execute("select id from feedback order by id")
        assert [r[0] for r in kept] == ["f2", "f3", "f4", "f5"]
        log.record_feedback("q1", helpful=True, asker=None)  # anonymous votes stay separate
        log.flush()
        assert sqlite_utils.Database(path)["feedback"].count == 5
    finally:
        log.close()
