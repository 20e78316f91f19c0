"""Surnames: after a first name ("jayden smith", "Lee Bell", "Kai J"), a family's ("the
Hussain family", "the Kowalskis"), and whether a person follows a word ("Ruby Smith",
"Sunny said")."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .redact_initials import AGE_AFTER, APPOSITION
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
    end = words[i].end()
    if AGE_AFTER.match(text, end) or APPOSITION.match(text, end) or _HE_IS_AGED.match(text, end):
        return True  # "Rose (reception)", "Summer, aged 13", "Will, he is 9"
    if _SCHOOL_YEAR_AFTER.match(text, end):
        return True  # "Will, Yr 3", "Rose in Y2 told", "Hope (year 6)"
    relation = _RELATION_AFTER.match(text, end)
    if relation and relation.group("relation").lower().replace("-", "") in finder.relations:
        return True  # "Mark (stepdad)", "Faith, the eldest,", "Hope the step-mum"
    if i + 1 >= len(words) or not next_to(words[i], words[i + 1], text, strict=True):
        return False
    nxt = words[i + 1].group(0).lower()
    if nxt in _STATES and i and words[i - 1].group(0).lower() in _ASKING:
        return True  # "Is Storm safe", "was Hope seen"
    return nxt in AFTER_PERSON


# "Will, he is 9", "Summer - she's 13": a person and their age after a name.
# A relation right after a word, in brackets or after "the", "her": "Mark (stepdad)", "Faith,
# her sister", "Mark the stepdad" (not "in Ramadan, child fainted").
_RELATION_AFTER = re.compile(
    r"(?:\s*\(\s*(?:(?:the|her|his|their|my|our)\s+)?|\s*,?\s+(?:the|her|his|their)\s+)"
    r"(?P<relation>[a-z-]+)\b",
    re.I,
)
# A school year right after a word: ", Yr 3", " in Y2", " (year 6" — a pupil, not a word.
_SCHOOL_YEAR_AFTER = re.compile(r"(?:\s*[,(]\s*|\s+in\s+)(?:y|yr|year)\s?\d{1,2}\b", re.I)
_HE_IS_AGED = re.compile(r"\s*[,-]\s*(?:he|she|they)(?:'s|’s|\s+is|\s+was|\s+are)\s+\d", re.I)
# A question about a person's state: "Is Storm safe?", "was Hope seen?"
_ASKING = frozenset(("is", "was", "has", "are", "were", "does", "did"))
_STATES = frozenset(
    "safe ok okay alright allowed missing pregnant scared frightened seen home back known".split()
)


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
    if is_possessive(prev.group(0)):
        return False
    token = words[j].group(0)
    bare = strip_possessive(token).lower()
    if not next_to(prev, words[j], text, strict=True):
        return _surname_on_next_line(finder, words, j, text, prev)
    if len(token) == 1 and token.islower():
        return token not in LOWER_LETTER_WORDS  # "amir k is on the system"
    if bare in finder.relations or bare in finder.strong_cues or bare in finder.not_surnames:
        return False
    if len(token) <= 2 and token[:1].isupper() and token.rstrip("'’s").isalpha():
        # "Kai J", "Ellie W's": a surname's initial ("I" and "A" are words).
        return strip_possessive(token) not in lists().single_letters_not_initials
    if token[:1].isupper():
        if token[:2].isalpha() and token[:2].isupper():
            return False  # "Zak DNA'd", "Amir GP's": an acronym, not a surname
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


# Letters typed for words ("a", "i", "u" for you, "r" for are, "n" for and, "x" a kiss).
LOWER_LETTER_WORDS = frozenset("a i o u r n c y b x".split())


def _surname_on_next_line(
    finder: NameFinder, words: Words, j: int, text: str, prev: re.Match[str]
) -> bool:
    """A surname pushed onto the next line ("Dylan\nO'Reilly"): only a word that is a
    surname and nothing else, never a heading ("Outcome:")."""
    if not re.fullmatch(r"[ \t]*\n[ \t]*", text[prev.end() : words[j].start()]):
        return False
    token = words[j].group(0)
    if text[words[j].end() : words[j].end() + 1] == ":":
        return False
    return surname_only(finder, token)


def surname_only(finder: NameFinder, token: str) -> bool:
    """A capitalised word that is a surname and no everyday or known word: "O'Reilly",
    "Patel" (never "Outcome", "Bell" or "AB")."""
    bare = strip_possessive(token).lower().replace("’", "'")
    if not token[:1].isupper() or token.isupper():
        return False
    if bare in finder.safe or bare in finder.not_surnames or bare in finder.relations:
        return False
    if IRISH_SURNAME.match(bare) or _SCOTS_SURNAME.fullmatch(strip_possessive(token)):
        return True
    return bare in all_surnames() and zipf(bare) < 4.0


_SCOTS_SURNAME = re.compile(r"Ma?c[A-Z][a-z]{2,}")  # "McAllister", "MacLeod"
