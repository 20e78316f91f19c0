"""Who is asking: a pseudonym (never the platform's user id), their agency and sector.

The pseudonym is HMAC-SHA256(secret, workspace + user id) — a Slack workspace and member id,
or a Microsoft 365 tenant id and Entra user object id: stable, so reports can count distinct
askers per agency, but not reversible without the key, which never enters the log.
"""

from __future__ import annotations

import getpass
import hashlib
import hmac
from dataclasses import dataclass

from .config import Config
from .logkey import load_key  # noqa: F401 - where callers have always found it

SURFACES = (
    "console",
    "slash",
    "dm",
    "mention",
    "home",
    "shortcut",
    "teams_chat",
    "teams_channel",
    "teams_dialog",
)


@dataclass(frozen=True)
class Asker:
    """The person behind a question, as the log may know them."""

    workspace: str  # Slack workspace id, or Microsoft 365 tenant id
    user_id: str  # Slack member id, or Entra user object id
    agency: str | None = None  # chosen, or guessed from email/channel/tenant rules
    agency_source: str = "unknown"  # chosen · email · channel · tenant · unknown
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


def guess_agency(
    config: Config, email: str | None, channel: str | None, tenant: str | None = None
) -> tuple[str | None, str]:
    """Agency from the configured email-domain, channel and tenant rules, in that order (the
    most specific first: one organisation's guests can share a tenant with others)."""
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
    if tenant:
        tenants = {str(k).lower(): v for k, v in (rules.get("tenants") or {}).items()}
        agency = tenants.get(tenant.lower())
        if agency:
            return agency, "tenant"
    return None, "unknown"
