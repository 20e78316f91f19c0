"""Who asks what (agency × topic) and how the top topics move week by week."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

from . import charts
from .model import FEW, SECTOR_NAMES, Context, Section
from .scope import week_start
from .summary import weekly_volume
from .tables import Table

WHO_TELLS_YOU = (
    "Which partners use the bot and what they ask about; a partner asking far more about one "
    "topic than others is a lead for targeted guidance or training."
)
TRENDS_TELLS_YOU = (
    "Whether the most-asked topics are rising or falling: a rise after a policy change, an "
    "incident or a campaign shows where practitioners need support now."
)
MAX_TOPICS = 12
TREND_TOPICS = 5


def _topic(row) -> str:
    if row.topic:
        return row.topic
    return {"no_answer": "(unanswered)", "help": "(help)"}.get(row.kind, "(no topic)")


def agency_topics(ctx: Context) -> dict[str, Counter]:
    """Questions by reported agency group and topic (help requests left out)."""
    out: dict[str, Counter] = defaultdict(Counter)
    for row in ctx.data.cube:
        if row.kind != "help":
            out[ctx.group(row.agency)][_topic(row)] += row.n
    return out


def _by_agency_table(ctx: Context, counts: dict[str, Counter]) -> Table:
    stats: dict[str, Counter] = defaultdict(Counter)
    for row in ctx.data.cube:
        s = stats[ctx.group(row.agency)]
        s["questions"] += row.n
        s["threshold"] += row.n if row.threshold else 0
        s["gaps"] += row.n if row.gap else 0
        s["asked"] += row.n if row.kind != "help" else 0
        s["answered"] += row.answered
        s["emergencies"] += row.emergencies
    askers: Counter = Counter()
    for agency, n in ctx.data.askers_by_agency.items():
        askers[ctx.group(agency)] += n
    rows, sectors = [], defaultdict(Counter)
    for agency in ctx.agency_order(stats):
        s, sector = stats[agency], ctx.sector_of(agency)
        top = ", ".join(
            ctx.topic_title(t)
            for t, n in counts[agency].most_common(3)
            if ctx.shown(n) and not t.startswith("(")
        )
        rows.append(
            [
                SECTOR_NAMES.get(sector, sector),
                ctx.agency_name(agency),
                ctx.count(s["questions"]),
                ctx.count(askers[agency]),
                ctx.count(s["threshold"]),
                ctx.rate(s["answered"], s["asked"]),
                ctx.count(s["gaps"]),
                ctx.count(s["emergencies"]),
                top,
            ]
        )
        if agency != FEW:
            sectors[sector].update(s)
            sectors[sector]["agencies"] += 1
    for sector, s in sectors.items():
        if s["agencies"] > 1:  # sectors broken down into sub-categories get a subtotal
            rows.append(
                [
                    SECTOR_NAMES.get(sector, sector),
                    "All " + SECTOR_NAMES.get(sector, sector).lower() + " (subtotal)",
                    ctx.count(s["questions"]),
                    "",
                    ctx.count(s["threshold"]),
                    ctx.rate(s["answered"], s["asked"]),
                    ctx.count(s["gaps"]),
                    ctx.count(s["emergencies"]),
                    "",
                ]
            )
    return Table(
        "agencies",
        "Questions by agency",
        [
            "Sector",
            "Agency",
            "Questions",
            "People asking",
            "Threshold questions",
            "Answered",
            "Unanswered or low-confidence",
            "Emergencies",
            "Asks most about",
        ],
        rows,
        show=None,
        note=f"Agencies with fewer than {ctx.k} people asking are grouped so nobody can be "
        "picked out; sector subtotals follow the agencies.",
    )


def build_who(ctx: Context) -> Section:
    section = Section("who", "Who asks what", WHO_TELLS_YOU)
    counts = agency_topics(ctx)
    totals: Counter = Counter()
    for c in counts.values():
        totals.update(c)
    topics = [t for t, _ in totals.most_common()]
    shown = topics[:MAX_TOPICS]
    agencies = ctx.agency_order(counts)
    matrix = []
    for agency in agencies:
        row = [counts[agency][t] for t in shown]
        if len(topics) > MAX_TOPICS:
            row.append(sum(counts[agency][t] for t in topics[MAX_TOPICS:]))
        matrix.append(row)
    columns = [ctx.topic_title(t) for t in shown] + (
        ["Other topics"] if len(topics) > MAX_TOPICS else []
    )
    if agencies and shown:
        section.blocks.append(
            charts.heatmap(
                [ctx.agency_name(a) for a in agencies],
                columns,
                [[None if v and not ctx.shown(v) else int(v) for v in row] for row in matrix],
                k=ctx.k,
                title="Questions by agency and topic",
                alt="Heat map of questions by agency and topic",
                groups=[SECTOR_NAMES.get(ctx.sector_of(a), "") for a in agencies],
            )
        )
        top_agency = max(agencies, key=lambda a: sum(counts[a].values()))
        top_topic, n = counts[top_agency].most_common(1)[0]
        if ctx.shown(n):
            share = n / sum(counts[top_agency].values())
            section.findings.append(
                f"{ctx.agency_name(top_agency)} asks most; {share:.0%} of its questions are "
                f"about {ctx.topic_title(top_topic).lower()}."
            )
    section.blocks.append(_by_agency_table(ctx, counts))
    section.blocks.append(
        Table(
            "who_asks_what",
            "Questions by agency and topic (all topics)",
            ["Agency", *[ctx.topic_title(t) for t in topics]],
            [[ctx.agency_name(a), *[ctx.count(counts[a][t]) for t in topics]] for a in agencies],
            show=0,
        )
    )
    return section


def build_trends(ctx: Context) -> Section:
    section = Section("trends", "Trends", TRENDS_TELLS_YOU)
    weekly: dict[str, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    totals: Counter = Counter()
    for day, topic, n, _ in ctx.data.days:
        if topic != "(help)":
            weekly[topic][week_start(date.fromisoformat(day))] += n
            totals[topic] += n
    weeks, volume, gaps = weekly_volume(ctx)
    top = [t for t, _ in totals.most_common() if not t.startswith("(")][:TREND_TOPICS]
    full = [w for w in weeks if not ctx.scope.partial_week(w)]
    if len(full) >= 2 and top:
        section.blocks.append(
            charts.lines(
                [f"{w:%d %b}" for w in full],
                {ctx.topic_title(t): [_drawn(ctx, weekly[t][w]) for w in full] for t in top},
                title=f"Top {len(top)} topics: questions per full week (week commencing)",
                alt="Weekly questions for the most-asked topics",
            )
        )
        section.findings += _movers(ctx, weekly, full, top)
    rows = [
        [
            f"{w:%Y-%m-%d}" + (" (part week)" if ctx.scope.partial_week(w) else ""),
            f"{w.isocalendar().year}-W{w.isocalendar().week:02d}",
            ctx.count(volume[w]),
            *[ctx.count(weekly[t][w]) for t in top],
            ctx.count(gaps[w]),
        ]
        for w in weeks
    ]
    section.blocks.append(
        Table(
            "trends_weekly",
            "Questions per week",
            [
                "Week commencing",
                "ISO week",
                "All questions",
                *[ctx.topic_title(t) for t in top],
                "Unanswered or low-confidence",
            ],
            rows,
            show=None if len(rows) <= 14 else 14,
        )
    )
    return section


def _movers(ctx: Context, weekly, weeks: list[date], topics: list[str]) -> list[str]:
    """Topics whose weekly questions changed by a quarter or more between the two halves."""
    if len(weeks) < 4:
        return []
    half = len(weeks) // 2
    early, late = weeks[:half], weeks[-half:]
    out = []
    for t in topics:
        total_before = sum(weekly[t][w] for w in early)
        total_after = sum(weekly[t][w] for w in late)
        if not (ctx.shown(total_before) and ctx.shown(total_after)):
            continue  # a change of a few people's questions is theirs, not a trend
        before, after = total_before / half, total_after / half
        if before >= ctx.k and abs(after - before) >= before / 4:
            way = "up" if after > before else "down"
            out.append(
                f"{ctx.topic_title(t)} questions are {way} {abs(after / before - 1):.0%}: "
                f"{before:,.0f} a week from {early[0]:%d %b}, {after:,.0f} a week "
                f"from {late[0]:%d %b}."
            )
    return out


def _drawn(ctx: Context, n: int) -> int | None:
    """A weekly count as plotted: counts that cannot be shown leave a gap in the line."""
    return None if n and not ctx.shown(n) else int(n)
