"""Guided triage in Slack: when a suggested level sits between two levels, the answer asks
the questions that separate them with Yes / No buttons; each click re-assesses with every
answer so far, logged on the same query row. Signed requests through the real app, the
query log in a real SQLite file, a pack whose model always sits on the 3 / 4 line."""

import json
from types import SimpleNamespace

from bot.answer import Answer
from handlers import constants as c
from handlers import service
from handlers.blocks import guided_value, parse_guided_value, render_answer_blocks

from .conftest import dm_event, texts

SITUATION = "7yo always hungry, clothes dirty, mum says money is tight"
SAFE_ADULT = "Is there a capable, sober adult keeping the child safe right now?"
DM = {"type": "message", "message_ts": "1700000000.5", "channel_id": "D0ALICE"}


def buttons(blocks: list[dict]) -> list[dict]:
    return [e for b in blocks if b["type"] == "actions" for e in b["elements"]]


def guided_buttons(blocks: list[dict]) -> list[dict]:
    return [e for e in buttons(blocks) if e["action_id"] in (c.GUIDED_YES, c.GUIDED_NO)]


def ask(slack) -> tuple[str, list[dict]]:
    """`/rhrt level …` on the undecided pack: (query id, the private answer's blocks)."""
    slack.command(f"level {SITUATION}", hook="question")
    [answer] = slack.fake.wait_for("response_url")
    slack.fake.clear()
    [row] = slack.rows()
    return row["id"], answer["blocks"]


def test_a_triage_between_two_levels_shows_its_questions_with_yes_no_buttons(guided_slack):
    query_id, blocks = ask(guided_slack)
    shown = texts(blocks)
    assert "This sits between RHRT level 3 and level 4 — answer to refine:" in shown
    assert SAFE_ADULT in shown
    # The questions are shown once, as buttons, not also listed in the answer's text.
    assert shown.count(SAFE_ADULT) == 1
    found = guided_buttons(blocks)
    assert guided_value(query_id, "safe-adult", True) in [b["value"] for b in found]
    assert guided_value(query_id, "safe-adult", False) in [b["value"] for b in found]
    assert {b["text"]["text"] for b in found} == {"Yes", "No"}
    for button in found:  # only the query id, the question id and yes/no: nothing typed
        qid, question_id, _ = parse_guided_value(button["value"])
        assert qid == query_id and " " not in button["value"]
        assert "hungry" not in button["value"] and len(button["value"]) < 80
    # Block Kit: action ids unique within each row of buttons.
    for block in blocks:
        if block["type"] == "actions":
            ids = [e["action_id"] for e in block["elements"]]
            assert len(ids) == len(set(ids))
    assert c.FEEDBACK_UP in shown  # the 👍/👎 row stays


def test_no_to_the_safe_adult_question_decides_level_4_on_the_same_query_row(guided_slack):
    slack = guided_slack
    query_id, _ = ask(slack)
    response = slack.action(c.GUIDED_NO, guided_value(query_id, "safe-adult", False))
    assert response.status == 200
    [update] = slack.fake.wait_for("response_url")
    # The private (ephemeral) answer is updated in place with the refined one.
    assert update["replace_original"] is True
    body = [b["text"]["text"] for b in update["blocks"] if b["type"] == "section"]
    refined = next(t for t in body if t.startswith("With your answers: "))
    assert "Suggested level: RHRT level 4" in refined
    assert "✓ No" in texts(update["blocks"])  # the answer given shows, and can be changed
    assert "your answers so far (change one to refine again)" in texts(update["blocks"])
    [row] = slack.rows()  # one query, refined: not a second question
    assert (row["id"], row["level"]) == (query_id, 4)
    assert json.loads(row["refinement"]) == {"safe-adult": False}


