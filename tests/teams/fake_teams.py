"""A fake Microsoft cloud on 127.0.0.1: the Bot Framework's OpenID configuration and signing
keys (a locally generated RSA key), token minting for tests, and a fake Bot Connector that
records what the app sends.

Like the real connector it takes only the calls the app may make (post, update or read
activities and members of a conversation it was messaged in) and only with the bot's
outbound token; anything else is refused and remembered in `refused`, and the `teams`
fixture fails the test if there is any.
"""

from __future__ import annotations

import functools
import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import count
from typing import Any
from urllib.parse import unquote, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

APP_ID = "11111111-2222-3333-4444-555555555555"  # the bot's Entra app (client) id
TENANT_ID = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
ISSUER = "https://api.botframework.com"  # the Bot Framework's real issuer
OPENID_PATH = "/v1/.well-known/openidconfiguration"
KEYS_PATH = "/v1/.well-known/keys"


@functools.cache
def _key(role: str) -> rsa.RSAPrivateKey:
    """One RSA key per role ("signing", "outbound") per test process: making 2048-bit keys was
    most of a fake's start-up, and every test's app fetches the keys from its own fake."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64


class FakeTeams:
    """Start with `FakeTeams().start()`; `openid_url` is the OpenID configuration, `service_url`
    the connector, `token(...)` mints an inbound token."""

    def __init__(self, members: dict[str, dict[str, Any]] | None = None):
        self.key = _key("signing")
        self.kid = "local-test-key"
        self.calls: list[tuple[str, str, dict[str, Any]]] = []  # (method, path, body)
        self.refused: list[tuple[str, str, str]] = []
        self.members = members or {}  # user id -> member record (email, userPrincipalName…)
        self.key_fetches = 0
        # The bot's own token for calling the connector (Entra would issue it; here we do).
        self.outbound_token = jwt.encode(
            {
                "aud": "https://api.botframework.com",
                "appid": APP_ID,
                "exp": int(time.time()) + 7200,
            },
            _key("outbound"),
            algorithm="RS256",
        )
        self._ids = count(1)
        self._changed = threading.Condition()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output quiet
                pass

            def do_GET(self):
                path = urlsplit(self.path).path
                if path == OPENID_PATH:
                    self._json(200, fake.openid_configuration())
                elif path == KEYS_PATH:
                    with fake._changed:
                        fake.key_fetches += 1
                    self._json(200, fake.jwks())
                else:
                    self._connector("GET", path, {})

            def do_POST(self):
                self._connector("POST", urlsplit(self.path).path, self._body())

            def do_PUT(self):
                self._connector("PUT", urlsplit(self.path).path, self._body())

            def do_DELETE(self):
                self._connector("DELETE", urlsplit(self.path).path, {})

            def _body(self) -> dict[str, Any]:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                return json.loads(raw or b"{}")

            def _connector(self, method: str, path: str, body: dict[str, Any]) -> None:
                auth = self.headers.get("Authorization") or ""
                if auth != f"Bearer {fake.outbound_token}":
                    fake._refuse(method, path, "unauthorized")
                    self._json(401, {"error": {"code": "Unauthorized"}})
                    return
                status, answer = fake._answer(method, unquote(path), body)
                self._json(status, answer)

            def _json(self, status: int, data: Any) -> None:
                raw = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.service_url = f"{self.url}/teams/"
        self.openid_url = f"{self.url}{OPENID_PATH}"

    # ---- lifecycle -------------------------------------------------------------------------
    def start(self) -> FakeTeams:
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # ---- the identity side ---------------------------------------------------------------
    def openid_configuration(self) -> dict[str, Any]:
        return {
            "issuer": ISSUER,
            "authorization_endpoint": f"{self.url}/v1/.well-known/authorize",
            "jwks_uri": f"{self.url}{KEYS_PATH}",
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["private_key_jwt"],
        }

    def jwks(self) -> dict[str, Any]:
        public = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**public, "kid": self.kid, "use": "sig", "endorsements": ["msteams"]}]}

    def token(
        self,
        *,
        audience: str = APP_ID,
        issuer: str = ISSUER,
        service_url: str | None = None,
        expires_in: int = 3600,
        key: rsa.RSAPrivateKey | None = None,
        kid: str | None = None,
    ) -> str:
        """A Bot Framework token as the connector sends it (signed with our key unless `key`)."""
        now = int(time.time())
        claims = {
            "iss": issuer,
            "aud": audience,
            "serviceurl": service_url or self.service_url,
            "nbf": now - 60 if expires_in > 0 else now + expires_in - 3600,
            "iat": now - 60 if expires_in > 0 else now + expires_in - 3600,
            "exp": now + expires_in,
        }
        return jwt.encode(
            claims, key or self.key, algorithm="RS256", headers={"kid": kid or self.kid}
        )

    # ---- the connector side --------------------------------------------------------------
    def _answer(self, method: str, path: str, body: dict[str, Any]) -> tuple[int, Any]:
        parts = path.removeprefix("/teams").strip("/").split("/")
        # v3/conversations/{id}/activities[/{activity id}]
        if len(parts) >= 4 and parts[:2] == ["v3", "conversations"] and parts[3] == "activities":
            if method == "POST" and len(parts) in (4, 5):
                self._record(method, path, body)
                return 200, {"id": f"bot-activity-{next(self._ids)}"}
            if method == "PUT" and len(parts) == 5:
                self._record(method, path, body)
                return 200, {"id": parts[4]}
        # v3/conversations/{id}/members/{user id}: the asker's email, for email agency rules
        if method == "GET" and len(parts) == 5 and parts[3] == "members":
            member = self.members.get(parts[4])
            if member is not None:
                self._record(method, path, {})
                return 200, {"id": parts[4], **member}
        self._refuse(method, path, "not a call this app may make")
        return 404, {"error": {"code": "NotFound"}}

    def _record(self, method: str, path: str, body: dict[str, Any]) -> None:
        with self._changed:
            self.calls.append((method, path, body))
            self._changed.notify_all()

    def _refuse(self, method: str, path: str, why: str) -> None:
        with self._changed:
            self.refused.append((method, path, why))
            self._changed.notify_all()

    # ---- for tests -----------------------------------------------------------------------
    def sent(self) -> list[dict[str, Any]]:
        """Activities the app posted (new messages), oldest first."""
        with self._changed:
            return [b for m, p, b in self.calls if m == "POST" and "/activities" in p]

    def wait_sent(self, n: int = 1, timeout: float = 10.0) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = [b for m, p, b in self.calls if m == "POST" and "/activities" in p]
                if len(found) >= n:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"expected {n} message(s), got {len(found)}: {self.calls}")
                self._changed.wait(left)

    def paths(self) -> list[str]:
        with self._changed:
            return [p for _, p, _ in self.calls]

    def clear(self) -> None:
        with self._changed:
            self.calls.clear()


def new_id() -> str:
    return str(uuid.uuid4())
