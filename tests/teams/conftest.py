"""Drive the real Teams app (Teams SDK for Python, served by uvicorn on 127.0.0.1) over HTTP
with activities carrying Bot Framework tokens signed by a locally generated key, which the app
fetches from a local OpenID configuration; replies go to a fake connector on 127.0.0.1. The
query log is a real SQLite file in tmp_path."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from dataclasses import dataclass, replace
from itertools import count
from typing import Any

import httpx
import pytest
import sqlite_utils

from bot.assistant import Assistant
from bot.config import load_config
from bot.querylog import QueryLog
from handlers.service import Services
from handlers.teams import server as teams_server
from handlers.teams.app import MESSAGES_PATH, build_teams_app, cloud_for
from tests.conftest import MINI, ROOT

from .fake_teams import APP_ID, TENANT_ID, FakeTeams

USER = "0a0a0a0a-1111-2222-3333-444444444444"  # Alice's Entra object id
BOB = "0b0b0b0b-1111-2222-3333-444444444444"
BOT_NAME = "rhrt-bot"
CHANNEL = "19:general@thread.tacv2"
_IDS = count(1)


def new_id(prefix: str = "act") -> str:
    return f"{prefix}-{next(_IDS)}"


def _account(user: str) -> dict[str, Any]:
    return {"id": f"29:{user}", "aadObjectId": user, "name": "Alice Example"}


def activity(
    kind: str = "personal",
    *,
    user: str = USER,
    tenant: str = TENANT_ID,
    service_url: str,
    **fields: Any,
) -> dict[str, Any]:
    """An activity as the Bot Connector posts it, in a personal chat, a channel or a group."""
    if kind == "personal":
        conversation = {"id": f"a:personal-{user}", "conversationType": "personal"}
        channel_data: dict[str, Any] = {"tenant": {"id": tenant}}
    elif kind == "channel":
        root = fields.pop("thread_root", "1700000000001")
        conversation = {"id": f"{CHANNEL};messageid={root}", "conversationType": "channel"}
        conversation["isGroup"] = True
        channel_data = {"tenant": {"id": tenant}, "channel": {"id": CHANNEL}}
        channel_data["team"] = {"id": "19:team@thread.tacv2"}
    else:
        conversation = {"id": "19:groupchat@thread.v2", "conversationType": "groupChat"}
        conversation["isGroup"] = True
        channel_data = {"tenant": {"id": tenant}}
    return {
        "id": new_id(),
        "channelId": "msteams",
        "serviceUrl": service_url,
        "timestamp": "2026-12-01T10:00:00.000Z",
        "from": _account(user),
        "recipient": {"id": f"28:{APP_ID}", "name": BOT_NAME},
        "conversation": {**conversation, "tenantId": tenant},
        "channelData": channel_data,
        **fields,
    }


def card_of(sent: dict[str, Any]) -> dict[str, Any]:
    """The Adaptive Card a sent activity carries."""
    [attachment] = sent["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    return attachment["content"]


def texts(card: Any) -> str:
    """Every piece of literal text in a card (for assertions)."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") in ("TextRun", "TextBlock"):
                found.append(node.get("text", ""))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(card)
    return "\n".join(found)


def actions_of(card: Any) -> list[dict[str, Any]]:
    """Every action anywhere in a card (buttons, inline forms' buttons)."""
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if str(node.get("type", "")).startswith("Action."):
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(card)
    return found


