"""The report's SQL: a handful of GROUP BY queries over the query log, run in parallel.

Each query aggregates in SQLite (one pass over the period, found through the `day` index)
and returns a few thousand rows at most, whatever the log's size; Python only finishes the
sums. Long periods are split into sub-periods run on separate connections, because SQLite
sorts for GROUP BY and the sqlite3 module lets threads run while it does.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from pathlib import Path

from ..logsql import (  # noqa: F401 - the report's vocabulary, as it has always been imported
    CONF_MILLI_SQL,
    LABEL_SQL,
    LOW_CONFIDENCE,
    NEAR_SQL,
    NO_ANSWER,
    THRESHOLD_SQL,
    gap_sql,
    low_confidence_line,
    low_sql,
)
from ..rollup import Rollup
from . import rollup_read
from .gap_sums import GapSum, gap_sums, gap_texts, sql_order
from .scope import Scope
from .suppress import PEOPLE_CAP, Tally

SPLIT_AFTER_DAYS = 45
MMAP_BYTES = 1 << 30


@dataclass(frozen=True)
class Job:
    """One aggregate query: `keys` leading key columns, then one aggregate per `aggs`."""

    name: str
    sql: str  # `{where}` / `{days}` / `{where_q}` are replaced by the scope's condition
    keys: int
    # How parts merge, for each remaining column: "sum", "max", or "people" (the askers
    # behind a count, as group_concat(distinct asker): parts are joined as sets).
    aggs: tuple[str, ...]
    split: bool = False  # worth running in parts on a long period (the heaviest query)


def people(condition: str = "") -> str:
    """The distinct askers behind a count (of the rows meeting `condition`)."""
    if not condition:
        return "group_concat(distinct asker)"
    return f"group_concat(distinct case when {condition} then asker end)"


# Ratings join their question by primary key: CROSS JOIN keeps SQLite scanning the (small)
# feedback table rather than probing it once per question in the period.
FEEDBACK_SQL = (
    "select q.agency, q.kind, q.topic, q.entry_id, q.areas, q.level, "
    "f.helpful, coalesce(f.reason, ''), count(*), "
    "group_concat(distinct coalesce(f.asker, q.asker)) from feedback f cross join "
    "queries q on q.id = f.query_id where {where_q} and f.ts >= ? "
    "group by 1, 2, 3, 4, 5, 6, 7, 8"
)


def jobs(low: float, rollup: Rollup | None = None) -> list[Job]:
    """The report's queries: over the log, or (same rows) over its rollup."""
    gap, lo = gap_sql(low), low_sql(low)
    r = rollup is not None
    return [
        Job(
            "cube",
            rollup_read.CUBE
            if r
            else f"select agency, kind, topic, entry_id, areas, level, {lo} as low, "
            f"{NEAR_SQL} as near, count(*), sum(answered), sum(emergency), {people()} "
            "from queries where {where} group by 1, 2, 3, 4, 5, 6, 7, 8",
            8,
            ("sum", "sum", "sum", "people"),
            split=True,
        ),
        Job(
            "askers",
            rollup_read.ASKERS
            if r
            else "select agency, group_concat(distinct asker) from queries where {where} "
            "group by 1",
            1,
            ("people",),
        ),
        Job(
            "days",
            rollup_read.DAYS
            if r
            else f"select day, {LABEL_SQL}, count(*), sum({gap}), {people()}, {people(gap)} "
            "from queries where {days} group by 1, 2",
            2,
            ("sum", "sum", "people", "people"),
        ),
        Job(
            "pairs",
            rollup_read.PAIRS
            if r
            else "select entry_id, json_extract(alternatives, '$[0]'), count(*), "
            f"sum({CONF_MILLI_SQL}), {people()} from queries where {{where}} and answered = 1 "
            "and entry_id is not null and alternatives like '[\"%' and "
            "json_valid(alternatives) group by 1, 2",
            2,
            ("sum", "sum", "people"),
        ),
        Job(
            "gap_rows",
            rollup_read.GAP_ROWS
            if r
            else "select question, coalesce(agency, 'unknown'), asker, count(*), "
            "sum(kind = 'no_answer'), sum(kind = 'triage'), "
            f"max(coalesce(entry_id, {NEAR_SQL})) from queries where {{days}} and {gap} "
            "and question is not null group by 1, 2, 3",
            3,
            ("sum", "sum", "sum", "max"),
        ),
        Job("feedback", rollup_read.FEEDBACK if r else FEEDBACK_SQL, 8, ("sum", "people")),
    ]


