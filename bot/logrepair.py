"""`python -m bot log repair`: after the log file was damaged, truncated or replaced, move
the damaged file aside, start a new one, save what can still be read from the old one, and
replay the spool and any dead process's journal, each row exactly once.

Safe to run while the bot is serving (its writer notices the new file and joins it) and to
run twice (rows are written by primary key).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from . import logfiles
from .config import Config
from .querylog import QueryLog

SALVAGE_MAX_ROWS = 5_000_000  # rows fetched one by one from an index, at most
TABLES = ("askers", "queries", "feedback")
# Questions sent to advisers and their replies (schema v6): saved too when the file has them.
OPTIONAL_TABLES = ("escalations", "escalation_replies")


@dataclass
class RepairResult:
    state: str  # "missing", "healthy" or why the file is damaged
    moved_to: Path | None = None
    saved: dict[str, int] = field(default_factory=dict)  # rows read back from the damaged file
    unreadable: list[str] = field(default_factory=list)  # tables it could not read to the end
    spooled: int = 0
    journaled: int = 0

    def summary(self) -> str:
        lines = []
        if self.moved_to is not None:
            lines.append(
                f"The query log was damaged ({self.state}): moved it to {self.moved_to} "
                "and started a new one. The damaged copy still holds question text: delete it "
                "when you no longer need it."
            )
            saved = ", ".join(f"{n} {t}" for t, n in self.saved.items())
            lines.append(f"Saved from the damaged copy: {saved or 'nothing'}.")
            if self.unreadable:
                lines.append(
                    "Parts of " + ", ".join(self.unreadable) + " could not be read and were "
                    "skipped."
                )
        elif self.state == "missing":
            lines.append("There was no query log: started a new one.")
        else:
            lines.append("The query log is healthy.")
        lines.append(
            f"Replayed {self.spooled} spooled row(s) and {self.journaled} row(s) from the "
            "journals of processes that stopped; each is in the log exactly once."
        )
        return "\n".join(lines)


def check(path: Path) -> str:
    """ "missing", "healthy", or what is wrong with the file."""
    if not path.exists():
        return "missing"
    try:
        conn = sqlite3.connect(f"file:{path.resolve()}?mode=ro", uri=True, timeout=10)
        try:
            rows = [r[0] for r in conn.execute("pragma quick_check")]
            conn.execute("select count(*) from queries").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    if rows == ["ok"]:
        return "healthy"
    return "; ".join(" ".join(r.split()) for r in rows[:3] if "***" not in r) or "damaged"


def repair(config: Config) -> RepairResult:
    path = Path(config.db_path)
    result = RepairResult(check(path))
    if result.state not in ("missing", "healthy"):
        result.moved_to = _move_aside(path)
    result.spooled = _pending(path.with_name(path.name + ".spool.jsonl"))
    log = QueryLog(path, None, config, announce=False)  # new if moved; dead journals replayed
    try:
        result.journaled = log.replayed_at_start
        if result.moved_to is not None:
            result.saved, result.unreadable = _salvage(result.moved_to, log)
        result.journaled += log.replay_pending()
    finally:
        log.close()
    return result


def _move_aside(path: Path) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    for suffix in ("", "-wal", "-shm"):
        source = Path(f"{path}{suffix}")
        if source.exists():
            source.rename(Path(f"{target}{suffix}"))
    return target


def _pending(spool: Path) -> int:
    return len(logfiles.read_rows(spool)) if spool.exists() else 0


def _salvage(damaged: Path, log: QueryLog) -> tuple[dict[str, int], list[str]]:
    """Every row that can still be read from the damaged copy, into the new log."""
    saved: dict[str, int] = {}
    unreadable: list[str] = []
    try:
        source = sqlite3.connect(f"file:{damaged.resolve()}?mode=ro", uri=True, timeout=10)
    except sqlite3.Error:
        return saved, list(TABLES)
    try:
        db = log._db()
        for table in TABLES + _present(source, OPTIONAL_TABLES):
            rows, complete = _read_table(source, table)
            if not complete:
                unreadable.append(table)
            if rows:
                columns = set(db[table].columns_dict)
                with db.conn:
                    for row in rows:
                        row = {k: v for k, v in row.items() if k in columns}
                        keys = ", ".join(row)
                        marks = ", ".join("?" for _ in row)
                        db.execute(
                            f"insert or ignore into {table} ({keys}) values ({marks})",
                            list(row.values()),
                        )
            saved[table] = len(rows)
    finally:
        source.close()
    return saved, unreadable


def _present(conn: sqlite3.Connection, tables: tuple[str, ...]) -> tuple[str, ...]:
    try:
        names = {r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")}
    except sqlite3.Error:
        return ()
    return tuple(t for t in tables if t in names)


def _read_table(conn: sqlite3.Connection, table: str) -> tuple[list[dict], bool]:
    """The rows of `table` that can still be read, and whether that is all of them: a scan
    from the front and one from the back, each until it meets the damage, then every row an
    index still knows of, one at a time."""
    found: dict[int, dict] = {}
    if _scan(conn, f"select rowid, * from {table} order by rowid", found):
        return list(found.values()), True
    _scan(conn, f"select rowid, * from {table} order by rowid desc", found)
    try:
        indexes = [r[1] for r in conn.execute(f"pragma index_list({table})")]
    except sqlite3.DatabaseError:
        indexes = []
    for index in indexes:
        known: dict[int, dict] = {}
        _scan(conn, f"select rowid from {table} indexed by {index}", known, ids_only=True)
        for rowid in sorted(set(known) - set(found))[:SALVAGE_MAX_ROWS]:
            _scan(conn, f"select rowid, * from {table} where rowid = {int(rowid)}", found)
    return list(found.values()), False


def _scan(
    conn: sqlite3.Connection, sql: str, into: dict[int, dict], ids_only: bool = False
) -> bool:
    """Add the rows `sql` yields before any error to `into`; True if it read to the end."""
    try:
        cursor = conn.execute(sql)
        names = [d[0] for d in cursor.description]
        for values in cursor:
            if ids_only:
                into[values[0]] = {}
                continue
            record = dict(zip(names, values, strict=True))
            into[record.pop("rowid")] = record
    except sqlite3.DatabaseError:
        return False
    return True
