"""The report's rollup: the query log summed per day, and per month once a month is over,
so a year's report reads a few hundred thousand small rows instead of a million questions.

Reports are k-anonymous over distinct askers, and distinct counts do not add across days,
so every sum keeps the askers behind it (as rollup_people ids):

- rollup_cube: the report's cube (agency, kind, topic, entry, areas, level, low confidence,
  the entry offered, the runner-up) with up to `cap` askers per cell. A period's cell is the
  union of its days' and months' cells, and "k or more people" needs only k of them: a
  bucket that had `cap` ≥ k askers shows k by itself, and one with fewer lists them all.
- rollup_days: the same for topics by day (the report's daily and weekly tables, and its
  questions by agency, topic and sector); rollup_topics the same for all agencies together.
- rollup_askers, rollup_subjects: every asker per agency, and per agency and subject
  (entry, topic, areas), for the exact numbers of people the report prints.
- rollup_feedback: ratings by their question's cube cell (up to `cap` raters each).
- rollup_texts, rollup_text_reasons: unanswered and low-confidence questions with their
  (redacted) text, per day and asker, and the 👎 reasons given on them: the only rollups
  holding text, kept by day only, so purge redoes them with the days it purges.

New questions, however they were written (the writer's batches, spool and journal replay,
`log repair`, demo-log, a hand-made insert), are found by row number: `refresh` marks the
days of every row above the highest it has seen (a trigger on every insert would cost the
writer about a tenth of its speed). Triggers (schema v7) mark a day dirty whenever a question
of that day is changed (a refinement, purge) or removed (which also lowers the row number
seen, as the next question may reuse it), and when a rating of one is written, changed or
removed. `refresh` then redoes the dirty days from the log and rolls up every month that has
ended and is not rolled up yet. The rollup depends on the low-confidence line and the people
cap it was made with; a report with other settings rebuilds it (or reads the log directly).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from itertools import islice
from pathlib import Path

from .logsql import (
    CONF_MILLI_SQL,
    NEAR_SQL,
    RUNNER_UP_SQL,
    gap_sql,
    line,
    low_confidence_line,
    low_sql,
)

VERSION = "1"
SCHEMA = 7  # the log's schema version that has the rollup (bot/schema.py)
MIN_CAP = 10  # askers kept per cell: at least k; 10 serves any k up to 10 without a rebuild
BATCH_DAYS = 7  # days redone per transaction: the write lock is held well under a second
BUSY_TIMEOUT_MS = 5000
MONTHLY = (
    "rollup_cube",
    "rollup_days",
    "rollup_topics",
    "rollup_askers",
    "rollup_subjects",
    "rollup_feedback",
)
TABLES = (*MONTHLY, "rollup_texts", "rollup_text_reasons")
# Month rows keep up to `cap` askers per cell here; the other tables keep every asker.
CAPPED = ("rollup_cube", "rollup_days", "rollup_topics", "rollup_feedback")


@dataclass(frozen=True)
class Rollup:
    """A rollup that is up to date: what it was made with, and the months rolled up whole."""

    line: str
    cap: int
    months: frozenset[str]


def settings_for(config) -> tuple[float, int]:
    """(low-confidence line, k) a report with this config needs."""
    return low_confidence_line(config), max(1, int(config.min_cell_count))


# ---- one day, from the log ---------------------------------------------------------------
def _stage(low: float) -> str:
    """The days' questions, read once, with everything the rollup sums worked out (the JSON
    and the confidence lines), into an in-memory table the day queries below then read."""
    lo, gap = low_sql(low), gap_sql(low)
    return (
        "insert into temp.rollup_batch select id, day, asker, null, agency, sector, kind, "
        f"topic, entry_id, areas, level, answered, emergency, {lo}, {NEAR_SQL}, "
        f"{RUNNER_UP_SQL}, {CONF_MILLI_SQL}, {gap}, case when {gap} then question end "
        "from queries where day in ({days})"
    )


BATCH_COLUMNS = (
    "id, day, asker, person, agency, sector, kind, topic, entry_id, areas, level, answered, "
    "emergency, low, near, alt0, conf_milli, gap, question"
)
# Each gives (bucket, key columns..., sums..., askers) for the staged days, inserted as they
# are (a day's cells are small: every asker is kept); askers are rollup_people ids,
# distinct, comma-separated.
PEOPLE = "group_concat(distinct person)"
DAY_QUERIES: dict[str, str] = {
    "rollup_cube": (
        "select day, agency, sector, kind, topic, entry_id, areas, level, answered, emergency, "
        f"low, near, alt0, count(*), sum(conf_milli), {PEOPLE} from temp.rollup_batch "
        "group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13"
    ),
    "rollup_days": (
        "select day, agency, sector, topic, kind = 'no_answer', kind = 'help', gap, count(*), "
        f"{PEOPLE} from temp.rollup_batch group by 1, 2, 3, 4, 5, 6, 7"
    ),
    # The first {cap} askers of each cell (by id; anyone unknown last), in SQL.
    "rollup_topics": (
        "select day, topic, unanswered, help, gap, sum(n), group_concat(case when place <= {cap} "
        "then person end) from (select day, topic, kind = 'no_answer' as unanswered, kind = "
        "'help' as help, gap, person, count(*) as n, row_number() over (partition by day, "
        "topic, kind = 'no_answer', kind = 'help', gap order by person is null, person) as place "
        "from temp.rollup_batch group by 1, 2, 3, 4, 5, 6) group by 1, 2, 3, 4, 5"
    ),
    "rollup_askers": (
        f"select day, agency, sector, count(*), {PEOPLE} from temp.rollup_batch group by 1, 2, 3"
    ),
    "rollup_subjects": (
        f"select day, agency, sector, coalesce(entry_id, near), topic, areas, {PEOPLE} from "
        "temp.rollup_batch where kind != 'help' and person is not null "
        "group by 1, 2, 3, 4, 5, 6"
    ),
    "rollup_texts": (
        "select day, agency, sector, question, person, count(*), sum(kind = 'no_answer'), "
        "sum(kind = 'triage'), max(coalesce(entry_id, near)) from temp.rollup_batch where gap "
        "and question is not null group by 1, 2, 3, 4, 5"
    ),
    "rollup_feedback": (
        "select b.day, b.agency, b.sector, b.kind, b.topic, b.entry_id, b.areas, b.level, "
        "f.helpful, coalesce(f.reason, ''), case when f.ts is null then '' when f.ts < b.day "
        "then substr(f.ts, 1, 10) end, count(*), group_concat(distinct p.id) from "
        "temp.rollup_batch b join feedback f on f.query_id = b.id left join rollup_people p "
        "on p.asker = coalesce(f.asker, b.asker) group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11"
    ),
    "rollup_text_reasons": (
        "select b.day, b.agency, b.sector, b.question, coalesce(f.reason, 'other'), count(*) "
        "from temp.rollup_batch b join feedback f on f.query_id = b.id where f.helpful = 0 "
        "and b.gap and b.question is not null group by 1, 2, 3, 4, 5"
    ),
}


# ---- one month, from its days ------------------------------------------------------------
def _month_queries() -> dict[str, str]:
    month = "substr(bucket, 1, 7)"
    days = "where bucket between ? and ?"
    return {
        "rollup_cube": (
            f"select {month}, agency, sector, kind, topic, entry_id, areas, level, answered, "
            "emergency, low, near, alt0, sum(n), sum(conf_milli), group_concat(people) from "
            f"rollup_cube {days} group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13"
        ),
        "rollup_days": (
            f"select {month}, agency, sector, topic, unanswered, help, gap, sum(n), "
            f"group_concat(people) from rollup_days {days} group by 1, 2, 3, 4, 5, 6, 7"
        ),
        "rollup_topics": (
            f"select {month}, topic, unanswered, help, gap, sum(n), group_concat(people) from "
            f"rollup_topics {days} group by 1, 2, 3, 4, 5"
        ),
        "rollup_askers": (
            f"select {month}, agency, sector, sum(n), group_concat(askers) from rollup_askers "
            f"{days} group by 1, 2, 3"
        ),
        "rollup_subjects": (
            f"select {month}, agency, sector, subject, topic, areas, group_concat(askers) from "
            f"rollup_subjects {days} group by 1, 2, 3, 4, 5, 6"
        ),
        "rollup_feedback": (
            f"select {month}, agency, sector, kind, topic, entry_id, areas, level, helpful, "
            "reason, early, sum(n), group_concat(people) from rollup_feedback "
            f"{days} group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11"
        ),
    }


def _distinct(names: str | None, cap: int | None) -> str | None:
    """A comma-separated list without repeats, cut to `cap` names (None: all of them)."""
    if not names:
        return None
    found = dict.fromkeys(names.split(","))
    return ",".join(found if cap is None else islice(found, cap))


def _insert(conn: sqlite3.Connection, table: str, rows: list[tuple], cap: int | None) -> None:
    """Month rows, their askers without the repeats of their days (and at most `cap`)."""
    if not rows:
        return
    rows = [(*row[:-1], _distinct(row[-1], cap)) for row in rows]
    marks = ", ".join("?" * len(rows[0]))
    conn.executemany(f"insert into {table} values ({marks})", rows)


# ---- keeping it up to date ---------------------------------------------------------------
def refresh(
    conn: sqlite3.Connection,
    low: float,
    k: int,
    *,
    today: date | None = None,
    progress: Callable[[str], None] | None = None,
) -> Rollup:
    """Bring the rollup up to date on `conn` (autocommit mode, a writable log at schema v7):
    rebuild it if it was made with another low-confidence line or too small a cap, redo the
    dirty days, roll up the months that have ended. Each step is its own short transaction,
    so the bot keeps writing meanwhile."""
    today = today or datetime.now(UTC).date()
    want = line(low)
    state = dict(conn.execute("select key, value from rollup_state").fetchall())
    if state.get("version") != VERSION or state.get("line") != want or _cap(state) < k:
        state = _start_again(conn, want, max(MIN_CAP, k))
    cap = _cap(state)
    _mark_new_rows(conn)
    dirty = [d for (d,) in conn.execute("select day from rollup_dirty order by day")]
    if dirty and progress and len(dirty) > BATCH_DAYS:
        progress(f"report: rolling up {len(dirty):,} days of the query log (once)")
    if dirty:
        # In memory: the staged questions (their text too) never touch a disk.
        conn.execute("pragma temp_store = memory")
        conn.execute(f"create temp table if not exists rollup_batch ({BATCH_COLUMNS})")
        stage = _stage(low)
        for start in range(0, len(dirty), BATCH_DAYS):
            _redo_days(conn, dirty[start : start + BATCH_DAYS], stage, cap)
    for month in _months_to_roll(conn, today):
        _roll_month(conn, month, cap)
    months = frozenset(m for (m,) in conn.execute("select month from rollup_months"))
    return Rollup(want, cap, months)


def _mark_new_rows(conn: sqlite3.Connection) -> None:
    """Mark the days of every question written since the last look (row numbers only grow:
    the log never reuses one but after a delete, whose trigger lowers the mark)."""
    with _transaction(conn):
        (seen,) = conn.execute(
            "select coalesce((select cast(value as integer) from rollup_state where key = "
            "'seen'), 0)"
        ).fetchone()
        (top,) = conn.execute("select coalesce(max(rowid), 0) from queries").fetchone()
        if top == seen:
            return
        conn.execute(
            "insert or ignore into rollup_dirty (day) select distinct day from queries "
            "where rowid > ? and day is not null",
            [min(seen, top)],
        )
        conn.execute("insert or replace into rollup_state values ('seen', ?)", [str(top)])


def _cap(state: dict) -> int:
    try:
        return int(state.get("cap") or 0)
    except ValueError:
        return 0


def _start_again(conn: sqlite3.Connection, want: str, cap: int) -> dict:
    with _transaction(conn):
        for table in (*TABLES, "rollup_months"):
            conn.execute(f"delete from {table}")
        conn.execute(
            "insert or ignore into rollup_dirty (day) select distinct day from queries "
            "where day is not null"
        )
        state = {"version": VERSION, "line": want, "cap": str(cap)}
        conn.executemany("insert or replace into rollup_state values (?, ?)", state.items())
    return state


def _redo_days(conn: sqlite3.Connection, days: list[str], stage: str, cap: int) -> None:
    marks = ", ".join("?" * len(days))
    months = sorted({d[:7] for d in days})
    with _transaction(conn):
        conn.execute("delete from temp.rollup_batch")
        conn.execute(stage.format(days=marks), days)
        # Everyone behind these days' questions and ratings gets an id once.
        conn.execute(
            "insert or ignore into rollup_people (asker) select distinct asker from "
            "temp.rollup_batch where asker is not null"
        )
        conn.execute(
            "insert or ignore into rollup_people (asker) select distinct f.asker from "
            "temp.rollup_batch b join feedback f on f.query_id = b.id where f.asker is not null"
        )
        conn.execute(
            "update temp.rollup_batch set person = (select id from rollup_people p where "
            "p.asker = rollup_batch.asker) where asker is not null"
        )
        for table, sql in DAY_QUERIES.items():
            conn.execute(f"delete from {table} where bucket in ({marks})", days)
            conn.execute(f"insert into {table} {sql.replace('{cap}', str(int(cap)))}")
        # A month rolled up whole no longer matches its days: roll it up again later.
        month_marks = ", ".join("?" * len(months))
        for table in MONTHLY:
            conn.execute(f"delete from {table} where bucket in ({month_marks})", months)
        conn.execute(f"delete from rollup_months where month in ({month_marks})", months)
        conn.execute(f"delete from rollup_dirty where day in ({marks})", days)
        conn.execute("delete from temp.rollup_batch")


def _months_to_roll(conn: sqlite3.Connection, today: date) -> list[str]:
    """Months that have ended, have days rolled up, and are not rolled up whole yet."""
    this_month = today.isoformat()[:7]
    found = conn.execute(
        "select distinct substr(bucket, 1, 7) from rollup_askers where length(bucket) = 10 "
        "and bucket < ? and substr(bucket, 1, 7) not in (select month from rollup_months)",
        [f"{this_month}-01"],
    ).fetchall()
    return sorted(m for (m,) in found)


def _roll_month(conn: sqlite3.Connection, month: str, cap: int) -> None:
    first, last = f"{month}-01", f"{month}-31"
    with _transaction(conn):
        for table, sql in _month_queries().items():
            conn.execute(f"delete from {table} where bucket = ?", [month])
            rows = conn.execute(sql, [first, last]).fetchall()
            keep = cap if table in CAPPED else None
            _insert(conn, table, rows, keep)
        conn.execute("insert or ignore into rollup_months (month) values (?)", [month])


def _version(conn: sqlite3.Connection) -> int:
    try:
        return conn.execute("select max(version) from schema_version").fetchone()[0] or 0
    except sqlite3.OperationalError:
        return 0


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    """A log from before the rollup (the bot has not run since the upgrade): bring it up to
    date as the bot would, under the same lock."""
    import sqlite_utils  # only here: it takes a while to import

    from . import logfiles
    from .schema import migrate

    with logfiles.file_lock(path.with_name(path.name + ".schema.lock")):
        migrate(sqlite_utils.Database(conn))


class _transaction:
    """BEGIN IMMEDIATE (the write lock first, so what is read is what is replaced) ... COMMIT,
    or ROLLBACK on any error."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        self.conn.execute("begin immediate")
        return self.conn

    def __exit__(self, kind, value, tb) -> None:
        if kind is None:
            self.conn.execute("commit")
            return
        try:
            self.conn.execute("rollback")
        except sqlite3.Error:
            pass  # BEGIN itself failed (locked): there is nothing to undo


# ---- for a report ------------------------------------------------------------------------
def ensure(
    path: str | Path,
    config,
    *,
    progress: Callable[[str], None] | None = None,
) -> Rollup | None:
    """The log's rollup brought up to date for a report with this config, or None when it
    cannot be (a read-only or damaged log, a lock held too long): the report then reads the
    log itself, with the same result, only slower."""
    path = Path(path)
    if not path.exists():
        return None
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except sqlite3.Error:
        return None
    try:
        conn.execute(f"pragma busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("pragma secure_delete = on")  # rolled-up text is overwritten when redone
        if _version(conn) < SCHEMA:
            _migrate(conn, path)
        low, k = settings_for(config)
        return refresh(conn, low, k, progress=progress)
    except sqlite3.Error:
        return None
    finally:
        conn.close()
