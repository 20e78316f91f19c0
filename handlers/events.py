"""Direct messages and @mentions. One prefilter says what the bot answers; the rest is ignored."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App

from .blocks import agency_offer_blocks, unescape
from .constants import AGENCY_OFFER
from .errors import deferred
from .service import KEY

logger = logging.getLogger("rhrt.slack")
# A plain message, and one with a file attached (answered from its text; the file is not
# read: the app has no files:read scope and wants no documents about children).
ANSWERED_SUBTYPES = (None, "file_share")


def should_answer(event: dict[str, Any], bot_user_id: str | None = None) -> bool:
    """Answer people's DMs (and DM thread follow-ups) and mentions of the bot. Ignore the bot's
    own messages, other bots, edits, deletions, joins and every other message subtype, and
    channel messages (thread replies included) that do not mention the bot."""
    if event.get("subtype") not in ANSWERED_SUBTYPES or event.get("hidden"):
        return False  # message_changed, message_deleted, channel_join, bot_message, …
    if event.get("bot_id") or event.get("bot_profile") or "edited" in event:
        return False
    user = event.get("user")
    if not user or user == bot_user_id:
        return False
    kind = event.get("type")
    if kind == "message":
        return event.get("channel_type") == "im"
    if kind == "app_mention":
        if str(event.get("channel", "")).startswith("D"):
            return False  # a mention inside a DM also arrives as message.im
        return not bot_user_id or f"<@{bot_user_id}" in (event.get("text") or "")
    return False


def handle_message(event, body, client, context) -> None:
    """message.im: answer in the DM; a message in a thread is answered in that thread."""
    if not should_answer(event, context.get("bot_user_id")):
        return
    _answer(event, body, client, context, surface="dm", thread_ts=event.get("thread_ts"))


def handle_app_mention(event, body, client, context) -> None:
    """app_mention: answer in a thread under the question."""
    if not should_answer(event, context.get("bot_user_id")):
        return
    _answer(
        event,
        body,
        client,
        context,
        surface="mention",
        thread_ts=event.get("thread_ts") or event.get("ts"),
    )


def _answer(event, body, client, context, *, surface: str, thread_ts: str | None) -> None:
    rhrt = context[KEY]
    event_id = body.get("event_id")
    if rhrt.already_handled(event_id):
        logger.info("ignored a redelivered %s event", surface)
        return
    reply = rhrt.reply(
        unescape(event.get("text") or ""),
        rhrt.asker(context, client),
        surface,
        event_id=event_id,
        public=surface == "mention",
    )
    # chat.postMessage, not `say`: the reply goes exactly where it is meant to, with no
    # other Web API call on the way (Bolt's assistant-thread `say` reads the thread first).
    client.chat_postMessage(
        channel=event["channel"], text=reply.text, blocks=reply.blocks, thread_ts=thread_ts
    )
    if reply.offer_privately:  # only the asker sees the picker offer under a public answer
        client.chat_postEphemeral(
            channel=event["channel"],
            user=event["user"],
            thread_ts=thread_ts,
            text=AGENCY_OFFER,
            blocks=agency_offer_blocks(),
        )


def register(app: App) -> None:
    app.event("message")(**deferred(handle_message))
    app.event("app_mention")(**deferred(handle_app_mention))
