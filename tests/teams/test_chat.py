"""The personal chat: questions get Adaptive Card answers from the same Assistant, logged once
with the Teams surface under HMAC(tenant id + user object id); the commands Slack's `/rhrt`
has; emergency advice first; markup typed by a person stays inert; agency from the picker,
the tenant or the email domain."""

import hashlib
import hmac

from handlers import constants as c
from handlers.teams import ids

from .conftest import BOB, USER, actions_of, card_of, dumps, texts
from .fake_teams import TENANT_ID


def test_a_question_in_the_personal_chat_gets_a_card_answer(teams):
    card = teams.ask("what does NFA mean")
    assert "No further action" in texts(card)
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.5"
    [row] = teams.rows()
    assert row["surface"] == "teams_chat" and row["entry_id"] == "nfa"
    assert teams.fake.paths() == [f"/teams/v3/conversations/a:personal-{USER}/activities"]


def test_the_asker_is_the_hmac_of_tenant_and_user_object_id(teams):
    teams.ask("what does NFA mean")
    teams.ask("what does NFA mean", user=BOB)
    expected = hmac.new(b"test-key", f"{TENANT_ID}:{USER}".encode(), hashlib.sha256).hexdigest()
    rows = teams.rows()
    assert rows[0]["asker"] == expected[:32]
    assert rows[1]["asker"] != rows[0]["asker"]
    stored = dumps(rows) + dumps(teams.rows("askers"))
    for identifier in (USER, BOB, TENANT_ID):
        assert identifier not in stored
    # No Teams account id ("29:…") stored as a value. A bare "29:" was in every timestamp
    # written at 29 minutes past the hour, so the test failed one minute in sixty.
    assert '"29:' not in stored


def test_an_emergency_leads_with_emergency_advice(teams):
    card = teams.ask("he said he would kill himself tonight, the child is in danger")
    first = card["body"][0]
    assert first["id"] == "emergency" and first["style"] == "attention"
    assert texts(first).startswith("🚨 IMMEDIATE RISK")
    assert teams.rows()[0]["emergency"] == 1


def test_sources_and_review_date_are_shown(teams):
    card = teams.ask("what does NFA mean")
    [sources] = [b for b in card["body"] if b.get("id") == "sources"]
    shown = texts(sources)
    assert shown.startswith("Sources: ") and "Reviewed 20" in shown


def test_markup_a_person_types_is_never_live(teams):
    typed = (
        "what does **NFA** mean <b>now</b> [click](https://evil.example) "
        "<at>Jane Smith</at> &lt;script&gt;"
    )
    card = teams.ask(typed)
    assert "Did you mean" in texts(card)  # unsure, it offers NFA
    raw = dumps(card)
    # Nothing in the card is markdown-rendering text: every piece of text is a literal run.
    assert '"TextBlock"' not in raw
    for fragment in ("**NFA**", "<b>", "evil.example", "Jane Smith", "<script>", "<at>"):
        assert fragment not in raw
    [row] = teams.rows()
    for fragment in ("<b>", "<at>", "Jane", "Smith", "&lt;"):
        assert fragment not in row["question"]


def test_help_lists_the_commands_and_opens_the_level_dialog(teams):
    card = teams.ask("help")
    assert "Commands" in texts(card) and "agency" in texts(card)
    [button] = [a for a in actions_of(card) if a.get("data", {}).get("dialog_id")]
    assert button["data"] == {"msteams": {"type": "task/fetch"}, "dialog_id": ids.LEVEL_DIALOG}
    assert teams.rows() == []  # help is not a question


def test_commands_work_as_in_slack(teams):
    assert "No further action" in texts(teams.ask("define NFA"))
    level = teams.ask("level 3")
    assert teams.rows()[-1]["kind"] == "level" and "Level 3" in texts(level)
    guides = teams.ask("guide")
    assert [a["verb"] for a in actions_of(guides)] and all(
        a["verb"] == ids.OPEN_ENTRY for a in actions_of(guides)
    )
    form = teams.ask("level")
    assert [a["data"]["dialog_id"] for a in actions_of(form)] == [ids.LEVEL_DIALOG]


def test_did_you_mean_opens_exactly_that_entry(teams):
    response = teams.click(ids.OPEN_ENTRY, {"entry": "mash"})
    assert response.status_code == 200 and response.json()["type"].endswith("message")
    [sent] = teams.fake.wait_sent(1)
    assert "Multi-Agency Safeguarding Hub" in texts(card_of(sent))
    [row] = teams.rows()
    assert (row["entry_id"], row["surface"]) == ("mash", "teams_chat")


def test_an_unsure_answer_offers_did_you_mean_buttons_carrying_ids_only(teams):
    card = teams.ask("what does NFA mean now <b>quickly</b> for a colleague")
    buttons = [a for a in actions_of(card) if a.get("verb") == ids.OPEN_ENTRY]
    assert [b["data"] for b in buttons] == [{"entry": "nfa"}]
    assert buttons[0]["title"] == "NFA"
    confident = teams.ask("what does NFA mean")
    assert not [a for a in actions_of(confident) if a.get("verb") == ids.OPEN_ENTRY]


def test_identifying_details_add_one_gentle_line(teams):
    card = teams.ask("what does NFA mean for jayden smith")
    assert texts(card).count(c.REDACTION_NOTE) == 1
    assert "jayden" not in teams.rows()[0]["question"].lower()