def test_answers_accumulate_and_all_pointing_lower_give_the_lower_level(guided_slack):
    slack = guided_slack
    query_id, _ = ask(slack)
    slack.action(c.GUIDED_YES, guided_value(query_id, "safe-adult", True))
    slack.fake.wait_for("response_url")
    slack.fake.clear()
    slack.action(c.GUIDED_NO, guided_value(query_id, "harm-happened", False))
    [update] = slack.fake.wait_for("response_url")
    assert "Suggested level: RHRT level 3" in texts(update["blocks"])
    [row] = slack.rows()
    assert row["level"] == 3
    assert json.loads(row["refinement"]) == {"harm-happened": False, "safe-adult": True}
    # Then one answer pointing higher decides the higher level at once.
    slack.fake.clear()
    slack.action(c.GUIDED_YES, guided_value(query_id, "harm-happened", True))
    slack.fake.wait_for("response_url")
    [row] = slack.rows()
    assert row["level"] == 4
    assert json.loads(row["refinement"]) == {"harm-happened": True, "safe-adult": True}


def test_an_unknown_or_malformed_query_gets_a_polite_message(guided_slack):
    slack = guided_slack
    for value in (guided_value("0" * 32, "safe-adult", False), "garbage", None):
        slack.fake.clear()
        assert slack.action(c.GUIDED_NO, value).status == 200
        [notice] = slack.fake.wait_for("response_url")
        assert notice["response_type"] == "ephemeral" and notice["replace_original"] is False
        assert notice["text"] == c.GUIDED_EXPIRED and c.SORRY not in texts(notice["blocks"])
    assert slack.rows() == []


def test_an_expired_query_asks_the_person_to_ask_again(guided_slack, monkeypatch):
    slack = guided_slack
    query_id, _ = ask(slack)
    later = time_after(service.GUIDED_SECONDS + 1)
    monkeypatch.setattr(service, "time", later)
    slack.action(c.GUIDED_NO, guided_value(query_id, "safe-adult", False))
    [notice] = slack.fake.wait_for("response_url")
    assert notice["text"] == c.GUIDED_EXPIRED and "ask again" in notice["text"]
    [row] = slack.rows()
    assert row["refinement"] is None  # nothing re-assessed or logged


def time_after(seconds: float) -> SimpleNamespace:
    import time

    return SimpleNamespace(monotonic=lambda: time.monotonic() + seconds)


def test_only_the_asker_refines_their_query(guided_slack):
    slack = guided_slack
    query_id, _ = ask(slack)
    slack.action(c.GUIDED_NO, guided_value(query_id, "safe-adult", False), user="U0BOB")
    [notice] = slack.fake.wait_for("response_url")
    assert notice["text"] == c.GUIDED_NOT_YOURS and notice["replace_original"] is False
    assert slack.rows()[0]["refinement"] is None


def test_in_a_dm_the_answer_is_updated_in_place(guided_slack):
    slack = guided_slack
    slack.event(dm_event(f"what level is this: {SITUATION}"))
    [posted] = slack.fake.wait_for("chat.postMessage")
    [row] = slack.rows()
    values = [b["value"] for b in guided_buttons(posted["blocks"])]
    assert guided_value(row["id"], "safe-adult", False) in values
    message = {"type": "message", "text": posted["text"], "ts": "1.5", "blocks": posted["blocks"]}
    slack.action(
        c.GUIDED_NO,
        guided_value(row["id"], "safe-adult", False),
        container=DM,
        message=message,
    )
    [update] = slack.fake.wait_for("response_url")
    assert update["replace_original"] is True and "With your answers" in texts(update["blocks"])
    assert slack.rows()[0]["level"] == 4


def test_no_buttons_without_a_logged_query_or_on_a_shared_answer():
    guided = {"between": [3, 4], "questions": [{"id": "safe-adult", "text": SAFE_ADULT}]}
    answer = Answer(kind="triage", text="x", level=4, extras={"guided": guided})
    assert not guided_buttons([b.to_dict() for b in render_answer_blocks(answer)])
    logged = Answer(kind="triage", text="x", level=4, query_id="q1", extras={"guided": guided})
    assert guided_buttons([b.to_dict() for b in render_answer_blocks(logged)])
    shared = render_answer_blocks(logged, feedback=False, shared_by="U1")
    assert not guided_buttons([b.to_dict() for b in shared])
