""" "What level is this?": a dialog (task module) with the Slack form's fields. Submitted from
the personal chat, the suggested level arrives in the chat; from a channel or group chat it
is shown in the dialog, so a described situation is never posted publicly."""

from handlers import constants as c
from handlers.teams import ids

from .conftest import card_of, dumps, texts

OPEN = {"msteams": {"type": "task/fetch"}, "dialog_id": ids.LEVEL_DIALOG}
SITUATION = "mum drinking most evenings, baby has missed appointments, she wants help"


def _form(response):
    assert response.status_code == 200, response.text
    task = response.json()["task"]
    assert task["type"] == "continue"
    content = task["value"]["card"]
    assert task["value"]["card"]["contentType"] == "application/vnd.microsoft.card.adaptive"
    return task["value"]["title"], content["content"]


def test_the_dialog_has_the_same_fields_as_the_slack_form(teams):
    title, form = _form(teams.dialog("task/fetch", OPEN))
    assert title == "What level is this?"
    inputs = {b["id"]: b for b in form["body"] if b["type"].startswith("Input.")}
    assert list(inputs) == [ids.AGE, ids.AREAS, ids.DESCRIPTION]
    assert [ch["value"] for ch in inputs[ids.AGE]["choices"]] == [v for v, _, _ in c.AGE_BANDS]
    areas = [ch["value"] for ch in inputs[ids.AREAS]["choices"]]
    assert inputs[ids.AREAS]["isMultiSelect"] and areas == list(teams.assistant.pack.areas)
    description = inputs[ids.DESCRIPTION]
    assert description["isRequired"] and description["maxLength"] == 2000
    [submit] = form["actions"]  # routed back to the submit handler by its `action`
    assert submit["type"] == "Action.Submit" and submit["data"] == {"action": ids.LEVEL_DIALOG}
    assert teams.fake.calls == [] and teams.rows() == []


def test_an_empty_description_returns_the_form_with_an_error(teams):
    data = {"action": ids.LEVEL_DIALOG, ids.AGE: "under-1", ids.DESCRIPTION: "  "}
    _, form = _form(teams.dialog("task/submit", data))
    assert "Describe what is happening" in texts(form)
    [age] = [b for b in form["body"] if b.get("id") == ids.AGE]
    assert age["value"] == "under-1"  # what was chosen is kept
    assert teams.fake.calls == [] and teams.rows() == []


def test_from_the_personal_chat_the_level_arrives_in_the_chat(teams):
    area = next(iter(teams.assistant.pack.areas))
    data = {"action": ids.LEVEL_DIALOG, ids.AGE: "under-1", ids.AREAS: area}
    data[ids.DESCRIPTION] = SITUATION
    response = teams.dialog("task/submit", data)
    assert response.status_code == 200 and not response.content  # the dialog closes
    card = card_of(teams.fake.wait_sent(1)[0])
    assert "Suggested level" in texts(card) and ids.FEEDBACK_ROW in dumps(card)
    [row] = teams.rows()
    assert row["surface"] == "teams_dialog" and row["kind"] == "triage"
    assert "baby under 1 year old" in row["question"]


def test_from_a_channel_the_level_is_shown_privately_in_the_dialog(teams):
    data = {"action": ids.LEVEL_DIALOG, ids.DESCRIPTION: SITUATION}
    title, card = _form(teams.dialog("task/submit", data, kind="channel"))
    assert title == "Suggested level" and "Suggested level" in texts(card)
    assert teams.fake.sent() == []  # nothing posted in the channel
    assert teams.rows()[0]["surface"] == "teams_dialog"