# The period before's measures, each with the number of people behind it.
PREVIOUS = (
    ("questions", "1"),
    ("answered", "answered = 1"),
    ("help", "kind = 'help'"),
    ("emergencies", "emergency = 1"),
    ("gaps", "{gap}"),
    ("threshold", THRESHOLD_SQL),
)
PREV_FEEDBACK_SQL = (
    "select count(*), count(distinct coalesce(f.asker, q.asker)), sum(f.helpful), "
    "count(distinct case when f.helpful = 1 then coalesce(f.asker, q.asker) end) "
    "from feedback f cross join queries q on q.id = f.query_id where {where_q} and "
    "f.ts >= ?"
)


def previous_jobs(low: float, rollup: Rollup | None = None) -> list[Job]:
    """Totals for the period before, for "change"."""
    feedback = Job("prev_feedback", PREV_FEEDBACK_SQL, 0, ("sum",) * 4)
    if rollup is not None:  # sums with their askers, and everyone asking (see _previous)
        return [
            Job("prev_totals", rollup_read.PREV_TOTALS, 0, ("sum", "people") * len(PREVIOUS)),
            Job("prev_people", rollup_read.PREV_PEOPLE, 0, ("people", "sum")),
            Job("prev_feedback", rollup_read.PREV_FEEDBACK, 0, ("sum", "people") * 2),
        ]
    measures = [(name, cond.format(gap=gap_sql(low))) for name, cond in PREVIOUS]
    columns = ", ".join(
        f"sum({cond}), count(distinct case when {cond} then asker end)" for _, cond in measures
    )
    return [
        Job(
            "prev_totals",
            f"select {columns}, count(distinct asker), count(distinct agency) from queries "
            "where {where}",
            0,
            ("sum",) * (2 * len(measures) + 2),
        ),
        feedback,
    ]


# ---- running -----------------------------------------------------------------------------
def connect(path: str | Path) -> sqlite3.Connection:
    """A read-only connection: a report never changes the log."""
    uri = f"file:{Path(path).resolve()}?mode=ro"
    conn = sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=10)
    conn.execute("pragma query_only = 1")
    conn.execute(f"pragma mmap_size = {MMAP_BYTES}")  # fewer copies of a big log's pages
    return conn


def rows(db_path: str | Path | None, sql: str, params: list) -> list[tuple]:
    """One read-only query's rows; none when there is no log or it cannot be read (the
    report sections that use this draw what they can without it)."""
    if db_path is None:
        return []
    conn = connect(db_path)
    try:
        return conn.execute(sql, params).fetchall()
    except sqlite3.Error:
        return []
    finally:
        conn.close()


def _sql(job: Job, scope: Scope, rollup: Rollup | None = None) -> tuple[str, list]:
    if "{where_q}" in job.sql:  # ratings in the log: by their question's day
        where_q, params_q = scope.where("q")
        return job.sql.replace("{where_q}", where_q), [*params_q, scope.date_from.isoformat()]
    if "{where_f}" in job.sql:  # ...and in the rollup
        where, params = rollup_read.rated(scope, rollup)
        return job.sql.replace("{where_f}", where), params
    if "{days}" in job.sql:  # by day (the rollup's days, never its months)
        where, params = rollup_read.days_where(scope) if rollup else scope.where()
        sql = job.sql.replace("{topics}", rollup_read.topics(scope))
        return sql.replace("{days}", where), params
    where, params = rollup_read.where(scope, rollup) if rollup else scope.where()
    return job.sql.replace("{where}", where), params


def run_jobs(
    path: str | Path,
    tasks: list[tuple[Job, Scope]],
    workers: int | None = None,
    progress: Callable[[str], None] | None = None,
    rollup: Rollup | None = None,
) -> dict[str, list[tuple]]:
    """Run every (job, scope) task on `workers` connections; rows per job name (over the
    log, or its `rollup`).

    A job marked `split` over a long period of the log runs as one query per worker, each on
    part of the period, and the parts are merged by key."""
    workers = workers or min(4, os.cpu_count() or 1)
    parts: list[tuple[Job, Scope]] = []
    for job, scope in tasks:
        # Not over the rollup: a part's ends cut its months, whose days are then read one by
        # one instead of the month's one bucket (a year in four parts read 3.6 times the rows).
        long = job.split and scope.days > SPLIT_AFTER_DAYS and rollup is None
        pieces = scope.split(workers) if long else [scope]
        parts += [(job, piece) for piece in pieces]
    parts.sort(key=lambda p: not p[0].split)  # the biggest first
    local = _ConnectionPerThread(path)

    def run(part: tuple[Job, Scope]) -> tuple[Job, list[tuple]]:
        job, scope = part
        sql, params = _sql(job, scope, rollup)
        return job, local.get().execute(sql, params).fetchall()

    results: dict[str, list[list[tuple]]] = defaultdict(list)
    try:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(run, part) for part in parts]
            for done, future in enumerate(as_completed(futures), 1):
                job, rows = future.result()
                results[job.name].append(rows)
                if progress:
                    progress(f"report: {done} of {len(parts)} queries done ({job.name})")
    finally:
        local.close()
    out = {}
    for job, _ in tasks:
        pieces = results[job.name]
        if len(pieces) == 1:
            out[job.name] = pieces[0]
            continue
        merged: dict = {}
        for rows in pieces:
            _merge(merged, job, rows)
        # In key order, as one query's GROUP BY gives them (parts finish in any order).
        keys = sorted(merged, key=lambda key: tuple(map(sql_order, key)))
        out[job.name] = [(*key, *merged[key]) for key in keys]
    return out


