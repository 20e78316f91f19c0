"""A fake Slack on 127.0.0.1: the Web API methods the app calls, and response_url endpoints.

Every call is recorded as (method, payload) so tests can wait for what the app sent.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import count
from typing import Any
from urllib.parse import parse_qsl, urlsplit

BOT_USER_ID, BOT_ID, TEAM_ID = "UBOT", "BBOT", "T0TEST"
RECORDED = ("chat.postMessage", "chat.postEphemeral", "views.open", "views.publish",
            "views.update", "users.info", "auth.test", "response_url")


class FakeSlack:
    """Start with `FakeSlack().start()`; `api_url` is SLACK_API_URL, `response_url(n)` a hook."""

    def __init__(self, emails: dict[str, str] | None = None):
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.emails = emails or {}
        self._changed = threading.Condition()
        self._ts = count(1)
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output quiet
                pass

            def do_GET(self):
                self._handle(dict(parse_qsl(urlsplit(self.path).query)))

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8")
                if "json" in (self.headers.get("Content-Type") or ""):
                    payload = json.loads(raw or "{}")
                else:
                    payload = dict(parse_qsl(raw))
                self._handle(payload)

            def _handle(self, payload: dict[str, Any]):
                path = urlsplit(self.path).path
                if path.startswith("/response/"):
                    payload["_hook"] = path.rsplit("/", 1)[1]
                    fake._record("response_url", payload)
                    self._send(200, b"ok", "text/plain")
                    return
                method = path.removeprefix("/api/")
                body = fake._answer(method, payload)
                self._send(200, json.dumps(body).encode(), "application/json")

            def _send(self, status: int, data: bytes, kind: str):
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.api_url = f"{self.url}/api/"

    # ---- lifecycle ---------------------------------------------------------------------
    def start(self) -> FakeSlack:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def response_url(self, name: str = "1") -> str:
        return f"{self.url}/response/{name}"

    # ---- the fake API ----------------------------------------------------------------------
    def _answer(self, method: str, payload: dict[str, Any]) -> dict[str, Any]:
        if method in RECORDED:
            self._record(method, payload)
        if method == "auth.test":
            return {"ok": True, "url": "https://test.slack.invalid/", "team": "Test",
                    "user": "rhrt-bot", "team_id": TEAM_ID, "user_id": BOT_USER_ID,
                    "bot_id": BOT_ID, "is_enterprise_install": False}
        if method in ("chat.postMessage", "chat.postEphemeral"):
            ts = f"{int(time.time())}.{next(self._ts):06d}"
            return {"ok": True, "channel": payload.get("channel"), "ts": ts,
                    "message_ts": ts, "message": {"text": payload.get("text"), "ts": ts}}
        if method in ("views.open", "views.publish", "views.update"):
            view = payload.get("view")
            view = json.loads(view) if isinstance(view, str) else view
            return {"ok": True, "view": {**(view or {}), "id": "V0TEST", "hash": "h"}}
        if method == "users.info":
            user = payload.get("user")
            profile = {"email": self.emails[user]} if user in self.emails else {}
            return {"ok": True, "user": {"id": user, "profile": profile}}
        return {"ok": False, "error": "unknown_method"}

    def _record(self, method: str, payload: dict[str, Any]) -> None:
        for key in ("blocks", "view"):
            if isinstance(payload.get(key), str):
                payload[key] = json.loads(payload[key])
        with self._changed:
            self.calls.append((method, payload))
            self._changed.notify_all()

    # ---- for tests -----------------------------------------------------------------------
    def of(self, method: str) -> list[dict[str, Any]]:
        with self._changed:
            return [p for m, p in self.calls if m == method]

    def wait_for(self, method: str, n: int = 1, timeout: float = 10.0) -> list[dict[str, Any]]:
        """The first `n` recorded calls of `method`, waiting up to `timeout` seconds."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = [p for m, p in self.calls if m == method]
                if len(found) >= n:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = sorted({m for m, _ in self.calls})
                    raise AssertionError(f"expected {n} {method} call(s), got {len(found)}; "
                                         f"calls seen: {seen}")
                self._changed.wait(left)

    def clear(self) -> None:
        with self._changed:
            self.calls.clear()
