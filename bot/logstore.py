"""The query log's storage: its SQLite connections, the journal, the background writer, the
spool and the log's health. `QueryLog` (bot/querylog.py) is the part that knows what a row
means; this part only gets rows safely to disk.

Each row is first appended to this process's journal (one write, so a crash of the process
loses no answered question), then written by a background writer so an answer never waits on
the database; rows the database cannot take (locked, read-only, deleted, damaged, truncated,
disk full) go to an append-only spool file and are replayed, exactly once, by primary key,
when it can. A journal left by a process that died is replayed by the next log to open.
"""

from __future__ import annotations

import atexit
import os
import queue
import sqlite3
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from . import logfiles
from .config import Config
from .logrows import insert_rows
from .schema import LATEST, migrate

if TYPE_CHECKING:
    import sqlite_utils

BUSY_TIMEOUT_MS = 5000  # a writer waits this long for a lock before spooling
CHECKPOINT_TRIES = 20  # purge: times to try emptying the WAL while others are writing


def utcnow() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def damaged(exc: BaseException) -> bool:
    """Is this SQLite error a damaged file (rather than a busy or read-only one)?"""
    text = str(exc).lower()
    return isinstance(exc, sqlite3.DatabaseError) and (
        "malformed" in text or "not a database" in text or "corrupt" in text or "truncated" in text
    )


class LogDamaged(Exception):
    """The log file is damaged; the message says so and what to run (one line)."""


