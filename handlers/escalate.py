"""Ask a safeguarding adviser: the asker's button and form, the advisers' Reply and Mark
resolved, and delivering the reply to the asker privately, in the thread of their answer."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from slack_bolt import App
from slack_sdk.errors import SlackApiError, SlackClientError

from bot import escalations as esc

from . import constants as c
from .actions import _where, send_reply
from .blocks import notice_blocks
from .errors import deferred, guarded
from .escalate_blocks import (
    adviser_blocks,
    adviser_thread_note,
    asker_reply_blocks,
    escalate_modal,
    reply_modal,
    resolved_blocks,
    sent_text,
)
from .modals import confirmation_modal, read_metadata
from .respond import _dicts
from .service import KEY, Reply

logger = logging.getLogger("rhrt.slack")
NOT_SET_UP = (
    "Sorry — no safeguarding advisers' channel is set up for this yet. Talk to your DSL, or "
    "ask the board office."
)


def _notice(text: str, body, respond, client, context) -> None:
    send_reply(Reply(text, notice_blocks(text)), body, respond, client, context.get("user_id"))


def _value(view: dict[str, Any], block: str, action: str) -> dict[str, Any]:
    return ((view.get("state") or {}).get("values") or {}).get(block, {}).get(action) or {}


def route_of(body: dict[str, Any]) -> dict[str, str | None]:
    """Where the asker's answer is: their user, its channel and thread, and the surface."""
    surface, channel, thread, _ = _where(body)
    container = body.get("container") or {}
    if surface == "dm":
        thread = thread or container.get("message_ts")  # a new thread under the answer
    return {"u": (body.get("user") or {}).get("id"), "c": channel, "t": thread, "s": surface}


def _topic_name(rhrt, topic: str | None) -> str:
    if not topic:
        return "not known"
    return {"(unanswered)": "not answered"}.get(topic, topic.replace("-", " "))


def _the_askers(rhrt, context, q: esc.LoggedQuestion) -> bool:
    return bool(q.asker) and q.asker == rhrt.log.pseudonym_of(rhrt.asker(context))


# ---- the asker -----------------------------------------------------------------------------
def handle_escalate(ack, body, action, respond, client, context) -> None:
    """ "Ask a safeguarding adviser": check it is the asker's own logged question, then open
    the form showing exactly what the adviser will see."""
    ack()
    rhrt = context[KEY]
    log = rhrt.log
    if log is None:
        _notice(c.NO_LOG, body, respond, client, context)
        return
    asker = rhrt.asker(context)
    if not rhrt.limiter.allow(f"{asker.workspace}:{asker.user_id}"):
        _notice(c.RATE_LIMITED, body, respond, client, context)
        return
    q = esc.logged_question(log, action.get("value") or "")
    if q is None or q.question is None:
        _notice(c.ESCALATE_GONE, body, respond, client, context)
        return
    if not _the_askers(rhrt, context, q):
        _notice(c.ESCALATE_NOT_YOURS, body, respond, client, context)
        return
    if not esc.channel_for(rhrt.config, esc.topic_of(q)):
        _notice(NOT_SET_UP, body, respond, client, context)
        return
    client.views_open(
        trigger_id=body["trigger_id"],
        view=escalate_modal(
            question=q.question,
            answer=esc.answer_summary(rhrt.pack, q),
            agency=rhrt.config.agency_name(q.agency) if q.agency != "unknown" else "not given",
            sector=q.sector.replace("-", " "),
            metadata={"q": q.id, "r": esc.seal(log.key, route_of(body))},
        ),
    )


def _shares_name(view) -> bool:
    chosen = _value(view, c.SHARE_NAME_BLOCK, c.SHARE_NAME_ACTION).get("selected_options")
    return any(o.get("value") == "share" for o in chosen or [])


