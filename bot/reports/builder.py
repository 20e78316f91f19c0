"""build_report: query log -> sections -> report.html + one CSV per table."""

from __future__ import annotations

import gc
import sqlite3
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from .. import rollup
from ..config import Config, load_config
from . import (
    board,
    charts,
    content,
    data,
    escalation_stats,
    gaps,
    summary,
    thresholds,
    training,
    trends,
    usage,
)
from .model import Context, Section
from .periods import previous_name
from .render import generated_at, render
from .scope import ReportError, Scope, make_scope
from .tables import write_csv

SECTIONS: tuple[Callable[[Context], Section], ...] = (
    summary.build,
    usage.build_who,
    thresholds.build,
    gaps.build,
    escalation_stats.build,
    content.build,
    training.build,
    trends.build,
)
# Which sections feed "Act on these", in order, and how many findings each may add.
ACTIONS = (("gaps", 2), ("training", 2), ("content", 2), ("thresholds", 2), ("trends", 1))


@dataclass
class ReportResult:
    """What a report run produced, for the CLI and for Slack."""

    html_path: Path
    csv_paths: list[Path]
    summary_text: str  # a few lines of Slack mrkdwn
    headline: dict  # the headline numbers, suppressed (see summary.headline)
    top_gaps: list[tuple[str, int]]  # (most common wording, questions), biggest first
    scope: Scope
    seconds: float = 0.0
    findings: list[str] = field(default_factory=list)
    board_paths: list[Path] = field(default_factory=list)  # the one-page PDF and HTML


def _context(
    config: Config,
    pack,
    scope: Scope,
    db_path: Path,
    today: date,
    progress: Callable[[str], None] | None,
    with_previous: bool = True,
    use_rollup: bool = True,
) -> Context:
    if not Path(db_path).exists():
        raise ReportError(f"{db_path}: no query log found")
    # The rollup, brought up to date first (bot/rollup.py); without it (not wanted, or the
    # log cannot be written) every query reads the log itself, with the same result.
    summed = rollup.ensure(db_path, config, progress=progress) if use_rollup else None
    try:
        low = data.low_confidence_line(config)
        log = data.load(
            db_path,
            scope,
            low=low,
            with_previous=with_previous,
            progress=progress,
            people_cap=max(1, int(config.min_cell_count)),
            rollup=summed,
        )
    except sqlite3.DatabaseError as exc:
        from ..querylog import damaged

        repair = " — run `python -m bot log repair`" if damaged(exc) else ""
        raise ReportError(f"{db_path}: cannot read the query log ({exc}){repair}") from exc
    ctx = Context(config, pack() if callable(pack) else pack, scope, log, today, low)
    ctx.db_path = Path(db_path)
    ctx.rollup = summed
    clusters, clustered, with_text = gaps.make_clusters(ctx)
    ctx.clusters, ctx.gap_coverage = clusters, (clustered, with_text)
    return ctx


def _warm_up_words() -> None:
    """Load word frequencies (which wordings may be quoted, clusters.telling_words) in the
    background while the database works: the import and its data take a good part of a
    second."""
    from ..redact_words import zipf

    zipf("report")


