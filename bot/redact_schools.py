"""Named schools, academies, colleges and nurseries: a name before a school word
("Whitley Academy", "pearl hyde primary", "Busy Bees nursery"), a saint's school by the
saint alone ("St B's", "st aidans"), or a name the list of local schools knows. Schools
named without a school word after them are bot/redact_school_cues.py's. The words are data
(bot/data/redaction.yaml)."""

from __future__ import annotations

import re
from functools import lru_cache

from .redact_school_cues import after_school_cue, bracketed_after_school_word, on_street, saints
from .redact_words import first_names, lists, surnames, zipf

Span = tuple[int, int]

_TOKEN = re.compile(r"(?<![\w'’])(?:[^\W\d_][\w'’.\-]*[^\W_.]|[^\W\d_]|\d+)(?![\w])")
_LINK = {"of", "the", "and", "&", "st", "st.", "rc", "r.c.", "ce", "c.e.", "cofe", "c", "e"}


@lru_cache(maxsize=1)
def _school_ending() -> re.Pattern[str]:
    words = lists().school_words | set(lists().school_endings)
    alternatives = sorted((re.escape(w).replace(r"\ ", r"\s+") for w in words), key=len)
    return re.compile(r"\b(?:" + "|".join(reversed(alternatives)) + r")\b", re.I)


@lru_cache(maxsize=1)
def _school_names() -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    """Known school names: (any case, capitals only)."""

    def pattern(names: list[str], flags: int) -> re.Pattern[str] | None:
        if not names:
            return None
        alternatives = []
        for name in sorted(names, key=len, reverse=True):
            words = [re.escape(w) for w in name.split()]
            if flags == 0:
                words = [w[:1].upper() + w[1:] for w in words]
            alternatives.append(r"\s+".join(words).replace("'", "['’]?"))
        return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", flags)

    plain = [n for n, cased in lists().school_names if not cased]
    cased = [n for n, cased in lists().school_names if cased]
    return pattern(plain, re.I), pattern(cased, 0)


def schools(text: str, protected: list[Span], acronyms: frozenset[str] = frozenset()) -> list[Span]:
    """Named schools, academies, colleges and nurseries: a name before a school word
    ("Whitley Academy", "pearl hyde primary", "Busy Bees nursery"), or a name the list of
    local schools knows ("moved from Caludon Castle to Lyng Hall")."""
    spans = []
    acronyms = acronyms | lists().acronyms
    endings = [(m.start(), m.end()) for m in _school_ending().finditer(text)]
    endings += [m.span() for m in _HIGH.finditer(text)]
    for at, ending_end in endings:
        word = text[at:ending_end]
        phrase = next(((a, b) for a, b in protected if a <= at < b), None)
        if phrase is not None and (
            phrase[1] != ending_end
            or " ".join(text[phrase[0] : phrase[1]].lower().split()) in lists().safe_phrases
        ):
            continue  # "the school nurse", "Sunday school", "the Virtual School": no school
        if phrase is not None:
            # A school word in a known phrase ("Children's Centre") names a setting only
            # with a name before the phrase ("Canley Children's Centre", not "the Virtual
            # School").
            at, ending_end = phrase[0], max(phrase[1], ending_end)
            word = text[at:ending_end]
        start = _school_name_start(text, at, word[:1].isupper(), acronyms)
        if start is None:
            continue
        end = _school_end(text, ending_end)
        if not word[:1].isupper() and text[start : start + 1].isupper():
            end = at - 1  # "Busy Bees nursery": the name, not the word for it
        spans.append((start, end))
    spans += on_street(text)
    spans += [(start, _school_end(text, end)) for start, end in saints(text, protected)]
    spans += after_school_cue(text, protected)
    spans += bracketed_after_school_word(text)
    for pattern in _school_names():
        if pattern is None:
            continue
        for m in pattern.finditer(text):
            if not any(a <= m.start() < b for a, b in protected):
                spans.append((m.start(), _school_end(text, m.end())))
    return spans


# "Westbrook High": a school by its name and "High" alone, never a street or a court.
_HIGH = re.compile(
    r"(?<=[A-Za-z’'] )High\b(?!\s+(?:Street|St|Road|Rd|Court|Sheriff|Commission|Commissioner|"
    r"Cross|Peak|Town|Wycombe|Definition|Chair|Heels?|Tide|Risk|Needs?|School)\b)"
)