def check_escalate_submission(ack, view, context) -> None:
    """The ack (local state only): the form turns into "sent", with the reminder."""
    rhrt = context[KEY]
    if rhrt.log is None or not read_metadata(view).get("q"):
        ack(response_action="update", view=confirmation_modal("Not sent", c.NO_LOG))
        return
    ack(response_action="update", view=confirmation_modal("Sent", sent_text(_shares_name(view))))


def post_escalation(view, client, context) -> None:
    """After the ack: post to the topic's advisers' channel and log the escalation. The
    question posted is the logged (redacted) one; the asker's note goes through the same
    redaction as everything logged."""
    rhrt = context[KEY]
    log = rhrt.log
    meta = read_metadata(view)
    if log is None or not meta.get("q"):
        return
    user = context.get("user_id")
    q = esc.logged_question(log, meta["q"])
    if q is None or q.question is None or not _the_askers(rhrt, context, q):
        client.chat_postMessage(channel=user, text=c.ESCALATE_GONE)
        return
    channel = esc.channel_for(rhrt.config, esc.topic_of(q))
    raw_note = (_value(view, c.NOTE_BLOCK, c.NOTE_ACTION).get("value") or "").strip()
    note = log.redact(raw_note, rhrt.pack) if raw_note else None
    share = _shares_name(view)
    escalation_id = esc.new_id()
    blocks = adviser_blocks(
        question=q.question,
        note=note.text if note else None,
        answer=esc.answer_summary(rhrt.pack, q),
        agency=rhrt.config.agency_name(q.agency) if q.agency != "unknown" else "Not given",
        sector=q.sector.replace("-", " "),
        topic=_topic_name(rhrt, esc.topic_of(q)),
        asker_user=user if share else None,
        reply_value=f"{escalation_id}|{meta.get('r') or ''}",
        escalation_id=escalation_id,
    )
    try:
        posted = client.chat_postMessage(
            channel=channel, text="A question for a safeguarding adviser", blocks=blocks
        )
    except SlackClientError as exc:
        code = exc.response.get("error") if isinstance(exc, SlackApiError) else None
        logger.warning("escalation not posted (%s)", code or type(exc).__name__)
        client.chat_postMessage(channel=user, text=c.ESCALATE_FAILED)
        return
    esc.record_escalation(
        log,
        escalation_id,
        q,
        note=note,
        name_shared=share,
        channel=channel or "",
        message_ts=posted.get("ts"),
    )


# ---- the adviser ---------------------------------------------------------------------------
def _from_advisers(rhrt, body) -> bool:
    """Reply and Mark resolved work only in a configured advisers' channel."""
    channel = (body.get("container") or {}).get("channel_id")
    settings = rhrt.config.escalation or {}
    return bool(channel) and channel in {
        settings.get("default"),
        *settings.get("topics", {}).values(),
    }


def handle_reply_click(ack, body, action, respond, client, context) -> None:
    """Reply: open the reply form (the sealed way back to the asker rides along)."""
    ack()
    rhrt = context[KEY]
    escalation_id, _, token = (action.get("value") or "").partition("|")
    found = esc.escalation_question(rhrt.log, escalation_id) if rhrt.log else None
    if not _from_advisers(rhrt, body) or found is None:
        _notice("Sorry — I can't find that question any more.", body, respond, client, context)
        return
    container = body.get("container") or {}
    client.views_open(
        trigger_id=body["trigger_id"],
        view=reply_modal(
            question=found["question"],
            note=found["note"],
            metadata={
                "e": escalation_id,
                "r": token,
                "c": container.get("channel_id"),
                "m": container.get("message_ts"),
            },
        ),
    )


def _reply_text(view) -> str:
    return (_value(view, c.REPLY_BLOCK, c.REPLY_ACTION).get("value") or "").strip()


def check_reply_submission(ack, view) -> None:
    if not _reply_text(view):
        ack(response_action="errors", errors={c.REPLY_BLOCK: "Write a reply to send."})
        return
    ack(
        response_action="update",
        view=confirmation_modal(
            "Reply sent", "Thanks — your reply is on its way to the person who asked."
        ),
    )


