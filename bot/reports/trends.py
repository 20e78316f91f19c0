"""Trends: the most-asked topics over the period, and each agency over the last four quarters.

A cell is shown only when at least k distinct askers stand behind it (k = `min_cell_count`).
Lines never break on a suppressed point: when weekly cells are too thin the chart is drawn by
month, and a topic or agency too thin even then is left out of the chart (and named) or
folded into "Other agencies", rather than drawn with holes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from . import charts, data, rollup_read
from .model import Context, Section
from .periods import bucket_label, full_buckets, last_quarters, short_quarter, week_start
from .tables import Table

TELLS_YOU = (
    "Whether the most-asked topics are rising or falling, and how each partner's use has moved "
    "over the last four quarters: a rise after a policy change, an incident or a campaign shows "
    "where practitioners need support now."
)
TREND_TOPICS = 5
AGENCY_LINES = 6


def _week(column: str) -> str:
    return f"date({column}, '-6 days', 'weekday 1')"


def _month(column: str) -> str:
    return f"substr({column}, 1, 7) || '-01'"


WEEK_SQL, MONTH_SQL = _week("day"), _month("day")


def _quarter(column: str) -> str:
    """The first day of the calendar quarter holding `column` (a day, or a YYYY-MM month)."""
    return (
        f"substr({column}, 1, 5) || printf('%02d', ((cast(substr({column}, 6, 2) as integer) "
        f"- 1) / 3) * 3 + 1) || '-01'"
    )


QUARTER_SQL = _quarter("day")
OTHERS = "_others"


def _topic_sql() -> str:
    return "coalesce(topic, case kind when 'no_answer' then '(unanswered)' else '(no topic)' end)"


@dataclass
class Cells:
    """Questions and distinct askers per (bucket, key)."""

    questions: dict[tuple, int] = field(default_factory=lambda: defaultdict(int))
    askers: dict[tuple, int] = field(default_factory=lambda: defaultdict(int))
    gaps: dict[tuple, int] = field(default_factory=lambda: defaultdict(int))

    def shown(self, key: tuple, k: int) -> bool:
        """May this cell be drawn as its number: nobody asked, or k or more people did."""
        return self.questions.get(key, 0) == 0 or self.askers.get(key, 0) >= k


def _run(ctx: Context, sql: str, params: list) -> list[tuple]:
    return data.rows(ctx.db_path, sql, params)


def topic_cells(ctx: Context, unit: str) -> tuple[Cells, Cells]:
    """By topic and in total, per week or month of the period (help requests left out).
    Read once per unit: the chart and the table both use them."""
    key = ("topic_cells", unit)
    if key not in ctx._cache:
        ctx._cache[key] = _topic_cells(ctx, unit)
    return ctx._cache[key]


def _topic_cells(ctx: Context, unit: str) -> tuple[Cells, Cells]:
    bucket = _week if unit == "week" else _month
    by_topic, total = Cells(), Cells()
    if ctx.rollup is not None:
        (sql, params), (sql_total, params_total) = rollup_read.topic_cells(
            bucket("bucket"), ctx.scope
        )
        people = rollup_read.count_people
    else:
        where, params = ctx.scope.where()
        gap = data.gap_sql(ctx.low_confidence)
        sql = (
            f"select {bucket('day')}, {_topic_sql()}, count(*), count(distinct asker) "
            f"from queries where {where} and kind != 'help' group by 1, 2"
        )
        sql_total = (
            f"select {bucket('day')}, count(*), count(distinct asker), sum({gap}) from queries "
            f"where {where} and kind != 'help' group by 1"
        )
        params_total = params

        def people(n):
            return n

    for b, topic, n, who in _run(ctx, sql, params):
        by_topic.questions[(b, topic)] += n
        by_topic.askers[(b, topic)] = people(who)
    for b, n, who, gaps in _run(ctx, sql_total, params_total):
        total.questions[(b,)] = n
        total.askers[(b,)] = people(who)
        total.gaps[(b,)] = gaps or 0
    return by_topic, total


def agency_quarters(ctx: Context) -> tuple[list[tuple[date, date]], Cells]:
    """Questions, askers and gaps per agency in each of the last four quarters."""
    quarters = last_quarters(ctx.scope.date_to)
    wide = replace(ctx.scope, date_from=quarters[0][0], date_to=quarters[-1][1])
    cells = Cells()
    if ctx.rollup is not None:
        sql, params = rollup_read.by_quarter(_quarter("bucket"), wide, ctx.rollup, None)
        people = rollup_read.count_people
    else:
        where, params = wide.where()
        gap = data.gap_sql(ctx.low_confidence)
        sql = (
            f"select {QUARTER_SQL}, coalesce(agency, 'unknown'), count(*), "
            f"count(distinct asker), sum({gap}) from queries where {where} and kind != 'help' "
            "group by 1, 2"
        )

        def people(n):
            return n

    for q, agency, n, who, gaps in _run(ctx, sql, params):
        cells.questions[(q, agency)] = n
        cells.askers[(q, agency)] = people(who)
        cells.gaps[(q, agency)] = gaps or 0
    # "Other agencies": everyone not drawn on their own, counted once per person.
    return quarters, cells


def _others(ctx: Context, quarters, drawn: list[str]) -> Cells:
    wide = replace(ctx.scope, date_from=quarters[0][0], date_to=quarters[-1][1])
    if ctx.rollup is not None:
        sql, params = rollup_read.by_quarter(_quarter("bucket"), wide, ctx.rollup, drawn)
        people = rollup_read.count_people
    else:
        where, params = wide.where()
        marks = ",".join("?" * len(drawn)) or "''"
        sql = (
            f"select {QUARTER_SQL}, count(*), count(distinct asker) from queries where {where} "
            f"and kind != 'help' and coalesce(agency, 'unknown') not in ({marks}) group by 1"
        )
        params = [*params, *drawn]

        def people(n):
            return n

    cells = Cells()
    for q, n, who in _run(ctx, sql, params):
        cells.questions[(q, OTHERS)] = n
        cells.askers[(q, OTHERS)] = people(who)
    return cells


def _topic_chart(ctx: Context, section: Section, topics: list[str]) -> str:
    """The topics chart by week, or by month when a weekly point would be suppressed;
    returns the unit used for the table."""
    k = ctx.k
    for unit in ("week", "month"):
        buckets = full_buckets(ctx.scope.date_from, ctx.scope.date_to, unit)
        if len(buckets) < 2:
            continue
        cells, _ = topic_cells(ctx, unit)
        keys = [b.isoformat() for b in buckets]
        drawable = [t for t in topics if all(cells.shown((b, t), k) for b in keys)]
        if unit == "week" and len(drawable) < len(topics):
            continue  # some week is too thin to show: try months
        if drawable:
            section.blocks.append(
                charts.lines(
                    [bucket_label(b, unit) for b in buckets],
                    {
                        ctx.topic_title(t): [cells.questions.get((b, t), 0) for b in keys]
                        for t in drawable
                    },
                    title=f"Top {len(drawable)} topics: questions per full {unit}",
                    alt=f"Questions per {unit} for the most-asked topics",
                )
            )
        left = [ctx.topic_title(t) for t in topics if t not in drawable]
        if left:
            section.findings.append(
                f"Not drawn (fewer than {k} people asked in some {unit}): {', '.join(left)}."
            )
        return unit
    return "week"


def build(ctx: Context) -> Section:
    section = Section("trends", "Trends", TELLS_YOU)
    weekly, _ = topic_cells(ctx, "week")
    totals: dict[str, int] = defaultdict(int)
    for (_, topic), n in weekly.questions.items():
        totals[topic] += n
    topics = [t for t, _ in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))]
    topics = [t for t in topics if not t.startswith("(")][:TREND_TOPICS]
    if topics:
        _topic_chart(ctx, section, topics)
    # The table (and its CSV) is always weekly, whatever unit the chart needed.
    unit = "week"
    cells, total = topic_cells(ctx, unit)
    first, last = week_start(ctx.scope.date_from), week_start(ctx.scope.date_to)
    starts = [(first + timedelta(weeks=i)).isoformat() for i in range((last - first).days // 7 + 1)]
    rows = []
    whole = set(full_buckets(ctx.scope.date_from, ctx.scope.date_to, unit))
    for b in starts:
        start = date.fromisoformat(b)
        iso = start.isocalendar()
        rows.append(
            [
                (f"{start:%Y-%m-%d}" if unit == "week" else f"{start:%Y-%m}")
                + ("" if start in whole else f" (part {unit})"),
                *([f"{iso.year}-W{iso.week:02d}"] if unit == "week" else []),
                _cell(ctx, total, (b,)),
                *[_cell(ctx, cells, (b, t)) for t in topics],
                _cell(ctx, total, (b,), total.gaps.get((b,), 0)),
            ]
        )
    section.blocks.append(
        Table(
            "trends_weekly" if unit == "week" else "trends_monthly",
            f"Questions per {unit}",
            [
                *(["Week commencing", "ISO week"] if unit == "week" else ["Month"]),
                "All questions",
                *[ctx.topic_title(t) for t in topics],
                "Unanswered or low-confidence",
            ],
            rows,
            show=None if len(rows) <= 14 else 14,
            note=f"A count is shown when {ctx.k} or more different people stand behind it.",
        )
    )
    _agency_trend(ctx, section)
    return section


def _cell(ctx: Context, cells: Cells, key: tuple, value: int | None = None) -> int | str:
    n = cells.questions.get(key, 0) if value is None else value
    if not n:
        return 0
    return n if cells.askers.get(key, 0) >= ctx.k else f"<{ctx.k}"


def _agency_trend(ctx: Context, section: Section) -> None:
    quarters, cells = agency_quarters(ctx)
    keys = [q.isoformat() for q, _ in quarters]
    # Busiest first; a tie in agency order (a set's order changes with Python's hash seed).
    agencies = sorted(
        {a for (_, a) in cells.questions},
        key=lambda a: (-sum(cells.questions.get((q, a), 0) for q in keys), a),
    )
    steady = [a for a in agencies if all(cells.askers.get((q, a), 0) >= ctx.k for q in keys)]
    drawn = steady[:AGENCY_LINES]
    others = _others(ctx, quarters, drawn)
    series = {ctx.agency_name(a): [cells.questions.get((q, a), 0) for q in keys] for a in drawn}
    if all(others.shown((q, OTHERS), ctx.k) for q in keys) and any(
        others.questions.get((q, OTHERS)) for q in keys
    ):
        series["Other agencies"] = [others.questions.get((q, OTHERS), 0) for q in keys]
    labels = [short_quarter(q) for q, _ in quarters]
    if series:
        section.blocks.append(
            charts.lines(
                labels,
                series,
                title="Questions by agency, last four quarters",
                alt="Questions per quarter for each agency",
            )
        )
    rows = []
    for a in agencies:
        now, before = (cells.questions.get((q, a), 0) for q in keys[-1:-3:-1])
        seen = [cells.askers.get((q, a), 0) >= ctx.k for q in keys[-2:]]
        change = _change_words(now, before) if all(seen) and before else "–"
        rows.append(
            [
                ctx.agency_name(a),
                *[_cell(ctx, cells, (q, a)) for q in keys],
                change,
                ctx.rate(cells.gaps.get((keys[-1], a), 0), now)
                if cells.askers.get((keys[-1], a), 0) >= ctx.k
                else "–",
            ]
        )
        if a in drawn and all(seen) and before and abs(now - before) >= max(ctx.k, before / 4):
            way = "up" if now > before else "down"
            section.findings.append(
                f"{ctx.agency_name(a)}: questions {way} {abs(now / before - 1):.0%} on the "
                f"quarter before ({labels[-2]} {before:,} → {labels[-1]} {now:,})."
            )
    section.blocks.append(
        Table(
            "trends_agency_quarters",
            "Questions by agency, last four quarters",
            ["Agency", *labels, "Change on the quarter before", "Gap rate (latest quarter)"],
            rows,
            show=None,
            note=f"Lines are drawn only for agencies with {ctx.k} or more people asking in every "
            "quarter; the rest are drawn together as “Other agencies”, so no line has a gap.",
            empty="No questions in the last four quarters.",
        )
    )


def _change_words(now: int, before: int) -> str:
    """ "up 50%", "down 20%" or "no change": words, not a sign, so the CSV cell is text a
    spreadsheet shows as it is (a leading + or - would be neutralised as a formula)."""
    pct = round(100 * (now - before) / before)
    return "no change" if pct == 0 else f"{'up' if pct > 0 else 'down'} {abs(pct)}%"
