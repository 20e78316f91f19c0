"""Drive the real Bolt app with requests signed exactly as Slack signs them, against a fake
Slack Web API on 127.0.0.1, with the query log in a real SQLite file in tmp_path."""

from __future__ import annotations

import json
import time
from concurrent.futures import Executor, Future
from dataclasses import dataclass, replace
from itertools import count
from typing import Any
from urllib.parse import urlencode

import pytest
import sqlite_utils
from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.signature import SignatureVerifier

from bot.assistant import Assistant
from bot.config import load_config
from bot.querylog import QueryLog
from handlers.app import build_app
from tests.conftest import MINI, ROOT

from .fake_slack import TEAM_ID, FakeSlack

SECRET = "test-signing-secret"
TOKEN = "xoxb-test-token"
USER = "U0ALICE"
_TRIGGERS = count(1)


def trigger(kind: int) -> str:
    """A fresh trigger id, as Slack gives every command, click and submission its own (so
    two requests are never byte-identical, which the app would refuse as a replay)."""
    return f"trigger-{kind}.{next(_TRIGGERS)}"


def signed_headers(
    body: str,
    *,
    secret: str = SECRET,
    timestamp: int | None = None,
    content_type: str = "application/x-www-form-urlencoded",
) -> dict[str, str]:
    """Headers exactly as Slack sends them: v0=HMAC-SHA256(secret, "v0:{ts}:{body}")."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    return {
        "content-type": content_type,
        "x-slack-request-timestamp": ts,
        "x-slack-signature": signature,
    }


class InlineExecutor(Executor):
    """Runs each listener to completion inside dispatch (deterministic tests). The listener
    still acks first, exactly as in production; only the thread it runs on differs."""

    def submit(self, fn, /, *args, **kwargs):
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - hand it to the future like a pool does
            future.set_exception(exc)
        return future


# ---- payloads as Slack sends them ------------------------------------------------------------
def command_body(
    text: str,
    *,
    user: str = USER,
    channel: str = "C0GENERAL",
    response_url: str = "",
    trigger_id: str | None = None,
) -> str:
    return urlencode(
        {
            "token": "legacy",
            "team_id": TEAM_ID,
            "team_domain": "test",
            "channel_id": channel,
            "channel_name": "general",
            "user_id": user,
            "user_name": "alice",
            "command": "/rhrt",
            "text": text,
            "api_app_id": "A0RHRT",
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": trigger_id or trigger(1),
        }
    )


def event_body(event: dict[str, Any], event_id: str = "Ev001") -> str:
    return json.dumps(
        {
            "token": "legacy",
            "team_id": TEAM_ID,
            "api_app_id": "A0RHRT",
            "event": event,
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
            "authorizations": [{"team_id": TEAM_ID, "user_id": "UBOT", "is_bot": True}],
        }
    )


def dm_event(
    text: str, *, user: str = USER, ts: str = "1700000000.000100", **extra: Any
) -> dict[str, Any]:
    return {
        "type": "message",
        "channel": "D0ALICE",
        "user": user,
        "text": text,
        "ts": ts,
        "event_ts": ts,
        "channel_type": "im",
        **extra,
    }


def mention_event(
    text: str, *, user: str = USER, ts: str = "1700000000.000200", **extra: Any
) -> dict[str, Any]:
    return {
        "type": "app_mention",
        "channel": "C0GENERAL",
        "user": user,
        "text": text,
        "ts": ts,
        "event_ts": ts,
        **extra,
    }


def interactive_body(payload: dict[str, Any]) -> str:
    return urlencode({"payload": json.dumps(payload)})


def action_payload(
    action_id: str,
    value: str | None = None,
    *,
    user: str = USER,
    container: dict | None = None,
    message: dict | None = None,
    response_url: str = "",
    selected: str | None = None,
    block_id: str = "b",
) -> dict[str, Any]:
    action: dict[str, Any] = {
        "action_id": action_id,
        "block_id": block_id,
        "action_ts": "1700000001.1",
    }
    if selected is not None:
        action.update(
            type="static_select",
            selected_option={"value": selected, "text": {"type": "plain_text", "text": selected}},
        )
    else:
        action.update(type="button", value=value, text={"type": "plain_text", "text": "x"})
    container = container or {
        "type": "message",
        "message_ts": "1700000000.1",
        "channel_id": "C0GENERAL",
        "is_ephemeral": True,
    }
    body: dict[str, Any] = {
        "type": "block_actions",
        "team": {"id": TEAM_ID, "domain": "test"},
        "user": {"id": user, "team_id": TEAM_ID},
        "api_app_id": "A0RHRT",
        "token": "legacy",
        "container": container,
        "trigger_id": trigger(2),
        "actions": [action],
    }
    if container.get("type") == "message":
        body["channel"] = {"id": container["channel_id"]}
    if container.get("type") == "view":
        body["view"] = {"id": container.get("view_id", "V0HOME"), "type": "home"}
    if message is not None:
        body["message"] = message
    if response_url:
        body["response_url"] = response_url
    return body


def view_payload(
    view: dict[str, Any],
    values: dict[str, dict[str, Any]],
    *,
    user: str = USER,
    kind: str = "view_submission",
) -> dict[str, Any]:
    """A submission (or close) of a modal the app opened, with the person's input."""
    return {
        "type": kind,
        "team": {"id": TEAM_ID, "domain": "test"},
        "user": {"id": user, "team_id": TEAM_ID},
        "api_app_id": "A0RHRT",
        "token": "legacy",
        "trigger_id": trigger(3),
        "view": {**view, "id": "V0MODAL", "team_id": TEAM_ID, "state": {"values": values}},
    }


