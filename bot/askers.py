"""Who is asking: a pseudonym (never the Slack user id), their agency and sector.

The pseudonym is HMAC-SHA256(secret, workspace + user id): stable, so reports can count
distinct askers per agency, but not reversible without the key, which never enters the log.
"""

from __future__ import annotations

import getpass
import hashlib
import hmac
from dataclasses import dataclass

from .config import Config
from .logkey import load_key  # noqa: F401 - where callers have always found it

SURFACES = ("console", "slash", "dm", "mention", "home", "shortcut")


@dataclass(frozen=True)
class Asker:
    """The person behind a question, as the log may know them."""

    workspace: str
    user_id: str
    agency: str | None = None  # chosen, or guessed from email/channel rules
    agency_source: str = "unknown"  # chosen · email · channel · unknown
    role: str | None = None
    email: str | None = None
    channel: str | None = None

    @classmethod
    def console(cls, agency: str | None = None) -> Asker:
        try:
            user = getpass.getuser()
        except (KeyError, OSError):
            user = "console"
        return cls("console", user, agency, "chosen" if agency else "unknown")


def pseudonym(key: bytes, workspace: str, user_id: str) -> str:
    digest = hmac.new(key, f"{workspace}:{user_id}".encode(), hashlib.sha256).hexdigest()
    return digest[:32]


def guess_agency(config: Config, email: str | None, channel: str | None) -> tuple[str | None, str]:
    """Agency from the configured email-domain and channel rules, in that order."""
    rules = config.agency_rules or {}
    if email and "@" in email:
        domain = email.rsplit("@", 1)[1].lower()
        for suffix, agency in (rules.get("email_domains") or {}).items():
            if domain == suffix.lower() or domain.endswith("." + suffix.lower()):
                return agency, "email"
    if channel:
        agency = (rules.get("channels") or {}).get(channel)
        if agency:
            return agency, "channel"
    return None, "unknown"
