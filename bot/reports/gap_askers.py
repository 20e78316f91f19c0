"""Gap clusters that know how many different people stand behind them.

The same grouping of similar unanswered and low-confidence questions as the report's gaps
section, counted by distinct askers: only a cluster that k or more people asked may be quoted
on the one-page summary or turned into a draft entry (k = `min_cell_count`), and, as in the
gaps section, only by a wording each of whose telling words k or more of them used (the
counts are Tallies carrying their askers, so `Cluster.quotable` can tell).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from . import data, rollup_read
from .clusters import Cluster, Normaliser, cluster, public_words
from .model import Context
from .suppress import Tally

SAMPLE = 5000  # distinct wordings grouped: the most asked


@dataclass
class AskedCluster:
    """A gap cluster with the pseudonyms of the people who asked and the 👎 reasons given."""

    cluster: Cluster
    askers: set[str] = field(default_factory=set)
    reasons: Counter = field(default_factory=Counter)  # 👎 reasons on these questions
    keys: set[str] = field(default_factory=set)

    @property
    def people(self) -> int:
        return len(self.askers)

    @property
    def n(self) -> int:
        return self.cluster.n

    @property
    def label(self) -> str:
        return self.cluster.label


@dataclass
class _Sums:
    """One wording's questions, people and answers over the period."""

    n: int = 0
    no_answer: int = 0
    low: int = 0
    threshold: int = 0
    askers: set[str] = field(default_factory=set)
    unanswered_by: set[str] = field(default_factory=set)
    low_by: set[str] = field(default_factory=set)
    agencies: dict[str, list] = field(default_factory=dict)  # group -> [questions, askers]
    near: Counter = field(default_factory=Counter)

    def cluster(self, text: str, k: int) -> AskedCluster:
        c = Cluster(wordings=[(text, Tally(self.n, self.askers), "")], k=k)
        c.agencies = Counter({a: Tally(n, who) for a, (n, who) in self.agencies.items()})
        c.no_answer = Tally(self.no_answer, self.unanswered_by)
        c.low = Tally(self.low, self.low_by)
        c.threshold = self.threshold
        c.near = self.near
        return AskedCluster(c, askers=self.askers)


def _rows(ctx: Context, sql: str, params: list) -> list[tuple]:
    return data.rows(ctx.db_path, sql, params)


def asker_clusters(ctx: Context) -> list[AskedCluster]:
    """Every gap cluster in the scope, most people first (then most questions)."""
    gap = data.gap_sql(ctx.low_confidence)
    rows = ctx.data.gap_rows
    # Summed per wording in plain sets and numbers, then made into Tallies once: a year's
    # rows are one per wording, agency and person.
    sums: dict[str, _Sums] = {}
    for text, agency, asker, n, no_answer, threshold, near in rows:
        found = sums.get(text)
        if found is None:
            found = sums[text] = _Sums()
        no_answer = no_answer or 0
        found.n += n
        group = found.agencies.get(ctx.group(agency))
        if group is None:
            group = found.agencies[ctx.group(agency)] = [0, set()]
        group[0] += n
        found.no_answer += no_answer
        found.low += n - no_answer
        found.threshold += threshold or 0
        if near:
            found.near[near] += n
        if asker:
            found.askers.add(asker)
            group[1].add(asker)
            if no_answer:
                found.unanswered_by.add(asker)
            if n > no_answer:
                found.low_by.add(asker)
    by_text = {text: s.cluster(text, ctx.k) for text, s in sums.items()}
    if ctx.rollup is not None:
        reasons = _rows(ctx, *rollup_read.gap_reasons(ctx.scope))
    else:
        reasons = _rows(
            ctx,
            "select q.question, coalesce(f.reason, 'other'), count(*) from feedback f "
            f"join queries q on q.id = f.query_id where {ctx.scope.where('q')[0]} and "
            f"f.helpful = 0 and q.question is not null and {gap.replace('kind', 'q.kind')} "
            "group by 1, 2",
            ctx.scope.where("q")[1],
        )
    for text, reason, n in reasons:
        if text in by_text:
            by_text[text].reasons[reason] += n
    ranked = sorted(by_text.items(), key=lambda kv: (-kv[1].n, kv[0]))[:SAMPLE]
    normalise = Normaliser(ctx.pack)
    keys = [normalise(text) for text, _ in ranked]
    public = public_words(ctx.pack)
    out = []
    for members in cluster([(text, a.n) for text, a in ranked], keys=keys):
        merged = AskedCluster(Cluster(acronyms=normalise.acronyms, k=ctx.k, public=public))
        for i in members:
            text, found = ranked[i]
            c = found.cluster
            merged.cluster.wordings.append((text, c.n, keys[i]))
            for agency, n in c.agencies.items():
                merged.cluster.agencies[agency] += n  # Counter.update would drop the askers
            merged.cluster.no_answer += c.no_answer
            merged.cluster.low += c.low
            merged.cluster.threshold += c.threshold
            merged.cluster.near.update(c.near)
            merged.askers |= found.askers
            merged.reasons.update(found.reasons)
            merged.keys.add(keys[i])
        out.append(merged)
    out.sort(key=lambda a: (-a.people, -a.n, a.label))
    return out


def shown(ctx: Context, clusters: list[AskedCluster]) -> list[AskedCluster]:
    """The clusters k or more different people asked, with a wording that may be quoted
    (each telling word used by k or more of them): the only ones that may be quoted."""
    return [a for a in clusters if a.people >= ctx.k and a.cluster.shown()]
