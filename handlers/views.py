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


def _chosen_agency(view, rhrt) -> str | None:
    chosen = (_value(view, c.AGENCY_BLOCK, c.AGENCY_ACTION).get("selected_option") or {}).get(
        "value"
    )
    return chosen if chosen in {a["id"] for a in rhrt.config.agencies} else None


def handle_agency_submission(ack, view, context) -> None:
    """Store the chosen agency against the asker's pseudonym (the ack carries the result)."""
    rhrt = context[KEY]
    chosen = _chosen_agency(view, rhrt)
    if chosen is None:
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


def refresh_home_after_agency(view, client, context) -> None:
    """After the ack: a choice made from the Home tab shows there (a Web API call)."""
    rhrt = context[KEY]
    if read_metadata(view).get("from") != "home" or rhrt.log is None:
        return
    if _chosen_agency(view, rhrt) is None:
        return
    rhrt.log.flush(timeout=2)
    publish_home(client, rhrt, context)


def _description(view) -> str:
    return (_value(view, c.DESCRIPTION_BLOCK, c.DESCRIPTION_ACTION).get("value") or "").strip()


def check_level_submission(ack, view) -> None:
    """The ack: an empty description is sent back to the form; otherwise the form closes."""
    if not _description(view):
        ack(
            response_action="errors",
            errors={c.DESCRIPTION_BLOCK: "Describe what is happening for the child."},
        )
        return
    ack()


def handle_level_submission(view, client, context) -> None:
    """After the ack: suggest a level for the description, and send the answer as a DM."""
    rhrt = context[KEY]
    description = _description(view)
    if not description:
        return
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
    # These acks carry a response (the next screen, or errors), so they are computed on the
    # request's thread from local state only; Web API calls come after, on the pool.
    app.view(c.AGENCY_MODAL)(
        ack=guarded(handle_agency_submission), lazy=[guarded(refresh_home_after_agency)]
    )
    app.view(c.LEVEL_MODAL)(
        ack=guarded(check_level_submission), lazy=[guarded(handle_level_submission)]
    )
