"""Group questions worded alike (rapidfuzz), so fifty ways of asking one thing count once.

Each question is reduced to a key: its content-word stems, sorted (the matcher's own
normalisation, minus words every safeguarding question shares), with the pack's acronyms
folded together ("no recourse to public funds" and "NRPF" become one token). Wordings are
taken most asked first; each joins the cluster whose keys it most resembles (token-set
similarity of at least SIMILARITY) or starts a new one.

A wording is quoted (as a cluster's label or example) only when every telling word in it
was used by at least k distinct askers in that cluster, so no detail only one person gave
(a place, a nickname, a number) ever reaches a report. Everyday English words and the
pack's own vocabulary tell nothing about a person and need no such count.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz, process

from ..redact_words import zipf
from ..text import STOPWORDS, content_stems, stem, tokens
from .suppress import visible

SIMILARITY = 70  # token_set_ratio (0-100) needed to join a cluster
REPRESENTATIVES = 6  # keys per cluster that newcomers are compared with
# Words nearly every safeguarding question contains (so they say nothing about which
# question it is), the wording of "what level is this?", and redaction placeholders.
GENERIC = frozenset(
    stem(w)
    for w in (
        "child",
        "children",
        "kid",
        "kids",
        "young",
        "person",
        "people",
        "safeguarding",
        "concern",
        "worried",
        "quick",
        "question",
        "help",
        "advice",
        "ok",
        "okay",
        "level",
        "levels",
        "rhrt",
        "tier",
        "threshold",
        "early",
        "mash",
        "referral",
        "refer",
        "which",
        "would",
        "is",
        "this",
        "need",
        "needs",
        "name",
        "date",
        "postcode",
        "phone",
        "email",
        "address",
        "url",
        "coventry",
        "guide",
        "minute",
        "omg",
        "mean",
        "meaning",
        "again",
        "thing",
        "something",
        "where",
    )
)
SMALL_WORDS = frozenset({"to", "of", "and", "the", "a", "an", "for", "in", "on", "with", "or"})
_PLACEHOLDER = re.compile(r"\[[A-Z_]+\]")
_CHATTER = re.compile(
    r"^\s*(?:re\s*\[[A-Z_]+\]\s*:?\s*|(?:hi|hello|hey|morning)\b[,!.]?\s*|"
    r"quick question\s*[-:–]?\s*|please help\s*[:-]?\s*|can you tell me\s+)+|"
    r"[\s,.!]*(?:thanks|thank you|please|ta|cheers)?[\s?.!]*$",
    re.I,
)


def tidy(text: str, acronyms: frozenset[str] = frozenset()) -> str:
    """A wording fit for a heading: greetings and sign-offs dropped, known acronyms in
    capitals, one question mark."""
    core = _CHATTER.sub("", text).strip(" -–,:?") or text.strip(" ?")
    core = re.sub(r"\bi\b", "I", core)
    if acronyms:
        core = re.sub(r"\b[a-z]{2,6}\b", lambda m: m[0].upper() if m[0] in acronyms else m[0], core)
    return core[:1].upper() + core[1:] + "?"


EVERYDAY_ZIPF = 4.0  # words at least this common in English identify nobody ("support")


@lru_cache(maxsize=65536)
def telling_words(text: str, public: frozenset[str] = frozenset()) -> frozenset[str]:
    """The words of a wording that could point at someone: stems of words that are neither
    everyday English nor in `public` (the pack's vocabulary), numbers included (a house or
    room number is a detail too)."""
    out = set()
    for word in tokens(_PLACEHOLDER.sub(" ", text)):
        if word in STOPWORDS:
            continue
        root = stem(word)
        if root in public or (not word.isdigit() and zipf(word) >= EVERYDAY_ZIPF):
            continue
        out.add(root)
    return frozenset(out)


def public_words(pack) -> frozenset[str]:
    """Stems of the pack's titles and aliases: public guidance words, never a detail."""
    if pack is None:
        return frozenset()
    words: set[str] = set()
    for entry in pack.entries.values():
        for name in (entry.title, *entry.aliases):
            words.update(stem(w) for w in tokens(name))
    for area in pack.areas.values():
        for name in (area.title, *area.aliases):
            words.update(stem(w) for w in tokens(name))
    return frozenset(words)


