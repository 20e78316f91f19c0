"""Request verification: Slack's signature check, hardened. A request is verified before any
listener, the error handler or a log line sees its body; a replayed request is dropped."""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from slack_bolt.middleware.request_verification import RequestVerification
from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.signature import SignatureVerifier

VERIFIED = "rhrt_verified"  # set in Bolt's context once a request has passed the check
WINDOW = 5 * 60  # seconds: Slack's replay window, as SignatureVerifier enforces it
logger = logging.getLogger("rhrt.slack")


def is_authentic(verifier: SignatureVerifier, body: str | bytes, timestamp, signature) -> bool:
    """Slack's v0 signature check that never raises: a missing, empty or non-numeric
    timestamp, or a missing signature, is simply not authentic (the SDK's `int()` would
    raise, and an exception there used to reach the error handler with the body)."""
    if not isinstance(timestamp, str) or not timestamp.isascii() or not timestamp.isdigit():
        return False
    if not isinstance(signature, str) or not signature.startswith("v0="):
        return False
    try:
        return verifier.is_valid(body, timestamp, signature)
    except Exception:  # noqa: BLE001 - anything odd in a request is a refusal, not a 500
        return False


class SeenSignatures:
    """Signatures of requests already taken on, kept as long as they could be replayed.
    A valid signature covers the timestamp and the body, so a second request with the same
    one is a replay (Slack re-signs its own retries with a new timestamp)."""

    def __init__(self, window: float = WINDOW + 60, size: int = 100_000):
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._window, self._size = window, size
        self._lock = threading.Lock()

    def claim(self, signature: str, now: float | None = None) -> bool:
        """True the first time; False for a replay."""
        now = time.monotonic() if now is None else now
        with self._lock:
            while self._seen and (
                len(self._seen) >= self._size
                or now - next(iter(self._seen.values())) > self._window
            ):
                self._seen.popitem(last=False)
            if signature in self._seen:
                return False
            self._seen[signature] = now
            return True


class StrictRequestVerification(RequestVerification):
    """Bolt's request verification, but: it cannot raise, it logs no body, it drops replays,
    and it marks the context so the error handler knows the request is genuine."""

    def __init__(self, signing_secret: str, base_logger: logging.Logger | None = None):
        super().__init__(signing_secret, base_logger=base_logger)
        self.seen = SeenSignatures()

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse:
        if self._can_skip(req.mode, req.body):  # Socket Mode: Slack's own authenticated link
            req.context[VERIFIED] = True
            return next()
        timestamp = (req.headers.get("x-slack-request-timestamp") or [None])[0]
        signature = (req.headers.get("x-slack-signature") or [None])[0]
        try:
            verifier = self.verifier
        except ValueError:  # no signing secret configured: nothing can be verified
            return self._build_error_response()
        if not is_authentic(verifier, req.raw_body, timestamp, signature):
            logger.info("refused a request with a missing, stale or invalid signature")
            return self._build_error_response()
        if not self.seen.claim(signature):
            # Answer as Slack expects, but do nothing: it was answered the first time.
            logger.info("ignored a replayed request")
            return BoltResponse(status=200, body="")
        req.context[VERIFIED] = True
        return next()