def texts(blocks: list[dict[str, Any]]) -> str:
    """All text in a list of blocks (for assertions)."""
    return json.dumps(blocks, ensure_ascii=False)


@dataclass
class SlackHarness:
    """The real app with its fake Slack: send signed requests, read what Slack received."""

    app: Any
    fake: FakeSlack
    log: QueryLog | None
    db_path: Any
    assistant: Assistant
    config: Any

    def dispatch(self, body: str, headers: dict[str, str] | None = None) -> BoltResponse:
        return self.app.dispatch(BoltRequest(body=body, headers=headers or signed_headers(body)))

    def command(self, text: str, *, hook: str = "cmd", **kw: Any) -> BoltResponse:
        body = command_body(text, response_url=self.fake.response_url(hook), **kw)
        return self.dispatch(body)

    def event(
        self, event: dict[str, Any], event_id: str = "Ev001", retry: int | None = None
    ) -> BoltResponse:
        body = event_body(event, event_id)
        headers = signed_headers(body, content_type="application/json")
        if retry:
            headers.update(
                {"x-slack-retry-num": str(retry), "x-slack-retry-reason": "http_timeout"}
            )
        return self.dispatch(body, headers)

    def action(
        self, action_id: str, value: str | None = None, *, hook: str = "act", **kw: Any
    ) -> BoltResponse:
        kw.setdefault("response_url", self.fake.response_url(hook))
        return self.dispatch(interactive_body(action_payload(action_id, value, **kw)))

    def submit(
        self,
        view: dict[str, Any],
        values: dict[str, dict[str, Any]],
        kind: str = "view_submission",
        **kw: Any,
    ) -> BoltResponse:
        return self.dispatch(interactive_body(view_payload(view, values, kind=kind, **kw)))

    def rows(self, table: str = "queries") -> list[dict[str, Any]]:
        if self.log is not None:
            self.log.flush()
        return list(sqlite_utils.Database(self.db_path)[table].rows)


@pytest.fixture
def fake():
    server = FakeSlack().start()
    yield server
    server.stop()
    # Slack would have refused these: the app must not depend on them.
    assert server.refused == [], f"the app called methods Slack would refuse: {server.refused}"


@pytest.fixture
def make_slack(tmp_path, fake, mini):
    """Build the app: `make_slack(rate_limit_per_minute=2, admins=("U0ADMIN",), log=False)`;
    `pack=` serves another loaded pack (e.g. a shipped one) instead of the mini test pack."""
    logs: list[QueryLog] = []

    def build(
        *,
        log: bool = True,
        executor: Executor | None = None,
        db_name: str = "rhrt.db",
        pack: Any = None,
        **overrides: Any,
    ) -> SlackHarness:
        config = load_config(ROOT / "config.yaml", pack_dir=str(MINI))
        config = replace(config, db_path=tmp_path / db_name, **overrides)
        query_log = QueryLog(config.db_path, b"test-key", config) if log else None
        if query_log is not None:
            logs.append(query_log)
        assistant = Assistant(pack or mini.pack, config, log=query_log)
        app = build_app(
            assistant,
            config,
            token=TOKEN,
            signing_secret=SECRET,
            api_url=fake.api_url,
            listener_executor=executor or InlineExecutor(),
        )
        return SlackHarness(app, fake, query_log, config.db_path, assistant, config)

    yield build
    for query_log in logs:
        query_log.close()


@pytest.fixture
def slack(make_slack) -> SlackHarness:
    return make_slack()


@pytest.fixture
def undecided_pack(undecided_pack_dir):
    """The Coventry pack with a model on the level 3 / level 4 line (tests/conftest.py)."""
    from bot.loader import load_pack

    return load_pack(undecided_pack_dir)


@pytest.fixture
def guided_slack(make_slack, undecided_pack) -> SlackHarness:
    """The app serving a pack whose triage answers always offer the guided questions."""
    return make_slack(pack=undecided_pack, rate_limit_per_minute=0)
