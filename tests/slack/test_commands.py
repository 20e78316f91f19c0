"""`/rhrt` and each subcommand, through the real Bolt app with signed requests."""

import json

import pytest

from handlers import constants as c
from handlers.commands import parse_command, question_for

from .conftest import USER, texts


def only_response(slack) -> dict:
    [response] = slack.fake.wait_for("response_url")
    return response


def test_a_question_gets_a_private_answer_with_feedback_and_share(slack):
    assert slack.command("what does NFA mean").status == 200
    response = only_response(slack)
    assert response["response_type"] == "ephemeral"
    [row] = slack.rows()
    assert (row["surface"], row["kind"], row["entry_id"]) == ("slash", "glossary", "nfa")
    [buttons] = [b for b in response["blocks"] if b.get("block_id") == c.FEEDBACK_BLOCK]
    values = {e["action_id"]: e["value"] for e in buttons["elements"]}
    assert values[c.FEEDBACK_UP] == values[c.FEEDBACK_DOWN] == row["id"]
    assert values[c.SHARE_ANSWER] == "what does NFA mean"
    assert "No further action" in texts(response["blocks"])
    assert "U0ALICE" not in json.dumps(row)  # the log holds a pseudonym, never the Slack id


def test_the_ack_is_empty_and_immediate(slack):
    response = slack.command("what does NFA mean")
    assert response.status == 200 and response.body == ""


def test_help_lists_the_subcommands_and_is_not_logged(slack):
    slack.command("help")
    blocks = texts(only_response(slack)["blocks"])
    for sub in ("level &lt;situation&gt;", "define &lt;term&gt;", "guide", "share", "agency"):
        assert sub in blocks
    assert slack.rows() == []


def test_empty_command_shows_help(slack):
    slack.command("   ")
    assert "How to use rhrt-bot" in texts(only_response(slack)["blocks"])


def test_level_with_a_situation_suggests_a_level(slack):
    slack.command("level mum drinking most evenings, baby missed appointments")
    response = only_response(slack)
    assert response["response_type"] == "ephemeral"
    [row] = slack.rows()
    assert (row["kind"], row["level"]) == ("triage", 3)
    assert "Substance misuse impacting" in texts(response["blocks"])


def test_level_with_a_number_explains_that_level(slack):
    slack.command("level 4")
    only_response(slack)
    [row] = slack.rows()
    assert (row["kind"], row["entry_id"]) == ("level", "level-4")


def test_level_alone_opens_the_what_level_form(slack):
    slack.command("level")
    [opened] = slack.fake.wait_for("views.open")
    assert opened["trigger_id"].startswith("trigger-1.")
    assert opened["view"]["callback_id"] == c.LEVEL_MODAL


def test_define_a_term(slack):
    slack.command("define mash")
    only_response(slack)
    [row] = slack.rows()
    assert (row["kind"], row["entry_id"]) == ("glossary", "mash")


