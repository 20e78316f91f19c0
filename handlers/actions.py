"""Buttons and the global shortcut: 👍/👎, "Did you mean", share, guided questions, agency
picker, level form."""

from __future__ import annotations

from typing import Any

from slack_bolt import App

from . import constants as c
from .blocks import acknowledge_feedback, notice_blocks, parse_guided_value, parse_more_value
from .errors import deferred
from .modals import agency_modal, feedback_modal, level_modal
from .service import KEY, Reply


def _where(body: dict[str, Any]) -> tuple[str, str | None, str | None, bool]:
    """(surface, channel, thread_ts, ephemeral) of the message or view holding the button."""
    container = body.get("container") or {}
    if container.get("type") == "view":
        return "home", None, None, False
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
    message = body.get("message") or {}
    thread = container.get("thread_ts") or message.get("thread_ts")
    if container.get("is_ephemeral"):
        return "slash", channel, thread, True
    if str(channel or "").startswith("D"):
        return "dm", channel, thread, False
    return "mention", channel, thread, False


def _respond_privately(respond, reply: Reply, thread: str | None) -> None:
    """A new message only the clicker sees, in the thread of the answer clicked."""
    respond(
        text=reply.text,
        blocks=reply.blocks,
        response_type="ephemeral",
        replace_original=False,
        thread_ts=thread,
    )


def send_reply(reply: Reply, body: dict[str, Any], respond, client, user_id: str) -> None:
    """Answer a click where it happened: privately if the button was private or in a
    channel, in the DM (or the Home tab's DM) otherwise."""
    surface, channel, thread, _ = _where(body)
    if surface == "home":
        client.chat_postMessage(channel=user_id, text=reply.text, blocks=reply.blocks)
    elif surface == "dm":
        client.chat_postMessage(
            channel=channel, text=reply.text, blocks=reply.blocks, thread_ts=thread
        )
    else:
        _respond_privately(respond, reply, thread)


def handle_feedback_up(ack, body, action, respond, client, context) -> None:
    """👍: the clicker's vote on the query id the button carries, then say thanks."""
    ack()
    rhrt = context[KEY]
    if rhrt.log is None:
        _thank(body, respond, rhrt, c.NO_LOG)
        return
    rhrt.log.record_feedback(
        action["value"], helpful=True, asker=rhrt.asker(context), pack=rhrt.pack
    )
    _thank(body, respond, rhrt, "Thanks — glad it helped.")


def handle_feedback_down(ack, body, action, respond, client, context) -> None:
    """👎: ask why in a modal; submitting (or closing) it stores the vote."""
    ack()
    client.views_open(trigger_id=body["trigger_id"], view=feedback_modal(action["value"]))
    _thank(body, respond, context[KEY], "Thanks — tell me what was wrong in the form.")


def _thank(body, respond, rhrt, text: str) -> None:
    """On a private answer (ephemeral, or in the DM) the 👍/👎 row becomes the thanks, so
    it is not pressed again. A public answer keeps its row for everyone else to vote with
    (each person's vote is their own and can be changed); only the clicker sees thanks."""
    if not body.get("response_url"):
        return
    message = body.get("message") or {}
    surface, _, thread, ephemeral = _where(body)
    query_id = next((a.get("value") for a in body.get("actions") or [] if a.get("value")), "")
    # Slack sends no blocks with a click on an ephemeral message: use the ones it was sent.
    blocks = message.get("blocks") or (rhrt.sent_blocks(query_id) if ephemeral else None)
    if (ephemeral or surface == "dm") and blocks:
        respond(
            text=message.get("text") or text,
            replace_original=True,
            blocks=acknowledge_feedback(blocks, text),
        )
    else:
        respond(
            text=text,
            blocks=notice_blocks(text),
            response_type="ephemeral",
            replace_original=False,
            thread_ts=thread,
        )


def handle_open_entry(ack, body, action, respond, client, context) -> None:
    """ "Did you mean" / a guide button: answer that entry."""
    ack()
    rhrt = context[KEY]
    entry_id = action.get("value") or (action.get("selected_option") or {}).get("value", "")
    surface = _where(body)[0]
    reply = rhrt.entry_reply(
        entry_id, rhrt.asker(context, client), surface, share_button=surface == "slash"
    )
    send_reply(reply, body, respond, client, context.get("user_id"))