@dataclass
class Cluster:
    """Similar questions: each wording with its count (a Tally: the askers behind it) and
    key, who asked, what was nearest."""

    wordings: list[tuple[str, int, str]] = field(default_factory=list)  # (text, n, key)
    agencies: Counter = field(default_factory=Counter)
    no_answer: int = 0
    low: int = 0  # answered, with low confidence
    threshold: int = 0  # of them "what level is this?" questions answered with low confidence
    near: Counter = field(default_factory=Counter)  # entries answered with or offered
    acronyms: frozenset[str] = frozenset()  # written in capitals in the label
    k: int = 1  # askers who must have used a word before a wording with it is quoted
    public: frozenset[str] = frozenset()  # stems any wording may use (the pack's words)
    _people_by_word: dict[str, frozenset] | None = field(default=None, repr=False)
    _label: str | None = field(default=None, repr=False)
    _askers_known: bool = field(default=False, repr=False)

    @property
    def n(self) -> int:
        return sum(count for _, count, _ in self.wordings)

    def quotable(self, text: str) -> bool:
        """May this wording be quoted: did k or more askers in the cluster use each of its
        telling words?"""
        if self._people_by_word is None:
            found: dict[str, set] = {}
            known = False  # plain counts (no askers known) leave nobody to protect
            for wording, count, _ in self.wordings:
                people = getattr(count, "people", None)
                known = known or people is not None
                for word in telling_words(wording, self.public):
                    found.setdefault(word, set()).update(people or ())
            self._people_by_word = {w: frozenset(p) for w, p in found.items()} if known else {}
            self._askers_known = known
        if not self._askers_known:
            return True
        return all(
            len(self._people_by_word.get(w, ())) >= self.k for w in telling_words(text, self.public)
        )

    def _by_key(self) -> list[list[tuple[str, int, str]]]:
        """Quotable wordings grouped by key (prefix and punctuation variants), biggest group
        first."""
        groups: dict[str, list] = {}
        for wording in self.wordings:
            if self.quotable(wording[0]):
                groups.setdefault(wording[2], []).append(wording)
        return sorted(groups.values(), key=lambda g: (-sum(w[1] for w in g), g[0][0]))

    @property
    def label(self) -> str:
        """The shortest wording of the most asked way of putting it that may be quoted, or
        "" when none may. Worked out once: a cluster is not changed once it is made."""
        if self._label is None:
            groups = self._by_key()
            if not groups:
                self._label = ""
            else:
                shortest = min(groups[0], key=lambda w: (len(tidy(w[0])), -w[1], w[0]))[0]
                self._label = tidy(shortest, self.acronyms)
        return self._label

    def examples(self, limit: int = 3) -> list[str]:
        """Differently worded examples that may be quoted, most asked first (the log holds
        only redacted text)."""
        groups = self._by_key()
        others = [max(g, key=lambda w: (w[1], -len(w[0])))[0] for g in groups[1:]]
        first = [w[0] for w in sorted(groups[0], key=lambda w: (-w[1], w[0]))] if groups else []
        picked, seen = [], set()
        for text in first[:1] + others + first[1:]:
            plain = tidy(text).lower()
            if plain not in seen:
                seen.add(plain)
                picked.append(text)
        return picked[:limit]

    def shown(self) -> bool:
        """May the cluster be reported by name: k or more questions from k or more askers,
        and a wording every word of which k or more of them used?"""
        return visible(self.n, self.k) and bool(self.label)


