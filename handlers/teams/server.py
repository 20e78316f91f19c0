"""The HTTP front door for Teams: a gate that refuses what is too big, unauthenticated or
malformed before the SDK (or a log line) sees it, `/healthz`, and uvicorn with limits.

The Bot Framework posts one activity per request: a few kilobytes of JSON with a bearer
token, to be answered within 15 seconds.
"""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Awaitable, Callable
from typing import Any

import uvicorn

MAX_BODY = 1024 * 1024  # bytes: refused with 413 before the body is read
HEALTH_PATH = "/healthz"
SERVER_LIMITS = {
    "limit_concurrency": 1000,  # open connections and tasks; beyond it 503, never a pile-up
    "timeout_keep_alive": 15,  # seconds an idle connection may stay open
    "h11_max_incomplete_event_size": 64 * 1024,  # request line and headers
    "backlog": 128,
}

ASGI = Callable[[dict, Callable, Callable], Awaitable[None]]


async def _respond(send: Callable, status: int, text: str) -> None:
    body = f"{text}\n".encode()
    headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"cache-control", b"no-store")]
    headers.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def gate(inner: ASGI, path: str, max_body: int = MAX_BODY) -> ASGI:
    """ASGI middleware for POSTs to `path`: 413 for a body over `max_body` (by Content-Length,
    unread; a chunked body is read no further than that), 401 without a bearer token (before
    reading the body), 400 for a body that is not a JSON object. The SDK then checks the
    token itself. GET /healthz is answered here. Nothing here logs a body or a header value."""

    async def app(scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await inner(scope, receive, send)
            return
        if scope["path"] == HEALTH_PATH and scope["method"] in ("GET", "HEAD"):
            await _respond(send, 200, "ok")
            return
        if scope["path"] != path or scope["method"] != "POST":
            await _respond(send, 404, "not found")
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        length = headers.get("content-length", "").strip()
        if length and not length.isdigit():
            await _respond(send, 400, "bad request")
            return
        if length and int(length) > max_body:
            await _respond(send, 413, "content too large")
            return
        if not headers.get("authorization", "").startswith("Bearer "):
            await _respond(send, 401, "unauthorized")
            return
        # Without a Content-Length (chunked), read at most max_body bytes and stop there.
        body = await _read(receive, int(length) if length else max_body)
        if body is None:  # more than announced, or a chunked body over the limit
            await _respond(send, *((400, "bad request") if length else (413, "too large")))
            return
        if not _json_object(body):
            await _respond(send, 400, "bad request")
            return
        await inner(scope, _replay(body), send)

    return app


async def _read(receive: Callable, length: int) -> bytes | None:
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return None
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > length:
            return None
        chunks.append(chunk)
        if not message.get("more_body"):
            return b"".join(chunks)


def _json_object(body: bytes) -> bool:
    try:
        return isinstance(json.loads(body.decode("utf-8")), dict)
    except (ValueError, UnicodeDecodeError):
        return False


def _replay(body: bytes) -> Callable:
    sent = False

    async def receive() -> dict:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    return receive


def listen(host: str, port: int) -> socket.socket:
    """A listening socket (port 0: any free port)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(SERVER_LIMITS["backlog"])
    sock.setblocking(False)
    return sock


def server_for(asgi: ASGI) -> uvicorn.Server:
    config = uvicorn.Config(
        asgi,
        log_config=None,  # the process's own logging: no access lines
        access_log=False,
        server_header=False,
        date_header=False,
        lifespan="off",
        **SERVER_LIMITS,
    )
    return uvicorn.Server(config)


async def serve(app: Any, asgi: ASGI, sock: socket.socket, server: uvicorn.Server) -> None:
    """Initialise the Teams app (JWT validation, routes), then serve on `sock` until stopped."""
    await app.initialize()
    await server.serve(sockets=[sock])


def run(app: Any, asgi: ASGI, sock: socket.socket) -> None:
    """Serve in this thread until stopped (SIGINT / SIGTERM)."""
    asyncio.run(serve(app, asgi, sock, server_for(asgi)))
