"""What a report covers: a period of days and, optionally, one agency or sector."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta

DEFAULT_DAYS = 30


class ReportError(Exception):
    """A report cannot be made as asked (bad dates, unknown agency); the message says why."""


@dataclass(frozen=True)
class Scope:
    date_from: date
    date_to: date
    agency: str | None = None  # an agency id from config.agencies (or "unknown")
    sector: str | None = None  # or a whole sector, e.g. "health"

    @property
    def days(self) -> int:
        return (self.date_to - self.date_from).days + 1

    def where(self, alias: str = "") -> tuple[str, list]:
        """SQL condition and parameters selecting this scope's questions (`day` is indexed)."""
        col = f"{alias}." if alias else ""
        sql, params = (
            f"{col}day between ? and ?",
            [self.date_from.isoformat(), self.date_to.isoformat()],
        )
        if self.agency:
            sql += f" and {col}agency = ?"
            params.append(self.agency)
        elif self.sector:
            sql += f" and {col}sector = ?"
            params.append(self.sector)
        return sql, params

    def previous(self) -> Scope:
        """The period before this one (for "change"): the previous calendar quarter or month
        when this is one, else the same number of days just before."""
        from .periods import previous_calendar

        calendar = previous_calendar(self)
        if calendar is not None:
            return calendar
        return replace(
            self,
            date_from=self.date_from - timedelta(days=self.days),
            date_to=self.date_from - timedelta(days=1),
        )

    def split(self, parts: int) -> list[Scope]:
        """Consecutive sub-periods (for running one query on several cores)."""
        parts = max(1, min(parts, self.days))
        size, extra = divmod(self.days, parts)
        out, start = [], self.date_from
        for i in range(parts):
            end = start + timedelta(days=size + (1 if i < extra else 0) - 1)
            out.append(replace(self, date_from=start, date_to=end))
            start = end + timedelta(days=1)
        return out

    def partial_week(self, monday: date) -> bool:
        """Does the week starting `monday` run outside this period?"""
        return monday < self.date_from or monday + timedelta(days=6) > self.date_to

    def label(self) -> str:
        return f"{_day(self.date_from)} – {_day(self.date_to)}"


def _day(value: date) -> str:
    return f"{value.day} {value:%b %Y}"


def make_scope(
    config,
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    agency: str | None = None,
    today: date | None = None,
) -> Scope:
    """Default: config `report.default_period` (the last full quarter); with only --to, the
    30 days up to it. `agency` may be an agency id or a sector."""
    if date_from is None and date_to is None:
        from .periods import default_period

        date_from, date_to = default_period(config, today or date.today())
    date_to = date_to or today or date.today()
    date_from = date_from or date_to - timedelta(days=DEFAULT_DAYS - 1)
    if date_from > date_to:
        raise ReportError(f"--from {date_from} is after --to {date_to}")
    if not agency:
        return Scope(date_from, date_to)
    ids = {a["id"] for a in config.agencies} | {"unknown"}
    sectors = {a.get("sector", "other") for a in config.agencies}
    if agency in ids:
        return Scope(date_from, date_to, agency=agency)
    if agency in sectors:
        return Scope(date_from, date_to, sector=agency)
    raise ReportError(
        f"unknown agency `{agency}`: use an id from config.yaml `agencies` "
        f"({', '.join(sorted(ids))}) or a sector ({', '.join(sorted(sectors))})"
    )


def week_start(day: date) -> date:
    """The Monday of the ISO week holding `day`."""
    return day - timedelta(days=day.weekday())


def parse_period(text: str | None, today: date | None = None) -> tuple[date, date]:
    """A period typed in Slack: "", "7d", "30 days", "6 weeks", "this month", "last month",
    "last quarter", "this quarter", "2026-Q3", "2026-10", or "2026-10-01 to 2026-10-31"
    ("..", "–" also work). Raises ReportError."""
    today = today or date.today()
    words = " ".join((text or "").lower().split())
    if not words:
        return today - timedelta(days=DEFAULT_DAYS - 1), today
    match = re.fullmatch(r"(?:last )?(\d{1,4}) ?(d|day|days|w|wk|week|weeks)", words)
    if match:
        days = int(match[1]) * (7 if match[2].startswith("w") else 1)
        if days >= 1:
            return today - timedelta(days=days - 1), today
    from .periods import parse_quarter

    quarter = parse_quarter(words, today)
    if quarter is not None:
        return quarter
    if words in ("this month", "month"):
        return today.replace(day=1), today
    if words == "last month":
        end = today.replace(day=1) - timedelta(days=1)
        return end.replace(day=1), end
    if re.fullmatch(r"\d{4}-\d{2}", words):
        return _month(words)
    parts = re.split(r"\s*(?:\.\.|to|–|—)\s*", words)
    if len(parts) == 2:
        try:
            start, end = date.fromisoformat(parts[0]), date.fromisoformat(parts[1])
        except ValueError:
            pass
        else:
            if start <= end:
                return start, end
    raise ReportError(
        f"not a period: “{text}”. Try 30d, 6 weeks, last month, last quarter, 2026-Q3, "
        "2026-10, or 2026-10-01 to 2026-10-31"
    )


def _month(text: str) -> tuple[date, date]:
    try:
        start = date.fromisoformat(f"{text}-01")
    except ValueError as exc:
        raise ReportError(f"not a month: {text}") from exc
    following = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start, following - timedelta(days=1)
