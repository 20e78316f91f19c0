"""Homes that are not a numbered house on a named street: a room in a hostel, B&B or hotel
("room 14 at the Larkspur B&B", "rm 6 at Carrow Lodge", "room 212" where a hotel is named), a
plot or pitch on a site ("plot 7 at Brookhay site", "caravan 2 on the Hazelmoor park"), a
block of a named building ("Block D, Marlow Court"), a labelled address in a record
("ADDRESS: 5 BRANKSOME", "addr 27 oldbury"), "staying at number 12", and a street given by a
landmark or a home on it, with no street word ("above the chippy on Ransome", "the end
terrace on Wendover", "at his mate's on Ellesmere").

The unit, lodging and landmark words are data (bot/data/redaction.yaml); named public places
stay, as the pack's phrases do.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from .redact_addresses import AT_HOME as _AT_HOME
from .redact_addresses import NOT_HOUSE as _NOT_HOUSE
from .redact_words import first_names, lists, zipf

Span = tuple[int, int]

_PLACE_WORD = r"(?:\[(?:NAME|ADDRESS)\]|[A-Z][\w'’&-]*)"
# After a unit's number, where it is: "at the Larkspur B&B", ", Halden House hostel".
_WHERE = (
    rf"(?:,[ \t]*|[ \t]+(?i:at|of|in|on)[ \t]+)(?:[Tt]he[ \t]+)?"
    rf"{_PLACE_WORD}(?:[ \t]+{_PLACE_WORD}){{0,3}}"
    r"(?:[ \t]+(?i:caravan\s+park|site|park))?"  # not "hostel": that says what it is
)
_AT_NUMBER = re.compile(
    r"\b(?i:lives?|living|staying|stays|stopping|dossing|sleeping|moved|back)\s+"
    r"(?i:at|to|into|in)\s+(?P<home>(?i:number|no\.?)\s*\d{1,4}[a-zA-Z]?)\b"
)
_LABELLED = re.compile(
    r"(?<!\[)\b(?i:addr(?:ess)?\.?)(?:\s+(?i:is|was))?[ \t]*[:\-]?[ \t]*"
    r"(?P<home>\d{1,4}[a-zA-Z]?,?[ \t]+[A-Za-z][\w'’-]*(?:[ \t]+[A-Za-z][\w'’-]*){0,2}?)"
    r"(?=[ \t]*(?:[,.;)\n]|$|\s-\s))"
)
# "on Wendover", "off Callender and Penshurst": a capitalised word that may be a street.
_ON_STREET = re.compile(
    r"\b(?:on|off|of)\s+(?P<street>[A-Z][a-z][\w'’-]+)"
    r"(?:\s+(?:and|&)\s+(?P<street2>[A-Z][a-z][\w'’-]+))?"
)
# "moved into 31 [NAME]", "43a [NAME]": a house number before a street the learned pass took
# for a name, after a word that says it is a home's or with a letter after it (not "year 2s").
_NUMBER_NAME = re.compile(
    r"(?<![\w/.:])\d{1,4}(?P<letter>[a-fA-F])?,?[ \t]+\[(?P<label>NAME|ADDRESS)\]"
)
# "Redwing Court, flat 14", "[ADDRESS] flat A": the flat after its building or house.
_FLAT_AFTER = re.compile(
    r"\[ADDRESS\],?[ \t]+(?i:flat|apt\.?|apartment|unit|room)[ \t]*"
    r"(?:\d{1,4}[a-zA-Z]?|[A-Z])\b"
)


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], ...]:
    words = lists()
    units = "|".join(sorted(words.home_units | words.room_units, key=len, reverse=True))
    unit = re.compile(
        rf"\b(?P<unit>(?i:{units}))[ \t]*"
        rf"(?:(?i:no\.?[ \t]*)?\d{{1,4}}[a-zA-Z]?\b(?P<where>{_WHERE})?"
        r"|\[ADDRESS\])"  # "pitch [ADDRESS]": its number and street taken as a house's
    )
    building = "|".join(re.escape(w) for w in words.building_endings)
    block = re.compile(
        rf"\b(?i:block)[ \t]+[A-Z0-9]{{1,2}}\b,?[ \t]+(?:{_PLACE_WORD}[ \t]+){{0,3}}"
        rf"(?:{building})\b"
    )
    lodging = re.compile(
        r"\b(?:" + "|".join(re.escape(w) for w in sorted(words.lodgings)) + r")\b", re.I
    )
    endings = "|".join(re.escape(w.capitalize()) for w in words.street_endings)
    # "Hollybank, Church Walk": a house's name that is no everyday word, then its street
    named = re.compile(
        rf"(?<![\w'’-])(?P<house>[A-Z][a-z]{{3,}}),[ \t]*(?:\d{{1,4}}[a-z]?[ \t]+)?"
        rf"(?:(?:[A-Z][\w'’-]*[ \t]+){{1,2}}(?:{endings})\b|(?P<placeholder>\[ADDRESS\]))"
    )
    # "flat 2 kestrel house": a building's name typed in lower case after a flat's number
    lower_building = re.compile(
        r"\b(?i:flat|apartment|apt)[ \t]*\d{1,4}[a-zA-Z]?,?[ \t]+"
        r"(?P<name>(?:[a-z][\w'’-]*[ \t]+){1,2})"
        rf"(?:{building.lower()})\b"
    )
    return unit, block, lodging, named, lower_building


def homes(text: str, places: Callable[[str], list[Span]] = lambda _: []) -> list[Span]:
    """Spans of rooms, plots, blocks, labelled addresses and streets given by a landmark in
    `text`; none starting inside a named place (`places` finds those, asked only when there
    is something to check)."""
    unit, block, lodging, named, lower_building = _patterns()
    spans: list[Span] = [
        m.span()
        for m in named.finditer(text)
        if _street_like(m.group("house"))
        # "lives at Penhallow, [ADDRESS]": its street found first, then a word must say so
        and (not m.group("placeholder") or _AT_HOME.search(text, max(0, m.start() - 30), m.start()))
    ]
    has_digit = "[ADDRESS]" in text or any(c.isdigit() for c in text)
    if has_digit:
        rooms_are_homes = None
        for m in unit.finditer(text):
            if m.group("unit").lower() in lists().room_units:
                if rooms_are_homes is None:
                    rooms_are_homes = bool(lodging.search(text))
                if not rooms_are_homes:
                    continue  # "room 4 for maths"
            spans.append(m.span())
        spans += [m.span("home") for m in _AT_NUMBER.finditer(text)]
        spans += [
            m.span()
            for m in lower_building.finditer(text)
            if all(zipf(w) < 4.0 for w in m.group("name").split())
        ]
        spans += [m.span("home") for m in _LABELLED.finditer(text)]
        for m in _NUMBER_NAME.finditer(text) if "[" in text else ():
            before = text[max(0, m.start() - 30) : m.start()]
            if _NOT_HOUSE.search(before):
                continue  # "year 9 [NAME]"
            # a number before an address is its house's ("17 [ADDRESS]"); before a name, only
            # with a letter after it or a word before it that says so
            if m.group("label") == "ADDRESS" or m.group("letter") or _AT_HOME.search(before):
                spans.append(m.span())
        spans += [m.span() for m in _FLAT_AFTER.finditer(text)] if "[ADDRESS]" in text else []
    spans += [m.span() for m in block.finditer(text)]
    spans += _landmark_streets(text)
    if not spans:
        return spans
    protected = places(text)
    return [_cut_at_place(text, s, protected) for s in spans if not _inside(s[0], protected)]


# "the flat above the chippy on [ADDRESS]", "the house with the caravan on the drive,
# [ADDRESS]": a home described by what is beside it is found by that description and its
# street together, so the description goes with the street. It starts at "the" or "a", says
# where ("above", "next to", "at the back of"), stays within one clause and ten words, and
# holds no verb or pronoun. A home named by its kind alone ("the trap house on X", "above the
# chippy on X") keeps those words: they say what happened, and the street is gone.
_DESCRIBED = re.compile(
    r"(?:(?P<join>\s+(?:on|off|in|of|by|near)|,)\s*\[ADDRESS\]|\s*\[ADDRESS\](?=\s+(?:site|estate)\b))"
    r"(?:\s+(?:site|estate)\b)?"
)
# ("flat 3 above the Greggs on [ADDRESS]": a flat's number starts one too)
_DESCRIPTION_START = re.compile(
    r"\b(?:the|a|(?:flat|room|apartment)\s+\d{1,4}[a-z]?)(?:\s+|$)", re.I
)
_BESIDE = re.compile(
    r"\s(?:above|over|behind|beside|opposite|next\s+to|by|with|(?:bottom|top|end|back|rear|"
    r"corner)\s+of)\s",
    re.I,
)
_NOT_DESCRIPTION = frozenset(
    """
