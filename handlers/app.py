"""Build the Bolt app: one WebClient (SLACK_API_URL-aware), the services, every listener."""

from __future__ import annotations

import logging
from concurrent.futures import Executor, ThreadPoolExecutor
from typing import Any

from slack_bolt import App
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_sdk import WebClient

from . import actions, commands, drafts, errors, escalate, events, home, views
from .respond import retry_handlers
from .service import KEY, Services
from .verify import StrictRequestVerification

DEFAULT_API_URL = "https://slack.com/api/"
# Workers for the slow part of every request (answering, Slack Web API calls). Acks never
# wait for one (they run on the request's thread); a burst beyond this queues, and each
# worker mostly waits on Slack, so 32 idle threads cost little and absorb a slow Slack.
LISTENER_THREADS = 32


def api_base_url(url: str | None) -> str:
    """The Web API base URL (SLACK_API_URL), with the trailing slash the SDK needs."""
    url = (url or DEFAULT_API_URL).strip()
    return url if url.endswith("/") else url + "/"


class _NoRequestBodies(logging.Filter):
    """Bolt puts request bodies (questions, user ids, names) into some log lines; drop them.
    Bolt's INFO and DEBUG lines are held back by level too (see `quiet_bolt`)."""

    MARKERS = ("body:", "body)", "for the request (", "Invalid request signature")

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not any(marker in message for marker in self.MARKERS)


def quiet_bolt(logger: logging.Logger) -> None:
    """Bolt's own loggers copy this one's level and filters: WARNING and up, no bodies."""
    if logger.level < logging.WARNING:
        logger.setLevel(logging.WARNING)
    for kind in (_QuietTokenNotice, _NoRequestBodies):
        if not any(isinstance(f, kind) for f in logger.filters):
            logger.addFilter(kind())


class _QuietTokenNotice(logging.Filter):
    """Bolt warns that SLACK_BOT_TOKEN is unused when a client is given; here the client
    carries that very token (it is how SLACK_API_URL applies), so the warning only confuses."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != warning_client_prioritized_and_token_skipped()


def register_listeners(app: App) -> None:
    """Every listener, registered in one place."""
    for module in (commands, events, actions, views, home, escalate, drafts):
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
    client = WebClient(token=token, base_url=api_base_url(api_url), retry_handlers=retry_handlers())
    logger = logger or logging.getLogger("rhrt.slack.bolt")
    quiet_bolt(logger)
    app = App(
        client=client,
        signing_secret=signing_secret,
        token_verification_enabled=verify_token,
        # HTTP: signature and 5-minute window, checked before anything else reads the body
        # (Bolt's own check is replaced by a stricter one: it cannot raise or log bodies).
        request_verification_enabled=False,
        before_authorize=StrictRequestVerification(signing_secret, base_logger=logger),
        url_verification_enabled=True,  # answers Slack's challenge when the URL is set up
        # Ack functions run on the request's thread and return at once; the work is in
        # lazy listeners on the pool (`errors.deferred`), so the ack never waits for it.
        process_before_response=True,
        listener_executor=listener_executor
        or ThreadPoolExecutor(LISTENER_THREADS, thread_name_prefix="rhrt-listener"),
        # Bolt's AI-assistant wiring makes `say` in a DM thread call conversations.replies,
        # which the manifest does not ask for; listeners post with chat.postMessage.
        attaching_conversation_kwargs_enabled=False,
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