def _school_end(text: str, end: int) -> int:
    """Take in following school words: "Holy Family Catholic Primary" + " School" (in the
    same case: "Whitley Academy nursery" is the academy's nursery class)."""
    while True:
        nxt = re.match(r"\s+", text[end:])
        gap = nxt.end() if nxt else 0
        more = _school_ending().match(text, end + gap) if gap else None
        if not more or _capitalised_before(text, end) != more.group(0)[:1].isupper():
            return end
        end = more.end()


def _capitalised_before(text: str, end: int) -> bool:
    """Whether the word that ends at `end` starts with a capital."""
    start = end
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return text[start : start + 1].isupper()


def _school_name_start(
    text: str, at: int, capital_word: bool, acronyms: frozenset[str]
) -> int | None:
    """Where the name before a school word starts, or None when no name is there."""
    words = lists()
    before = list(_TOKEN.finditer(text[max(0, at - 80) : at]))
    offset = max(0, at - 80)
    chosen: list[re.Match[str]] = []
    position = at
    for token in reversed(before):
        gap = text[offset + token.end() : position]
        word = token.group(0)
        lower = word.lower()
        dot = lower in ("st", "rc", "ce") and gap.startswith(".")
        # "Hilltop Boys' School": a plural's apostrophe stays inside the name
        if not re.fullmatch(r"['’]?\s{1,2}|\s*&\s*|\s*-\s*", gap[dot:]) or len(chosen) >= 6:
            break
        if any(c.isdigit() for c in word):
            break  # "Y1 and nursery", "2nd school"
        if not capital_word and not chosen and lower in _LINK - {"rc", "ce", "cofe"}:
            break  # "sib of nursery", "school and nursery"
        capital = word[:1].isupper()
        if word.isupper() and len(word) > 1 and lower in acronyms and lower not in _LINK:
            break  # "SEND school", "PRU": a kind of school, not its name ("RC" links one)
        if lower in _LINK or capital or (not capital_word and _name_like(lower)):
            chosen.append(token)
            position = offset + token.start()
            continue
        break
    # Drop generic words and links at the front ("the", "our local"), keep the name; a
    # capitalised adjective in a name written in capitals is the name's ("Good Shepherd
    # Catholic Primary", "New Horizons Academy").
    while (
        chosen
        and not _our_lady(chosen)
        and not (capital_word and _title_word(chosen))
        and (
            chosen[-1].group(0).lower() in words.generic_school_words
            or chosen[-1].group(0).lower() in _LINK - {"st", "st."}
            or chosen[-1].group(0).lower() in words.relations
        )
    ):
        chosen.pop()
    named = [
        t
        for t in chosen
        if t.group(0).lower() not in words.generic_school_words | _LINK
        and t.group(0).lower().rstrip("s'’") not in words.relations
        and t.group(0).lower() not in words.communities  # "the Polish Saturday school"
    ]
    if not named:
        return None
    if not capital_word and not any(
        t.group(0)[:1].isupper() or _name_like(t.group(0).lower()) for t in named
    ):
        return None
    return offset + chosen[-1].start()


_DETERMINERS = frozenset(
    "the a an our his her their my your its this that which what any every each all both some "
    "no one two at to in from for of and or with by on is was be local another other same "
    "next last first previous former current nearest different".split()
)


def _title_word(chosen: list[re.Match[str]]) -> bool:
    """The front word is a capitalised adjective before another capitalised word of the name
    ("Good Shepherd"), not a determiner ("The", "Our", "Local")."""
    if len(chosen) < 2:
        return False
    front, after = chosen[-1].group(0), chosen[-2].group(0)
    return (
        front[:1].isupper()
        and not front.isupper()
        and front.lower() not in _DETERMINERS
        and after[:1].isupper()
        and after.lower() not in lists().generic_school_words
    )


def _our_lady(chosen: list[re.Match[str]]) -> bool:
    """ "Our Lady of …", "All Saints …": a school's name, not "our" or "all" schools."""
    if len(chosen) < 2:
        return False
    return f"{chosen[-1].group(0)} {chosen[-2].group(0)}".lower() in lists().school_name_starts


def _name_like(lower: str) -> bool:
    """A lower-case word that could be part of a school's name: rare in English, a name,
    or a place ("westfield", "hyde", "stoke"), and no generic word."""
    words = lists()
    if (
        len(lower) < 3
        or not lower.replace("'", "").isalpha()
        or lower in words.generic_school_words
        or lower.rstrip("s'’") in words.relations
        or lower in words.school_words
    ):
        return False
    if lower in words.safe_words:
        return True  # a local place: "stoke", "hillfields"
    if lower in surnames() or lower in first_names():
        return zipf(lower) < 4.0  # "hyde primary", not "chase school"
    return zipf(lower) < 3.5 and not lower.endswith(("ing", "ed"))