def test_first_question_offers_the_agency_picker_then_never_again(teams):
    first = teams.ask("what does NFA mean")
    assert "agency_offer" in dumps(first)
    [save] = [a for a in actions_of(first) if a.get("verb") == ids.SET_AGENCY]
    assert save["associatedInputs"] == "auto"
    second = teams.ask("what does MASH mean")
    assert "agency_offer" not in dumps(second)


def test_the_picker_stores_the_choice_against_the_pseudonym(teams):
    response = teams.click(ids.SET_AGENCY, {ids.AGENCY: "police"})
    assert "Police" in response.json()["value"]
    teams.ask("what does NFA mean")
    row = teams.rows()[0]
    assert (row["agency"], row["agency_source"]) == ("police", "chosen")
    card = teams.ask("agency")
    [choice] = [b for b in card["body"] if b.get("id") == ids.AGENCY]
    assert choice["value"] == "police"
    bad = teams.click(ids.SET_AGENCY, {ids.AGENCY: "not-an-agency"})
    assert "Choose one of the listed" in bad.json()["value"]


def test_the_agency_is_guessed_from_the_tenant(make_teams):
    teams = make_teams(agency_rules={"tenants": {TENANT_ID.upper(): "police"}})
    teams.ask("what does NFA mean")
    row = teams.rows()[0]
    assert (row["agency"], row["agency_source"]) == ("police", "tenant")


def test_the_agency_is_guessed_from_the_email_domain_only_when_rules_ask(make_teams):
    teams = make_teams(
        agency_rules={"email_domains": {"nhs.net": "health-gp"}, "tenants": {TENANT_ID: "police"}}
    )
    teams.fake.members[f"29:{USER}"] = {"email": "alice@nhs.net", "aadObjectId": USER}
    teams.ask("what does NFA mean")
    row = teams.rows()[0]
    assert (row["agency"], row["agency_source"]) == ("health-gp", "email")
    assert "alice" not in dumps(teams.rows()) + dumps(teams.rows("askers"))
    lookups = [p for p in teams.fake.paths() if "/members/" in p]
    assert lookups == [f"/teams/v3/conversations/a:personal-{USER}/members/29:{USER}"]


def test_no_member_lookup_without_email_rules(teams):
    teams.ask("what does NFA mean")
    assert not [p for p in teams.fake.paths() if "/members/" in p]


def test_rate_limit_gives_a_friendly_message(make_teams):
    teams = make_teams(rate_limit_per_minute=2)
    teams.ask("what does NFA mean")
    teams.ask("what does MASH mean")
    assert "wait a moment" in texts(teams.ask("what does LADO mean"))
    assert len(teams.rows()) == 2


def test_answers_still_come_without_a_query_log(make_teams):
    teams = make_teams(log=False)
    card = teams.ask("what does NFA mean")
    assert "No further action" in texts(card) and ids.FEEDBACK_ROW not in dumps(card)
    assert c.NO_LOG in texts(teams.ask("agency"))


def test_a_failure_still_tells_the_person_what_to_do_and_logs_no_content(teams, caplog):
    import logging

    secret = "jay" + "den smith"  # kept out of this source line too

    def broken(*args, **kwargs):
        raise RuntimeError(secret)

    teams.assistant.ask = broken
    with caplog.at_level(logging.DEBUG):
        teams.message(f"{secret} what does NFA mean")
        [sorry] = teams.fake.wait_sent(1)
    assert "something went wrong" in sorry["text"] and "999" in sorry["text"]
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors and errors[0].startswith("teams message failed with RuntimeError")
    assert "jayden" not in caplog.text.lower()


MASH_PAGE = (
    "https://www.coventry.gov.uk/early-years-childcare/"
    "provider-resources-safeguarding-early-years-childcare"
)


def _numbers_source(card):
    [block] = [b for b in card["body"] if b.get("id") == "numbers_source"]
    return block


def test_a_number_on_the_card_comes_with_its_page_as_a_link_and_the_checked_date(
    make_teams, coventry
):
    teams = make_teams(pack=coventry.pack)
    card = teams.ask("can I share information without consent?")
    body = card["body"]
    block = _numbers_source(card)
    # Right under the lead's Contact line, before "More".
    lead = body[body.index(block) - 1]
    assert texts(lead).endswith(
        "Contact: Your DSL or safeguarding lead · Coventry MASH: 024 7678 8555"
    )
    assert texts(block) == "Number as published on \ncoventry.gov.uk\n, checked 2026-12-01"
    [link] = [r for r in block["inlines"] if "selectAction" in r]
    assert link["selectAction"] == {"type": "Action.OpenUrl", "url": MASH_PAGE}
    assert body[body.index(block) + 1]["type"] == "ActionSet"  # the More toggle


def test_an_emergency_card_says_where_the_banner_numbers_were_published(make_teams, coventry):
    teams = make_teams(pack=coventry.pack)
    card = teams.ask("dad is drunk and can't stand up and he's got the 8 month old baby on his own")
    assert card["body"][0]["id"] == "emergency"
    block = _numbers_source(card)
    body = card["body"]
    numbers = texts(body[body.index(block) - 1])
    assert numbers == (
        "IMMEDIATE RISK\nEmergency (police, ambulance): 999 · Coventry MASH: 024 7678 8555 · "
        "Out of hours: 024 7683 2222"
    )
    assert texts(block) == "Numbers as published on \ncoventry.gov.uk\n, checked 2026-12-01"
    [link] = [r for r in block["inlines"] if "selectAction" in r]
    assert link["selectAction"]["url"] == MASH_PAGE
    assert texts(body[body.index(block) + 1]).startswith("Call 999 now")
