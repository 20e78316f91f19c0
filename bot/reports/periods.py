"""Calendar periods for board reports: quarters (the default), months, and the time buckets a
trend is drawn in (weeks, or months when weeks are too sparse to show).

Boards meet quarterly, so a report covers the last full quarter by default (config
`report.default_period`) and compares it with the quarter before, not with "the 92 days
before".
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

DEFAULT_PERIOD = "last quarter"
_QUARTER = re.compile(r"^(?:(\d{4})[- ]?q([1-4])|q([1-4])[- ]?(\d{4}))$")


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_end(start: date) -> date:
    return _add_months(start, 3) - timedelta(days=1)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def last_full_quarter(today: date) -> tuple[date, date]:
    start = _add_months(quarter_start(today), -3)
    return start, quarter_end(start)


def quarter_name(start: date) -> str:
    """e.g. "Q3 2026 (Jul–Sep)"."""
    end = quarter_end(start)
    return f"Q{(start.month - 1) // 3 + 1} {start.year} ({start:%b}–{end:%b})"


def short_quarter(start: date) -> str:
    return f"Q{(start.month - 1) // 3 + 1} {start.year}"


def parse_quarter(words: str, today: date) -> tuple[date, date] | None:
    """ "last quarter", "this quarter", "2026-Q3", "Q3 2026" (lower-cased); else None."""
    if words in ("last quarter", "previous quarter"):
        return last_full_quarter(today)
    if words in ("this quarter", "quarter"):
        return quarter_start(today), today
    match = _QUARTER.match(words)
    if not match:
        return None
    year = int(match[1] or match[4])
    number = int(match[2] or match[3])
    start = date(year, 3 * (number - 1) + 1, 1)
    return start, quarter_end(start)


def default_period(config: Any, today: date) -> tuple[date, date]:
    """The period a report covers when none is given: config `report.default_period`
    (any period `/rhrt report` accepts), by default the last full quarter."""
    from .scope import ReportError, parse_period

    wanted = str((getattr(config, "report", None) or {}).get("default_period") or DEFAULT_PERIOD)
    try:
        return parse_period(wanted, today)
    except ReportError:
        return last_full_quarter(today)


# ---- comparing with the period before ----------------------------------------------------------
def is_quarter(date_from: date, date_to: date) -> bool:
    return date_from == quarter_start(date_from) and date_to == quarter_end(date_from)


def is_month(date_from: date, date_to: date) -> bool:
    return date_from.day == 1 and date_to == _add_months(date_from, 1) - timedelta(days=1)


def previous_calendar(scope):
    """The calendar quarter or month before a scope that is exactly one; else None."""
    if is_quarter(scope.date_from, scope.date_to):
        start = _add_months(scope.date_from, -3)
        return replace(scope, date_from=start, date_to=quarter_end(start))
    if is_month(scope.date_from, scope.date_to):
        start = _add_months(scope.date_from, -1)
        return replace(scope, date_from=start, date_to=scope.date_from - timedelta(days=1))
    return None


def previous_name(scope) -> str:
    """How "the period before" reads: "the previous quarter", "… month", "… 30 days"."""
    if is_quarter(scope.date_from, scope.date_to):
        return "the previous quarter"
    if is_month(scope.date_from, scope.date_to):
        return "the previous month"
    return f"the previous {scope.days} days"


def last_quarters(date_to: date, n: int = 4) -> list[tuple[date, date]]:
    """The `n` calendar quarters ending with the one holding `date_to`, oldest first."""
    last = quarter_start(date_to)
    starts = [_add_months(last, -3 * i) for i in range(n - 1, -1, -1)]
    return [(s, quarter_end(s)) for s in starts]


# ---- buckets for trend lines -------------------------------------------------------------------
def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def month_start(day: date) -> date:
    return day.replace(day=1)


def full_buckets(date_from: date, date_to: date, unit: str) -> list[date]:
    """The weeks (Monday) or months (1st) wholly inside the period, in order."""
    out = []
    if unit == "week":
        start = week_start(date_from)
        if start < date_from:
            start += timedelta(days=7)
        while start + timedelta(days=6) <= date_to:
            out.append(start)
            start += timedelta(days=7)
        return out
    start = month_start(date_from)
    if start < date_from:
        start = _add_months(start, 1)
    while _add_months(start, 1) - timedelta(days=1) <= date_to:
        out.append(start)
        start = _add_months(start, 1)
    return out


def bucket_label(start: date, unit: str) -> str:
    return f"{start:%d %b}" if unit == "week" else f"{start:%b %Y}"
