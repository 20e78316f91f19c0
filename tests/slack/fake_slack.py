"""A fake Slack on 127.0.0.1: the Web API methods the app calls, and response_url endpoints.

Every call is recorded as (method, payload) so tests can wait for what the app sent. Like
Slack, it refuses a method the app's manifest does not grant (missing scope) or that the
app has no business calling; unlike Slack, it also remembers the refusal in `refused`, and
the `fake` fixture fails the test if there is any (a test cannot pass on such a call).
Slack being slow or busy is played with `delay`, `fail(...)` and `expire(...)`.
"""

from __future__ import annotations

import base64
import hashlib
import json
import socket
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import count
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import yaml

MANIFEST = Path(__file__).resolve().parents[2] / "manifest.yaml"
# Every Web API method the app may call, and the bot scope Slack requires for it (None: any
# valid token). apps.connections.open takes the app-level token (connections:write).
METHOD_SCOPES: dict[str, str | None] = {
    "auth.test": None,
    "apps.connections.open": None,
    "chat.postMessage": "chat:write",
    "chat.postEphemeral": "chat:write",
    "chat.update": "chat:write",  # an advisers' message once resolved (escalations)
    "views.open": None,
    "views.publish": None,
    "views.update": None,
    "conversations.open": "im:write",
    "files.getUploadURLExternal": "files:write",
    "files.completeUploadExternal": "files:write",
    "users.info": "users:read",
}


def manifest_scopes(path: Path = MANIFEST) -> set[str]:
    """The bot scopes manifest.yaml asks for (commented-out optional ones excluded)."""
    manifest = yaml.safe_load(path.read_text(encoding="utf-8"))
    return set(manifest["oauth_config"]["scopes"]["bot"])


BOT_USER_ID, BOT_ID, TEAM_ID = "UBOT", "BBOT", "T0TEST"
RECORDED = (
    "chat.postMessage",
    "chat.postEphemeral",
    "chat.update",
    "views.open",
    "views.publish",
    "views.update",
    "users.info",
    "auth.test",
    "apps.connections.open",
    "conversations.open",
    "files.getUploadURLExternal",
    "files.completeUploadExternal",
    "file_upload",  # the bytes POSTed to an upload_url (see `uploads`)
    "response_url",
)
DM_CHANNEL = "D0ADMIN"  # conversations.open's answer
WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


class _Server(ThreadingHTTPServer):
    request_queue_size = 128  # a burst of concurrent calls, as Slack would take them


