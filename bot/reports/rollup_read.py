"""The report's queries over the rollup (bot/rollup.py) instead of the log itself.

Each returns rows of the same shape as its query over the log, so the sections cannot tell
which they read: sums are sums of the rollup's sums, and the askers behind a count are the
union of its buckets' askers (repeats are dropped where the lists are read). A period is
read as the months rolled up whole that lie inside it, and its other days one by one.
"""

from __future__ import annotations

from datetime import date, timedelta

from ..logsql import THRESHOLD_SQL
from ..rollup import Rollup
from .scope import Scope

# The period before's measures (data.PREVIOUS), in the cube's columns.
PREVIOUS = (
    ("questions", "1"),
    ("answered", "answered = 1"),
    ("help", "kind = 'help'"),
    ("emergencies", "emergency = 1"),
    ("gaps", "(kind = 'no_answer' or low)"),
    ("threshold", THRESHOLD_SQL),
)


def _month_end(first: date) -> date:
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def where(scope: Scope, rollup: Rollup | None, alias: str = "") -> tuple[str, list]:
    """The rollup rows for `scope`: each month rolled up whole inside the period as one
    bucket, every other day of the period as its own (`rollup` None: days only)."""
    col = f"{alias}bucket"
    whole, ranges = [], []
    first = scope.date_from.replace(day=1)
    while first <= scope.date_to:
        last = _month_end(first)
        month = first.isoformat()[:7]
        inside = first >= scope.date_from and last <= scope.date_to
        if inside and rollup is not None and month in rollup.months:
            whole.append(month)
        else:  # within one month, so no month bucket ("YYYY-MM") falls between the ends
            ranges.append(
                (max(first, scope.date_from).isoformat(), min(last, scope.date_to).isoformat())
            )
        first = last + timedelta(days=1)
    parts, params = [], []
    if whole:
        parts.append(f"{col} in ({', '.join('?' * len(whole))})")
        params += whole
    for start, end in ranges:
        parts.append(f"{col} between ? and ?")
        params += [start, end]
    sql = "(" + " or ".join(parts) + ")" if parts else "0"
    if scope.agency:
        sql += f" and {alias}agency = ?"
        params.append(scope.agency)
    elif scope.sector:
        sql += f" and {alias}sector = ?"
        params.append(scope.sector)
    return sql, params


def days_where(scope: Scope, alias: str = "") -> tuple[str, list]:
    """Day buckets only: for tables by day, and for rollup_texts (kept by day)."""
    return where(scope, None, alias)


def topics(scope: Scope) -> str:
    """Topics by day: for all agencies together (few rows), or by agency for one."""
    return "rollup_days" if scope.agency or scope.sector else "rollup_topics"


# ---- data.load's jobs ----------------------------------------------------------------------
CUBE = (
    "select agency, kind, topic, entry_id, areas, level, low, near, sum(n), sum(answered * n), "
    "sum(emergency * n), group_concat(people) from rollup_cube where {where} "
    "group by 1, 2, 3, 4, 5, 6, 7, 8"
)
ASKERS = "select agency, group_concat(askers) from rollup_askers where {where} group by 1"
# logsql.LABEL_SQL in rollup_days' columns.
LABEL = (
    "coalesce(topic, case when unanswered then '(unanswered)' when help then '(help)' "
    "else '(no topic)' end)"
)
DAYS = (
    f"select bucket, {LABEL}, sum(n), sum(gap * n), group_concat(people), "
    "group_concat(case when gap then people end) from {topics} where {days} group by 1, 2"
)
PAIRS = (
    "select entry_id, alt0, sum(n), sum(conf_milli), group_concat(people) from rollup_cube "
    "where {where} and alt0 is not null group by 1, 2"
)
GAP_ROWS = (
    "select question, coalesce(agency, 'unknown'), asker, sum(n), sum(no_answer), "
    "sum(triage), max(near) from rollup_texts where {days} group by 1, 2, 3"
)
# Ratings by their question's period, as in the log: rated on or after its first day.
RATED = "(early is null or early >= ?)"
FEEDBACK = (
    "select agency, kind, topic, entry_id, areas, level, helpful, reason, sum(n), "
    "group_concat(people) from rollup_feedback where {where_f} group by 1, 2, 3, 4, 5, 6, 7, 8"
)
PREV_FEEDBACK = (
    "select sum(n), group_concat(people), sum(helpful * n), "
    "group_concat(case when helpful = 1 then people end) from rollup_feedback where {where_f}"
)
PREV_TOTALS = (
    "select "
    + ", ".join(
        f"sum(case when {cond} then n end), group_concat(case when {cond} then people end)"
        for _, cond in PREVIOUS
    )
    + " from rollup_cube where {where}"
)
PREV_PEOPLE = "select group_concat(askers), count(distinct agency) from rollup_askers where {where}"


