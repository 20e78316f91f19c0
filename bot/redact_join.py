"""A name split by a placeholder is one name: after the names are replaced, the first name
before "[NAME]", the surname after it, and a first name beside one ("Precious [NAME]",
"[NAME] Bell", "Precious and [NAME]") go too."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .redact_surnames import LOWER_LETTER_WORDS, surname_only
from .redact_tokens import MONTHS_AND_DAYS, THING_LINKS, strip_possessive
from .redact_words import WORD_NAMES, all_surnames, lists, surnames, zipf

if TYPE_CHECKING:
    from .redact_names import NameFinder

_BEFORE = re.compile(r"(?<![\w'’])(?P<word>[A-Z][a-z][\w'’-]*) (?=\[NAME\])")
_AFTER = re.compile(r"(?<=\[NAME\]) (?P<word>[A-Z](?:[\w'’-]*[^\W\d_])?)(?![\w'’-])")
_BETWEEN = re.compile(r"\[NAME\] (?P<word>[A-Z][a-z][\w'’-]*) \[NAME\]")
_LOWER_AFTER = re.compile(r"(?<=\[NAME\]\)) (?P<word>[a-z][\w'’-]*[a-z])(?![\w'’-])")
_LINE_AFTER = re.compile(r"(?<=\[NAME\])[ \t]*\n[ \t]*(?P<word>[A-Z][\w'’-]*[^\W\d_])(?![\w'’:-])")
_LETTER_AFTER = re.compile(r"(?<=\[NAME\]) (?P<word>[a-z])(?![\w'’-])")  # "[NAME] k is"
# A surname in capitals beside a name, as records write it: "Mr [NAME] WISNIEWSKI",
# "POPESCU, [NAME]", "O'DONNELL, [NAME] (Y7)".
_CAPITALS_AFTER = re.compile(r"(?<=\[NAME\]) (?P<word>[A-Z][A-Z'’-]*[A-Z])(?![\w'’-])")
_CAPITALS_BEFORE = re.compile(r"(?<![\w'’\[-])(?P<word>[A-Z][A-Z'’-]*[A-Z]),? (?=\[NAME\])")
_AND_BEFORE = re.compile(r"(?<![\w'’])(?P<word>[A-Z][a-z][\w'’-]*)(?= (?:and|&) \[NAME\])")
_AND_AFTER = re.compile(
    r"(?:(?<=\[NAME\] and )|(?<=\[NAME\] & ))(?P<word>[A-Z][a-z][\w'’-]*)(?![\w'’-])"
)


def join_names(text: str, finder: NameFinder) -> str:
    """A name split by a placeholder is one name: "Precious [NAME]", "[NAME] Bell" and
    "[NAME] May [NAME]" become "[NAME]"; "[NAME] ([NAME]) thompson", "[NAME] k", a surname
    on the next line ("[NAME]\nPatel") and one in capitals ("POPESCU, [NAME]") go; and a
    first name beside a name is one too ("Precious and [NAME]", "[NAME] and Hope said")
    (whether the placeholder is new or was there already)."""
    while True:
        changed = _AFTER.sub(
            lambda m: "" if _surname_like(m["word"], finder, _dot_after(m)) else m[0], text
        )
        changed = _BEFORE.sub(
            lambda m: "" if _first_name_like(m["word"], finder) else m[0], changed
        )
        changed = _BETWEEN.sub(
            lambda m: "[NAME]" if _middle_name_like(m["word"], finder) else m[0], changed
        )
        changed = _LOWER_AFTER.sub(lambda m: "" if m["word"] in surnames() else m[0], changed)
        changed = _LINE_AFTER.sub(
            lambda m: "" if surname_only(finder, m["word"]) else m[0], changed
        )
        changed = _LETTER_AFTER.sub(
            lambda m: "" if m["word"] not in LOWER_LETTER_WORDS else m[0], changed
        )
        for pattern in (_CAPITALS_AFTER, _CAPITALS_BEFORE):
            changed = pattern.sub(
                lambda m: "" if _surname_in_capitals(m["word"], finder) else m[0], changed
            )
        for pattern in (_AND_BEFORE, _AND_AFTER):
            changed = pattern.sub(
                lambda m: "[NAME]" if _coordinated_name(m, finder) else m[0], changed
            )
        if changed == text:
            return text
        text = changed


def _dot_after(m: re.Match[str]) -> bool:
    """A full stop right after a single letter: "[NAME] A." (not "[NAME] A.B.")."""
    after = m.string[m.end() : m.end() + 2]
    return len(m["word"]) == 1 and after[:1] == "." and not after[1:].isalpha()


def _middle_name_like(word: str, finder: NameFinder) -> bool:
    lower = strip_possessive(word).lower()
    return lower not in finder.relations | finder.strong_cues | finder.titles | THING_LINKS | {
        "or",
        "but",
        "then",
    }


def _coordinated_name(m: re.Match[str], finder: NameFinder) -> bool:
    """ "Precious and [NAME]": a first name (or an everyday word that is one) beside a name,
    unless a thing follows ("[NAME] and Hope project")."""
    word = m["word"]
    if strip_possessive(word) != word:
        return False
    if not _first_name_like(word, finder) and not _rare_word(word, finder):
        return False
    return not finder.things.follows(m.string, m.end())


def _surname_like(word: str, finder: NameFinder, dot: bool = False) -> bool:
    lower = strip_possessive(word).lower()
    if len(word) == 1:
        # "[NAME] A." is a surname's initial; "[NAME] A level", "[NAME] I think" are not
        return dot or word not in lists().single_letters_not_initials
    if word[:2].isupper() or lower in finder.not_surnames | MONTHS_AND_DAYS:
        return False
    if lower in finder.relations | finder.strong_cues | finder.titles | finder.acronyms:
        return False
    return lower not in finder.safe or lower in all_surnames()


def _surname_in_capitals(word: str, finder: NameFinder) -> bool:
    """A word in capitals beside a name is its surname when it is no acronym, relation or
    everyday word ("[NAME] WISNIEWSKI", not "[NAME] DOB", "[NAME] MUM" or "[NAME] SAID")."""
    lower = word.lower().replace("’", "'")
    if len(lower) < 3 or lower in finder.acronyms or lower in finder.person_acronyms:
        return False
    if lower in finder.relations | finder.strong_cues | finder.titles | finder.not_surnames:
        return False
    if lower in MONTHS_AND_DAYS or lower in lists().communities or lower in finder.safe:
        return lower in all_surnames() and zipf(lower) < 3.5
    return zipf(lower) < 4.0 or lower in surnames()


def _first_name_like(word: str, finder: NameFinder) -> bool:
    lower = word.lower()
    if lower in finder.relations | finder.strong_cues | finder.titles | MONTHS_AND_DAYS:
        return False
    return lower in finder.names or lower in WORD_NAMES or lower in finder.popular


def _rare_word(word: str, finder: NameFinder) -> bool:
    """A capitalised word rare in English beside a name is a name too ("[NAME] and Sprout"),
    unless the pack or the word lists know it."""
    lower = word.lower()
    if lower in finder.safe or lower in finder.acronyms or lower in lists().communities:
        return False
    return zipf(lower) < 3.2
