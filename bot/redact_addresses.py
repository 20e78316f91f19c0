"""Street addresses in free text: a house number and a street ("17 Sewall Highway", "no 7
Hadleigh Rd", "14 Upper Spon Street"), a flat in a named building ("Flat 3, Kestrel House"),
a house with a name on a street ("Rose Cottage, Mill Lane"), a street on its own ("the flats
on Jardine Road"), and a number with a street name that has no street word, where a word
says it is an address ("lives at 35 Brookside").

The words that end a street, a building or a house's name are data (bot/data/redaction.yaml);
named public places ("Far Gosford Street", "Pool Meadow") stay, as the pack's phrases do.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache, lru_cache

from .redact_words import first_names, lists, very_common_english, zipf

Span = tuple[int, int]

NOT_HOUSE = re.compile(
    r"\b(?:level|year|yr|y|section|s|age|aged|part|stage|step|tier|page|para|paragraph|"
    r"chapter|week|day|ks|key stage|under|over|top|the)\s*$",
    re.I,
)
_DIRECTION = r"(?:\s+(?:North|South|East|West))?"
_CAPITALISED = r"(?:St\.|[A-Z][\w'’-]*)"
# Words before a number that say the number is a house's ("lives at 35 Brookside").
AT_HOME = re.compile(
    r"\b(?:lives?|living|staying|stays|stay|moved(?:\s+into)?|moving|resides|address(?:\s+(?:is|as|was))?|visited|"
    r"visit|home|house|property|outside|attended|at|to|from|c/o|care\s+of)\s*[:\-]?\s*(?:no\.?\s*|number\s+)?$",
    re.I,
)
# Words that do not start a street's name: "On Mill Lane", "Mum Lane"…
_NOT_STREET_START = frozenset(
    """
