"""Modal submissions: 👎 reason, agency choice, and "What level is this?"."""

from __future__ import annotations

from typing import Any

from slack_bolt import App

from . import constants as c
from .errors import guarded
from .home import publish_home
from .modals import confirmation_modal, level_question, read_metadata
from .service import KEY

REASONS = {value for value, _ in c.FEEDBACK_REASONS}
SURFACE_OF_SOURCE = {"home": "home", "shortcut": "shortcut", "slash": "slash"}


def _value(view: dict[str, Any], block: str, action: str) -> dict[str, Any]:
    return ((view.get("state") or {}).get("values") or {}).get(block, {}).get(action) or {}


def handle_feedback_submission(ack, view, context) -> None:
    """Store 👎 with the chosen reason and the optional (redacted on write) comment."""
    rhrt = context[KEY]
    query_id = read_metadata(view).get("q")
    if rhrt.log is None or not query_id:
        ack(response_action="update", view=confirmation_modal("Not saved", c.NO_LOG))
        return
    ack(
        response_action="update",
        view=confirmation_modal(
            "Thank you",
            "Thanks — the board office reviews answers people find unhelpful, "
            "and your reason helps them fix it.",
        ),
    )
    reason = (_value(view, c.REASON_BLOCK, c.REASON_ACTION).get("selected_option") or {}).get(
        "value"
    )
    comment = _value(view, c.COMMENT_BLOCK, c.COMMENT_ACTION).get("value") or None
    rhrt.log.record_feedback(
        query_id,
        helpful=False,
        reason=reason if reason in REASONS else "other",
        comment=comment,
        asker=rhrt.asker(context),
        pack=rhrt.pack,
    )


def handle_feedback_closed(ack, view, context) -> None:
    """The 👎 modal closed without a reason: still a 👎."""
    ack()
    rhrt = context[KEY]
    query_id = read_metadata(view).get("q")
    if rhrt.log is not None and query_id:
        rhrt.log.record_feedback(query_id, helpful=False, asker=rhrt.asker(context), pack=rhrt.pack)


def handle_agency_submission(ack, view, client, context) -> None:
    """Store the chosen agency against the asker's pseudonym."""
    rhrt = context[KEY]
    chosen = (_value(view, c.AGENCY_BLOCK, c.AGENCY_ACTION).get("selected_option") or {}).get(
        "value"
    )
    if chosen not in {a["id"] for a in rhrt.config.agencies}:
        ack(
            response_action="errors",
            errors={c.AGENCY_BLOCK: "Choose one of the listed organisations."},
        )
        return
    if rhrt.log is None:
        ack(response_action="update", view=confirmation_modal("Not saved", c.NO_LOG))
        return
    ack(
        response_action="update",
        view=confirmation_modal(
            "Saved",
            f"Thanks — you're down as {rhrt.config.agency_name(chosen)}. Change it any "
            f"time with `{c.COMMAND} agency` or from my Home tab.",
        ),
    )
    rhrt.log.set_agency(rhrt.asker(context), chosen)
    if read_metadata(view).get("from") == "home":
        rhrt.log.flush(timeout=2)
        publish_home(client, rhrt, context)


def handle_level_submission(ack, view, client, context) -> None:
    """Suggest a level for the description, and send the answer as a DM."""
    rhrt = context[KEY]
    description = (
        _value(view, c.DESCRIPTION_BLOCK, c.DESCRIPTION_ACTION).get("value") or ""
    ).strip()
    if not description:
        ack(
            response_action="errors",
            errors={c.DESCRIPTION_BLOCK: "Describe what is happening for the child."},
        )
        return
    ack()
    age = (_value(view, c.AGE_BLOCK, c.AGE_ACTION).get("selected_option") or {}).get("value")
    chosen = _value(view, c.AREAS_BLOCK, c.AREAS_ACTION).get("selected_options") or []
    areas = tuple(o["value"] for o in chosen if o.get("value") in rhrt.pack.areas)
    surface = SURFACE_OF_SOURCE.get(read_metadata(view).get("from"), "shortcut")
    reply = rhrt.reply(
        level_question(description, age), rhrt.asker(context, client), surface, areas=areas
    )
    client.chat_postMessage(channel=context.get("user_id"), text=reply.text, blocks=reply.blocks)


def register(app: App) -> None:
    app.view(c.FEEDBACK_MODAL)(guarded(handle_feedback_submission))
    app.view_closed(c.FEEDBACK_MODAL)(guarded(handle_feedback_closed))
    app.view(c.AGENCY_MODAL)(guarded(handle_agency_submission))
    app.view(c.LEVEL_MODAL)(guarded(handle_level_submission))