class _ConnectionPerThread:
    def __init__(self, path: str | Path):
        self.path = path
        self.conns: list[sqlite3.Connection] = []
        self.local = threading.local()

    def get(self) -> sqlite3.Connection:
        conn = getattr(self.local, "conn", None)
        if conn is None:
            conn = self.local.conn = connect(self.path)
            self.conns.append(conn)
        return conn

    def close(self) -> None:
        for conn in self.conns:
            conn.close()


def _merge(into: dict, job: Job, rows: list[tuple]) -> None:
    for row in rows:
        key, values = row[: job.keys], row[job.keys :]
        old = into.get(key)
        if old is None:
            into[key] = list(values)
            continue
        for i, (how, value) in enumerate(zip(job.aggs, values, strict=True)):
            if value is None:
                continue
            if old[i] is None:
                old[i] = value
            elif how == "sum":
                old[i] += value
            elif how == "people":
                old[i] = f"{old[i]},{value}"  # duplicates go when the names become a set
            else:
                old[i] = max(old[i], value)


# ---- the results, typed ------------------------------------------------------------------
@lru_cache(maxsize=4096)
def areas_of(raw: str | None) -> tuple[str, ...]:
    try:
        value = json.loads(raw) if raw else []
    except (TypeError, ValueError):
        return ()
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


@dataclass(frozen=True)
class CubeRow:
    agency: str
    kind: str
    topic: str | None
    entry_id: str | None
    areas: tuple[str, ...]
    level: int | None
    low: bool  # answered below the low-confidence line
    near: str | None  # for unanswered questions: the first alternative offered
    n: int
    answered: int
    emergencies: int

    @property
    def threshold(self) -> bool:
        return self.kind == "triage" or (self.kind == "emergency" and self.level is not None)

    @property
    def gap(self) -> bool:
        return self.kind == "no_answer" or self.low


@dataclass(frozen=True)
class FeedbackRow:
    agency: str
    kind: str
    topic: str | None
    entry_id: str | None
    areas: tuple[str, ...]
    level: int | None
    helpful: bool
    reason: str
    n: int

    @property
    def disagreement(self) -> bool:
        """👎 because the suggested level looked wrong, on a threshold or level answer."""
        return (
            not self.helpful
            and self.reason == "wrong_level"
            and self.kind in ("triage", "level", "emergency")
        )


@dataclass
class LogData:
    cube: list[CubeRow] = field(default_factory=list)
    askers_by_agency: dict[str, int] = field(default_factory=dict)
    distinct_askers: int = 0
    days: list[tuple[str, str, int, int]] = field(default_factory=list)
    pairs: list[tuple[str, str, int, float]] = field(default_factory=list)
    # Unanswered and low-confidence wordings by agency, with everyone behind them
    # (gap_sums.GapSum): the gaps section's clusters and those that count people.
    gap_sums: dict[tuple[str, str], GapSum] = field(default_factory=dict)
    people_cap: int = PEOPLE_CAP

    @property
    def gap_texts(self) -> list[tuple]:
        """(question, agency, questions, unanswered, low-confidence, threshold questions,
        entry answered/offered); the counts are Tallies (the askers behind them)."""
        return gap_texts(self.gap_sums, self.people_cap)

    feedback: list[FeedbackRow] = field(default_factory=list)
    previous: dict[str, int] = field(default_factory=dict)


def _agency(value: str | None) -> str:
    return value or "unknown"


