"""Build the Bolt app: one WebClient (SLACK_API_URL-aware), the services, every listener."""

from __future__ import annotations

import logging
from concurrent.futures import Executor
from typing import Any

from slack_bolt import App
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_sdk import WebClient

from . import actions, commands, errors, events, home, views
from .service import KEY, Services

DEFAULT_API_URL = "https://slack.com/api/"


def api_base_url(url: str | None) -> str:
    """The Web API base URL (SLACK_API_URL), with the trailing slash the SDK needs."""
    url = (url or DEFAULT_API_URL).strip()
    return url if url.endswith("/") else url + "/"


class _QuietTokenNotice(logging.Filter):
    """Bolt warns that SLACK_BOT_TOKEN is unused when a client is given; here the client
    carries that very token (it is how SLACK_API_URL applies), so the warning only confuses."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != warning_client_prioritized_and_token_skipped()


def register_listeners(app: App) -> None:
    """Every listener, registered in one place."""
    for module in (commands, events, actions, views, home):
        module.register(app)
    app.error(errors.handle_error)


def build_app(
    assistant: Any,
    config: Any,
    *,
    token: str,
    signing_secret: str = "",
    api_url: str | None = None,
    verify_token: bool = True,
    listener_executor: Executor | None = None,
    logger: logging.Logger | None = None,
) -> App:
    """The Slack app for one assistant. `verify_token` calls auth.test now (fail fast)."""
    client = WebClient(token=token, base_url=api_base_url(api_url))
    logger = logger or logging.getLogger("rhrt.slack.bolt")
    if not any(isinstance(f, _QuietTokenNotice) for f in logger.filters):
        logger.addFilter(_QuietTokenNotice())
    app = App(
        client=client,
        signing_secret=signing_secret,
        token_verification_enabled=verify_token,
        request_verification_enabled=True,  # HTTP: signature and 5-minute timestamp window
        url_verification_enabled=True,  # answers Slack's challenge when the URL is set up
        process_before_response=False,  # ack first; listeners work after the ack
        listener_executor=listener_executor,
        logger=logger,
        name="rhrt-bot",
    )
    services = Services(assistant, config)

    def attach_services(context, next_):
        context[KEY] = services
        next_()

    app.use(attach_services)
    register_listeners(app)
    app.rhrt_services = services  # for serve's SIGHUP reload
    return app