@dataclass
class TeamsHarness:
    """The served app and its fake Microsoft cloud: post signed activities, read replies."""

    fake: FakeTeams
    url: str
    log: QueryLog | None
    db_path: Any
    assistant: Assistant
    config: Any
    services: Services

    def post(
        self, body: dict[str, Any], token: str | None = "good", **headers: str
    ) -> httpx.Response:
        if token == "good":
            token = self.fake.token()
        sent = {"Authorization": f"Bearer {token}"} if token else {}
        # The SDK answers the POST once the handler is done (a report takes seconds): httpx's
        # default 5-second timeout failed tests on a busy machine. Not a timing check.
        return httpx.post(
            f"{self.url}{MESSAGES_PATH}", json=body, headers={**sent, **headers}, timeout=60
        )

    def activity(self, kind: str = "personal", **fields: Any) -> dict[str, Any]:
        return activity(kind, service_url=self.fake.service_url, **fields)

    def message(self, text: str, kind: str = "personal", **fields: Any) -> httpx.Response:
        if kind != "personal" and fields.pop("mention", True):
            text = f"<at>{BOT_NAME}</at> {text}"
            mentioned = {"id": f"28:{APP_ID}", "name": BOT_NAME}
            fields["entities"] = [
                {"type": "mention", "text": f"<at>{BOT_NAME}</at>", "mentioned": mentioned}
            ]
        return self.post(self.activity(kind, type="message", text=text, **fields))

    def ask(self, text: str, kind: str = "personal", **fields: Any) -> dict[str, Any]:
        """Send a message and return the card of the reply it caused."""
        before = len(self.fake.sent())
        response = self.message(text, kind, **fields)
        assert response.status_code == 200, response.text
        return card_of(self.fake.wait_sent(before + 1)[before])

    def click(self, verb: str, data: dict[str, Any], kind: str = "personal", **fields: Any):
        value = {"action": {"type": "Action.Execute", "verb": verb, "data": data}}
        value["trigger"] = "manual"
        body = self.activity(kind, type="invoke", name="adaptiveCard/action", value=value, **fields)
        return self.post(body)

    def dialog(self, name: str, data: dict[str, Any], kind: str = "personal", **fields: Any):
        value = {"data": data, "context": {"theme": "default"}}
        return self.post(self.activity(kind, type="invoke", name=name, value=value, **fields))

    def rows(self, table: str = "queries") -> list[dict[str, Any]]:
        if self.log is not None:
            self.log.flush()
        return list(sqlite_utils.Database(self.db_path)[table].rows)


class _Served:
    """The ASGI app on a free port on 127.0.0.1, in a thread with its own event loop."""

    def __init__(self, app: Any, asgi: Any):
        self.sock = teams_server.listen("127.0.0.1", 0)
        self.port = self.sock.getsockname()[1]
        self.server = teams_server.server_for(asgi)
        self.thread = threading.Thread(
            target=lambda: asyncio.run(teams_server.serve(app, asgi, self.sock, self.server)),
            daemon=True,
        )
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the Teams app did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture
def fake():
    server = FakeTeams().start()
    yield server
    server.stop()
    # The connector would have refused these: the app must not depend on them.
    assert server.refused == [], f"the app made calls the connector would refuse: {server.refused}"


@pytest.fixture
def make_teams(tmp_path, fake, mini):
    """Build and serve the app: `make_teams(admins=(USER,), log=False, pack=…)`."""
    built: list[tuple[_Served, QueryLog | None]] = []

    def build(*, log: bool = True, pack: Any = None, **overrides: Any) -> TeamsHarness:
        config = load_config(ROOT / "config.yaml", pack_dir=str(MINI))
        config = replace(config, db_path=tmp_path / "rhrt.db", **overrides)
        query_log = QueryLog(config.db_path, b"test-key", config) if log else None
        assistant = Assistant(pack or mini.pack, config, log=query_log)
        services = Services(assistant, config)
        app, asgi, _ = build_teams_app(
            services,
            client_id=APP_ID,
            tenant_id=TENANT_ID,
            token=lambda scope, tenant_id=None: fake.outbound_token,
            cloud=cloud_for(fake.openid_url),
        )
        served = _Served(app, teams_server.gate(asgi, MESSAGES_PATH))
        built.append((served, query_log))
        url = f"http://127.0.0.1:{served.port}"
        return TeamsHarness(fake, url, query_log, config.db_path, assistant, config, services)

    yield build
    for served, query_log in built:
        served.stop()
        if query_log is not None:
            query_log.close()


@pytest.fixture
def teams(make_teams) -> TeamsHarness:
    return make_teams()


def dumps(card: Any) -> str:
    return json.dumps(card, ensure_ascii=False)
