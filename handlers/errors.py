"""The global error handler: the person still gets a safe reply; the log gets no content."""

from __future__ import annotations

import logging
import traceback
from typing import Any

from . import constants as c
from .events import should_answer

logger = logging.getLogger("rhrt.slack")


def describe(body: dict[str, Any]) -> str:
    """What kind of request failed, e.g. "command /rhrt" or "event message" (no content)."""
    if body.get("command"):
        return f"command {body['command']}"
    if body.get("event"):
        return f"event {body['event'].get('type')}"
    if body.get("type") == "block_actions":
        ids = ",".join(a.get("action_id", "?") for a in body.get("actions") or [])
        return f"action {ids}"
    if body.get("view"):
        return f"{body.get('type')} {body['view'].get('callback_id')}"
    return str(body.get("type") or "request")


def handle_error(error: Exception, body: dict[str, Any], context, client) -> None:
    """Log the failure's type and where it happened (never the message), then say sorry."""
    frames = "".join(traceback.format_tb(error.__traceback__))
    logger.error("%s failed with %s\n%s", describe(body), type(error).__name__, frames)
    try:
        _say_sorry(body, context, client)
    except Exception as exc:  # noqa: BLE001 - nothing more can be done; keep the log clean
        logger.error("could not tell the user about the failure (%s)", type(exc).__name__)


def _say_sorry(body: dict[str, Any], context, client) -> None:
    event = body.get("event")
    if context.get("response_url"):
        context.respond(text=c.SORRY, response_type="ephemeral", replace_original=False)
    elif event:
        if not should_answer(event, context.get("bot_user_id")):
            return
        thread = event.get("thread_ts") or (event.get("ts") if event.get("type") ==
                                            "app_mention" else None)
        client.chat_postMessage(channel=event["channel"], text=c.SORRY, thread_ts=thread)
    elif context.get("user_id"):
        client.chat_postMessage(channel=context["user_id"], text=c.SORRY)