class FakeSlack:
    """Start with `FakeSlack().start()`; `api_url` is SLACK_API_URL, `response_url(n)` a hook."""

    def __init__(self, emails: dict[str, str] | None = None):
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.emails = emails or {}
        self.uploads: dict[str, bytes] = {}  # file_id -> bytes POSTed to its upload_url
        self.socket_url: str | None = None  # set by FakeSocketMode
        self.scopes = manifest_scopes()
        self.refused: list[tuple[str, str]] = []  # (method, Slack's error) the app provoked
        self.delay = 0.0  # seconds before every answer: a slow Slack
        self._faults: dict[str, list[tuple[int, dict[str, Any] | None, dict[str, str]]]] = {}
        self._expired: set[str] = set()
        self._changed = threading.Condition()
        self._ts = count(1)
        self._file_ids = count(1)
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output quiet
                pass

            def do_GET(self):
                self._handle(dict(parse_qsl(urlsplit(self.path).query)))

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                data = self.rfile.read(length)
                path = urlsplit(self.path).path
                if path.startswith("/upload/"):  # files upload v2, step 2: the raw bytes
                    file_id = path.rsplit("/", 1)[1]
                    fake.uploads[file_id] = data
                    fake._record("file_upload", {"file_id": file_id, "size": len(data)})
                    self._send(200, b"OK - " + str(len(data)).encode(), "text/plain")
                    return
                raw = data.decode("utf-8")
                if "json" in (self.headers.get("Content-Type") or ""):
                    payload = json.loads(raw or "{}")
                else:
                    payload = dict(parse_qsl(raw))
                # The SDK sends some methods' arguments as a query string (files.*, conversations.*)
                payload = {**dict(parse_qsl(urlsplit(self.path).query)), **payload}
                self._handle(payload)

            def _handle(self, payload: dict[str, Any]):
                if fake.delay:
                    time.sleep(fake.delay)
                path = urlsplit(self.path).path
                if path.startswith("/response/"):
                    hook = path.rsplit("/", 1)[1]
                    fault = fake._fault("response_url")
                    if hook in fake._expired:
                        fake._record("response_url_refused", {**payload, "_hook": hook})
                        self._send(404, b"expired_url", "text/plain")
                    elif fault:
                        fake._record("response_url_refused", {**payload, "_hook": hook})
                        self._send(fault[0], b"busy", "text/plain", fault[2])
                    else:
                        payload["_hook"] = hook
                        fake._record("response_url", payload)
                        self._send(200, b"ok", "text/plain")
                    return
                method = path.removeprefix("/api/")
                fault = fake._fault(method)
                if fault:
                    status, body, headers = fault
                    fake._record(f"{method}_refused", payload)
                    data = json.dumps(body).encode() if body else b""
                    self._send(status, data, "application/json", headers)
                    return
                if "xoxb-revoked" in (self.headers.get("Authorization") or ""):
                    body = {"ok": False, "error": "invalid_auth"}
                else:
                    body = fake._answer(method, payload)
                self._send(200, json.dumps(body).encode(), "application/json")

            def _send(self, status: int, data: bytes, kind: str, headers: dict | None = None):
                self.send_response(status)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.api_url = f"{self.url}/api/"

    # ---- lifecycle ---------------------------------------------------------------------
    def start(self) -> FakeSlack:
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def response_url(self, name: str = "1") -> str:
        return f"{self.url}/response/{name}"

    def expire(self, hook: str) -> None:
        """That response_url answers 404 expired_url, as Slack's do after 30 minutes."""
        self._expired.add(hook)

    def fail(
        self,
        method: str,
        status: int,
        *,
        times: int = 1,
        error: str | None = None,
        retry_after: int | None = None,
    ) -> None:
        """The next `times` calls of `method` (or "response_url") get `status` (with
        Slack's error code `error`, and a Retry-After header for a 429) instead of an answer.
        Each refused call is recorded as "<method>_refused"."""
        body = {"ok": False, "error": error} if error else None
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
        with self._changed:
            self._faults.setdefault(method, []).extend([(status, body, headers)] * times)

    def _fault(self, method: str) -> tuple[int, dict[str, Any] | None, dict[str, str]] | None:
        with self._changed:
            queue = self._faults.get(method)
            return queue.pop(0) if queue else None

    # ---- the fake API ----------------------------------------------------------------------
    def _answer(self, method: str, payload: dict[str, Any]) -> dict[str, Any]:
        if method not in METHOD_SCOPES:
            return self._refuse(method, "unknown_method")
        needed = METHOD_SCOPES[method]
        if needed is not None and needed not in self.scopes:
            return self._refuse(method, "missing_scope")
        if method in RECORDED:
            self._record(method, payload)
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://test.slack.invalid/",
                "team": "Test",
                "user": "rhrt-bot",
                "team_id": TEAM_ID,
                "user_id": BOT_USER_ID,
                "bot_id": BOT_ID,
                "is_enterprise_install": False,
            }
        if method == "chat.update":
            return {"ok": True, "channel": payload.get("channel"), "ts": payload.get("ts")}
        if method in ("chat.postMessage", "chat.postEphemeral"):
            ts = f"{int(time.time())}.{next(self._ts):06d}"
            return {
                "ok": True,
                "channel": payload.get("channel"),
                "ts": ts,
                "message_ts": ts,
                "message": {"text": payload.get("text"), "ts": ts},
            }
        if method in ("views.open", "views.publish", "views.update"):
            view = payload.get("view")
            view = json.loads(view) if isinstance(view, str) else view
            return {"ok": True, "view": {**(view or {}), "id": "V0TEST", "hash": "h"}}
        if method == "apps.connections.open" and self.socket_url:
            return {"ok": True, "url": self.socket_url}
        if method == "users.info":
            user = payload.get("user")
            profile = {"email": self.emails[user]} if user in self.emails else {}
            return {"ok": True, "user": {"id": user, "profile": profile}}
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": DM_CHANNEL}}
        if method == "files.getUploadURLExternal":
            file_id = f"F0{next(self._file_ids):04d}"
            return {"ok": True, "upload_url": f"{self.url}/upload/{file_id}", "file_id": file_id}
        if method == "files.completeUploadExternal":
            files = payload.get("files") or []  # parsed from JSON by _record
            return {"ok": True, "files": [{"id": f["id"], "title": f.get("title")} for f in files]}
        return self._refuse(method, "unknown_method")

    def _refuse(self, method: str, error: str) -> dict[str, Any]:
        with self._changed:
            self.refused.append((method, error))
            self._changed.notify_all()
        return {"ok": False, "error": error}

    def _record(self, method: str, payload: dict[str, Any]) -> None:
        for key in ("blocks", "view", "files"):
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
                    raise AssertionError(
                        f"expected {n} {method} call(s), got {len(found)}; calls seen: {seen}"
                    )
                self._changed.wait(left)

    def clear(self) -> None:
        with self._changed:
            self.calls.clear()


