"""Small read-only queries on the query log for the Slack surfaces (never writes)."""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from bot.reports import ReportError, headline_numbers

logger = logging.getLogger("rhrt.slack")


@dataclass(frozen=True)
class Headlines:
    """This month's numbers for the admins' Home tab."""

    month: str  # e.g. "November 2026"
    questions: int
    answered: int
    emergencies: int
    top_agencies: tuple[tuple[str, int], ...]  # (agency id, questions), small cells left out
    hidden_agencies: int  # agencies left out because they asked fewer than min_cell_count

    @property
    def answered_rate(self) -> float:
        return self.answered / self.questions if self.questions else 0.0


def has_asked_before(log: Any, pseudonym: str) -> bool:
    """Has this pseudonym asked anything before (a row in `askers`)?"""
    try:
        row = log._db().execute("select 1 from askers where pseudonym = ?", [pseudonym]).fetchone()
    except sqlite3.Error:
        return True  # unsure: don't nag
    return row is not None


def month_headlines(
    log: Any, *, today: date | None = None, min_cell_count: int = 5, top: int = 5
) -> Headlines | None:
    """Questions, answered, emergencies and the busiest agencies since the 1st of the month."""
    today = today or datetime.now(UTC).date()
    start = today.replace(day=1).isoformat()
    try:
        db = log._db()
        questions, answered, emergencies = db.execute(
            "select count(*), coalesce(sum(answered), 0), coalesce(sum(emergency), 0) "
            "from queries where day >= ?",
            [start],
        ).fetchone()
        rows = db.execute(
            "select agency, count(*) as n from queries where day >= ? group by agency "
            "order by n desc, agency",
            [start],
        ).fetchall()
    except sqlite3.Error:
        return None
    shown = tuple((agency, n) for agency, n in rows if n >= min_cell_count)[:top]
    hidden = sum(1 for _, n in rows if n < min_cell_count)
    return Headlines(today.strftime("%B %Y"), questions, answered, emergencies, shown, hidden)


def month_gaps(
    log: Any, config: Any, pack: Any, *, today: date | None = None, top: int = 5
) -> list[tuple[str, int]] | None:
    """This month's biggest groups of similar unanswered or low-confidence questions as
    (most common wording, questions), as the report finds them: groups under
    `min_cell_count` are left out. None when the log cannot be read."""
    today = today or datetime.now(UTC).date()
    try:
        numbers = headline_numbers(
            log.path, today.replace(day=1), until=today, config=config, pack=pack, gaps_limit=top
        )
    except (ReportError, sqlite3.Error) as exc:
        logger.warning("top gaps unavailable (%s)", type(exc).__name__)
        return None
    return list(numbers["top_gaps"])
