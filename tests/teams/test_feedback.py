"""👍 / 👎 with a reason: one vote per person per answer, on the logged query the button
carries, under the voter's own pseudonym; the comment is redacted; in the personal chat the
row becomes "Thanks", in a channel it stays for everyone else."""

import hashlib
import hmac

from handlers.teams import ids

from .conftest import BOB, USER, actions_of, card_of, dumps, texts
from .fake_teams import TENANT_ID


def _pid(user: str) -> str:
    return hmac.new(b"test-key", f"{TENANT_ID}:{user}".encode(), hashlib.sha256).hexdigest()[:32]


def _votes(teams):
    rows = teams.rows("feedback")
    return [(r["query_id"], r["asker"], r["helpful"], r["reason"], r["comment"]) for r in rows]


def test_the_buttons_carry_the_logged_query_id(teams):
    card = teams.ask("what does NFA mean")
    query_id = teams.rows()[0]["id"]
    verbs = {a["verb"]: a for a in actions_of(card) if a.get("type") == "Action.Execute"}
    assert verbs[ids.FEEDBACK_UP]["data"] == {"q": query_id}
    assert verbs[ids.FEEDBACK_DOWN]["data"] == {"q": query_id}
    [down] = [a for a in actions_of(card) if a.get("title") == "👎 Not helpful"]
    inputs = {i["id"]: i for i in down["card"]["body"] if i["type"].startswith("Input.")}
    reasons = [ch["value"] for ch in inputs[ids.REASON]["choices"]]
    assert reasons == ["wrong", "out_of_date", "unclear", "not_my_area", "other"]
    assert inputs[ids.COMMENT]["maxLength"] == 1000


def test_thumbs_up_is_recorded_on_that_query_and_the_row_becomes_thanks(teams):
    teams.ask("what does NFA mean")
    query_id = teams.rows()[0]["id"]
    response = teams.click(ids.FEEDBACK_UP, {"q": query_id})
    body = response.json()
    assert body["type"] == "application/vnd.microsoft.card.adaptive"
    assert "Thanks — glad it helped." in texts(body["value"])
    assert ids.FEEDBACK_ROW not in [b.get("id") for b in body["value"]["body"]]
    assert "No further action" in texts(body["value"])  # the answer itself stays
    assert _votes(teams) == [(query_id, _pid(USER), 1, None, None)]


def test_thumbs_down_with_a_reason_and_a_redacted_comment(teams):
    teams.ask("what does NFA mean")
    query_id = teams.rows()[0]["id"]
    data = {
        "q": query_id,
        ids.REASON: "out_of_date",
        ids.COMMENT: "jayden smith's case was 07700 900461",
    }
    response = teams.click(ids.FEEDBACK_DOWN, data)
    assert "board office reviews" in texts(response.json()["value"])
    [(q, asker, helpful, reason, comment)] = _votes(teams)
    assert (q, asker, helpful, reason) == (query_id, _pid(USER), 0, "out_of_date")
    assert "jayden" not in comment.lower() and "900461" not in comment and "[PHONE]" in comment


def test_a_later_vote_replaces_the_earlier_one_and_odd_reasons_are_other(teams):
    teams.ask("what does NFA mean")
    query_id = teams.rows()[0]["id"]
    for _ in range(3):
        teams.click(ids.FEEDBACK_UP, {"q": query_id})
    teams.click(ids.FEEDBACK_DOWN, {"q": query_id, ids.REASON: "<b>made up</b>"})
    assert _votes(teams) == [(query_id, _pid(USER), 0, "other", None)]


def test_a_bystanders_vote_in_a_channel_is_theirs_and_the_card_stays(teams):
    teams.message("what does NFA mean", "channel")
    card = card_of(teams.fake.wait_sent(1)[0])
    query_id = teams.rows()[0]["id"]
    assert ids.FEEDBACK_ROW in dumps(card)
    response = teams.click(ids.FEEDBACK_UP, {"q": query_id}, kind="channel", user=BOB)
    assert response.json() == {
        "statusCode": 200,
        "type": "application/vnd.microsoft.activity.message",
        "value": "Thanks — glad it helped.",
    }
    teams.click(ids.FEEDBACK_DOWN, {"q": query_id, ids.REASON: "unclear"}, kind="channel")
    assert sorted(_votes(teams)) == sorted(
        [(query_id, _pid(BOB), 1, None, None), (query_id, _pid(USER), 0, "unclear", None)]
    )