class LogStore:
    """Rows to disk: journal, writer thread, database or spool, replay."""

    def __init__(self, path: str | Path, config: Config, *, announce: bool = True):
        self.path = Path(path)
        self.config = config
        self.spool_path = self.path.with_name(self.path.name + ".spool.jsonl")
        self._local = threading.local()
        self._queue: queue.Queue[tuple[str, dict] | None] = queue.Queue()
        self._journal = logfiles.Journal(self.path)
        self._journal_lock = threading.Lock()
        self._appended = self._settled = 0  # rows journaled; rows since in the db or spool
        self._held: list[tuple[str, dict]] = []
        self._largest: dict[int, int] = {}  # inode -> the largest size the file has had
        self.problem: str | None = None  # why rows are being spooled, while they are
        self._announce = announce  # say so on stderr (a command that fails says it itself)
        self._writer = threading.Thread(
            target=self._write_loop, name="querylog-writer", daemon=True
        )
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._open_with_retry()  # creates and migrates the schema
        except sqlite3.DatabaseError as exc:
            # Damaged, or not a database at all: answers go on, rows go to the spool.
            self._forget_connection()
            self._degraded(exc)
        # Before any answer: a redelivered Slack event is then known to have been logged.
        self.replayed_at_start = self._replay_orphans()
        self._writer.start()
        atexit.register(self.close)

    # ---- connections -------------------------------------------------------------------
    def _conn(self) -> sqlite3.Connection:
        """One connection per thread (sqlite3 connections are not shared across threads)."""
        self._guard_truncation()
        conn = getattr(self._local, "conn", None)
        if conn is not None and not self._same_file():
            # The file was deleted or replaced under us: writing on would write into an
            # unlinked file and lose every row, so reconnect to (and recreate) the path.
            self._forget_connection()
            conn = None
        if conn is None:
            logfiles.create_private(self.path)
            conn = sqlite3.connect(
                self.path,
                timeout=BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,
                check_same_thread=False,
            )
            try:
                conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
                # Deleted and purged text is overwritten with zeros, not left in free space.
                conn.execute("PRAGMA secure_delete = ON")
                conn.execute("PRAGMA recursive_triggers = ON")  # as sqlite-utils sets it
                # Several processes may open a fresh log at once: one migrates, the others
                # wait.
                with logfiles.file_lock(self._beside(".schema.lock")):
                    _prepare(conn)
            except BaseException:
                conn.close()
                raise
            self._local.conn = conn
            self._local.db = None
            self._local.inode = self._inode()
            self._note_size()
        return conn

    def _db(self) -> sqlite_utils.Database:
        """This thread's connection in sqlite-utils' wrapper (purge, export, repair, stats)."""
        conn = self._conn()
        db = getattr(self._local, "db", None)
        if db is None:
            import sqlite_utils

            db = self._local.db = sqlite_utils.Database(conn)
        return db

    def _guard_truncation(self) -> None:
        """A log file never shrinks (nothing here vacuums it): one that is shorter than it
        was, under the same inode, was truncated, and writing on would write into a wreck.
        It stays damaged (rows go to the spool) until it is restored or repaired."""
        try:
            st = self.path.stat()
        except OSError:
            return  # deleted: a new file will be made
        largest = self._largest.get(st.st_ino, 0)
        if st.st_size < largest:
            raise sqlite3.DatabaseError(
                f"database file truncated ({st.st_size:,} bytes, it was {largest:,})"
            )

    def _note_size(self) -> None:
        try:
            st = self.path.stat()
        except OSError:
            return
        self._largest[st.st_ino] = max(self._largest.get(st.st_ino, 0), st.st_size)

    def _beside(self, suffix: str) -> Path:
        return self.path.with_name(self.path.name + suffix)

    def _open_with_retry(self, attempts: int = 20) -> None:
        """Another process creating the same fresh log holds it briefly: wait, don't fail."""
        for attempt in range(attempts):
            try:
                self._conn()
                return
            except sqlite3.OperationalError as exc:
                self._forget_connection()
                if "locked" not in str(exc) or attempt == attempts - 1:
                    raise
                time.sleep(0.25)

    def _inode(self) -> int | None:
        try:
            return self.path.stat().st_ino
        except OSError:
            return None

    def _same_file(self) -> bool:
        current = self._inode()
        return current is not None and current == getattr(self._local, "inode", None)

    def _forget_connection(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            try:
                conn.close()
            except sqlite3.Error:
                pass
        self._local.conn = None
        self._local.db = None

    # ---- health ------------------------------------------------------------------------
    def health(self) -> tuple[bool, str]:
        """(True, "ok"), or (False, why rows are being spooled) while the database cannot
        take them: for /healthz, which reports the log degraded while answers go on."""
        problem = self.problem
        if problem is None:
            return True, "ok"
        return False, f"query log degraded ({problem}); rows are kept in {self.spool_path.name}"

    def _degraded(self, exc: BaseException) -> None:
        problem = f"{type(exc).__name__}: {exc}"
        if self.problem is None and self._announce:
            advice = " — run `python -m bot log repair`" if damaged(exc) else ""
            print(
                f"rhrt-bot: query log {'damaged' if damaged(exc) else 'not writable'} "
                f"({problem}); keeping rows in {self.spool_path.name} until it is "
                f"fixed{advice}",
                file=sys.stderr,
            )
        self.problem = problem

    def _submit(self, kind: str, row: dict) -> None:
        self._submit_all([(kind, row)])

    def _submit_all(self, rows: list[tuple[str, dict]]) -> None:
        """Journal the rows (on disk as far as this process is concerned once this returns),
        then queue them for the writer."""
        data = logfiles.lines(rows)
        with self._journal_lock:
            try:
                self._journal.append(data)
            except OSError as exc:
                self._journal_failed(exc)
            self._appended += len(rows)
            for item in rows:
                self._queue.put(item)

    def _journal_failed(self, exc: OSError) -> None:
        if not getattr(self, "_journal_reported", False):
            print(
                f"rhrt-bot: journal not writable ({exc.strerror}); a crash now could lose "
                "the last answered questions",
                file=sys.stderr,
            )
            self._journal_reported = True

    def flush(self, timeout: float = 120.0) -> bool:
        """Wait until everything queued so far has been written (or spooled)."""
        done = threading.Event()
        self._queue.put(("flush", {"event": done}))
        return done.wait(timeout)

    def close(self, timeout: float = 120.0) -> None:
        """Write out everything queued, then stop the writer. Rows the writer could not
        reach in time go to the spool (they are in the journal too) rather than being lost
        with the process."""
        if not self._writer.is_alive():
            return
        self.flush(timeout)
        self._queue.put(None)
        self._writer.join(timeout=timeout)
        leftover = []
        while True:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                break
            if item is not None and item[0] != "flush":
                leftover.append(item)
        if leftover:
            self._spool(leftover, TimeoutError("the writer did not finish in time"))
            self._settle(len(leftover))
        with self._journal_lock:
            self._journal.close(remove=self._settled == self._appended and not self._held)
        self._forget_connection()

    # ---- the writer thread -------------------------------------------------------------
    def _write_loop(self) -> None:
        try:
            while True:
                item = self._queue.get()
                if item is None:
                    return
                batch = [item]
                while len(batch) < 500:
                    try:
                        nxt = self._queue.get_nowait()
                    except queue.Empty:
                        break
                    if nxt is None:
                        self._write(batch)
                        return
                    batch.append(nxt)
                self._write(batch)
        finally:
            self._forget_connection()  # the last one out folds the WAL into the file

    def _write(self, batch: list[tuple[str, dict]]) -> None:
        rows = [(k, r) for k, r in batch if k != "flush"]
        if rows:
            try:
                self._replay_spool()
                insert_rows(self._conn(), rows)
                self._note_size()
                if self.problem is not None:
                    print(
                        "rhrt-bot: query log writable again; spooled rows replayed", file=sys.stderr
                    )
                self.problem = None
            except (sqlite3.Error, OSError) as exc:
                self._forget_connection()
                self._degraded(exc)
                self._spool(rows, exc)
            self._settle(len(rows))
        for kind, row in batch:
            if kind == "flush":
                row["event"].set()

    def _settle(self, n: int) -> None:
        """`n` more journaled rows are in the database or the spool: when all of them are,
        the journal is emptied (rows only in memory keep it)."""
        with self._journal_lock:
            self._settled += n
            if self._settled == self._appended and not self._held:
                try:
                    self._journal.empty()
                except OSError:
                    pass

    def _spool(self, rows: list[tuple[str, dict]], exc: BaseException) -> None:
        try:
            with self._spool_lock():
                fd = logfiles.open_append(self.spool_path)
                try:
                    os.write(fd, logfiles.lines(rows))
                finally:
                    os.close(fd)
        except OSError as spool_exc:
            print(
                f"rhrt-bot: spool file not writable either ({spool_exc.strerror}); "
                f"{len(rows)} log row(s) held in memory",
                file=sys.stderr,
            )
            self._held = self._held + rows

    def _replay_spool(self) -> None:
        if self._held:
            insert_rows(self._conn(), self._held)
            self._held = []
        if not self.spool_path.exists():
            return
        # Several writers (threads, processes) share one spool: whoever replays holds the
        # lock from reading to removing it, so a row appended meanwhile is never lost.
        with self._spool_lock():
            if not self.spool_path.exists():
                return
            insert_rows(self._conn(), logfiles.read_rows(self.spool_path))
            # Inserts ignore existing ids, so a crash before the unlink replays safely.
            self.spool_path.unlink()

    def _replay_orphans(self) -> int:
        """Journals left by processes that died: their rows into the database (or the
        spool), then the journal goes. Returns the rows replayed."""
        replayed = 0
        for path, fd in logfiles.orphan_journals(self.path, own=self._journal.path):
            try:
                rows = logfiles.read_rows(path)
                if rows:
                    try:
                        insert_rows(self._conn(), rows)
                    except sqlite3.Error as exc:
                        self._forget_connection()
                        self._degraded(exc)
                        self._spool(rows, exc)
                        if self._held:
                            continue  # kept in memory only: keep the journal too
                replayed += len(rows)
                path.unlink(missing_ok=True)
            finally:
                os.close(fd)
        return replayed

    def replay_pending(self) -> int:
        """Replay the spool and any dead process's journal now (`log repair`); returns the
        journal rows replayed."""
        self.flush()
        replayed = self._replay_orphans()
        self._replay_spool()
        self.problem = None
        return replayed

    def _spool_lock(self):
        """An exclusive lock on the spool across threads and processes (flock)."""
        return logfiles.file_lock(self._beside(".spool.lock"))

    def checkpoint(self) -> bool:
        """Copy the WAL into the database and truncate it to nothing (old page images with
        purged text live in the WAL until then). Retries while other connections write."""
        conn = self._conn()
        for _ in range(CHECKPOINT_TRIES):
            busy, _, _ = conn.execute("pragma wal_checkpoint(TRUNCATE)").fetchone()
            if not busy:
                self._note_size()
                return True
            time.sleep(0.25)
        return False

    def damage_message(self, exc: BaseException) -> str:
        return (
            f"{self.path}: the query log is damaged ({exc}); answers go on and rows are kept "
            f"in {self.spool_path.name}: run `python -m bot log repair`"
        )


def _prepare(conn: sqlite3.Connection) -> None:
    """WAL mode and the latest schema. sqlite-utils (which imports numpy: ~0.3 s and ~15 MiB
    at start-up) is loaded only when the schema needs migrating, never for a current log."""
    if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        conn.execute("PRAGMA journal_mode = wal")
    if _schema_version(conn) < LATEST:
        import sqlite_utils

        migrate(sqlite_utils.Database(conn))


def _schema_version(conn: sqlite3.Connection) -> int:
    """As bot.schema.version, on a plain connection."""
    known = conn.execute(
        "select 1 from sqlite_master where type = 'table' and name = 'schema_version'"
    ).fetchone()
    if not known:
        return 0
    return conn.execute("select max(version) from schema_version").fetchone()[0] or 0
