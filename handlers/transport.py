"""The HTTP front door for `serve --http`: limits chosen for Slack's traffic, and a WSGI gate
that refuses what is too big, unsigned or malformed before Bolt (or a log line) sees it.

Slack's requests are small (a slash command or a click is a few kilobytes; the largest,
a modal submission, tens of kilobytes), sent in one go, and must be answered in 3 seconds.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable, Iterable
from urllib.parse import parse_qs

from slack_sdk.signature import SignatureVerifier

from .verify import is_authentic

logger = logging.getLogger("rhrt.slack")

MAX_BODY = 1024 * 1024  # bytes: refused with 413 before the body is read
# waitress settings (docs/slack.md explains each one).
SERVER_LIMITS = {
    "max_request_body_size": MAX_BODY,  # waitress refuses a larger Content-Length up front
    "max_request_header_size": 64 * 1024,  # Slack's headers are well under 2 KB
    # Slack and a health checker need a handful of connections; a burst of half-sent ones
    # must not lock them out (waitress's default is 100). Each costs one file descriptor.
    "connection_limit": 1000,
    "channel_timeout": 15,  # seconds a connection may sit idle or half-sent
    "cleanup_interval": 5,  # seconds between sweeps for such connections
    "asyncore_use_poll": True,  # select() cannot watch descriptors above 1023
}
FORMS = "application/x-www-form-urlencoded"


def _refuse(start_response: Callable, status: str) -> Iterable[bytes]:
    body = status.encode() + b"\n"
    start_response(
        status,
        [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))],
    )
    return [body]


def well_formed(body: bytes, content_type: str) -> bool:
    """Is this a body Slack could have sent: JSON (events), or a form (commands), whose
    `payload` field, if any, is a JSON object (interactivity)?"""
    try:
        text = body.decode("utf-8")
        if content_type == "application/json":
            return isinstance(json.loads(text), dict)
        if content_type != FORMS:
            return False
        form = parse_qs(text, strict_parsing=bool(text), max_num_fields=200)
        if "payload" in form:
            return isinstance(json.loads(form["payload"][0]), dict)
        return True
    except (ValueError, UnicodeDecodeError):
        return False


def gate(slack: Callable, signing_secret: str, path: str, max_body: int = MAX_BODY) -> Callable:
    """WSGI middleware in front of Bolt's adapter for POSTs to `path`: 413 for a body over
    `max_body` (by Content-Length, unread), 401 unless Slack's signature is valid, 400 for a
    signed body that is not what Slack sends. Nothing here logs a body or a header value."""
    verifier = SignatureVerifier(signing_secret) if signing_secret else None

    def application(environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("PATH_INFO") != path or environ.get("REQUEST_METHOD") != "POST":
            return slack(environ, start_response)
        raw_length = (environ.get("CONTENT_LENGTH") or "0").strip()
        if not raw_length.isdigit():
            return _refuse(start_response, "400 Bad Request")
        length = int(raw_length)
        if length > max_body:
            return _refuse(start_response, "413 Content Too Large")
        body = environ["wsgi.input"].read(length) if length else b""
        timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP")
        signature = environ.get("HTTP_X_SLACK_SIGNATURE")
        if verifier is None or not is_authentic(verifier, body, timestamp, signature):
            return _refuse(start_response, "401 Unauthorized")
        content_type = (environ.get("CONTENT_TYPE") or "").split(";")[0].strip().lower()
        if not well_formed(body, content_type):
            logger.info("refused a signed request with a malformed body")
            return _refuse(start_response, "400 Bad Request")
        # Bolt reads the body again (and checks the signature again: cheap, and the same).
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        return slack(environ, start_response)

    return application
