"""Schools named without a school word after the name: a saint's school by the saint alone
("St B's", "st aidans", "St John Fisher"), a name after a word that says a school follows
("excluded from caludon", "DSL at Whitley"), a name in brackets after the word for it
("nursery (Tiny Toes)"), and a school known by the street it stands on ("the academy on
[ADDRESS]"). Used by bot/redact_schools.py."""

from __future__ import annotations

import re

from .redact_words import first_names, lists, zipf

Span = tuple[int, int]

# "St B's", "St JB's": a church school by its initial (a church or hospital says so).
# "St B's", "st aidans", "St Bede's": a saint's school, known by the saint alone (a church,
# hospital or street says otherwise).
_SAINT_INITIAL = re.compile(
    r"\b(?:St|ST|st)(?:\.\s*|\s+)(?:[A-Z]{1,2}['’]s|[A-Za-z][a-z]{2,}(?:['’]s|s))\b"
    r"(?!\s+(?i:church|chapel|hospital|hospice|cathedral|road|rd|street|lane|avenue|close|"
    r"drive|way|place|square|walk|court|house|centre|day|church's))"
)
# "the academy on [ADDRESS]": a school known by the street it stands on.
_ON_STREET = re.compile(
    r"\b(?:school|academy|primary|nursery|college|infants|juniors|pre-school|preschool)\s+"
    r"(?:on|in|off|at\s+the\s+top\s+of|at\s+the\s+end\s+of)\s+\[ADDRESS\]",
    re.I,
)
_SAINT_SURNAME = re.compile(r"\s+([A-Za-z][a-z]+)\b")
# Words that say a school's name follows, however it is written ("excluded from caludon",
# "year 9 at Stoke Park", "DSL at Whitley", "school: Hearsall").
_SCHOOL_CUE = re.compile(
    r"\b(?:excluded\s+from|(?:pupil|pupils|student|students)\s+at|attends|attending|on\s+roll\s+at|"
    r"(?:year|yr|y)\s*\d{1,2}\s+(?:at|in)|(?:dsl|ddsl|senco|headteacher|head|teacher|ta|form\s+tutor)"
    r"\s+(?:at|from))\s+",
    re.I,
)
_NAME_WORDS = re.compile(
    r"(?:[A-Z][\w'’-]*)(?:[ \t]+(?:[A-Z][\w'’-]*|\d{1,2}\b))*|[a-z][a-z'’-]{3,}"
)
# Everyday words that name schools after a first name ("Stoke Park", "Barr's Hill").
_NAME_PART_WORDS = frozenset(
    "park hill grange hall castle house wood green high field fields valley heath farm lodge "
    "meadow meadows court manor bridge gate cross end vale common mount oak oaks".split()
)
# "nursery (Tiny Toes on Binley Rd)": the name of a school in brackets after the word for it
_BRACKETED = re.compile(
    r"\b(?:nursery|school|academy|college|pre-school|preschool|primary|childminder)\s*\(\s*"
    r"(?P<name>(?-i:[A-Z][\w'’-]*(?:[ \t]+[A-Z][\w'’-]*){0,3}))",
    re.I,
)


def after_school_cue(text: str, protected: list[Span]) -> list[Span]:
    """A school's name after a word that says one follows, when it is no place, people or
    everyday word alone ("attends Foleshill", "excluded from school" stay)."""
    out = []
    for cue in _SCHOOL_CUE.finditer(text):
        m = _NAME_WORDS.match(text, cue.end())
        if m is None or any(a <= m.start() < b for a, b in protected):
            continue
        words = _school_name_words(m.group(0).split())
        if not words:
            continue
        lowers = [_bare(w.lower()) for w in words if not w.isdigit()]
        if lowers[0] in lists().thing_words or lowers[0] in lists().not_school_names:
            continue  # "attends Mosque", "excluded from Maths"
        if m.group(0)[:1].islower():
            if lowers[0] in lists().safe_words or zipf(lowers[0]) >= 3.0:
                continue  # "excluded from school", "attends regularly"
            if lowers[0] in first_names():
                continue
        elif len(words) == 1 and (
            lowers[0] in lists().safe_words
            or lowers[0] in lists().communities
            or zipf(lowers[0]) >= 4.0
            or words[0].isupper()
        ):
            continue  # "attends Foleshill", "year 9 at Christmas", "DSL at MASH"
        elif all(w in lists().generic_school_words or zipf(w) >= 4.5 for w in lowers):
            continue
        out.append((m.start(), min(m.end(), _end_of_words(text, m.start(), len(words)))))
    return out


def _bare(word: str) -> str:
    return re.sub(r"['’]s?$", "", word)


def _end_of_words(text: str, start: int, count: int) -> int:
    end = start
    for w in re.finditer(r"\S+", text[start:]):
        count -= 1
        end = start + w.end()
        if count == 0:
            break
    return end


def _school_name_words(words: list[str]) -> list[str]:
    """The words of a name after a school cue, up to the first everyday word ("Stoke Park
    2", not "St Aidans And A Yr 11 Told …" in a message typed in capitals)."""
    kept: list[str] = []
    for word in words[:4]:
        lower = _bare(word.lower())
        if word.isdigit():
            if not kept:
                break
            kept.append(word)  # "Finham Park 2"
            continue
        if kept and zipf(lower) >= 4.0 and lower not in _NAME_PART_WORDS:
            break
        kept.append(word)
    return kept


def bracketed_after_school_word(text: str) -> list[Span]:
    out = []
    for m in _BRACKETED.finditer(text):
        name = m.group("name")
        if text[m.start()].isupper():
            continue  # "Hillside School (Mandarin speaker)": the name came before
        first = name.split()[0].lower()
        if first in lists().safe_words or first in lists().communities or name.isupper():
            continue
        if all(zipf(w.lower()) >= 4.5 for w in name.split()):
            continue
        out.append(m.span("name"))
    return out


def saints(text: str, protected: list[Span]) -> list[Span]:
    """A saint's school by the saint alone, or with a saint's surname ("st thomas more")."""
    spans = []
    for m in _SAINT_INITIAL.finditer(text):
        if not any(a <= m.start() < b for a, b in protected):
            end = m.end()
            second = _SAINT_SURNAME.match(text, end)
            if second and second.group(1).lower() in lists().saint_surnames:
                end = second.end()  # "st thomas more", "St John Fisher"
            spans.append((m.start(), end))
    return spans


def on_street(text: str) -> list[Span]:
    return [m.span() for m in _ON_STREET.finditer(text) if "[ADDRESS]" in text]