the a an on in at to from off near by of and or but into onto round around down up along
opposite behind past outside lives living live moved moving stays staying visited visit
""".split()
)


def _alternatives(words) -> str:
    return "|".join(
        re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True)
    )


@lru_cache(maxsize=1)
def _sources() -> dict[str, str]:
    """The expressions' sources (cheap: strings); `_pattern` compiles one when it is needed."""
    words = lists()
    street = rf"(?i:{_alternatives(words.street_endings)})"
    cased = _alternatives(words.street_endings_cased)
    plain = _alternatives(words.street_names_alone)  # endings that are never a common word
    building = _alternatives(words.building_endings)
    house = _alternatives(words.house_name_endings)
    flat = (
        r"(?:(?i:flat|apartment|apt|unit|room|house|maisonette)\s*(?:no\.?\s*)?\d+[a-zA-Z]?,?\s+"
        r"(?:(?i:block)\s+[A-Z0-9]{1,2},?\s+)?)"  # "Flat 7, Block B, Manor Court"
    )
    number = r"(?:(?i:no\.?|number|num\.?)\s*)?\d{1,4}[a-zA-Z]?(?:[-–]\d{1,4}[a-z]?)?,?\s+"
    # A street's name never runs over a line ("SENCo / DDSL\nKingsmead Lane").
    name_words = rf"(?:{_CAPITALISED}[ \t]+){{1,3}}"
    capital_endings = _alternatives(
        {w.capitalize() for w in words.street_endings} | set(words.street_endings_cased)
    )
    any_case_words = r"(?:[A-Za-z][\w'’.-]*\s+){1,3}"
    street_name = rf"{name_words}(?:{street}|{cased})\b{_DIRECTION}"
    return {
        # "17 Sewall Highway", "flat 3, 12 Park Road", "no 7 hadleigh rd", "90 Harnall Lane East"
        "numbered": rf"\b(?i:{flat})?{number}{any_case_words}{street}\b\.?{_DIRECTION}",
        # "4 Orchard Meadows": endings that are everyday words count only in capitals
        "numbered_cased": rf"\b(?i:{flat})?{number}{name_words}(?:{cased})\b",
        # "5 The Chesils": the house number, then "The" and a name that is no common word
        "numbered_the": r"\b\d{1,4}[a-z]?,?\s+[Tt]he\s+(?P<name>[A-Z][\w'’-]+)",
        # "flat 12, Meridian House", "Apt 5 Riverside Apartments"
        "building": (
            rf"\b{flat}(?i:at\s+|in\s+)?(?:{_CAPITALISED}\s+){{1,3}}(?:{building})\b"
            rf"(?:,?\s+(?:{number})?{street_name})?"
        ),
        # "Rose Cottage, Mill Lane", "the Old Rectory on Church Lane", "The Willows, Hall Lane"
        "house_on_street": (
            rf"(?<![\w'’-])(?=[A-Z]|[Tt]he\s)(?:[Tt]he\s+)?(?:{_CAPITALISED}\s+){{0,2}}(?:{house})\b"
            rf"(?:,\s*|\s+(?:on|in|off)\s+)(?:{number})?{street_name}"
        ),
        # "The Old Forge, Mill Lane": a house's name with "The", then its street
        "the_house_on_street": (
            rf"(?<![\w'’-])[Tt]he[ \t]+(?:{_CAPITALISED}[ \t]+){{0,2}}[A-Z][\w'’-]*,[ \t]*"
            rf"(?:{number})?{street_name}"
        ),
        # "behind Elm Tree Parade", "the flats on Calder Walk": a street without a number after
        # a word of place, whatever its last word ("Walk", "Way", "Parade" in capitals)
        "near_street": (
            rf"\b(?i:on|off|along|down|up|behind|near|opposite|past|outside)\s+"
            rf"(?P<street>{name_words}(?:{capital_endings}){_DIRECTION})\b"
        ),
        # "lives at Ivy Cottage": a house's name where a word says someone lives there
        "house_at_home": (
            rf"\b(?i:lives?|living|staying|stays|moved|moving|address(?:\s+is)?)\s*"
            rf"(?i:at|to|in)?\s*[:\-]?\s*(?P<house>(?:[Tt]he\s+)?(?:{_CAPITALISED}\s+){{0,2}}"
            rf"(?:{house}))\b"
        ),
        # "the flats on Jardine Road", "nan's on Church Lane": a street without a number
        "street": rf"(?<![\w'’-]){name_words}(?:{plain})\b{_DIRECTION}",
        # "[ADDRESS] on Lower Ford Street", "lives on Meadow Park"
        "after_address": rf"(?<=\[ADDRESS\])(?:,\s*|\s+(?:on|in|off)\s+){street_name}",
        "lives_on": (
            rf"\b(?i:lives?|living|staying|stays|moved|moving|resides|address(?:\s+is)?)\s+"
            rf"(?i:on|in|to|at)\s+(?P<street>{street_name})"
        ),
        # "lives at 35 Brookside": a number and a name with no street word
        "number_and_name": (
            r"(?<![\w/.:])(?P<number>\d{1,4}[a-zA-Z]?),?\s+(?P<name>[A-Z][a-z][\w'’-]*"
            r"(?:\s+[A-Z][a-z][\w'’-]*)?)"
        ),
    }


@cache
def _pattern(key: str) -> re.Pattern[str]:
    """One expression, compiled the first time a text could hold it: a one-question start
    compiles only what its question needs (these dozen big expressions took ~5 ms)."""
    return re.compile(_sources()[key])


# These need a digit (a house or flat number, or the number of a house on a street): a text
# with none cannot match them.
_NUMBERED = ("numbered", "numbered_cased", "numbered_the", "building")
_DIGIT = re.compile(r"\d")


def addresses(text: str, places: Callable[[str], list[Span]] = lambda _: []) -> list[Span]:
    """Spans of street addresses in `text`, none starting inside a named place (`places`
    finds those, asked only when there is an address to check)."""
    numbered = bool(_DIGIT.search(text))
    spans: list[Span] = []
    for key in _NUMBERED if numbered else ():
        for m in _pattern(key).finditer(text):
            if NOT_HOUSE.search(text[max(0, m.start() - 12) : m.start()]):
                continue  # "level 3 Early Help", "year 9 Maths"
            if key == "numbered_the" and zipf(m.group("name").lower()) >= 4.5:
                continue  # "3 The Mum said", not "5 The Chesils"
            if key == "numbered" and _everyday_words(m.group(0)):
                continue  # "2 buses each way", "2100 hrs after a row"
            spans.append(m.span())
    spans += [m.span() for m in _pattern("house_on_street").finditer(text)]
    spans += [m.span() for m in _pattern("the_house_on_street").finditer(text)]
    for m in _pattern("near_street").finditer(text):
        start = _street_start(text, m, group="street")
        if start is not None:
            spans.append((start, m.end("street")))
    spans += [m.span("house") for m in _pattern("house_at_home").finditer(text)]
    spans += [m.span("street") for m in _pattern("lives_on").finditer(text)]
    for m in _pattern("street").finditer(text):
        start = _street_start(text, m)
        if start is not None:
            spans.append((start, m.end()))
    # A street before a school word is the school's name ("Marsh Lane Primary"): the
    # schools' finder takes it whole.
    spans = [s for s in spans if not _SCHOOL_AFTER.match(text, s[1])]
    for m in _pattern("number_and_name").finditer(text) if numbered else ():
        if _house_number(text, m):
            spans.append(m.span())
    if not spans:
        return spans
    protected = places(text)
    found = [_before_place(text, s, protected) for s in spans if not _inside(s[0], protected)]
    return [_with_dwelling(text, s) for s in found]


