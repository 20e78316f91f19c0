"""Surnames: after a first name ("jayden smith", "Lee Bell", "Kai J"), a family's ("the
Hussain family", "the Kowalskis"), and whether a person follows a word ("Ruby Smith",
"Sunny said")."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .redact_tokens import (
    AFTER_PERSON,
    IRISH_SURNAME,
    MONTHS_AND_DAYS,
    Words,
    is_possessive,
    next_to,
    strip_possessive,
)
from .redact_words import all_surnames, lists, surnames, zipf

if TYPE_CHECKING:
    from .redact_names import NameFinder


def person_follows(finder: NameFinder, words: Words, i: int, text: str) -> bool:
    """A surname or a verb a person does after word i ("Ruby Smith", "Sunny said")."""
    if surname_follows(finder, words, i, text):
        return True
    if i + 1 >= len(words) or not next_to(words[i], words[i + 1], text, strict=True):
        return False
    return words[i + 1].group(0).lower() in AFTER_PERSON


def family(finder: NameFinder, bare: str, nxt: str) -> bool:
    """After "the": a family's surname ("the Hussain family", "the Singh children") or
    a surname made plural ("the Kowalskis", "the Browns'"); never a community ("the
    Roma family", "the Afghans")."""
    words = lists()
    if nxt in words.family_words:
        return bare not in words.communities
    for stem in (bare[:-2], bare[:-1]) if bare.endswith("es") else (bare[:-1],):
        if not bare.endswith("s") or len(stem) < 3 or stem in words.communities:
            continue
        if stem in finder.safe and stem not in all_surnames():
            continue
        if (stem in all_surnames() or stem in finder.names) and zipf(bare) < 4.0:
            return True
    return bare.endswith("s") and zipf(bare) < 2.0 and bare[:-1] not in finder.safe


def surname_follows(finder: NameFinder, words: Words, i: int, text: str) -> bool:
    if i + 1 >= len(words) or not next_to(words[i], words[i + 1], text, strict=True):
        return False
    token = words[i + 1].group(0)
    bare = strip_possessive(token).lower()
    if len(bare) == 1 and strip_possessive(token) in lists().single_letters_not_initials:
        return False  # "May I"
    return (
        token[:1].isupper()
        and (bare not in finder.safe or bare in all_surnames())
        and bare not in finder.not_surnames | MONTHS_AND_DAYS | finder.relations
    )


def continues_name(
    finder: NameFinder, words: Words, j: int, text: str, prev: re.Match[str]
) -> bool:
    """A surname or initial after a first name: "jayden smith", "Amelia Smith-Jones",
    "Lee Bell", "Kai J"."""
    if is_possessive(prev.group(0)) or not next_to(prev, words[j], text, strict=True):
        return False
    token = words[j].group(0)
    bare = strip_possessive(token).lower()
    if bare in finder.relations or bare in finder.strong_cues or bare in finder.not_surnames:
        return False
    if len(token) <= 2 and token[:1].isupper() and token.rstrip("'’s").isalpha():
        # "Kai J", "Ellie W's": a surname's initial ("I" and "A" are words).
        return strip_possessive(token) not in lists().single_letters_not_initials
    if token[:1].isupper():
        if token.isupper() and len(bare) <= 5 or bare in MONTHS_AND_DAYS:
            return False
        return bare not in finder.safe or bare in all_surnames()
    if bare in finder.safe:
        return False
    if bare in surnames() or IRISH_SURNAME.match(bare.replace("’", "'")):
        return True  # "jayden smith", "ethan o'brien"
    # "jayden okafor", "sofia rossi", not "Jerome locks him out"
    if bare.endswith(("ing", "ed")) or bare.endswith("s") and zipf(bare[:-1]) >= 3.0:
        return False
    return zipf(bare) < 3.5
