"""`/rhrt`: private answers, and the subcommands help · level · define · guide · share · agency,
and for board-office admins reload."""

from __future__ import annotations

import re

from slack_bolt import App

from . import constants as c
from .blocks import agency_offer_blocks, guide_list_blocks, slash_help_blocks
from .errors import guarded
from .modals import agency_modal, level_modal
from .service import KEY

SUBCOMMANDS = ("help", "level", "define", "guide", "share", "agency", "reload")
_LEVEL_NUMBER = re.compile(r"^(?:level\s*)?(\d)$", re.IGNORECASE)


def parse_command(text: str) -> tuple[str, str]:
    """(subcommand, the rest); ("ask", text) when the first word is not a subcommand."""
    text = (text or "").strip()
    if not text:
        return "help", ""
    first, _, rest = text.partition(" ")
    word = first.lower()
    if word in SUBCOMMANDS:
        return word, rest.strip()
    return "ask", text


def question_for(sub: str, rest: str) -> str:
    """The question a subcommand asks the assistant."""
    if sub == "level":
        number = _LEVEL_NUMBER.match(rest)
        return f"what is level {number.group(1)}" if number else f"what level is this: {rest}"
    if sub == "define":
        return f"what does {rest} mean"
    if sub == "guide":
        return f"one minute guide on {rest}"
    return rest


def handle_rhrt_command(ack, command, respond, client, context) -> None:
    """Ack at once, then answer privately (or publicly for `share`)."""
    ack()
    rhrt = context[KEY]
    sub, rest = parse_command(command.get("text", ""))
    if sub == "help":
        respond(
            text="How to use rhrt-bot",
            blocks=slash_help_blocks(rhrt.assistant.help()),
            response_type="ephemeral",
        )
        return
    if sub == "reload":
        if not rhrt.is_admin(context.get("user_id")):
            respond(text=c.ADMIN_ONLY, response_type="ephemeral")
            return
        respond(text=rhrt.reload().summary(), response_type="ephemeral")
        return
    if sub == "agency" and rhrt.log is None:
        respond(text=c.NO_LOG, response_type="ephemeral")
        return
    if sub == "agency" or (sub == "level" and not rest):
        view = (
            agency_modal(rhrt.config.agencies, current=_current_agency(rhrt, context))
            if sub == "agency"
            else level_modal(rhrt.pack, source="slash")
        )
        client.views_open(trigger_id=command["trigger_id"], view=view)
        return
    if sub == "guide" and not rest:
        respond(
            text="One-minute guides",
            blocks=guide_list_blocks(rhrt.pack.entries_of("guide")),
            response_type="ephemeral",
        )
        return
    if sub in ("define", "share") and not rest:
        respond(text=f"Add what to {sub} after `{c.COMMAND} {sub}`.", response_type="ephemeral")
        return
    asker = rhrt.asker(context, client)
    public = sub == "share"
    reply = rhrt.reply(
        question_for(sub, rest), asker, "slash", share_button=not public, public=public
    )
    respond(
        text=reply.text,
        blocks=reply.blocks,
        response_type="in_channel" if public and reply.answer else "ephemeral",
    )
    if reply.offer_privately:
        respond(
            text=c.AGENCY_OFFER,
            blocks=agency_offer_blocks(),
            response_type="ephemeral",
            replace_original=False,
        )


def _current_agency(rhrt, context) -> str | None:
    log = rhrt.log
    if log is None:
        return None
    return log.agency_of(log.pseudonym_of(rhrt.asker(context)))


def register(app: App) -> None:
    app.command(c.COMMAND)(guarded(handle_rhrt_command))