class FakeSocketMode:
    """Slack's Socket Mode end: a minimal WebSocket server (RFC 6455) on 127.0.0.1 that says
    hello, pushes envelopes as Slack does, answers pings and records what the app sends."""

    def __init__(self, fake: FakeSlack):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"ws://127.0.0.1:{self.listener.getsockname()[1]}/link"
        fake.socket_url = self.url
        self.received: list[dict[str, Any]] = []
        self.connections = 0  # how many times the app has connected
        self._conn: socket.socket | None = None
        self._changed = threading.Condition()
        self._send_lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        request = b""
        while b"\r\n\r\n" not in request:
            chunk = conn.recv(4096)
            if not chunk:
                return
            request += chunk
        key = next(
            line.split(":", 1)[1].strip()
            for line in request.decode().split("\r\n")
            if line.lower().startswith("sec-websocket-key:")
        )
        accept = base64.b64encode(hashlib.sha1((key + WS_GUID).encode()).digest()).decode()
        conn.sendall(
            (
                "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                "Connection: Upgrade\r\nSec-WebSocket-Accept: " + accept + "\r\n\r\n"
            ).encode()
        )
        with self._changed:
            self._conn = conn
            self.connections += 1
            self._changed.notify_all()
        try:
            self._frame(conn, 0x1, json.dumps({"type": "hello", "num_connections": 1}).encode())
            self._read(conn)
        except OSError:
            pass  # dropped or stopped by the test meanwhile

    def _read(self, conn: socket.socket) -> None:
        reader = conn.makefile("rb")
        while True:
            head = reader.read(2)
            if len(head) < 2:
                return
            opcode, length = head[0] & 0x0F, head[1] & 0x7F
            if length == 126:
                length = struct.unpack("!H", reader.read(2))[0]
            elif length == 127:
                length = struct.unpack("!Q", reader.read(8))[0]
            mask = reader.read(4) if head[1] & 0x80 else b"\0\0\0\0"
            data = bytes(b ^ mask[i % 4] for i, b in enumerate(reader.read(length)))
            if opcode == 0x8:  # close
                return
            if opcode == 0x9:  # ping -> pong
                self._frame(conn, 0xA, data)
            elif opcode == 0x1:
                with self._changed:
                    self.received.append(json.loads(data))
                    self._changed.notify_all()

    def _frame(self, conn: socket.socket, opcode: int, data: bytes) -> None:
        size = len(data)
        if size < 126:
            header = struct.pack("!BB", 0x80 | opcode, size)
        elif size < 65536:
            header = struct.pack("!BBH", 0x80 | opcode, 126, size)
        else:
            header = struct.pack("!BBQ", 0x80 | opcode, 127, size)
        with self._send_lock:
            conn.sendall(header + data)

    def drop(self) -> None:
        """Cut the connection without a goodbye, as a network failure would."""
        with self._changed:
            conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            conn.close()

    def gone(self) -> None:
        """Slack unreachable for good: stop listening (waking the accept), then cut the
        connection, so every reconnection attempt fails."""
        try:
            self.listener.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.listener.close()
        self.drop()

    def wait_connections(self, n: int, timeout: float = 60.0) -> None:
        with self._changed:
            if not self._changed.wait_for(lambda: self.connections >= n and self._conn, timeout):
                raise AssertionError(f"the app did not reconnect ({self.connections} connections)")

    def wait_connected(self, timeout: float = 20.0) -> None:
        with self._changed:
            if not self._changed.wait_for(lambda: self._conn is not None, timeout):
                raise AssertionError("the app never opened a Socket Mode connection")

    def send(self, envelope: dict[str, Any]) -> None:
        """Deliver an envelope to the app, as Slack does over the socket."""
        assert self._conn is not None
        self._frame(self._conn, 0x1, json.dumps(envelope).encode())

    def wait_ack(self, envelope_id: str, timeout: float = 10.0) -> dict[str, Any]:
        def found():
            return next((m for m in self.received if m.get("envelope_id") == envelope_id), None)

        with self._changed:
            if not self._changed.wait_for(found, timeout):
                raise AssertionError(f"no ack for envelope {envelope_id}")
            return found()

    def stop(self) -> None:
        self.listener.close()
        if self._conn is not None:
            self._conn.close()