def handle_share(ack, body, action, respond, client, context) -> None:
    """ "Share in channel": post the answer (not the question) for everyone to see."""
    ack()
    rhrt = context[KEY]
    reply = rhrt.shared_reply(action.get("value") or "", context.get("user_id"))
    if body.get("response_url"):
        respond(
            text=reply.text, blocks=reply.blocks, response_type="in_channel", replace_original=False
        )
    else:
        _, channel, thread, _ = _where(body)
        client.chat_postMessage(
            channel=channel, text=reply.text, blocks=reply.blocks, thread_ts=thread
        )


def handle_guided(ack, body, action, respond, client, context) -> None:
    """A guided question's Yes / No: re-assess with every answer so far. A private answer
    (ephemeral, or in the DM) is updated in place; under a public answer only the asker
    sees the refined one. A notice (expired, not theirs) goes privately to the clicker."""
    ack()
    rhrt = context[KEY]
    parsed = parse_guided_value(action.get("value"))
    if parsed is None:
        reply = Reply(c.GUIDED_EXPIRED, notice_blocks(c.GUIDED_EXPIRED))
    else:
        reply = rhrt.refine_reply(*parsed, rhrt.asker(context))
    surface, _, thread, ephemeral = _where(body)
    if reply.answer is not None and (ephemeral or surface == "dm") and body.get("response_url"):
        respond(text=reply.text, blocks=reply.blocks, replace_original=True)
    else:
        _respond_privately(respond, reply, thread)


def handle_more(ack, body, action, respond, client, context) -> None:
    """More: the whole answer. A private answer (ephemeral, or in the DM) expands in place;
    under a public answer only the clicker sees the whole one, in its thread."""
    ack()
    rhrt = context[KEY]
    parsed = parse_more_value(action.get("value"))
    surface, _, thread, ephemeral = _where(body)
    if parsed is None:
        reply = Reply(c.MORE_EXPIRED, notice_blocks(c.MORE_EXPIRED))
    else:
        reply = rhrt.more_reply(*parsed, rhrt.asker(context), surface)
    private = ephemeral or surface == "dm"
    if reply.answer is not None and private and body.get("response_url"):
        respond(text=reply.text, blocks=reply.blocks, replace_original=True)
    elif surface == "home":
        send_reply(reply, body, respond, client, context.get("user_id"))
    else:
        _respond_privately(respond, reply, thread)


def handle_open_agency_picker(ack, body, client, context) -> None:
    ack()
    rhrt = context[KEY]
    log = rhrt.log
    current = log.agency_of(log.pseudonym_of(rhrt.asker(context))) if log else None
    source = "home" if (body.get("container") or {}).get("type") == "view" else "message"
    client.views_open(
        trigger_id=body["trigger_id"],
        view=agency_modal(rhrt.config.agencies, current=current, source=source),
    )


def handle_open_level_modal(ack, body, client, context) -> None:
    """The Home tab's "What level is this?" button."""
    ack()
    client.views_open(
        trigger_id=body["trigger_id"], view=level_modal(context[KEY].pack, source="home")
    )


def handle_what_level_shortcut(ack, shortcut, client, context) -> None:
    """The global shortcut "What level is this?"."""
    ack()
    client.views_open(
        trigger_id=shortcut["trigger_id"], view=level_modal(context[KEY].pack, source="shortcut")
    )


def register(app: App) -> None:
    app.action(c.FEEDBACK_UP)(**deferred(handle_feedback_up))
    app.action(c.FEEDBACK_DOWN)(**deferred(handle_feedback_down))
    app.action(c.OPEN_ENTRY_PATTERN)(**deferred(handle_open_entry))
    app.action(c.SHARE_ANSWER)(**deferred(handle_share))
    app.action(c.GUIDED_YES)(**deferred(handle_guided))
    app.action(c.GUIDED_NO)(**deferred(handle_guided))
    app.action(c.MORE)(**deferred(handle_more))
    app.action(c.OPEN_AGENCY_PICKER)(**deferred(handle_open_agency_picker))
    app.action(c.OPEN_LEVEL_MODAL)(**deferred(handle_open_level_modal))
    app.shortcut(c.WHAT_LEVEL_SHORTCUT)(**deferred(handle_what_level_shortcut))