and but or so is was are were be been has have had said says say told tells who which that
she he they we i you it his her their our my your lives live living stays stay went go goes
where when if because about from not no never seen been being
""".split()
)


def described(text: str) -> list[Span]:
    """A home's description before its street, with the street ("the end terrace by the
    Co-op on [ADDRESS]", "the [ADDRESS] site")."""
    if "[ADDRESS]" not in text:
        return []
    spans = []
    for m in _DESCRIBED.finditer(text):
        clause = re.split(
            r"[.;:!?()\n]|,\s(?!\s*\[ADDRESS\])", text[max(0, m.start() - 80) : m.start()]
        )[-1]
        base = m.start() - len(clause)
        for start in _DESCRIPTION_START.finditer(clause):
            words = clause[start.start() :].lower().split()
            if len(words) > 10 or any(w.strip(",'’") in _NOT_DESCRIPTION for w in words):
                continue
            piece = clause[start.start() :]
            if not m.group("join"):
                if len(words) == 1:
                    spans.append((base + start.start(), m.end()))  # "the [ADDRESS] site"
            elif _BESIDE.search(f"{piece}{m.group('join')} "):
                spans.append((base + start.start(), m.end()))
            break
    return spans


def _landmark_streets(text: str) -> list[Span]:
    """ "above the chippy on Ransome", "the end terrace on Wendover": a word after a landmark
    or a home (within three words before "on") that is no everyday word, name or place."""
    marks = lists().landmarks
    spans = []
    for m in _ON_STREET.finditer(text):
        before = text[max(0, m.start() - 40) : m.start()].lower().split()[-3:]
        if not any(w.strip(",.;:") in marks for w in before):
            continue
        for group in ("street", "street2"):
            if m.group(group) and _street_like(m.group(group)):
                spans.append(m.span(group))
    return spans


def _street_like(word: str) -> bool:
    lower = word.lower().rstrip("'’s") if word.endswith(("'s", "’s")) else word.lower()
    words = lists()
    if lower in first_names() or lower in words.safe_words or lower in words.communities:
        return False
    if lower in words.relations or lower in words.acronyms or words.medicine(lower):
        return False
    return zipf(lower) < 3.3


def _cut_at_place(text: str, span: Span, protected: list[Span]) -> Span:
    """A room stays a home when its lodging is a named public place ("room 22 at the
    YMCA"): the place and the words leading to it are kept."""
    start, end = span
    cut = min((a for a, _ in protected if start < a < end), default=end)
    if cut < end:
        cut = start + len(_LEADING.sub("", text[start:cut]))
    return start, cut


_LEADING = re.compile(r"(?:,|\s+(?i:at|of|in|on))?(?:\s+[Tt]he)?\s*$")


def _inside(position: int, spans) -> bool:
    return any(a <= position < b for a, b in spans)
