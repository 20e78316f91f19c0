"""@mentions in a channel are answered in the thread; a group chat in the chat; messages that
do not mention the bot are left alone. Public answers never carry the agency offer."""

from .conftest import CHANNEL, card_of, dumps, texts


def test_a_mention_in_a_channel_is_answered_in_its_thread(teams):
    response = teams.message("what does NFA mean", "channel", thread_root="1700000000042")
    assert response.status_code == 200
    [sent] = teams.fake.wait_sent(1)
    assert "No further action" in texts(card_of(sent))
    assert teams.fake.paths() == [
        f"/teams/v3/conversations/{CHANNEL};messageid=1700000000042/activities"
    ]
    [row] = teams.rows()
    assert row["surface"] == "teams_channel" and "rhrt-bot" not in row["question"]


def test_a_public_answer_has_votes_but_no_agency_offer(teams):
    teams.message("what does NFA mean", "channel")
    card = card_of(teams.fake.wait_sent(1)[0])
    assert "feedback" in dumps(card) and "agency_offer" not in dumps(card)


def test_a_mention_in_a_group_chat_is_answered_there(teams):
    teams.message("what does MASH mean", "group")
    [sent] = teams.fake.wait_sent(1)
    assert "Multi-Agency Safeguarding Hub" in texts(card_of(sent))
    assert teams.fake.paths() == ["/teams/v3/conversations/19:groupchat@thread.v2/activities"]


def test_a_channel_message_without_a_mention_is_ignored(teams):
    response = teams.message("what does NFA mean", "channel", mention=False)
    assert response.status_code == 200
    assert teams.fake.calls == [] and teams.rows() == []


def test_an_emergency_in_a_channel_leads_with_emergency_advice(teams):
    teams.message("he said he would kill himself tonight, the child is in danger", "channel")
    card = card_of(teams.fake.wait_sent(1)[0])
    assert card["body"][0]["id"] == "emergency"
