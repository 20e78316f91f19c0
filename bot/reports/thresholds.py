"""Thresholds: "what level is this?" questions, where practitioners disagreed, borderline areas."""

from __future__ import annotations

from collections import Counter, defaultdict

from . import charts
from .charts import LEVEL_COLOURS
from .model import Context, Section
from .tables import Table

TELLS_YOU = (
    "Which partners are unsure about levels of need, which levels they are steered to, and "
    "where they think the suggested level was wrong — the core of threshold training."
)


def _areas(row) -> tuple[str, ...]:
    return row.areas or ("(area not recorded)",)


def _collect(ctx: Context):
    by_agency: dict[str, Counter] = defaultdict(Counter)
    by_area: dict[str, Counter] = defaultdict(Counter)
    for row in ctx.data.cube:
        if not row.threshold:
            continue
        agency = ctx.group(row.agency)
        by_agency[agency][row.level] += row.n
        by_agency[agency]["low"] += row.n if row.low else 0
        for area in _areas(row):
            by_area[area][row.level] += row.n
            by_area[area]["total"] += row.n
            by_area[area]["low"] += row.n if row.low else 0
    disagree: dict[str, Counter] = defaultdict(Counter)
    for fb in ctx.data.feedback:
        if fb.kind not in ("triage", "level", "emergency"):
            continue
        agency = ctx.group(fb.agency)
        disagree[agency]["rated"] += fb.n
        disagree[agency]["wrong"] += fb.n if fb.disagreement else 0
        if fb.disagreement:
            disagree[agency][("level", fb.level)] += fb.n
            for area in _areas(fb):
                by_area[area]["wrong"] += fb.n
    return by_agency, by_area, disagree


def _agency_table(ctx: Context, ranks: list[int], by_agency, disagree) -> Table:
    rows = []
    for agency in ctx.agency_order(by_agency):
        c, d = by_agency[agency], disagree[agency]
        total = sum(c[r] for r in ranks)
        rows.append(
            [
                ctx.agency_name(agency),
                ctx.count(total),
                *[ctx.count(c[r]) for r in ranks],
                ctx.count(c["low"]),
                ctx.count(d["rated"]),
                ctx.count(d["wrong"]),
                ctx.rate(d["wrong"], d["rated"]),
            ]
        )
    rows.sort(key=lambda r: -(r[1] if isinstance(r[1], int) else 0))
    return Table(
        "thresholds_by_agency",
        "Threshold questions by agency and suggested level",
        [
            "Agency",
            "Threshold questions",
            *[ctx.level_name(r) for r in ranks],
            "Low-confidence",
            "Rated",
            "Disagreed with level",
            "Disagreement rate",
        ],
        rows,
        show=None,
    )


def _level_table(ctx: Context, ranks: list[int], by_agency, disagree) -> Table:
    asked: Counter = Counter()
    for c in by_agency.values():
        asked.update({r: c[r] for r in ranks})
    wrong: Counter = Counter()
    for d in disagree.values():
        wrong.update({r: d[("level", r)] for r in ranks})
    rows = [
        [
            ctx.level_name(r),
            ctx.count(asked[r]),
            ctx.count(wrong[r]),
            ctx.rate(wrong[r], asked[r], 1),
        ]
        for r in ranks
    ]
    return Table(
        "thresholds_disagreements",
        "Feedback that disagreed with the suggested level",
        [
            "Suggested level",
            "Threshold questions",
            "Disagreed (not helpful: wrong level)",
            "Per 100 questions",
        ],
        rows,
        show=None,
    )


def _area_table(ctx: Context, ranks: list[int], by_area) -> tuple[Table, list[str]]:
    noted = set()
    if ctx.pack:
        for ind in ctx.pack.indicators.values():
            if ind.distinguish:
                noted.add(ind.area)
    rows, findings = [], []
    for area, c in sorted(by_area.items(), key=lambda kv: -kv[1]["total"]):
        if not c["total"]:
            continue
        split = sorted(((c[r], r) for r in ranks), reverse=True)
        (n1, r1), (n2, r2) = (split + [(0, None), (0, None)])[:2]
        borderline = ctx.shown(c["total"]) and ctx.shown(n2) and n2 >= 0.25 * c["total"]
        rows.append(
            [
                ctx.area_title(area),
                ctx.count(c["total"]),
                *[ctx.count(c[r]) for r in ranks],
                ctx.count(c["low"]),
                ctx.count(c["wrong"]),
                "yes" if borderline else "",
                "yes" if area in noted else "no",
            ]
        )
        if borderline and len(findings) < 2:
            findings.append(
                f"Borderline: {ctx.area_title(area)} — {c['total']:,} threshold questions split "
                f"{ctx.level_name(r1)} {n1 / c['total']:.0%} / {ctx.level_name(r2)} "
                f"{n2 / c['total']:.0%}"
                + (f", {c['wrong']:,} disagreements" if ctx.shown(c["wrong"]) else "")
                + "."
            )
    table = Table(
        "thresholds_by_area",
        "Areas asked most in threshold questions",
        [
            "Area",
            "Threshold questions",
            *[ctx.level_name(r) for r in ranks],
            "Low-confidence",
            "Disagreed",
            "Borderline",
            "Pack has a 'distinguish' note",
        ],
        rows,
        note="Borderline: the second most suggested level accounts for a quarter or more of "
        "the area's threshold questions. A question can name more than one area.",
    )
    return table, findings


def build(ctx: Context) -> Section:
    section = Section("thresholds", "Thresholds", TELLS_YOU)
    by_agency, by_area, disagree = _collect(ctx)
    seen = {r for c in by_agency.values() for r in c if isinstance(r, int)}
    ranks = ctx.level_ranks(seen)
    drawn = [
        a for a in ctx.agency_order(by_agency) if ctx.shown(sum(by_agency[a][r] for r in ranks))
    ]
    if drawn:
        drawn.sort(key=lambda a: -sum(by_agency[a][r] for r in ranks))
        section.blocks.append(
            charts.stacked_bars(
                [ctx.agency_name(a) for a in drawn],
                {
                    ctx.level_name(r): [
                        by_agency[a][r] if ctx.shown(by_agency[a][r]) else 0 for a in drawn
                    ]
                    for r in ranks
                },
                colours=LEVEL_COLOURS,
                title="Threshold questions by agency and suggested level",
                alt="Stacked bars of threshold questions per agency by suggested level",
                totals=[sum(by_agency[a][r] for r in ranks) for a in drawn],
                k=ctx.k,
            )
        )
    section.blocks.append(_agency_table(ctx, ranks, by_agency, disagree))
    worst = [
        (d["wrong"] / d["rated"], a)
        for a, d in disagree.items()
        if ctx.shown(d["rated"]) and ctx.shown(d["wrong"])
    ]
    if worst:
        rate, agency = max(worst)
        d = disagree[agency]
        section.findings.append(
            f"{ctx.agency_name(agency)} disagrees most with suggested levels: {d['wrong']:,} of "
            f"{d['rated']:,} rated threshold answers ({rate:.0%})."
        )
    section.blocks.append(_level_table(ctx, ranks, by_agency, disagree))
    table, findings = _area_table(ctx, ranks, by_area)
    section.blocks.append(table)
    section.findings += findings
    return section