# "the flats on Pennant Drive": the building is the address as much as the street is.
_DWELLING = re.compile(
    r"(?:\bthe\s+)?\b(?:flats|maisonettes|tower\s+blocks?|block|houses|bungalows|"
    r"new\s+builds?|terraces?)\s+(?:on|off|in|at|behind)\s+$",
    re.I,
)
_SCHOOL_AFTER = re.compile(
    r"\s+(?i:primary|school|academy|infants?|juniors?|nursery|college|pre-school|preschool|"
    r"high\s+school|c\s*of\s*e|church\s+of\s+england|rc|catholic)\b"
)


def _with_dwelling(text: str, span: Span) -> Span:
    before = _DWELLING.search(text, max(0, span[0] - 30), span[0])
    return (before.start(), span[1]) if before else span


_LISTED = re.compile(r",\s*$")  # "…, Spon End": a place after the address, not its street


def _before_place(text: str, span: Span, protected) -> Span:
    """An address stops where a named place starts ("Flat 4, Juniper House, Spon End")."""
    start, end = span
    places = [a for a, _ in protected if start < a < end and _LISTED.search(text, start, a)]
    cut = min(places, default=end)
    while start < cut < end and text[cut - 1] in " ,":
        cut -= 1
    return start, cut


def streets_after_addresses(
    text: str, places: Callable[[str], list[Span]] = lambda _: []
) -> list[Span]:
    """ "[ADDRESS] on Lower Ford Street": the street after an address, unless it is a named
    place ("[ADDRESS], Spon End")."""
    if "[ADDRESS]" not in text:
        return []
    spans = [m.span() for m in _pattern("after_address").finditer(text)]
    protected = places(text) if spans else []
    return [s for s in spans if not any(s[0] <= a < s[1] for a, _ in protected)]


def _everyday_words(found: str) -> bool:
    """An address typed all in lower case whose name has an everyday word in it ("2 buses
    each way") is a phrase, not an address ("9 cheylesmore drive" is one)."""
    if any(c.isupper() for c in found):
        return False
    words = re.findall(r"[a-z][a-z'’]*", found)[:-1]  # the name, without the street word
    common = very_common_english()
    return any(w in common for w in words if w not in ("flat", "no", "number", "apartment"))


def _street_start(text: str, m: re.Match[str], group: str | int = 0) -> int | None:
    """Where a street's name starts, past leading words that are not part of it ("On",
    "Mum"); None when no name is left ("Mill Lane" has one, "The Lane" has none)."""
    words = list(re.finditer(r"\S+", m.group(group)))
    relations = lists().relations
    for w in words[:-1]:
        lower = w.group(0).lower().rstrip("'’s")
        if lower in _NOT_STREET_START or lower in relations:
            continue
        return m.start(group) + w.start()
    return None


def _house_number(text: str, m: re.Match[str]) -> bool:
    """ "lives at 35 Brookside", "address: 12 Hawthorn, Coventry": a number after a word
    that says it is a house's, then a capitalised name that is no everyday word or first
    name ("at 9 Amy rang", "at 3 Kids")."""
    if not AT_HOME.search(text[max(0, m.start() - 30) : m.start()]):
        return False
    first = m.group("name").split()[0].lower().rstrip("'’s")
    if first in first_names() or first in lists().safe_words or first in lists().communities:
        return False
    return zipf(first) < 4.0


def _inside(position: int, spans) -> bool:
    return any(a <= position < b for a, b in spans)
