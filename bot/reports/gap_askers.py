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

from . import data, gap_sums, rollup_read
from .clusters import Cluster
from .model import Context
from .suppress import PEOPLE_CAP

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


def _rows(ctx: Context, sql: str, params: list) -> list[tuple]:
    return data.rows(ctx.db_path, sql, params)


def asker_clusters(ctx: Context) -> list[AskedCluster]:
    """Every gap cluster in the scope, most people first (then most questions)."""
    gap = data.gap_sql(ctx.low_confidence)
    grouping = gap_sums.grouped(ctx, SAMPLE)
    texts = grouping.texts
    # Each wording over every agency, its counts Tallies of up to PEOPLE_CAP askers.
    ranked = [
        (
            text,
            AskedCluster(
                texts[text].cluster(text, ctx.k, PEOPLE_CAP, by_asker=True), texts[text].askers
            ),
        )
        for text in grouping.ranked
    ]
    by_text = dict(ranked)
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
    keys = grouping.keys
    out = []
    for members in grouping.groups:
        merged = AskedCluster(Cluster(acronyms=grouping.acronyms, k=ctx.k, public=grouping.public))
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
