"""Buttons, modals and the shortcut: 👍/👎 + reason, "Did you mean", share, agency picker,
"What level is this?", and the Home navigator — signed requests through the real app."""

import json

from bot.askers import Asker
from handlers import constants as c

from .conftest import USER, dm_event, interactive_body, texts
from .fake_slack import TEAM_ID

HOME = {"type": "view", "view_id": "V0HOME"}
DM = {
    "type": "message",
    "message_ts": "1700000000.5",
    "channel_id": "D0ALICE",
    "is_ephemeral": False,
}


def ask(slack, question="what does NFA mean") -> str:
    """Ask by slash command; returns the logged query id."""
    slack.command(question, hook="question")
    slack.fake.wait_for("response_url")
    query_id = slack.rows()[-1]["id"]
    slack.fake.clear()
    return query_id


def test_thumbs_up_lands_in_the_feedback_table(slack):
    query_id = ask(slack)
    assert slack.action(c.FEEDBACK_UP, query_id).status == 200
    [row] = slack.rows("feedback")
    assert (row["query_id"], row["helpful"], row["reason"]) == (query_id, 1, None)
    assert row["asker"] == slack.rows()[0]["asker"]  # the same pseudonym, not the Slack id
    [thanks] = slack.fake.wait_for("response_url")
    # The private answer stays, its 👍/👎 row now "Thanks" (Slack sent no blocks with the
    # click on an ephemeral message: the app kept them).
    assert thanks["replace_original"] is True and "Thanks" in texts(thanks["blocks"])
    assert "No further action" in texts(thanks["blocks"])
    assert c.FEEDBACK_BLOCK not in [b.get("block_id") for b in thanks["blocks"]]


def test_thumbs_up_on_a_dm_answer_replaces_the_buttons_with_thanks(slack):
    slack.event(dm_event("what does NFA mean"))
    [posted] = slack.fake.wait_for("chat.postMessage")
    query_id = slack.rows()[0]["id"]
    slack.action(
        c.FEEDBACK_UP,
        query_id,
        container=DM,
        message={
            "type": "message",
            "text": posted["text"],
            "ts": "1700000000.5",
            "blocks": posted["blocks"],
        },
    )
    [update] = slack.fake.wait_for("response_url")
    assert update["replace_original"] is True
    assert c.FEEDBACK_BLOCK not in [b.get("block_id") for b in update["blocks"]]
    assert "No further action" in texts(update["blocks"])
    assert slack.rows("feedback")[0]["helpful"] == 1


def test_thumbs_down_opens_a_reason_modal_and_the_reason_is_stored(slack):
    query_id = ask(slack)
    slack.action(c.FEEDBACK_DOWN, query_id)
    [opened] = slack.fake.wait_for("views.open")
    view = opened["view"]
    assert opened["trigger_id"].startswith("trigger-2.") and view["callback_id"] == c.FEEDBACK_MODAL
    labels = texts(view["blocks"])
    for label in ("Wrong level or answer", "Out of date", "Unclear", "Not my area", "Other"):
        assert label in labels
    assert slack.rows("feedback") == []  # nothing stored until they answer or close
    response = slack.submit(
        view,
        {
            c.REASON_BLOCK: {
                c.REASON_ACTION: {
                    "type": "radio_buttons",
                    "selected_option": {
                        "value": "out_of_date",
                        "text": {"type": "plain_text", "text": "Out of date"},
                    },
                }
            },
            c.COMMENT_BLOCK: {
                c.COMMENT_ACTION: {
                    "type": "plain_text_input",
                    "value": "Jayden Smith's school says otherwise",
                }
            },
        },
    )
    assert response.status == 200
    assert json.loads(response.body)["response_action"] == "update"
    [row] = slack.rows("feedback")
    assert (row["query_id"], row["helpful"], row["reason"]) == (query_id, 0, "out_of_date")
    assert "Jayden" not in row["comment"] and "school says otherwise" in row["comment"]


def test_closing_the_reason_modal_still_counts_as_thumbs_down(slack):
    query_id = ask(slack)
    slack.action(c.FEEDBACK_DOWN, query_id)
    [opened] = slack.fake.wait_for("views.open")
    assert opened["view"]["notify_on_close"] is True
    slack.submit(opened["view"], {}, kind="view_closed")
    [row] = slack.rows("feedback")
    assert (row["query_id"], row["helpful"], row["reason"]) == (query_id, 0, None)


def test_did_you_mean_answers_the_chosen_entry(slack):
    slack.action("open_entry_1", "mash")
    [response] = slack.fake.wait_for("response_url")
    assert response["response_type"] == "ephemeral" and response["replace_original"] is False
    assert "Multi-Agency Safeguarding Hub" in texts(response["blocks"])
    [row] = slack.rows()
    assert (row["entry_id"], row["surface"]) == ("mash", "slash")


def test_a_guide_button_on_the_home_tab_answers_in_the_dm(slack):
    slack.action("open_entry_0", "omg-neglect", container=HOME, response_url="")
    [posted] = slack.fake.wait_for("chat.postMessage")
    assert posted["channel"] == USER and "Neglect" in texts(posted["blocks"])
    assert slack.rows()[0]["surface"] == "home"


def test_share_in_channel_posts_the_answer_not_the_question(slack):
    slack.action(c.SHARE_ANSWER, "what does NFA mean for jayden smith")
    [shared] = slack.fake.wait_for("response_url")
    assert shared["response_type"] == "in_channel" and shared["replace_original"] is False
    shown = texts(shared["blocks"])
    assert "No further action" in shown and f"Shared by <@{USER}>" in shown
    assert "jayden" not in shown.lower() and c.FEEDBACK_UP not in shown
    assert slack.rows() == []  # already logged when it was asked