@contextmanager
def _collector_paused():
    """No cyclic garbage collection while a report is made: it allocates hundreds of
    thousands of small objects that live until it is done (counts with their askers), and the
    collector scanning them again and again took longer than the report's own work. Nothing a
    report makes is a cycle that needs collecting before it ends."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def build_report(
    config: Config,
    pack,
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    agency: str | None = None,
    out_dir: str | Path,
    db_path: str | Path | None = None,
    today: date | None = None,
    progress: Callable[[str], None] | None = None,
    use_rollup: bool = True,
) -> ReportResult:
    """Write OUT_DIR/report.html and a CSV per table for the period (default: last 30 days).

    `agency` is an agency id or a sector. `pack` is a Pack, None (entry titles then show as
    ids) or a function returning one, called once the log has been read (so a caller can load
    the pack while the database works). `use_rollup=False` reads every question from the
    log rather than its rollup (the same report, slower). Raises ReportError for anything the
    caller can fix: dates, agency, a missing or unreadable log.
    """
    with _collector_paused():
        return _build_report(
            config, pack, date_from, date_to, agency, out_dir, db_path, today, progress, use_rollup
        )


def _build_report(
    config, pack, date_from, date_to, agency, out_dir, db_path, today, progress, use_rollup
) -> ReportResult:
    started = time.perf_counter()
    say = progress or (lambda _message: None)
    today = today or datetime.now(UTC).date()
    scope = make_scope(config, date_from=date_from, date_to=date_to, agency=agency, today=today)
    charts.warm_up()
    threading.Thread(target=_warm_up_words, daemon=True).start()
    say(f"report: reading the query log for {scope.label()}")
    ctx = _context(
        config, pack, scope, Path(db_path or config.db_path), today, progress, use_rollup=use_rollup
    )
    sections = []
    for make in SECTIONS:
        step = time.perf_counter()
        sections.append(make(ctx))
        say(f"report: {sections[-1].title} ({time.perf_counter() - step:.1f}s)")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    csv_paths = [write_csv(t, out) for s in sections for t in s.tables]
    actions = _actions(sections)
    html = render(
        sections=sections,
        actions=actions,
        meta=_meta(ctx),
        notes=_notes(ctx),
        warnings=_warnings(ctx),
    )
    html_path = out / "report.html"
    html_path.write_text(html, encoding="utf-8")
    step = time.perf_counter()
    board_paths = board.write(ctx, out)
    say(f"report: the one-page board summary ({time.perf_counter() - step:.1f}s)")
    findings = [text for text, _ in actions]
    return ReportResult(
        html_path,
        csv_paths,
        summary.slack_text(ctx, findings),
        summary.headline(ctx),
        gaps.top_gaps(ctx),
        scope,
        time.perf_counter() - started,
        findings,
        board_paths,
    )


def _actions(sections: list[Section]) -> list[tuple[str, Section]]:
    by_id = {s.id: s for s in sections}
    out = []
    for section_id, limit in ACTIONS:
        section = by_id.get(section_id)
        if section:
            out += [(f, section) for f in section.findings[:limit]]
    return out


def _meta(ctx: Context) -> dict:
    pack = ctx.pack
    scope = ctx.scope
    who = "All agencies"
    if scope.agency:
        who = ctx.agency_name(scope.agency)
    elif scope.sector:
        who = f"{scope.sector.replace('-', ' ').capitalize()} sector"
    return {
        "title": "What practitioners asked, and what to do about it",
        "partnership": pack.name if pack else "Safeguarding partnership",
        "period": scope.label(),
        "who": who,
        "previous": scope.previous().label(),
        "generated": generated_at(datetime.now(UTC)),
        "pack": f"{pack.id} {pack.version}" if pack else "(not loaded)",
    }


def _warnings(ctx: Context) -> list[str]:
    out = []
    if not ctx.data.cube:
        out.append("No questions were logged in this period.")
    elif ctx.data.distinct_askers < ctx.k:
        out.append(
            f"Fewer than {ctx.k} people asked in this period and scope: every count is "
            "shown as a range and no examples are given."
        )
    return out


def _notes(ctx: Context) -> list[str]:
    k = ctx.k
    return [
        f"Small numbers are suppressed over people, not questions: a count is shown only "
        f"when it is {k} or more and {k} or more different people stand behind it, otherwise "
        f"as “<{k}” (here and in the CSVs); rates are shown only on such a count; agencies "
        f"with fewer than {k} people asking are reported together; and a question's wording "
        f"is quoted only when {k} or more people asked in words like it, each telling word of "
        "which they used — so the report never points at an individual or quotes one. Askers "
        "are pseudonymous and question text is redacted before it is logged.",
        "A threshold question is one the bot answered with a suggested level. Low-confidence "
        f"means answered with confidence under {ctx.low_confidence:.2f}; unanswered means the "
        "bot said it did not know. A disagreement is a “not helpful” rating with the reason "
        "“wrong level” on a threshold or level answer. Ratings are counted against the period "
        "of the question.",
        f"“Change” compares with {previous_name(ctx.scope)} ({ctx.scope.previous().label()}). "
        "Weeks start on Monday; the first and last weeks may be part weeks.",
        "Every table is also saved as a CSV beside this file (named under each table's title).",
    ]


# ---- for Slack's App Home ------------------------------------------------------------------
def _path(db) -> Path:
    """A database path from a path, a sqlite_utils.Database or a sqlite3.Connection."""
    if isinstance(db, (str, Path)):
        return Path(db)
    conn = getattr(db, "conn", db)
    row = conn.execute("pragma database_list").fetchone()
    if not row or not row[2]:
        raise ReportError("headline numbers need a database file, not an in-memory one")
    return Path(row[2])


def headline_numbers(
    db,
    since: date,
    *,
    until: date | None = None,
    config: Config | None = None,
    pack=None,
    gaps_limit: int = 5,
) -> dict:
    """Headline numbers from `since` to `until` (default today) for the admin App Home.

    Counts are ints, or "<k" when suppressed; rates are 0-1 or None. `top_gaps` lists the
    biggest clusters of similar unanswered questions as (wording, questions).
    """
    config = config or load_config()
    until = until or datetime.now(UTC).date()
    scope = Scope(min(since, until), until)
    with _collector_paused():
        ctx = _context(config, pack, scope, _path(db), until, None)
        numbers = summary.headline(ctx)
        numbers.update(
            date_from=scope.date_from.isoformat(),
            date_to=scope.date_to.isoformat(),
            top_gaps=gaps.top_gaps(ctx, gaps_limit),
        )
    return numbers


def default_since(today: date | None = None, days: int = 30) -> date:
    """The first day of the last `days` days (the App Home's default window)."""
    return (today or datetime.now(UTC).date()) - timedelta(days=days - 1)