def deliver(client, route: dict[str, str] | None, text: str, blocks: list) -> bool:
    """The reply to the asker, privately: in their DM thread, or only they see it in the
    channel thread of their answer; their DM with the bot if that is refused."""
    if not route:
        return False
    user, channel, thread, surface = (route.get(k) for k in ("u", "c", "t", "s"))
    message = {"text": text, "blocks": _dicts(blocks)}
    attempts: list[tuple[str, dict]] = []
    if surface == "dm" and channel:
        attempts.append(("chat.postMessage", {"channel": channel, "thread_ts": thread}))
    elif surface in ("mention", "slash") and channel and user:
        attempts.append(
            ("chat.postEphemeral", {"channel": channel, "user": user, "thread_ts": thread})
        )
    if user:
        attempts.append(("chat.postMessage", {"channel": user}))
    for method, where in attempts:
        payload = {**message, **{k: v for k, v in where.items() if v}}
        try:
            client.api_call(method, json=payload)
            return True
        except SlackClientError as exc:
            code = exc.response.get("error") if isinstance(exc, SlackApiError) else None
            logger.warning("%s failed for an adviser's reply (%s)", method, code or "error")
    return False


def send_adviser_reply(view, client, context) -> None:
    """After the ack: deliver the reply, log it (redacted, pseudonymous) and note in the
    advisers' thread that it has been answered."""
    rhrt = context[KEY]
    log = rhrt.log
    meta = read_metadata(view)
    reply = _reply_text(view)
    if log is None or not meta.get("e") or not reply:
        return
    adviser = context.get("user_id")
    found = esc.escalation_question(log, meta["e"])
    question = found["question"] if found else None
    delivered = deliver(
        client,
        esc.unseal(log.key, meta.get("r")),
        f"A safeguarding adviser replied: {reply}"[:3000],
        asker_reply_blocks(question=question, reply=reply, adviser_user=adviser),
    )
    redacted = log.redact(reply, rhrt.pack)
    esc.record_reply(
        log,
        meta["e"],
        adviser=log.pseudonym_of(rhrt.asker(context)),
        text=redacted,
        delivered=delivered,
    )
    if meta.get("c") and meta.get("m"):
        client.chat_postMessage(
            channel=meta["c"],
            thread_ts=meta["m"],
            text=adviser_thread_note(adviser, redacted.text, delivered),
        )


def handle_resolve(ack, body, action, client, context) -> None:
    """Mark resolved: log it and take the buttons off the advisers' message."""
    ack()
    rhrt = context[KEY]
    if rhrt.log is None or not _from_advisers(rhrt, body):
        return
    escalation_id = action.get("value") or ""
    esc.record_resolved(rhrt.log, escalation_id, by=rhrt.log.pseudonym_of(rhrt.asker(context)))
    container = body.get("container") or {}
    message = body.get("message") or {}
    client.chat_update(
        channel=container.get("channel_id"),
        ts=container.get("message_ts"),
        text="A question for a safeguarding adviser (resolved)",
        blocks=resolved_blocks(
            message.get("blocks") or [],
            context.get("user_id"),
            datetime.now(UTC).strftime("%d %b %Y"),
        ),
    )


def register(app: App) -> None:
    app.action(c.ESCALATE)(**deferred(handle_escalate))
    app.action(c.ESCALATION_REPLY)(**deferred(handle_reply_click))
    app.action(c.ESCALATION_RESOLVE)(**deferred(handle_resolve))
    app.view(c.ESCALATE_MODAL)(
        ack=guarded(check_escalate_submission), lazy=[guarded(post_escalation)]
    )
    app.view(c.ESCALATION_REPLY_MODAL)(
        ack=guarded(check_reply_submission), lazy=[guarded(send_adviser_reply)]
    )