def test_guide_alone_lists_the_guides_as_buttons(slack):
    slack.command("guide")
    blocks = only_response(slack)["blocks"]
    buttons = [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert [(e["action_id"], e["value"]) for e in buttons] == [("open_entry_0", "omg-neglect")]


def test_guide_with_a_topic_opens_that_guide(slack):
    slack.command("guide neglect")
    response = only_response(slack)
    [row] = slack.rows()
    assert (row["kind"], row["entry_id"]) == ("guide", "omg-neglect")
    assert "Neglect — one-minute guide" in texts(response["blocks"])


def test_share_answers_in_the_channel_and_offers_the_picker_privately(slack):
    slack.command("share what does NFA mean")
    response, offer = slack.fake.wait_for("response_url", 2)
    assert response["response_type"] == "in_channel"
    actions = [
        e["action_id"] for b in response["blocks"] if b["type"] == "actions" for e in b["elements"]
    ]
    assert c.FEEDBACK_UP in actions
    assert c.SHARE_ANSWER not in actions and c.OPEN_AGENCY_PICKER not in actions
    assert offer["response_type"] == "ephemeral" and c.OPEN_AGENCY_PICKER in texts(offer["blocks"])


def test_agency_opens_the_picker(slack):
    slack.command("agency")
    [opened] = slack.fake.wait_for("views.open")
    assert opened["view"]["callback_id"] == c.AGENCY_MODAL
    assert "Police" in texts(opened["view"]["blocks"])


def test_unknown_words_are_just_a_question(slack):
    slack.command("mash said nfa what now")
    only_response(slack)
    [row] = slack.rows()
    assert row["entry_id"] == "nfa"


def test_a_typed_channel_ping_never_reaches_slack_as_markup(slack):
    slack.command("<!channel> <@U0BOB> what does NFA mean & why")
    response = only_response(slack)
    shown = json.dumps({k: v for k, v in response.items()}).replace(
        json.dumps("<!channel> <@U0BOB> what does NFA mean & why")[1:-1], ""
    )
    assert "<!channel>" not in shown and "<@U0BOB>" not in shown
    [row] = slack.rows()
    assert row["entry_id"] == "nfa" and "U0BOB" not in (row["question"] or "")


def test_identifying_details_add_one_gentle_line(slack):
    slack.command("what does NFA mean for jayden smith born 03/04/2015")
    blocks = texts(only_response(slack)["blocks"])
    assert blocks.count("Please don't include names") == 1


def test_first_question_offers_the_agency_picker_after_the_answer_then_never_again(slack):
    slack.command("what does NFA mean", hook="first")
    slack.command("what does MASH mean", hook="second")
    first, second = slack.fake.wait_for("response_url", 2)
    ids = [b.get("block_id") for b in first["blocks"]]
    assert ids.index(c.AGENCY_OFFER_BLOCK) > ids.index(c.FEEDBACK_BLOCK)
    assert "No further action" in texts(first["blocks"])  # answered first, never blocked
    assert c.AGENCY_OFFER_BLOCK not in [b.get("block_id") for b in second["blocks"]]


def test_rate_limit_gives_a_friendly_message(make_slack):
    slack = make_slack(rate_limit_per_minute=2)
    for n in range(3):
        slack.command("what does NFA mean", hook=str(n))
    responses = slack.fake.wait_for("response_url", 3)
    assert "wait a moment" in texts(responses[2]["blocks"])
    assert len(slack.rows()) == 2
    slack.command("what does NFA mean", hook="other", user="U0BOB")  # per person
    assert "No further action" in texts(slack.fake.wait_for("response_url", 4)[3]["blocks"])


def test_answers_still_come_without_a_query_log(make_slack):
    slack = make_slack(log=False)
    slack.command("what does NFA mean")
    response = only_response(slack)
    assert "No further action" in texts(response["blocks"])
    assert c.FEEDBACK_UP not in texts(response["blocks"])  # nothing to attach a rating to


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", ("help", "")),
        ("HELP", ("help", "")),
        ("level 3", ("level", "3")),
        ("define  NFA ", ("define", "NFA")),
        ("guide", ("guide", "")),
        ("levels of need", ("ask", "levels of need")),
        ("what is a LADO", ("ask", "what is a LADO")),
    ],
)
def test_parse_command(text, expected):
    assert parse_command(text) == expected


def test_question_for_subcommands():
    assert question_for("level", "level 2") == "what is level 2"
    assert question_for("level", "dad hits mum") == "what level is this: dad hits mum"
    assert question_for("define", "CIN") == "what does CIN mean"
    assert question_for("guide", "neglect") == "one minute guide on neglect"


def test_agency_is_guessed_from_email_only_when_email_rules_are_configured(make_slack, fake):
    fake.emails[USER] = "alice@nhs.net"
    fake.scopes |= {"users:read", "users:read.email"}  # as manifest.yaml says for email rules
    plain = make_slack(db_name="plain.db")
    plain.command("what does NFA mean", hook="plain")
    plain.fake.wait_for("response_url")
    assert fake.of("users.info") == [] and plain.rows()[0]["agency"] == "unknown"

    rules = {"email_domains": {"nhs.net": "health-community"}, "channels": {}}
    slack = make_slack(db_name="rules.db", agency_rules=rules)
    for n in range(2):
        slack.command("what does NFA mean", hook=f"rules{n}")
    slack.fake.wait_for("response_url", 3)
    assert len(fake.of("users.info")) == 1  # looked up once, then remembered
    assert [(r["agency"], r["agency_source"]) for r in slack.rows()] == [
        ("health-community", "email")
    ] * 2


def test_agency_without_a_query_log_says_it_cannot_save(make_slack):
    slack = make_slack(log=False)
    slack.command("agency")
    assert only_response(slack)["text"] == c.NO_LOG
    assert slack.fake.of("views.open") == []


def test_an_emergency_starting_with_help_is_answered_not_given_the_menu(slack):
    slack.command("HELP 2 y/o on his own in the flat, mum not answering", hook="sos")
    [reply] = slack.fake.wait_for("response_url", timeout=5)
    text = str(reply)
    assert "IMMEDIATE RISK" in text or "999" in text
    assert "How to use rhrt-bot" not in text
    assert slack.rows()[0]["emergency"] == 1
