"""The words of a message as the name rules see them, and the small word sets they share:
a word's bare form ("Tyler's" -> "Tyler"), possessives, gaps between words, spans."""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

from .redact_words import all_surnames, first_names, zipf

Span = tuple[int, int]
COMMON_ZIPF = 4.0  # words at least this common in English are not taken for names alone
WORD = re.compile(r"[^\W\d_](?:[\w'’\-]*[^\W\d_])?(?:['’]s?)?")
PLACEHOLDER = re.compile(r"\[[A-Z_]+\]")
IRISH_SURNAME = re.compile(r"(?:o|d)'[a-z]{3,}$")  # "o'brien", "d'souza"
# Verbs that put an all-capitals word in a person's place ("KM disclosed", "SJ says").
PERSON_VERBS = frozenset(
    """
says said disclosed discloses told tells came comes went goes keeps kept wants wanted lives
lived hits hit seems seemed cried cries ran refused refuses admitted admits alleged alleges
stayed stays slept sleeps wet wets hid hides
""".split()
)
NEVER_SURNAMES = frozenset(
    """
year yr level reception nursery school primary academy college police team plan hub mash dsl
and or but the a an at in on to for of with from by is was has had are were be been
i i'd i'm i'll i've i’d i’m i’ll i’ve
""".split()
)
# Words after a name that say it is a person doing or being something ("Precious won't eat",
# "Ruby was born", "Sunny said"): with these an everyday word that is a name is one.
AFTER_PERSON = PERSON_VERBS | frozenset(
    """
is was has had does did doesn't didn't won't wont can't cant isn't wasn't hasn't hadn't
will would could should needs needed gets got keeps refuses refused told tells asked asks
""".split()
)
MONTHS_AND_DAYS = frozenset(
    """
monday tuesday wednesday thursday friday saturday sunday january february march april may june
july august september october november december
""".split()
)
THING_LINKS = frozenset({"and", "of", "the", "for", "&", "on", "in"})

Words = list[re.Match[str]]


def merge(spans: list[Span]) -> list[Span]:
    out: list[Span] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def inside_any(position: int, merged: list[Span]) -> bool:
    """Whether `position` lies inside one of `merged` (sorted, not overlapping): a binary
    search (a scan of every span for every word was O(words x spans) per message)."""
    i = bisect_right(merged, (position, float("inf"))) - 1
    return i >= 0 and merged[i][0] <= position < merged[i][1]


_APOSTROPHE_S = re.compile(r"['’]s?$")


@lru_cache(maxsize=65536)
def strip_possessive(token: str) -> str:
    return _APOSTROPHE_S.sub("", token)


@lru_cache(maxsize=65536)
def is_possessive(token: str) -> bool:
    return bool(_APOSTROPHE_S.search(token)) or s_possessive(token)


def s_possessive(token: str) -> bool:
    """ "jaydens dad": a first name with an s, when the word is not a name itself ("Harris")."""
    lower = token.lower()
    return (
        lower.endswith("s")
        and len(lower) > 3
        and lower[:-1] in first_names()
        and lower not in first_names()
        and lower not in all_surnames()
    )


def end_without_possessive(m: re.Match[str]) -> int:
    token = m.group(0)
    stem = strip_possessive(token)
    if stem != token:
        return m.start() + len(stem)
    if s_possessive(token):
        return m.end() - 1  # "jaydens dad": the name is "jayden"
    return m.end()


def next_to(a: re.Match[str], b: re.Match[str], text: str, strict: bool = False) -> bool:
    between = text[a.end() : b.start()]
    return between in (" ", "") if strict else bool(re.fullmatch(r"\s{1,3}", between))


_VERB_ENDING = re.compile(r"(?:ising|izing|ised|ized|ing|ed|ly|ies|ness|ment|tion|sion)$")


def verb_or_adverb(word: str) -> bool:
    """An English word by its ending ("summarising", "attending", "denies", "slowly"), for
    words no name list knows: -ness, -ment, -tion and -sion always; -ing, -ed, -ly and -ies
    when what is left is an English word ("attend", "summarise"), so "Xiaoming" is no verb."""
    m = _VERB_ENDING.search(word)
    if len(word) <= 5 or m is None:
        return False
    suffix = m.group(0)
    if suffix in ("ness", "ment", "tion", "sion") or zipf(word) >= 3.0:
        return True
    stem = word[: -len(suffix)]
    if suffix.startswith(("is", "iz")):
        stems = [stem + "ise", stem + "ize"]
    else:
        stems = [stem, stem + "e"]
        if stem.endswith("i"):
            stems.append(stem[:-1] + "y")  # "denied", "happily"
        if suffix == "ies":
            stems.append(stem + "y")  # "denies"
        if len(stem) > 2 and stem[-1] == stem[-2]:
            stems.append(stem[:-1])  # "running", "stopped"
    return any(zipf(s) >= 3.0 for s in stems if len(s) > 2)


def starts_sentence(words: Words, i: int, text: str) -> bool:
    if i == 0:
        return not text[: words[0].start()].strip(" \"'(")
    between = text[words[i - 1].end() : words[i].start()]
    return bool(re.search(r"[.!?:;\n]|\s-\s", between))


def inside_placeholder(m: re.Match[str], text: str) -> bool:
    return m.start() > 0 and text[m.start() - 1] == "[" and text[m.end() : m.end() + 1] == "]"