def test_agency_picker_from_an_answer_stores_the_choice_against_a_pseudonym(slack):
    slack.action(c.OPEN_AGENCY_PICKER, "offer")
    [opened] = slack.fake.wait_for("views.open")
    assert opened["view"]["callback_id"] == c.AGENCY_MODAL
    response = slack.submit(
        opened["view"],
        {
            c.AGENCY_BLOCK: {
                c.AGENCY_ACTION: {
                    "type": "static_select",
                    "selected_option": {
                        "value": "education-secondary",
                        "text": {"type": "plain_text", "text": "Secondary school"},
                    },
                }
            }
        },
    )
    assert "Secondary school" in json.dumps(json.loads(response.body)["view"])
    [row] = slack.rows("askers")
    assert (row["agency"], row["sector"], row["agency_source"]) == (
        "education-secondary",
        "education",
        "chosen",
    )
    assert row["pseudonym"] == slack.log.pseudonym_of(Asker(TEAM_ID, USER))
    # later questions carry the agency, and the picker is not offered again
    slack.command("what does NFA mean")
    [answer] = slack.fake.wait_for("response_url")
    assert c.AGENCY_OFFER_BLOCK not in texts(answer["blocks"])
    assert slack.rows()[-1]["agency"] == "education-secondary"


def test_agency_picker_rejects_an_unknown_choice(slack):
    slack.action(c.OPEN_AGENCY_PICKER, "offer")
    [opened] = slack.fake.wait_for("views.open")
    response = slack.submit(
        opened["view"],
        {
            c.AGENCY_BLOCK: {
                c.AGENCY_ACTION: {"type": "static_select", "selected_option": {"value": "made-up"}}
            }
        },
    )
    assert json.loads(response.body)["response_action"] == "errors"
    assert slack.rows("askers") == []


def test_agency_picker_from_home_republishes_home_with_the_choice(slack):
    slack.action(c.OPEN_AGENCY_PICKER, "home", container=HOME, response_url="")
    [opened] = slack.fake.wait_for("views.open")
    slack.submit(
        opened["view"],
        {
            c.AGENCY_BLOCK: {
                c.AGENCY_ACTION: {"type": "static_select", "selected_option": {"value": "police"}}
            }
        },
    )
    [published] = slack.fake.wait_for("views.publish")
    assert "Your organisation: *Police*" in texts(published["view"]["blocks"])


def level_values(description: str, age: str | None = None, areas=()) -> dict:
    return {
        c.AGE_BLOCK: {
            c.AGE_ACTION: {
                "type": "static_select",
                "selected_option": ({"value": age} if age else None),
            }
        },
        c.AREAS_BLOCK: {
            c.AREAS_ACTION: {
                "type": "multi_static_select",
                "selected_options": [{"value": a} for a in areas],
            }
        },
        c.DESCRIPTION_BLOCK: {
            c.DESCRIPTION_ACTION: {"type": "plain_text_input", "value": description}
        },
    }


def test_what_level_shortcut_opens_the_form_and_the_answer_arrives_as_a_dm(slack):
    shortcut = {
        "type": "shortcut",
        "callback_id": c.WHAT_LEVEL_SHORTCUT,
        "trigger_id": "tr-9",
        "team": {"id": TEAM_ID},
        "user": {"id": USER, "team_id": TEAM_ID},
        "api_app_id": "A0RHRT",
        "token": "legacy",
        "action_ts": "1.0",
    }
    slack.dispatch(interactive_body(shortcut))
    [opened] = slack.fake.wait_for("views.open")
    assert opened["trigger_id"] == "tr-9" and opened["view"]["callback_id"] == c.LEVEL_MODAL
    response = slack.submit(
        opened["view"],
        level_values(
            "mum drinking most evenings and the baby missed appointments",
            "under-1",
            ["substance-misuse"],
        ),
    )
    assert response.status == 200 and response.body == ""  # the modal closes
    [dm] = slack.fake.wait_for("chat.postMessage")
    assert dm["channel"] == USER
    shown = texts(dm["blocks"])
    assert "Substance misuse impacting" in shown and c.FEEDBACK_UP in shown
    [row] = slack.rows()
    assert (row["surface"], row["kind"], row["level"]) == ("shortcut", "triage", 3)
    assert json.loads(row["areas"]) == ["substance-misuse"]


def test_what_level_button_on_home_opens_the_form(slack):
    slack.action(c.OPEN_LEVEL_MODAL, "home", container=HOME, response_url="")
    [opened] = slack.fake.wait_for("views.open")
    slack.submit(opened["view"], level_values("dad hits mum, police called to violence at home"))
    slack.fake.wait_for("chat.postMessage")
    [row] = slack.rows()
    assert (row["surface"], row["level"]) == ("home", 4)


def test_what_level_form_needs_a_description(slack):
    slack.action(c.OPEN_LEVEL_MODAL, "home", container=HOME, response_url="")
    [opened] = slack.fake.wait_for("views.open")
    response = slack.submit(opened["view"], level_values("   "))
    assert json.loads(response.body)["response_action"] == "errors"
    assert slack.fake.of("chat.postMessage") == []


def test_home_navigator_shows_an_areas_indicators_at_every_level(slack):
    slack.action(c.HOME_AREA, container=HOME, response_url="", selected="level-3|neglect")
    [published] = slack.fake.wait_for("views.publish")
    shown = texts(published["view"]["blocks"])
    assert "Neglect* — indicators at every level" in shown
    for indicator in ("Child well cared for.", "Home conditions poor.", "Severe neglect."):
        assert indicator in shown
    slack.action(c.HOME_BACK, "close", container=HOME, response_url="")
    second = slack.fake.wait_for("views.publish", 2)[1]
    assert "indicators at every level" not in texts(second["view"]["blocks"])
