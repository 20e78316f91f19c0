"""The one-page summary for the partnership board: what it can read in five minutes.

Three biggest changes on the period before, the top gaps with the suggested fix, training to
offer to whom, questions sent to advisers, and the scrutiny review's own asks where the log
can speak to them. Every number stands on k or more different people (`min_cell_count`).
The same content is drawn as an A4 PDF (board_pdf) and print-ready HTML (board_html).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from . import data, escalation_stats, gap_askers, gaps, rollup_read, summary, training
from .model import SECTOR_NAMES, Context
from .periods import previous_name

MAX_GAPS, MAX_TRAINING, MAX_CHANGES = 4, 4, 3


@dataclass
class Headline:
    label: str
    value: str
    change: str = ""


@dataclass
class BoardSummary:
    partnership: str
    title: str
    period: str
    compared: str
    generated: str
    headlines: list[Headline] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    gaps: list[tuple[str, str, str]] = field(default_factory=list)  # wording, fix, size
    training: list[str] = field(default_factory=list)
    advisers: list[str] = field(default_factory=list)
    scrutiny: list[tuple[str, str]] = field(default_factory=list)  # ask, what the log says
    partners: list[tuple[str, int, int]] = field(default_factory=list)  # sector, now, before
    notes: str = ""


def _rows(ctx: Context, sql: str, params: list) -> list[tuple]:
    return data.rows(ctx.db_path, sql, params)


def _by(ctx: Context, column: str, scope) -> dict[str, tuple[int, int]]:
    """(questions, distinct askers) by a column of the log, help requests left out. (From
    the rollup, the askers are counted as far as "k or more" needs.)"""
    if ctx.rollup is not None:
        sql, params = rollup_read.by_column(column, scope, ctx.rollup)
        rows = [(key, n, rollup_read.count_people(w)) for key, n, w in _rows(ctx, sql, params)]
    else:
        where, params = scope.where()
        rows = _rows(
            ctx,
            f"select {column}, count(*), count(distinct asker) from queries where {where} "
            f"and kind != 'help' group by 1",
            params,
        )
    return {key or "unknown": (n, people) for key, n, people in rows}


def _shown(n: int | str) -> str:
    return f"{n:,}" if isinstance(n, int) else str(n)


def biggest_changes(ctx: Context) -> list[str]:
    """The three largest moves in questions by agency or topic, where k or more people
    asked in both periods (a move is weighed against its size: |Δ| / √before)."""
    k, before_scope = ctx.k, ctx.scope.previous()
    found = []
    for column, name in (("agency", ctx.agency_name), ("topic", ctx.topic_title)):
        now, before = _by(ctx, column, ctx.scope), _by(ctx, column, before_scope)
        for key in set(now) & set(before):
            (n1, p1), (n0, p0) = now[key], before[key]
            if key in ("unknown",) or min(p1, p0) < k or min(n1, n0) < k or n1 == n0:
                continue
            what = (
                f"Questions from {name(key)}"
                if column == "agency"
                else f"Questions about {name(key).lower()}"
            )
            way = "up" if n1 > n0 else "down"
            text = f"{what} {way} {abs(n1 / n0 - 1):.0%} ({n0:,} → {n1:,})"
            found.append((abs(n1 - n0) / math.sqrt(n0), text))
    found.sort(key=lambda f: -f[0])
    out = [text + "." for _, text in found[:MAX_CHANGES]]
    t, p = summary.totals(ctx), ctx.data.previous
    asked, asked0 = t["questions"] - t["help"], p.get("questions", 0) - p.get("help", 0)
    if len(out) < MAX_CHANGES and asked >= k and asked0 >= k:
        now, was = t["answered"] / asked, p.get("answered", 0) / asked0
        out.append(f"The bot answered {now:.0%} of questions (was {was:.0%}).")
    return out or [f"No change large enough to show: fewer than {k} people asked in either period."]


def top_gaps(ctx: Context) -> list[tuple[str, str, str]]:
    shown = gap_askers.shown(ctx, gap_askers.asker_clusters(ctx))
    return [
        (a.label, gaps.action(ctx, a.cluster), f"{a.n:,} questions from {a.people:,} people")
        for a in shown[:MAX_GAPS]
    ]


def training_offers(ctx: Context) -> list[str]:
    needs = training.needs(ctx)
    askers = training.course_askers(ctx)
    out = []
    for choice in training.by_course(ctx, needs, askers)[:MAX_TRAINING]:
        o = choice.offer
        people = askers.get((o.agency, o.course.id), 0)
        out.append(
            f"“{o.course.title}” to {ctx.agency_name(o.agency)}: {o.total('questions'):,} "
            f"questions from {people:,} people, {choice.rate:.0%} unsure or disagreed "
            f"(partnership {choice.overall:.0%})."
        )
    return out


def scrutiny(ctx: Context) -> list[tuple[str, str]]:
    """The scrutiny review's asks (config `report.scrutiny`), answered from the log by
    partner (sector) where it can be, and said plainly where it cannot."""
    out = []
    where, params = ctx.scope.where()
    for ask in (ctx.config.report or {}).get("scrutiny") or []:
        entries = [str(e) for e in ask.get("entries") or ()]
        topics = [str(t) for t in ask.get("topics") or ()]
        known = [e for e in entries if ctx.pack is None or e in ctx.pack.entries]
        label, about = str(ask["ask"]), str(ask.get("about") or "questions on this")
        if not known and not topics:
            out.append((label, "The log cannot speak to this: no entry in the pack covers it."))
            continue
        marks_e, marks_t = ",".join("?" * len(known)) or "''", ",".join("?" * len(topics)) or "''"
        if ctx.rollup is not None:
            sql, args = rollup_read.scrutiny(ctx.scope, ctx.rollup, known, topics)
            rows = [(s, n, rollup_read.count_people(w)) for s, n, w in _rows(ctx, sql, args)]
        else:
            rows = _rows(
                ctx,
                "select coalesce(sector, 'unknown'), count(*), count(distinct asker) from "
                f"queries where {where} and (entry_id in ({marks_e}) or topic in ({marks_t})) "
                "group by 1",
                [*params, *known, *topics],
            )
        if not rows:
            out.append((label, f"No {about} in this period."))
            continue
        rows.sort(key=lambda r: -r[1])
        named = [f"{SECTOR_NAMES.get(s, s)} {n:,}" for s, n, people in rows if people >= ctx.k]
        rest = sum(n for _, n, people in rows if people < ctx.k)
        total = sum(n for _, n, _ in rows)
        people_total = sum(people for _, _, people in rows)
        if people_total < ctx.k:
            out.append((label, f"{about[:1].upper() + about[1:]}: fewer than {ctx.k} people."))
            continue
        text = f"{total:,} {about}" + (f": {', '.join(named)}" if named else "")
        if rest and named:
            text += f", others {rest:,}"
        out.append((label, text + " (by partner)."))
    return out


def partners(ctx: Context) -> list[tuple[str, int, int]]:
    """Questions by sector this period and the one before (sectors with k+ people in both)."""
    now, before = _by(ctx, "sector", ctx.scope), _by(ctx, "sector", ctx.scope.previous())
    out = []
    for sector in SECTOR_NAMES:
        n1, p1 = now.get(sector, (0, 0))
        n0, p0 = before.get(sector, (0, 0))
        if sector == "unknown" or (p1 < ctx.k and p0 < ctx.k):
            continue
        out.append(
            (
                SECTOR_NAMES[sector],
                n1 if p1 >= ctx.k else 0,
                n0 if p0 >= ctx.k else 0,
            )
        )
    return out


def build(ctx: Context) -> BoardSummary:
    pack, scope = ctx.pack, ctx.scope
    h = summary.headline(ctx)
    stats = escalation_stats.load(ctx)
    people = len(stats.people)
    t = summary.totals(ctx)
    change, _ = summary._change(
        t["questions"], ctx.data.previous.get("questions", 0), ctx.k, previous_name(scope)
    )
    who = ""
    if scope.agency:
        who = f" · {ctx.agency_name(scope.agency)}"
    elif scope.sector:
        who = f" · {SECTOR_NAMES.get(scope.sector, scope.sector)} sector"
    board = BoardSummary(
        partnership=pack.name if pack else "Safeguarding partnership",
        title="What practitioners asked: the board summary",
        period=scope.label() + who,
        compared=f"compared with {previous_name(scope)} ({scope.previous().label()})",
        generated=f"{datetime.now(UTC):%d %b %Y}",
        headlines=[
            Headline("Questions", _shown(h["questions"]), change.replace("■ ", "")),
            Headline("People asking", _shown(h["askers"])),
            Headline(
                "Answered by the bot",
                f"{h['answered_rate']:.0%}" if h["answered_rate"] is not None else "–",
            ),
            Headline("Sent to advisers", _shown(escalation_stats.count(ctx, stats.total, people))),
            Headline("Median first reply", escalation_stats.median_reply(ctx, stats)),
        ],
    )
    board.changes = biggest_changes(ctx)
    board.gaps = top_gaps(ctx)
    board.training = training_offers(ctx)
    board.advisers = (
        escalation_stats.lines(ctx, stats)
        if people >= ctx.k or not stats.total
        else [f"Fewer than {ctx.k} people sent questions to advisers."]
    )
    board.scrutiny = scrutiny(ctx)
    board.partners = partners(ctx)
    board.notes = (
        f"Every number stands on {ctx.k} or more different people; smaller groups are not "
        "shown. Askers are pseudonymous; question text is redacted before it is logged. "
        "The full report (report.html and its CSVs) has every table behind this page."
    )
    return board


def write(ctx: Context, out: Path) -> list[Path]:
    """board-summary.pdf (one A4 page) and board-summary.html (print-ready, A4)."""
    from .board_html import render_html
    from .board_pdf import render_pdf

    board = build(ctx)
    pdf = out / "board-summary.pdf"
    fitted = render_pdf(board, pdf)
    html = out / "board-summary.html"
    html.write_text(render_html(fitted), encoding="utf-8")
    return [pdf, html]
