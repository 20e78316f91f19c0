"""Nicknames after the words that introduce one ("known as Peanut", "his mates call him
Tiny"), and a quoted name taken whole ("partner 'Big Mick'")."""

from __future__ import annotations

import re
from collections.abc import Iterable

from .redact_tokens import Span


class Nicknames:
    """Finds the name after a nickname cue (bot/data/redaction.yaml: nickname_cues)."""

    def __init__(self, cues: Iterable[str]):
        cues = sorted(cues, key=len, reverse=True)
        self._nickname = re.compile(
            r"\b(?:"
            + "|".join(re.escape(c).replace(r"\ ", r"\s+") for c in cues)
            # "known only as J", "known round here as Tank"
            + r"|known(?:\s+(?!as\b)[a-z]+){1,3}\s+as)"
            r"\s+(?:the\s+(?:baby|child|kid|boy|girl)\s+)?['\"‘“]?(?P<name>(?-i:[A-Z])[\w'’-]*)",
            re.I,
        )

    def spans(
        self, text: str, protected: list[Span], relations: frozenset[str], acronyms: frozenset[str]
    ) -> list[Span]:
        """ "known as Peanut", "his mates call him Tiny", "they call Bubbles"."""
        out = []
        for m in self._nickname.finditer(text):
            name = m.group("name")
            lower = name.lower()
            if lower in relations or lower in acronyms or lower in ("i", "a"):
                continue
            if name.isupper() and len(name) > 3:
                continue
            if not any(a <= m.start("name") < b for a, b in protected):
                end = m.end("name") - (len(name) - len(name.rstrip("'’")))
                out.append((m.start("name"), end))  # "goes by 'Smiler'": the quote stays
        return out


_QUOTED = re.compile(
    r"(?<![\w'’])['‘\"“](?P<q>[A-Z][\w'’-]*(?: [A-Z][\w'’-]*){0,2})['’\"”](?![\w])"
)


def quoted_around(text: str, spans: list[Span]) -> list[Span]:
    """A quoted name is one name: "partner 'Big Mick'" (Mick found) loses "Big" too."""
    out = []
    for m in _QUOTED.finditer(text):
        start, end = m.span("q")
        if any(a < end and start < b for a, b in spans):
            out.append((start, end))
    return out
