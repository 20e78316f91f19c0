"""Initials standing where a person does: "baby K", "KM disclosed", "TW's mum", "J.B.",
"jb said"; never an acronym the pack or the word list knows ("EWO said", "A&E")."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .redact_tokens import (
    AFTER_PERSON,
    PERSON_VERBS,
    Span,
    Words,
    is_possessive,
    next_to,
    starts_sentence,
    strip_possessive,
)
from .redact_words import lists, zipf

if TYPE_CHECKING:
    from .redact_names import NameFinder

_DOTTED = re.compile(
    r"(?<![\w.])(?:[A-Z]\.\s?){1,3}[A-Z]\.?(?![\w])|(?<![\w.])[A-Z]\.(?=['’]s\b)"
    r"|(?<=,\s)[A-Z]\.(?=,)|(?<=\()[A-Z]\.(?=\))"  # "his friend, H., also missing", "(H.)"
)
AGED = re.compile(
    r"\s+(?:is|was|aged)\s+\d{1,2}\b(?!\s*(?:%|percent|hours?|hrs|mins?|minutes|days|weeks|"
    r"wks|miles|pm|am|o'clock|[:.]\d))|\s*\(\s*\d{1,2}\s*\)",
    re.I,
)
APPOSITION = re.compile(r",\s+(?:a|an|who|aged|age)\s", re.I)  # "S, a year 9 girl"
# ", 14," after a letter set off by commas: an age ("the boy they have, M, 14, keeps …").
AGE_SET_OFF = re.compile(r",\s*1?\d\s*(?:,|\)|\.|yo\b|y/o\b|yrs?\b|years?\b|$)", re.I)
# Words after a capital letter that make it a word, not an initial ("A level", "A and E").
_WORD_AFTER_LETTER = re.compile(r"[\s-]+(?:levels?|stars?|grades?|and\s+E\b|&)", re.I)
# How a person word may stand before initials: "baby K", "Mrs. O", "DSL (HB)", "the twins,
# L and M", "the boy - Z -".
_CUE_GAP = re.compile(r"\s{1,3}|\.\s|\s*\(\s*|,\s+|\s+[-–]\s+")
AGE_AFTER = re.compile(
    r"\s*\(\s*(?:\d|yr|y\d|year|age|aged|twins?|\w+,\s*\d|reception\b|rec\b|nursery\b|ks\d)", re.I
)


# "S-J", "A-M": the initials of a double first name.
_HYPHENED = re.compile(r"[A-Z]{1,2}-[A-Z]{1,2}")


def _hyphened_initials(finder: NameFinder, words: Words, i: int, text: str) -> bool:
    """ "S-J (Yr 2)", "baby A-M", "S-J's mum", "A-M said": where a person stands (not "an
    A-Z of services")."""
    end = words[i].end()
    if is_possessive(words[i].group(0)) or _person_word_before(finder, words, i, text):
        return True
    if AGE_AFTER.match(text, end) or APPOSITION.match(text, end) or AGE_SET_OFF.match(text, end):
        return True
    nxt = words[i + 1].group(0).lower() if i + 1 < len(words) else ""
    return nxt in PERSON_VERBS and next_to(words[i], words[i + 1], text)


def is_initials(finder: NameFinder, words: Words, i: int, text: str) -> bool:
    """Initials standing where a person does: "baby K", "child R", "the D family",
    "KM disclosed", "TW's mum", "pupil LB (yr 10)", "SJ and RJ (twins, 8)", "DSL (HB)",
    "Mrs. O", "the twins, L and M"."""
    token = words[i].group(0)
    bare = strip_possessive(token)
    if len(bare) == 2 and bare.isalpha() and bare.islower():
        return lower_initials(finder, words, i, text)
    if _HYPHENED.fullmatch(bare):
        return _hyphened_initials(finder, words, i, text)
    if not (1 <= len(bare) <= 3 and bare.isupper() and bare.isalpha()):
        return False
    end = words[i].end()
    after = text[end : end + 1]
    if after in ("&", "/") or after.isalnum():
        return False  # "A&E", "N/A", "Y5"
    cue = _person_word_before(finder, words, i, text)
    if len(bare) == 1 and bare in lists().single_letters_not_initials:
        # "Mrs A", "child O" (not "I", "A level", "A and E")
        return bare != "I" and cue and not _WORD_AFTER_LETTER.match(text, end)
    if len(bare) > 1 and bare.lower() in finder.acronyms:
        # An acronym is never so many years old: "TB is 15", "FH (13)" are initials; nor does
        # one stand alone where a person does ("another lad TM,", "DSL (HB)", "mum (CT)").
        if len(bare) == 2 and AGED.match(text, end):
            return True
        return cue and bare.lower() not in finder.person_acronyms and _set_off(words, i, text)
    if after == "." and len(bare) == 1 and cue and not text[end + 1 : end + 2].isalnum():
        return True  # "… and baby L."
    if after == "." and (len(bare) == 1 or text[end + 1 : end + 2].isalnum()):
        return False  # dotted initials are found apart ("J.B."); "re: AJ." ends a sentence
    prev = strip_possessive(words[i - 1].group(0)).lower() if i else ""
    nxt = words[i + 1].group(0).lower() if i + 1 < len(words) else ""
    next_adjacent = i + 1 < len(words) and next_to(words[i], words[i + 1], text)
    if cue:
        return True
    if prev == "re" and re.fullmatch(r"\s*:\s*", text[words[i - 1].end() : words[i].start()]):
        return True  # "re: AJ"
    if prev == "the" and nxt in ("family", "family's", "children", "kids"):
        return True
    if is_possessive(token) and len(bare) <= 3:
        return True
    if AGE_AFTER.match(text, end) or APPOSITION.match(text, end) or AGE_SET_OFF.match(text, end):
        return True  # "child X (5)", "worried about S, a year 9 girl", "the boy, M, 14,"
    if len(bare) == 1 and AGED.match(text, end) and starts_sentence(words, i, text):
        return True  # "B is 14, she's been going to the house"
    if len(bare) == 1:
        # a lone capital needs one of the cues above, or another beside it: "L and M"
        return prev in ("and", "&") and _letter_before_and(finder, words, i, text)
    if len(bare) == 2 and bare.lower() not in lists().two_letter_words:
        return True  # two capitals that are no acronym we know: "FH is 13", "on AO:"
    if len(bare) == 3:
        return False  # three capitals doing something are an acronym ("EWO said")
    if next_adjacent and nxt in PERSON_VERBS:
        return True
    if nxt == "and" and i + 2 < len(words):
        other = strip_possessive(words[i + 2].group(0))
        pair = other.isupper() and 2 <= len(other) <= 3
        return pair and is_initials(finder, words, i + 2, text)
    return False


def lower_initials(finder: NameFinder, words: Words, i: int, text: str) -> bool:
    """Initials typed in lower case, only where a person does something: "jb said his
    dad...", "km's mum" (never "ok", "sw said", "gf is")."""
    bare = strip_possessive(words[i].group(0))
    words_ = lists()
    if bare in finder.acronyms or bare in words_.two_letter_words or bare in finder.relations:
        return False
    if (
        zipf(bare) >= 4.5
        or bare in finder.safe
        or text[words[i].start() - 1 : words[i].start()].isdigit()
    ):
        return False  # "18mo"
    if is_possessive(words[i].group(0)):
        nxt = strip_possessive(words[i + 1].group(0)).lower() if i + 1 < len(words) else ""
        return nxt in finder.relations
    if i + 1 >= len(words) or not next_to(words[i], words[i + 1], text, strict=True):
        return False
    return words[i + 1].group(0).lower() in AFTER_PERSON


def dotted_initials(text: str, protected: list[Span]) -> list[Span]:
    """ "J.B.", "A.H.", "M.P." (not "e.g." or "U.K.")."""
    out = []
    for m in _DOTTED.finditer(text):
        if m.group(0).lower().replace(" ", "") in lists().dotted_not_initials:
            continue
        if not any(a <= m.start() < b for a, b in protected):
            out.append(m.span())
    return out


def _person_word_before(finder: NameFinder, words: Words, i: int, text: str) -> bool:
    """Whether a relation, title, role or cue stands right before word i, so that capitals
    there are a person's: "baby K", "Mrs. O", "DSL (HB)" (bracket closed after them),
    "the twins, L and M"."""
    if not i:
        return False
    prev = strip_possessive(words[i - 1].group(0)).lower()
    if prev not in finder.before_initials and not (
        prev.endswith("s") and prev[:-1] in finder.relations
    ):
        return False
    gap = text[words[i - 1].end() : words[i].start()]
    if not _CUE_GAP.fullmatch(gap):
        return False
    if gap.startswith("."):
        return prev in finder.titles  # "Mrs. O"
    if "(" in gap:
        return text[words[i].end() : words[i].end() + 1] == ")"
    return True


def _set_off(words: Words, i: int, text: str) -> bool:
    """Capitals that end a phrase ("another lad TM, older …", "mum (CT)") or do what a
    person does ("partner JB said"), not an acronym that goes on ("child CP plan")."""
    end = words[i].end()
    rest = text[end : end + 2]
    if not rest.strip() or rest[:1] in ",.;:)!?\n":
        return True
    if i + 1 < len(words) and next_to(words[i], words[i + 1], text, strict=True):
        return words[i + 1].group(0).lower() in AFTER_PERSON
    return False


def _letter_before_and(finder: NameFinder, words: Words, i: int, text: str) -> bool:
    """ "L and M": the letter before "and" is an initial, so this one is too."""
    if i < 2 or not re.fullmatch(r"\s*(?:and|&)\s*", text[words[i - 2].end() : words[i].start()]):
        return False
    other = strip_possessive(words[i - 2].group(0))
    return len(other) == 1 and other.isupper() and is_initials(finder, words, i - 2, text)
