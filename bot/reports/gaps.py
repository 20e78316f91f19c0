"""Gaps: unanswered and low-confidence questions, clustered by wording -> suggested entries."""

from __future__ import annotations

from collections import Counter, defaultdict

from . import charts, gap_sums
from .clusters import Cluster
from .model import Context, Section
from .tables import Table

TELLS_YOU = (
    "What practitioners ask that the knowledge pack cannot answer well, grouped so the same "
    "question asked fifty ways counts once; the biggest groups are the next entries to write."
)
SAMPLE = 5000  # distinct wordings clustered: the most asked, so the work stays bounded
SUGGESTED = 5


def make_clusters(ctx: Context) -> tuple[list[Cluster], int, int]:
    """Clusters of the most-asked gap wordings; also (questions clustered, with text)."""
    found = gap_sums.grouped(ctx, SAMPLE)
    with_text = sum(t.n for t in found.texts.values())
    # Each wording's counts over every agency, as Tallies of up to k askers (the report's).
    sample = [
        (text, found.texts[text].cluster(text, ctx.k, ctx.k, by_asker=False))
        for text in found.ranked
    ]
    keys = found.keys
    out = []
    for members in found.groups:
        merged = Cluster(acronyms=found.acronyms, k=ctx.k, public=found.public)
        for i in members:
            text, c = sample[i]
            merged.wordings.append((text, c.n, keys[i]))
            for agency, n in c.agencies.items():
                merged.agencies[agency] += n  # Counter.update would drop the askers
            merged.no_answer += c.no_answer
            merged.low += c.low
            merged.threshold += c.threshold
            merged.near.update(c.near)
        out.append(merged)
    out.sort(key=lambda c: (-c.n, c.label))
    return out, sum(c.n for _, c in sample), with_text


def agencies_asking(ctx: Context, c: Cluster) -> str:
    """Agencies with at least k questions from k askers by name; the rest only as a number."""
    named = [(a, n) for a, n in c.agencies.most_common() if ctx.shown(n)][:4]
    rest = len(c.agencies) - len(named)
    parts = [f"{ctx.agency_name(a)} {n:,}" for a, n in named]
    if rest:
        many = "agency" if rest == 1 else "agencies"
        parts.append(
            f"{rest} {'other ' if named else ''}{many}" + ("" if named else f", each under {ctx.k}")
        )
    return " · ".join(parts)


def action(ctx: Context, c: Cluster) -> str:
    near = c.near.most_common(1)[0][0] if c.near else None
    low = c.low
    if c.threshold * 2 >= c.n:
        return "Sharpen the level indicators and triggers: the bot was unsure of the level"
    if near and low >= c.no_answer:
        return f"Improve “{ctx.entry_title(near)}” so it answers this"
    if near:
        return f"New entry (the bot offered “{ctx.entry_title(near)}” instead)"
    return "New entry"


def top_gaps(ctx: Context, limit: int = SUGGESTED) -> list[tuple[str, int]]:
    """(most common wording, questions) for the biggest clusters that may be shown: k or more
    questions from k or more askers, worded in words k or more of them used."""
    return [(c.label, int(c.n)) for c in ctx.clusters if c.shown()][:limit]


def build(ctx: Context) -> Section:
    section = Section("gaps", "Gaps — unanswered and low-confidence questions", TELLS_YOU)
    clustered, with_text = ctx.gap_coverage
    big = [c for c in ctx.clusters if c.shown()]
    small = [c for c in ctx.clusters if not c.shown()]
    if big:
        section.blocks.append(
            charts.bars(
                [_short(c.label) for c in big[:10]],
                [c.n for c in big[:10]],
                title="Biggest groups of similar unanswered or low-confidence questions",
                alt="Bar chart of the biggest question clusters",
            )
        )
    suggested = [
        [i, c.label, c.n, len(c.agencies), action(ctx, c)] for i, c in enumerate(big[:SUGGESTED], 1)
    ]
    section.blocks.append(
        Table(
            "suggested_entries",
            "Suggested new entries (biggest groups first)",
            ["#", "Question to answer", "Questions", "Agencies", "Suggested action"],
            suggested,
            show=None,
            empty=f"No group of {ctx.k} or more similar questions.",
        )
    )
    for c in big[:1]:
        section.findings.append(
            f"Top gap: “{c.label}” — {c.n:,} questions from {len(c.agencies)} "
            f"agenc{'y' if len(c.agencies) == 1 else 'ies'}: {_lower_first(action(ctx, c))}."
        )
    rows = [
        [
            i,
            c.label,
            c.n,
            len(c.wordings),
            ctx.count(c.no_answer),
            ctx.count(c.low),
            agencies_asking(ctx, c),
            ctx.entry_title(c.near.most_common(1)[0][0]) if c.near else "—",
            "\n".join(c.examples(3)),
        ]
        for i, c in enumerate(big, 1)
    ]
    if small:
        groups = "group" if len(small) == 1 else "groups"
        rows.append(
            [
                "",
                f"{len(small):,} smaller {groups} (fewer than {ctx.k} questions or people "
                "each, or worded only in their own words)",
                ctx.count(sum(c.n for c in small)),
                "",
                "",
                "",
                "",
                "",
                "",
            ]
        )
    coverage = (
        f"The {min(SAMPLE, clustered):,} most-asked wordings were grouped: "
        f"{clustered:,} of {with_text:,} questions"
        if with_text
        else ""
    )
    section.blocks.append(
        Table(
            "gap_clusters",
            "Groups of similar questions",
            [
                "#",
                "Most common wording",
                "Questions",
                "Wordings",
                "Unanswered",
                "Low-confidence",
                "Agencies asking",
                "Closest entry offered",
                "Examples (redacted)",
            ],
            rows,
            show=15,
            note=(coverage + ". " if coverage else "")
            + f"A group is named only when {ctx.k} or more people asked {ctx.k} or more "
            f"questions in it, and a wording is quoted only when {ctx.k} or more of those "
            "people used each of its words, so nobody's own words are shown; question text is "
            "redacted before it is logged and purged after the retention period.",
            empty="No unanswered or low-confidence questions with text in this period.",
        )
    )
    section.blocks.append(_by_agency(ctx))
    return section


def _by_agency(ctx: Context) -> Table:
    c: dict[str, Counter] = defaultdict(Counter)
    for row in ctx.data.cube:
        if row.kind == "help":
            continue
        s = c[ctx.group(row.agency)]
        s["questions"] += row.n
        s["no_answer"] += row.n if row.kind == "no_answer" else 0
        s["low"] += row.n if row.low else 0
    rows = [
        [
            ctx.agency_name(a),
            ctx.count(c[a]["questions"]),
            ctx.count(c[a]["no_answer"]),
            ctx.count(c[a]["low"]),
            ctx.rate(c[a]["no_answer"] + c[a]["low"], c[a]["questions"]),
        ]
        for a in ctx.agency_order(c)
    ]
    return Table(
        "gaps_by_agency",
        "Unanswered and low-confidence questions by agency",
        ["Agency", "Questions", "Unanswered", "Low-confidence", "Gap rate"],
        rows,
        show=None,
    )


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]
