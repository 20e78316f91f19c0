"""Who is asking, and what they asked, from a verified Teams activity.

The asker is their Microsoft 365 tenant id and Entra user object id (the query log keeps only
HMAC(tenant id + object id)); the question is the message as plain text: the bot's own
@mention removed, other people's mentions neutralised, HTML and entities read as text.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

from bot.askers import Asker

SURFACE_CHAT = "teams_chat"  # the personal (1:1) chat with the bot
SURFACE_CHANNEL = "teams_channel"  # an @mention in a channel or group chat
SURFACE_DIALOG = "teams_dialog"  # the "What level is this?" dialog
_MENTION = re.compile(r"<at(?:\s[^>]*)?>(.*?)</at>", re.IGNORECASE | re.DOTALL)
_SPACES = re.compile(r"[ \t\r\f\v]+")


class _Text(HTMLParser):
    """The text of a fragment of HTML: tags dropped, entities decoded, blocks as lines."""

    BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "blockquote"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain_text(text: str, bot_name: str | None = None) -> str:
    """A Teams message as the person meant it: the bot's mention removed, anyone else's
    mention replaced by "a colleague" (names never reach the assistant or the log), and any
    HTML or markdown-looking text read as plain text."""

    def mention(match: re.Match[str]) -> str:
        name = match.group(1).strip()
        return " " if bot_name and name.lower() == bot_name.lower() else " a colleague "

    parser = _Text()
    parser.feed(_MENTION.sub(mention, str(text or "")))
    parser.close()
    lines = (_SPACES.sub(" ", part).strip() for part in "".join(parser.parts).split("\n"))
    return "\n".join(part for part in lines if part)


def conversation_kind(activity: Any) -> str:
    """personal · groupChat · channel."""
    return getattr(activity.conversation, "conversation_type", None) or "personal"


def surface_of(activity: Any) -> str:
    return SURFACE_CHAT if conversation_kind(activity) == "personal" else SURFACE_CHANNEL


def tenant_of(activity: Any) -> str:
    tenant = getattr(activity.conversation, "tenant_id", None)
    if not tenant and activity.channel_data is not None and activity.channel_data.tenant:
        tenant = activity.channel_data.tenant.id
    return str(tenant or "")


def user_of(activity: Any) -> str:
    """The Entra object id (stable across chats); the Teams user id only if there is none."""
    sender = activity.from_
    return str(getattr(sender, "aad_object_id", None) or sender.id or "")


def channel_of(activity: Any) -> str | None:
    data = activity.channel_data
    channel = getattr(data, "channel", None) if data is not None else None
    return getattr(channel, "id", None)


def asker_of(activity: Any, email: str | None = None) -> Asker:
    return Asker(
        workspace=tenant_of(activity),
        user_id=user_of(activity),
        channel=channel_of(activity),
        email=email,
    )
