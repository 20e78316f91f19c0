"""Failures in a Teams handler: the person still gets a safe reply; the log gets the error's
type and where it happened, never the message, the card data or who sent it."""

from __future__ import annotations

import functools
import logging
import traceback
from collections.abc import Awaitable, Callable
from typing import Any

from handlers import constants as c

logger = logging.getLogger("rhrt.teams")
MESSAGE = "application/vnd.microsoft.activity.message"


def message_response(text: str) -> dict[str, Any]:
    """An `adaptiveCard/action` response that shows `text` to the person who clicked."""
    return {"statusCode": 200, "type": MESSAGE, "value": text}


def guarded(kind: str) -> Callable:
    """Wrap an async handler `fn(ctx, rhrt)`: an exception is logged without content, and the
    person is told what to do — by a message, or in the invoke's response."""

    def wrap(fn: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
        @functools.wraps(fn)
        async def run(ctx: Any, rhrt: Any) -> Any:
            try:
                return await fn(ctx, rhrt)
            except Exception as error:  # noqa: BLE001 - every failure gets a safe reply
                frames = "".join(traceback.format_tb(error.__traceback__))
                logger.error("teams %s failed with %s\n%s", kind, type(error).__name__, frames)
                return await _say_sorry(ctx, kind)

        return run

    return wrap


async def _say_sorry(ctx: Any, kind: str) -> Any:
    if kind == "card action":
        return message_response(c.SORRY)
    if kind == "dialog":
        return {"task": {"type": "message", "value": c.SORRY}}
    try:
        await ctx.send(c.SORRY)
    except Exception as exc:  # noqa: BLE001 - nothing more can be done; keep the log clean
        logger.error("could not tell the user about the failure (%s)", type(exc).__name__)
    return None
