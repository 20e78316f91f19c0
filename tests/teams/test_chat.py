"""The personal chat: a question gets an Adaptive Card answer from the same Assistant, logged
once with the Teams surface and a pseudonym; commands work as in Slack's `/rhrt`."""

from .conftest import USER, texts


def test_a_question_in_the_personal_chat_gets_a_card_answer(teams):
    card = teams.ask("what does NFA mean")
    assert "No further action" in texts(card)
    [row] = teams.rows()
    assert row["surface"] == "teams_chat" and row["entry_id"] == "nfa"
    assert teams.fake.paths() == [f"/teams/v3/conversations/a:personal-{USER}/activities"]
