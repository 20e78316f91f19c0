"""The global error handler: the person still gets a safe reply; the log gets no content."""

from __future__ import annotations

import inspect
import logging
import traceback
from collections.abc import Callable
from typing import Any

from . import constants as c
from .respond import Responder
from .verify import VERIFIED

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


def slack_error(error: BaseException) -> str:
    """The failure as a log may show it: the type, plus Slack's error code for a Web API
    refusal or the HTTP status of a response_url (never the message or the request)."""
    name = type(error).__name__
    response = getattr(error, "response", None)
    code = None
    if response is not None:
        try:
            code = response.get("error")
        except Exception:  # noqa: BLE001 - not a Slack response: the type alone
            code = None
        code = code or getattr(response, "status_code", None)
    return f"{name} ({code})" if code else name


def handle_error(error: Exception, body: dict[str, Any], context, client) -> None:
    """Log the failure's type and where it happened (never the message), then say sorry.
    Only a verified request gets a reply: an unverified body names an attacker's choice of
    response_url and channel, so nothing is sent anywhere for it."""
    if not context.get(VERIFIED):
        logger.error("an unverified request failed with %s", type(error).__name__)
        return
    frames = "".join(traceback.format_tb(error.__traceback__))
    logger.error("%s failed with %s\n%s", describe(body), slack_error(error), frames)
    try:
        _say_sorry(body, context, client)
    except Exception as exc:  # noqa: BLE001 - nothing more can be done; keep the log clean
        logger.error("could not tell the user about the failure (%s)", type(exc).__name__)


def _say_sorry(body: dict[str, Any], context, client) -> None:
    event = body.get("event")
    if context.get("response_url"):
        Responder(context["response_url"], client, context)(
            text=c.SORRY, response_type="ephemeral", replace_original=False
        )
    elif event:
        from .events import should_answer  # events registers through guarded(): import late

        if not should_answer(event, context.get("bot_user_id")):
            return
        thread = event.get("thread_ts") or (
            event.get("ts") if event.get("type") == "app_mention" else None
        )
        client.chat_postMessage(channel=event["channel"], text=c.SORRY, thread_ts=thread)
    elif context.get("user_id"):
        client.chat_postMessage(channel=context["user_id"], text=c.SORRY)


def guarded(listener: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a listener so an exception goes to `handle_error` here, inside the listener.

    Bolt's own error path clears an ack that was already given when a listener raises after
    acking, so a quick failure could turn the HTTP ack into a 404; catching here keeps the
    ack and still tells the person what to do. The listener gets only the arguments it names.
    """
    names = inspect.getfullargspec(listener).args

    def run(
        ack,
        body,
        payload,
        command,
        event,
        action,
        view,
        shortcut,
        context,
        client,
        respond,
        say,
        logger,
    ):
        if respond is not None:  # retries, and a fallback when the response_url has expired
            respond = Responder(respond.response_url, client, context)
        available = {
            "ack": ack,
            "body": body,
            "payload": payload,
            "command": command,
            "event": event,
            "action": action,
            "view": view,
            "shortcut": shortcut,
            "context": context,
            "client": client,
            "respond": respond,
            "say": say,
            "logger": logger,
        }
        try:
            return listener(**{name: available[name] for name in names})
        except Exception as error:  # noqa: BLE001 - every failure gets a safe reply
            if ack is not None and ack.response is None:
                ack()
            handle_error(error, body, context, client)
            return None

    run.__name__ = listener.__name__
    run.__qualname__ = listener.__qualname__
    run.__doc__ = listener.__doc__
    return run


def ack_now(ack) -> None:
    """The ack of a listener whose work is lazy: Slack's 3-second limit never waits for a
    worker thread, because this runs on the request's own thread before the response."""
    ack()


def deferred(listener: Callable[..., Any]) -> dict[str, Any]:
    """`app.command(X)(**deferred(fn))`: ack at once, run `fn` (guarded) on the listener pool."""
    return {"ack": ack_now, "lazy": [guarded(listener)]}