# ---- the sections' own queries -------------------------------------------------------------
def topic_cells(bucket: str, scope: Scope) -> tuple[tuple[str, list], tuple[str, list]]:
    """(by topic, in total) per week or month, help requests left out (trends.topic_cells);
    `bucket` is the SQL of a week's or month's first day from `bucket`."""
    where_, params = days_where(scope)
    table = topics(scope)
    return (
        f"select {bucket}, {LABEL}, sum(n), group_concat(people) from {table} where "
        f"{where_} and help = 0 group by 1, 2",
        params,
    ), (
        f"select {bucket}, sum(n), group_concat(people), sum(gap * n) from {table} where "
        f"{where_} and help = 0 group by 1",
        params,
    )


def by_quarter(quarter: str, scope: Scope, rollup: Rollup, others: list[str] | None):
    """Questions, people and gaps per quarter and agency (or, with `others`, per quarter for
    the agencies not in it), help requests left out (trends.agency_quarters, _others)."""
    where_, params = where(scope, rollup)
    if others is None:
        return (
            f"select {quarter}, coalesce(agency, 'unknown'), sum(n), group_concat(people), "
            f"sum(gap * n) from rollup_days where {where_} and help = 0 group by 1, 2",
            params,
        )
    marks = ",".join("?" * len(others)) or "''"
    return (
        f"select {quarter}, sum(n), group_concat(people) from rollup_days where {where_} and "
        f"help = 0 and coalesce(agency, 'unknown') not in ({marks}) group by 1",
        [*params, *others],
    )


def by_column(column: str, scope: Scope, rollup: Rollup) -> tuple[str, list]:
    """Questions and people by agency, topic or sector, help left out (board._by)."""
    where_, params = where(scope, rollup)
    return (
        f"select {column}, sum(n), group_concat(people) from rollup_days where {where_} and "
        "help = 0 group by 1",
        params,
    )


def scrutiny(scope: Scope, rollup: Rollup, entries: list[str], topics: list[str]):
    """Questions and people by sector on these entries or topics (board.scrutiny)."""
    where_, params = where(scope, rollup)
    marks_e, marks_t = ",".join("?" * len(entries)) or "''", ",".join("?" * len(topics)) or "''"
    return (
        "select coalesce(sector, 'unknown'), sum(n), group_concat(people) from rollup_cube "
        f"where {where_} and (entry_id in ({marks_e}) or topic in ({marks_t})) group by 1",
        [*params, *entries, *topics],
    )


def course_askers(scope: Scope, rollup: Rollup) -> tuple[str, list]:
    """Everyone asking, by agency and subject, help left out (course_askers)."""
    where_, params = where(scope, rollup)
    return (
        "select coalesce(agency, 'unknown'), subject, topic, areas, group_concat(askers) from "
        f"rollup_subjects where {where_} group by 1, 2, 3, 4",
        params,
    )


def rated(scope: Scope, rollup: Rollup) -> tuple[str, list]:
    """The rollup's ratings of questions in `scope`, rated on or after its first day."""
    where_, params = where(scope, rollup)
    return f"{where_} and {RATED}", [*params, scope.date_from.isoformat()]


def gap_reasons(scope: Scope) -> tuple[str, list]:
    """👎 reasons given on unanswered and low-confidence questions, by wording."""
    where_, params = days_where(scope)
    return (
        f"select question, reason, sum(n) from rollup_text_reasons where {where_} group by 1, 2",
        params,
    )


def count_people(names: str | None) -> int:
    """How many different askers a merged list names (enough for "k or more": lists are
    capped per bucket at the rollup's cap, which is at least k)."""
    if not names:
        return 0
    found = set(names.split(","))
    found.discard("")
    return len(found)