def load(
    path: str | Path,
    scope: Scope,
    *,
    low: float = LOW_CONFIDENCE,
    with_previous: bool = True,
    workers: int | None = None,
    progress: Callable[[str], None] | None = None,
    people_cap: int = PEOPLE_CAP,
    rollup: Rollup | None = None,
) -> LogData:
    """Everything the report needs from the log (or, the same, from its up-to-date
    `rollup`), for `scope` and the period before. Counts are Tallies remembering up to
    `people_cap` (the report's k) askers each."""
    tasks = [(job, scope) for job in jobs(low, rollup)]
    if with_previous:
        tasks += [(job, scope.previous()) for job in previous_jobs(low, rollup)]
    raw = run_jobs(path, tasks, workers, progress, rollup)

    def tally(n, names: str | None) -> Tally:
        """A count and (up to `people_cap` of) the pseudonyms behind it."""
        return Tally(n or 0, first_people(names, people_cap), people_cap)

    def part(n, whole: Tally) -> Tally:
        """Answered or emergencies in a cube row: a function of the row's kind, so all of
        the row or none of it; anything else is not known to be anyone's, so it shows as
        nobody's (suppressed) rather than as the row's."""
        return Tally(n or 0, whole.people if n == whole else (), people_cap)

    data = LogData()
    data.cube = []
    for a, k, t, e, ar, lv, lo, nr, n, ans, em, who in raw["cube"]:
        n = tally(n, who)
        ans, em = part(ans, n), part(em, n)
        data.cube.append(
            CubeRow(_agency(a), k or "", t, e, areas_of(ar), lv, bool(lo), nr, n, ans, em)
        )
    askers: dict[str, int] = defaultdict(int)
    people: set[str] = set()
    for agency, names in raw["askers"]:
        found = _everyone(names)
        if found:
            askers[_agency(agency)] += len(found)
            people |= found
    data.askers_by_agency, data.distinct_askers = dict(askers), len(people)
    data.days = [(d, t, tally(n, w), tally(g, wg)) for d, t, n, g, w, wg in raw["days"]]
    data.pairs = [
        (e, a, tally(n, w), (c or 0) / 1000) for e, a, n, c, w in raw["pairs"] if a and a != e
    ]
    data.gap_sums, data.people_cap = gap_sums(raw["gap_rows"]), people_cap
    data.feedback = [
        FeedbackRow(_agency(a), k or "", t, e, areas_of(ar), lv, bool(h), r or "", tally(n, w))
        for a, k, t, e, ar, lv, h, r, n, w in raw["feedback"]
    ]
    if with_previous:
        width = 2 * len(PREVIOUS) + 2
        (totals,) = _previous(raw, people_cap) if rollup else raw["prev_totals"] or [(0,) * width]
        (rated,) = raw["prev_feedback"] or [(0,) * 4]
        if rollup:  # (sum, askers, sum, askers) -> (sum, how many askers, ...)
            rated = [
                v if i % 2 == 0 else len(first_people(v, people_cap)) for i, v in enumerate(rated)
            ]
        data.previous = {
            name: _counted(totals[2 * i], totals[2 * i + 1], people_cap)
            for i, (name, _) in enumerate(PREVIOUS)
        }
        data.previous.update(
            askers=totals[-2] or 0,
            agencies=totals[-1] or 0,
            rated=_counted(rated[0], rated[1], people_cap),
            helpful=_counted(rated[2], rated[3], people_cap),
        )
    return data


def _previous(raw: dict[str, list[tuple]], cap: int) -> list[tuple]:
    """The rollup's totals for the period before, in the shape of the log's query: each
    measure's sum and (up to `cap` of) the people behind it, then everyone asking and the
    agencies they asked from."""
    (totals,) = raw["prev_totals"] or [(None,) * (2 * len(PREVIOUS))]
    (everyone, agencies) = (raw["prev_people"] or [(None, 0)])[0]
    row = []
    for i in range(len(PREVIOUS)):
        row += [totals[2 * i], len(first_people(totals[2 * i + 1], cap))]
    return [(*row, len(_everyone(everyone)), agencies or 0)]


def _everyone(names: str | None) -> set[str]:
    """Every asker a merged group_concat list names."""
    if not names:
        return set()
    found = set(names.split(","))
    found.discard("")
    return found


def first_people(names: str | None, cap: int) -> frozenset[str]:
    """Up to `cap` distinct pseudonyms from a group_concat list, reading no further than it
    must: a year's busiest rows list thousands, and "at least k" needs only k."""
    if not names:
        return _NOBODY
    parts = names.split(",", 4 * cap)
    if len(parts) > 4 * cap:
        parts.pop()  # the unread rest
    found = frozenset(parts)
    if len(found) < cap and len(parts) == 4 * cap:
        found = frozenset(names.split(","))  # many repeats (parts merged): read it all
    return found if len(found) <= cap else frozenset(islice(found, cap))


_NOBODY: frozenset[str] = frozenset()


def _counted(n: int | None, people: int | None, cap: int) -> Tally:
    """A count of the period before, with only the number of people behind it known."""
    return Tally(n or 0, range(-min(people or 0, cap), 0), cap)
