"""Invokes: card buttons (👍/👎 with a reason, "Did you mean", the agency picker) and the
"What level is this?" dialog. Each answers in the invoke's own response; opening an entry
also posts it in the conversation (in a channel, in the thread)."""

from __future__ import annotations

from typing import Any

from handlers import constants as c
from handlers.modals import level_question

from . import cards, forms, identity, ids
from .errors import guarded, message_response
from .messages import send
from .service import TeamsService

REASONS = {value for value, _ in c.FEEDBACK_REASONS}
CARD = "application/vnd.microsoft.card.adaptive"
THANKS_UP = "Thanks — glad it helped."
THANKS_DOWN = (
    "Thanks — the board office reviews answers people find unhelpful, and your reason helps "
    "them fix it."
)


def _action(activity: Any) -> tuple[str, dict[str, Any]]:
    action = activity.value.action if activity.value is not None else None
    data = getattr(action, "data", None)
    return str(getattr(action, "verb", "") or ""), data if isinstance(data, dict) else {}


def _text(data: dict[str, Any], key: str, limit: int) -> str:
    value = data.get(key)
    return value.strip()[:limit] if isinstance(value, str) else ""


@guarded("card action")
async def handle_card_action(ctx: Any, rhrt: TeamsService) -> dict[str, Any]:
    verb, data = _action(ctx.activity)
    if verb in (ids.FEEDBACK_UP, ids.FEEDBACK_DOWN):
        return await feedback(ctx, rhrt, verb == ids.FEEDBACK_UP, data)
    if verb == ids.OPEN_ENTRY:
        entry_id = _text(data, "entry", 200)
        asker = await rhrt.asker(ctx)
        await send(ctx, await rhrt.entry_reply(entry_id, asker, identity.surface_of(ctx.activity)))
        return message_response("Opened it below.")
    if verb == ids.SET_AGENCY:
        return set_agency(rhrt, identity.asker_of(ctx.activity), _text(data, ids.AGENCY, 100))
    return message_response("Sorry — I don't know that button. Try asking again.")


async def feedback(ctx: Any, rhrt: TeamsService, helpful: bool, data: dict) -> dict[str, Any]:
    """The clicker's own vote on the query the button carries (a later vote replaces it)."""
    query_id = _text(data, "q", 64)
    if rhrt.log is None or not query_id:
        return message_response(c.NO_LOG)
    reason = _text(data, ids.REASON, 40)
    rhrt.log.record_feedback(
        query_id,
        helpful=helpful,
        reason=None if helpful else (reason if reason in REASONS else "other"),
        comment=None if helpful else (_text(data, ids.COMMENT, ids.COMMENT_LIMIT) or None),
        asker=identity.asker_of(ctx.activity),
        pack=rhrt.assistant.pack,
    )
    thanks = THANKS_UP if helpful else THANKS_DOWN
    sent = rhrt.sent_card(query_id)
    if sent is not None and identity.conversation_kind(ctx.activity) == "personal":
        # The personal chat's card loses its 👍/👎 row; a channel's keeps it for others.
        return {"statusCode": 200, "type": CARD, "value": cards.acknowledge(sent, thanks)}
    return message_response(thanks)


def set_agency(rhrt: TeamsService, asker: Any, chosen: str) -> dict[str, Any]:
    if chosen not in {a["id"] for a in rhrt.config.agencies}:
        return message_response("Choose one of the listed organisations.")
    if rhrt.log is None:
        return message_response(c.NO_LOG)
    rhrt.log.set_agency(asker, chosen)
    name = rhrt.config.agency_name(chosen)
    return message_response(f"Thanks — you're down as {name}. Change it any time: type agency.")


# ---- "What level is this?" ------------------------------------------------------------------
@guarded("dialog")
async def open_level(ctx: Any, rhrt: TeamsService) -> dict[str, Any]:
    return forms.dialog("What level is this?", forms.level_form(rhrt.assistant.pack))


@guarded("dialog")
async def submit_level(ctx: Any, rhrt: TeamsService) -> dict[str, Any] | None:
    """An empty description goes back to the form; otherwise the suggested level goes to the
    personal chat, or, opened from a channel or group chat, is shown in the dialog (private)."""
    value = ctx.activity.value
    data = value.data if value is not None and isinstance(value.data, dict) else {}
    description = _text(data, ids.DESCRIPTION, ids.DESCRIPTION_LIMIT)
    pack = rhrt.assistant.pack
    if not description:
        kept = {k: _text(data, k, ids.DESCRIPTION_LIMIT) for k in (ids.AGE, ids.AREAS)}
        form = forms.level_form(
            pack, values=kept, error="Describe what is happening for the child."
        )
        return forms.dialog("What level is this?", form)
    age = _text(data, ids.AGE, 20)
    areas = tuple(a for a in _text(data, ids.AREAS, 2000).split(",") if a in pack.areas)
    personal = identity.conversation_kind(ctx.activity) == "personal"
    reply = await rhrt.reply(
        level_question(description, age or None),
        await rhrt.asker(ctx),
        identity.SURFACE_DIALOG,
        areas=areas,
        feedback=personal,
        private=personal,
    )
    if personal:
        await send(ctx, reply)
        return None  # the dialog closes; the answer is in the chat
    return forms.dialog("Suggested level", reply.card)