def acronyms(pack) -> dict[tuple[str, ...], str]:
    """Multi-word phrases in the pack that have an acronym alias: phrase tokens -> acronym."""
    found: dict[tuple[str, ...], str] = {}
    if pack is None:
        return found
    groups = [[e.title, *e.aliases] for e in pack.entries.values()]
    groups += [[a.title, *a.aliases] for a in pack.areas.values()]
    for names in groups:
        short = [n.lower() for n in names if re.fullmatch(r"[A-Za-z]{2,6}", n.strip())]
        for name in names:
            words = tuple(tokens(name))
            if len(words) < 2:
                continue
            initials = "".join(w[0] for w in words if w not in SMALL_WORDS)
            for acronym in short:
                if acronym == initials:
                    found.setdefault(words, acronym)
    return found


class Normaliser:
    """Question text -> the sorted content stems that clustering compares."""

    def __init__(self, pack=None):
        phrases = acronyms(pack)
        self.phrases = sorted(phrases.items(), key=lambda p: -len(p[0]))
        self.acronyms = frozenset(phrases.values())

    def __call__(self, text: str) -> str:
        words = tokens(_PLACEHOLDER.sub(" ", text))
        if self.phrases:
            joined = f" {' '.join(words)} "
            for phrase, acronym in self.phrases:
                needle = f" {' '.join(phrase)} "
                if needle in joined:
                    joined = joined.replace(needle, f" {acronym} ")
            words = joined.split()
        stems = [s for s in content_stems(words) if s not in GENERIC and not s.isdigit()]
        return " ".join(sorted(set(stems)))


def cluster(
    items: Iterable[tuple[str, int]],
    normalise: Normaliser | None = None,
    similarity: float = SIMILARITY,
    keys: list[str] | None = None,
) -> list[list[int]]:
    """Indices of `items` (text, weight) grouped by similar wording, biggest group first."""
    items = list(items)
    if keys is None:
        normalise = normalise or Normaliser()
        keys = [normalise(text) for text, _ in items]
    close = _Overlap(keys)
    order = sorted(range(len(items)), key=lambda i: (-items[i][1], items[i][0]))
    groups: list[list[int]] = []
    by_key: dict[str, int] = {}
    reps: list[tuple[str, int]] = []  # (key, group) compared with newcomers
    by_word: dict[str, list[int]] = {}  # word -> positions in reps (only these can match)
    rep_count: Counter = Counter()
    for i in order:
        key = keys[i]
        if key in by_key:
            groups[by_key[key]].append(i)
            continue
        target = None
        seen = sorted({at for word in key.split() for at in by_word.get(word, ())})
        if seen:
            choices = [reps[at][0] for at in seen]
            for rep, _score, at in process.extract(
                key, choices, scorer=fuzz.token_set_ratio, score_cutoff=similarity, limit=8
            ):
                if close(key, rep):
                    target = reps[seen[at]][1]
                    break
        if target is None:
            groups.append([i])
            target = len(groups) - 1
        else:
            groups[target].append(i)
        by_key[key] = target
        if key and rep_count[target] < REPRESENTATIVES:
            for word in set(key.split()):
                by_word.setdefault(word, []).append(len(reps))
            reps.append((key, target))
            rep_count[target] += 1
    weight = [sum(items[i][1] for i in g) for g in groups]
    return [groups[g] for g in sorted(range(len(groups)), key=lambda g: -weight[g])]


class _Overlap:
    """Guards token-set similarity, which scores 100 when one key's words are a subset of the
    other's: two keys must share two informative words (or all of the shorter one's), where
    words found in many of the wordings do not count."""

    def __init__(self, keys: list[str]):
        distinct = set(keys)
        df = Counter(word for key in distinct for word in key.split())
        floor = max(20, 0.03 * len(distinct))
        self.common = {word for word, n in df.items() if n >= floor}

    def __call__(self, a: str, b: str) -> bool:
        x, y = set(a.split()) - self.common, set(b.split()) - self.common
        if not x or not y:
            return fuzz.token_sort_ratio(a, b) >= 85
        if min(len(x), len(y)) == 1:  # one word joins only another short question
            return max(len(x), len(y)) <= 2 and bool(x & y)
        return len(x & y) >= 2
