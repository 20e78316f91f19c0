"""Names of things, never of people: the pack's and the word list's phrases ("Pool Meadow",
"Clare's Law"), a capitalised name before a thing word ("Philomena Protocol", "Hope
project", "Victims and Prisoners Act"), and a place in a building by its number ("Ward 22",
"Bay 4")."""

from __future__ import annotations

import re
from collections.abc import Iterable

from .redact_tokens import PLACEHOLDER, THING_LINKS, WORD, Span, is_possessive, strip_possessive
from .redact_words import PhraseSet


class Things:
    """Spans of the names of things in a text (bot/data/redaction.yaml: thing_words)."""

    def __init__(
        self,
        phrases: PhraseSet,
        thing_words: Iterable[str],
        before_person: frozenset,
        numbered_places: Iterable[str] = (),
    ):
        self.phrases = phrases
        self._before_person = before_person
        self._thing = re.compile(
            r"\b(?:" + "|".join(sorted(thing_words, key=len, reverse=True)) + r")\b", re.I
        )
        places = "|".join(sorted(numbered_places)) or "(?!)"
        self._numbered = re.compile(r"\b(?:" + places + r")\s?\d{1,3}[A-Za-z]?\b", re.I)

    def follows(self, text: str, at: int) -> bool:
        """Whether a thing word comes right after `at` ("Hope project", "Clare's Law")."""
        return bool(self._thing.match(text, at + 1)) if text[at : at + 1] == " " else False

    def spans(self, text: str) -> list[Span]:
        out = self.phrases.spans(text)
        out += [m.span() for m in self._numbered.finditer(text)]
        for m in self._thing.finditer(text):
            start = self._start(text, m)
            if start is not None:
                out.append((start, m.end()))
        return out

    def _start(self, text: str, thing: re.Match[str]) -> int | None:
        """ "Philomena Protocol", "Hope project", "Victims and Prisoners Act", "Jade's Law":
        where the capitalised name before a thing word starts (None if there is none)."""
        words = list(WORD.finditer(text[max(0, thing.start() - 80) : thing.start()]))
        offset = max(0, thing.start() - 80)
        start, position, capitals = None, thing.start(), 0
        for m in reversed(words):
            token = m.group(0)
            if not re.fullmatch(r"\s{1,2}|\s*,\s*", text[offset + m.end() : position]):
                break
            if token[:1].isupper() and not PLACEHOLDER.fullmatch(f"[{token}]"):
                if is_possessive(token) and thing.group(0).lower() != "law":
                    break  # "Kai's team" is Kai's
                capitals += 1
                start = position = offset + m.start()
            elif token.lower() in THING_LINKS and capitals:
                position = offset + m.start()
            else:
                break
        if start is None:
            return None
        before = text[max(0, start - 20) : start].split()
        if before and strip_possessive(before[-1]).lower() in self._before_person:
            return None  # "baby Noah hospital": a person
        return start
