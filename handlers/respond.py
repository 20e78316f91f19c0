"""Replies that survive a busy Slack: the Web API client and response_url retry 429 (after
Retry-After), 5xx and dropped connections with slack_sdk's retry handlers; an expired or
refused response_url falls back to an ephemeral message, then to the person's DM."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.models.blocks import Block
from slack_sdk.webhook import WebhookClient

logger = logging.getLogger("rhrt.slack")
RETRIES = 3  # per call and per kind of failure; Slack's Retry-After sets the wait on a 429
RESPONSE_URL_TIMEOUT = 15  # seconds per attempt at a response_url


def retry_handlers() -> list[RetryHandler]:
    """Fresh handlers (they keep per-call state) for one client."""
    return [
        ConnectionErrorRetryHandler(max_retry_count=RETRIES),
        RateLimitErrorRetryHandler(max_retry_count=RETRIES),
        ServerErrorRetryHandler(max_retry_count=RETRIES),
    ]


def _dicts(blocks: Sequence[Block | dict] | None) -> list[dict] | None:
    if blocks is None:
        return None
    return [b.to_dict() if isinstance(b, Block) else b for b in blocks]


class Responder:
    """Drop-in for Bolt's `respond`: posts to the response_url with retries; if Slack will
    not take it (expired after 30 minutes or 5 uses, or still failing after retries), the
    message goes by the Web API instead, so no answer is lost."""

    def __init__(self, response_url: str | None, client: Any, context: Any):
        self.response_url = response_url
        self.client = client
        self.channel = context.get("channel_id")
        self.user = context.get("user_id")

    def __call__(
        self,
        text: str = "",
        blocks: Sequence[Block | dict] | None = None,
        response_type: str | None = None,
        replace_original: bool | None = None,
        thread_ts: str | None = None,
        **extra: Any,
    ) -> None:
        message = {"text": text, "blocks": _dicts(blocks), "thread_ts": thread_ts, **extra}
        message = {k: v for k, v in message.items() if v is not None}
        if self.response_url:
            status = self._post(
                {**message, "response_type": response_type, "replace_original": replace_original}
            )
            if status == 200:
                return
            logger.warning("response_url refused the reply (HTTP %s); using the Web API", status)
        if replace_original:
            return  # an in-place update (e.g. the 👍 row) has nothing to fall back to
        self._fallback(message, public=response_type == "in_channel")

    def _post(self, message: dict) -> int | str:
        webhook = WebhookClient(
            self.response_url, timeout=RESPONSE_URL_TIMEOUT, retry_handlers=retry_handlers()
        )
        try:
            sent = webhook.send_dict({k: v for k, v in message.items() if v is not None})
            return sent.status_code
        except Exception as exc:  # noqa: BLE001 - the fallback below still delivers it
            return type(exc).__name__

    def _fallback(self, message: dict, *, public: bool) -> None:
        """Into the channel (ephemeral unless it was a public answer), else the DM."""
        attempts = []
        if self.channel and self.user:
            if public:
                attempts.append(("chat.postMessage", {**message, "channel": self.channel}))
            else:
                attempts.append(
                    ("chat.postEphemeral", {**message, "channel": self.channel, "user": self.user})
                )
        if self.user:  # the DM has no thread of the channel's
            dm = {k: v for k, v in message.items() if k != "thread_ts"}
            attempts.append(("chat.postMessage", {**dm, "channel": self.user}))
        for method, payload in attempts:
            try:
                self.client.api_call(method, json=payload)
                return
            except SlackClientError as exc:
                code = exc.response.get("error") if isinstance(exc, SlackApiError) else None
                logger.warning("%s failed (%s)", method, code or type(exc).__name__)
        logger.error("a reply could not be delivered by response_url or the Web API")
