"""Unanswered and low-confidence wordings, summed once for everything the report draws from
them: by wording and agency (with every asker behind each sum), then by wording.

The log gives one row per wording, agency and asker (a year's worth is two hundred thousand);
they are summed here in plain numbers and sets in one pass, and made into Tallies (counts
that carry their askers, suppress.Tally) once per wording, not once per row.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .clusters import Cluster, Normaliser, cluster, public_words
from .suppress import Tally


def sql_order(value) -> tuple:
    """SQLite's order (for max() and GROUP BY): NULL, numbers, text, blobs."""
    if value is None:
        return (0, 0)
    return (1 if isinstance(value, int | float) else 2 if isinstance(value, str) else 3, value)


@dataclass
class GapSum:
    """One unanswered or low-confidence wording from one agency, over the period."""

    n: int = 0
    no_answer: int = 0
    threshold: int = 0
    near: object = None  # the entry answered or offered (the greatest, as SQLite's max)
    askers: set = field(default_factory=set)
    unanswered_by: set = field(default_factory=set)
    low_by: set = field(default_factory=set)  # askers answered with low confidence
    # Questions by the entry each asker's were answered with or offered (their greatest).
    nears: Counter = field(default_factory=Counter)


def gap_sums(rows: list[tuple]) -> dict[tuple[str, str], GapSum]:
    """(question, agency, asker, questions, unanswered, threshold questions, entry) rows,
    summed by (question, agency)."""
    sums: dict[tuple[str, str], GapSum] = {}
    for text, agency, asker, n, no_answer, threshold, near in rows:
        found = sums.get((text, agency))
        if found is None:
            found = sums[(text, agency)] = GapSum()
        no_answer = no_answer or 0
        found.n += n
        found.no_answer += no_answer
        found.threshold += threshold or 0
        if near is not None:
            was = found.near
            if was is None or (
                near > was if type(near) is type(was) else sql_order(near) > sql_order(was)
            ):
                found.near = near
            if near:
                found.nears[near] += n
        if asker:
            found.askers.add(asker)
            if no_answer:
                found.unanswered_by.add(asker)
            if n > no_answer:
                found.low_by.add(asker)
    return sums


def gap_texts(sums: dict[tuple[str, str], GapSum], cap: int) -> list[tuple]:
    """By wording and agency: the questions, those unanswered and those answered with low
    confidence (Tallies of up to `cap` askers each), threshold questions, and the entry."""
    return [
        (
            text,
            agency,
            Tally(g.n, g.askers, cap),
            Tally(g.no_answer, g.unanswered_by, cap),
            Tally(g.n - g.no_answer, g.low_by, cap),
            g.threshold,
            g.near,
        )
        for (text, agency), g in sums.items()
    ]


@dataclass
class TextSum:
    """One wording over every agency."""

    n: int = 0
    no_answer: int = 0
    low: int = 0
    threshold: int = 0
    askers: set = field(default_factory=set)
    unanswered_by: set = field(default_factory=set)
    low_by: set = field(default_factory=set)
    agencies: dict[str, list] = field(default_factory=dict)  # group -> [questions, askers]
    near_by_asker: Counter = field(default_factory=Counter)  # each asker's greatest entry
    near_by_agency: Counter = field(default_factory=Counter)  # each agency's greatest entry

    def cluster(self, text: str, k: int, cap: int, by_asker: bool) -> Cluster:
        """The wording as a one-wording Cluster, its counts Tallies of up to `cap` askers;
        the entry it was answered with or offered counted per asker or per agency."""
        c = Cluster(wordings=[(text, Tally(self.n, self.askers, cap), "")], k=k)
        c.agencies = Counter({a: Tally(n, who, cap) for a, (n, who) in self.agencies.items()})
        c.no_answer = Tally(self.no_answer, self.unanswered_by, cap)
        c.low = Tally(self.low, self.low_by, cap)
        c.threshold = self.threshold
        c.near = Counter(self.near_by_asker if by_asker else self.near_by_agency)
        return c


def by_text(sums: dict[tuple[str, str], GapSum], group) -> dict[str, TextSum]:
    """The wordings over every agency; `group(agency)` is the agency as reported."""
    out: dict[str, TextSum] = {}
    for (text, agency), g in sums.items():
        found = out.get(text)
        if found is None:
            found = out[text] = TextSum()
        found.n += g.n
        found.no_answer += g.no_answer
        found.low += g.n - g.no_answer
        found.threshold += g.threshold
        found.near_by_asker.update(g.nears)
        if g.near:
            found.near_by_agency[g.near] += g.n
        reported = group(agency)
        place = found.agencies.get(reported)
        if place is None:
            place = found.agencies[reported] = [0, set()]
        place[0] += g.n
        place[1] |= g.askers
        found.askers |= g.askers
        found.unanswered_by |= g.unanswered_by
        found.low_by |= g.low_by
    return out


@dataclass
class Grouped:
    """The most asked wordings grouped by similar wording: what both kinds of gap cluster
    are made of (the gaps section's, and the board summary's that count people)."""

    texts: dict[str, TextSum]  # every wording
    ranked: list[str]  # the `sample` most asked, most asked first
    keys: list[str]  # each ranked wording's normalised key
    groups: list[list[int]]  # positions in `ranked`, biggest group first
    acronyms: frozenset[str]
    public: frozenset[str]


def grouped(ctx, sample: int) -> Grouped:
    """Made once per report (ctx._cache): normalising and grouping thousands of wordings is
    the slow part, and it is the same for both."""
    key = ("gap_groups", sample)
    if key not in ctx._cache:
        texts = by_text(ctx.data.gap_sums, ctx.group)
        ranked = sorted(texts, key=lambda text: (-texts[text].n, text))[:sample]
        normalise = Normaliser(ctx.pack)
        keys = [normalise(text) for text in ranked]
        groups = cluster([(text, texts[text].n) for text in ranked], keys=keys)
        ctx._cache[key] = Grouped(
            texts, ranked, keys, groups, normalise.acronyms, public_words(ctx.pack)
        )
    return ctx._cache[key]
