"""The private query log: one SQLite file, written through sqlite-utils.

Every question becomes one row, redacted before it leaves this module. Writes go through a
background writer so an answer never waits on the disk; rows the database cannot take
(locked, read-only, deleted, disk full) go to an append-only spool file and are replayed,
exactly once, by primary key, when it can.
"""

from __future__ import annotations

import atexit
import fcntl
import json
import queue
import sqlite3
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlite_utils

from .askers import Asker, guess_agency, load_key, pseudonym
from .config import Config
from .escalations import ESCALATION_WRITERS, purge_escalation_text
from .privacy import Redactor
from .schema import migrate

BUSY_TIMEOUT_MS = 5000  # a writer waits this long for a lock before spooling
# Rows other modules write through the same writer (kind -> fn(db, row)), and their
# retention (fn(db, cutoff) -> rows blanked): escalations to advisers and their replies.
WRITERS: dict[str, Callable[[sqlite_utils.Database, dict], None]] = dict(ESCALATION_WRITERS)
PURGES: list[Callable[[sqlite_utils.Database, str], int]] = [purge_escalation_text]


def utcnow() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class QueryLog:
    """Record questions and feedback; read agency choices back."""

    def __init__(self, path: str | Path, key: bytes, config: Config):
        self.path = Path(path)
        self.key = key
        self.config = config
        self.spool_path = self.path.with_name(self.path.name + ".spool.jsonl")
        self._local = threading.local()
        self._redactors: dict[tuple[str, str], Redactor] = {}
        self._queue: queue.Queue[tuple[str, dict] | None] = queue.Queue()
        self._reported = False
        self._lock = threading.Lock()
        self._writer = threading.Thread(
            target=self._write_loop, name="querylog-writer", daemon=True
        )
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._open_with_retry()  # creates and migrates the schema, or fails at start-up
        self._writer.start()
        atexit.register(self.close)

    @classmethod
    def open(cls, config: Config) -> QueryLog:
        return cls(config.db_path, load_key(config.db_path), config)

    # ---- connections -------------------------------------------------------------------
    def _db(self) -> sqlite_utils.Database:
        """One connection per thread (sqlite3 connections are not shared across threads)."""
        db = getattr(self._local, "db", None)
        if db is not None and not self._same_file(db):
            # The file was deleted or replaced under us: writing on would write into an
            # unlinked file and lose every row, so reconnect to (and recreate) the path.
            self._forget_connection()
            db = None
        if db is None:
            conn = sqlite3.connect(
                self.path,
                timeout=BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,
                check_same_thread=False,
            )
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            db = sqlite_utils.Database(conn)
            # Several processes may open a fresh log at once: one migrates, the others wait.
            with self._file_lock(".schema.lock"):
                if db.journal_mode != "wal":
                    db.enable_wal()
                migrate(db)
            self._local.db = db
            self._local.inode = self._inode()
        return db

    def _open_with_retry(self, attempts: int = 20) -> None:
        """Another process creating the same fresh log holds it briefly: wait, don't fail."""
        for attempt in range(attempts):
            try:
                self._db()
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

    def _same_file(self, db: sqlite_utils.Database) -> bool:
        current = self._inode()
        return current is not None and current == getattr(self._local, "inode", None)

    def _forget_connection(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            try:
                db.conn.close()
            except sqlite3.Error:
                pass
        self._local.db = None

    # ---- askers ------------------------------------------------------------------------
    def pseudonym_of(self, asker: Asker) -> str:
        return pseudonym(self.key, asker.workspace, asker.user_id)

    def resolve(self, asker: Asker | None) -> tuple[str | None, str | None, str]:
        """(pseudonym, agency, how the agency was known) for an asker."""
        if asker is None:
            return None, None, "unknown"
        pid = self.pseudonym_of(asker)
        if asker.agency and asker.agency_source == "chosen":
            return pid, asker.agency, "chosen"
        chosen = self.agency_of(pid)
        if chosen:
            return pid, chosen, "chosen"
        agency, source = guess_agency(self.config, asker.email, asker.channel)
        return pid, agency, source

    def agency_of(self, pid: str) -> str | None:
        try:
            row = (
                self._db()
                .execute(
                    "select agency from askers where pseudonym = ? and agency_source = 'chosen'",
                    [pid],
                )
                .fetchone()
            )
        except sqlite3.Error:
            return None
        return row[0] if row else None

    def set_agency(self, asker: Asker, agency: str, role: str | None = None) -> str:
        """Store the asker's own choice of agency against their pseudonym."""
        pid = self.pseudonym_of(asker)
        self._submit(
            "asker",
            {
                "pseudonym": pid,
                "agency": agency,
                "sector": self.config.agency_sector(agency),
                "role": role,
                "agency_source": "chosen",
                "updated": iso(utcnow()),
            },
        )
        return pid

    # ---- writing -----------------------------------------------------------------------
    def redactor(self, pack: Any) -> Redactor:
        key = (pack.id, pack.version) if pack is not None else ("", "")
        if key not in self._redactors:
            self._redactors[key] = Redactor.for_pack(pack) if pack is not None else Redactor()
        return self._redactors[key]

    def redact(self, text: str | None, pack: Any = None) -> Any:
        """The one redaction path for anything written down or shown to others (questions,
        comments, notes and replies sent to advisers): a `Redaction` (text, counts)."""
        return self.redactor(pack).redact(str(text or "")[:4000])

    def record(
        self,
        question: str,
        answer: Any,
        *,
        asker: Asker | None = None,
        surface: str = "console",
        latency_ms: float = 0.0,
        pack: Any = None,
        event_id: str | None = None,
    ) -> tuple[str, int]:
        """Queue one redacted row for this question; returns (query id, identifiers removed)."""
        redaction = self.redact(question, pack)
        pid, agency, source = self.resolve(asker)
        query_id = uuid.uuid4().hex
        entry = pack.entries.get(answer.entry_id) if pack is not None and answer.entry_id else None
        now = utcnow()
        row = {
            "id": query_id,
            "ts": iso(now),
            "day": now.strftime("%Y-%m-%d"),
            "surface": surface,
            "asker": pid,
            "agency": agency or "unknown",
            "sector": self.config.agency_sector(agency) if agency else "unknown",
            "agency_source": source,
            "question": redaction.text,
            "redactions": redaction.total,
            "kind": answer.kind,
            "entry_id": answer.entry_id,
            "topic": getattr(entry, "topic", None)
            or ("thresholds" if answer.kind == "triage" else None),
            "areas": json.dumps(
                sorted({i.area for i in answer.indicators})
                or list(getattr(entry, "areas", ()) or ())
            ),
            "level": answer.level,
            "emergency": int(bool(answer.emergency)),
            "confidence": round(float(answer.confidence), 3),
            "answered": int(answer.answered),
            "alternatives": json.dumps([a.entry_id for a in answer.alternatives]),
            "latency_ms": round(latency_ms, 3),
            "pack_id": getattr(pack, "id", None),
            "pack_version": getattr(pack, "version", None),
            "event_id": event_id,
            "purged": 0,
        }
        self._submit("query", row)
        if pid:
            self._submit(
                "seen",
                {
                    "pseudonym": pid,
                    "agency": agency or "unknown",
                    "sector": row["sector"],
                    "agency_source": source,
                    "updated": row["ts"],
                },
            )
        return query_id, redaction.total

    def record_refinement(self, query_id: str, answer: Any, answers: dict[str, bool]) -> None:
        """A guided-triage refinement of a logged query: the same row, its new level and the
        yes/no answers by question id (no free text, so nothing to redact)."""
        self._submit(
            "refinement",
            {
                "id": query_id,
                "level": answer.level,
                "kind": answer.kind,
                "emergency": int(bool(answer.emergency)),
                "confidence": round(float(answer.confidence), 3),
                "refinement": json.dumps({k: bool(v) for k, v in sorted(answers.items())}),
            },
        )

    def record_feedback(
        self,
        query_id: str,
        *,
        helpful: bool,
        reason: str | None = None,
        comment: str | None = None,
        asker: Asker | None = None,
        pack: Any = None,
    ) -> None:
        """Store 👍/👎 with an optional reason and a redacted comment, linked to the query:
        the person's one vote on that answer (a later vote replaces it)."""
        text = self.redact(comment, pack).text if comment else None
        self._submit(
            "feedback",
            {
                "id": uuid.uuid4().hex,
                "query_id": query_id,
                "ts": iso(utcnow()),
                "asker": self.pseudonym_of(asker) if asker else None,
                "helpful": int(helpful),
                "reason": reason,
                "comment": text,
                "purged": 0,
            },
        )

    def seen_event(self, event_id: str) -> bool:
        """Has a Slack event with this id been logged already (a redelivery after a restart)?
        No flush: within one process the Slack layer remembers event ids itself, and a
        process that stopped flushed its rows on the way out, so answers never wait here."""
        try:
            return (
                self._db()
                .execute("select 1 from queries where event_id = ?", [event_id])
                .fetchone()
                is not None
            )
        except sqlite3.Error:
            return False

    def submit(self, kind: str, row: dict) -> None:
        """Queue a row of a kind registered in WRITERS (e.g. escalations): written by the same
        background writer, spooled and replayed like a question."""
        if kind not in WRITERS:
            raise ValueError(f"no writer registered for {kind!r}")
        self._submit(kind, row)

    def _submit(self, kind: str, row: dict) -> None:
        self._queue.put((kind, row))

    def flush(self, timeout: float = 120.0) -> bool:
        """Wait until everything queued so far has been written (or spooled)."""
        done = threading.Event()
        self._queue.put(("flush", {"event": done}))
        return done.wait(timeout)

    def close(self, timeout: float = 120.0) -> None:
        """Write out everything queued, then stop the writer. Rows the writer could not
        reach in time go to the spool rather than being lost with the process."""
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

    # ---- the writer thread -------------------------------------------------------------
    def _write_loop(self) -> None:
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

    def _write(self, batch: list[tuple[str, dict]]) -> None:
        rows = [(k, r) for k, r in batch if k != "flush"]
        if rows:
            try:
                self._replay_spool()
                self._insert(rows)
                self._reported = False
            except (sqlite3.Error, OSError) as exc:
                self._forget_connection()
                self._spool(rows, exc)
        for kind, row in batch:
            if kind == "flush":
                row["event"].set()

    def _insert(self, rows: list[tuple[str, dict]]) -> None:
        db = self._db()
        with db.conn:
            db.execute("begin immediate")
            for kind, row in rows:
                if kind == "query":
                    db["queries"].insert(row, ignore=True)  # replay-safe: primary key
                elif kind == "refinement":
                    # One question, refined: the row keeps its first answer's time and text
                    # and takes the refined level, with the answers that decided it.
                    db.execute(
                        "update queries set level = :level, kind = :kind, emergency = "
                        ":emergency, confidence = :confidence, refinement = :refinement "
                        "where id = :id",
                        row,
                    )
                elif kind == "feedback":
                    # One vote per person per answer: voting again changes it.
                    db.execute(
                        "insert into feedback (id, query_id, ts, asker, helpful, reason, "
                        "comment, purged) values (:id, :query_id, :ts, :asker, :helpful, "
                        ":reason, :comment, :purged) on conflict (query_id, asker) do update "
                        "set ts = excluded.ts, helpful = excluded.helpful, reason = "
                        "excluded.reason, comment = excluded.comment, purged = 0 "
                        "where excluded.ts >= feedback.ts on conflict do nothing",
                        row,
                    )
                elif kind == "asker":
                    db.execute(
                        "insert into askers (pseudonym, agency, sector, role, agency_source, "
                        "first_seen, last_seen) values (:pseudonym, :agency, :sector, :role, "
                        ":agency_source, :updated, :updated) on conflict(pseudonym) do update "
                        "set agency = excluded.agency, sector = excluded.sector, role = "
                        "coalesce(excluded.role, role), agency_source = 'chosen', last_seen = "
                        "excluded.last_seen",
                        row,
                    )
                elif kind in WRITERS:
                    WRITERS[kind](db, row)
                elif kind == "seen":
                    db.execute(
                        "insert into askers (pseudonym, agency, sector, agency_source, "
                        "first_seen, last_seen) values (:pseudonym, :agency, :sector, "
                        ":agency_source, :updated, :updated) on conflict(pseudonym) do update "
                        "set last_seen = excluded.last_seen, agency = case when "
                        "askers.agency_source = 'chosen' then askers.agency else excluded.agency "
                        "end",
                        row,
                    )

    def _spool(self, rows: list[tuple[str, dict]], exc: Exception) -> None:
        if not self._reported:
            print(
                f"rhrt-bot: query log not writable ({type(exc).__name__}: {exc}); "
                f"keeping rows in {self.spool_path.name} until it is",
                file=sys.stderr,
            )
            self._reported = True
        try:
            with self._spool_lock(), self.spool_path.open("a", encoding="utf-8") as spool:
                spool.write("".join(json.dumps({"kind": k, "row": r}) + "\n" for k, r in rows))
        except OSError as spool_exc:
            print(
                f"rhrt-bot: spool file not writable either ({spool_exc.strerror}); "
                f"{len(rows)} log row(s) held in memory",
                file=sys.stderr,
            )
            self._held = getattr(self, "_held", []) + rows

    def _replay_spool(self) -> None:
        held = getattr(self, "_held", [])
        if held:
            self._insert(held)
            self._held = []
        if not self.spool_path.exists():
            return
        # Several writers (threads, processes) share one spool: whoever replays holds the
        # lock from reading to removing it, so a row appended meanwhile is never lost.
        with self._spool_lock():
            if not self.spool_path.exists():
                return
            rows = []
            for line in self.spool_path.read_text(encoding="utf-8").splitlines():
                try:
                    item = json.loads(line)
                    rows.append((item["kind"], item["row"]))
                except (ValueError, KeyError):
                    continue  # a torn last line from a crash: skip it, keep the rest
            self._insert(rows)
            # Inserts ignore existing ids, so a crash before the unlink replays safely.
            self.spool_path.unlink()

    def _spool_lock(self):
        """An exclusive lock on the spool across threads and processes (flock)."""
        return self._file_lock(".spool.lock")

    @contextmanager
    def _file_lock(self, suffix: str) -> Iterator[None]:
        lock_path = self.path.with_name(self.path.name + suffix)
        try:
            handle = open(lock_path, "a")  # noqa: SIM115 - closed in finally
        except OSError:
            yield  # no lock file possible (read-only folder): this process only
            return
        try:
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
            handle.close()

    # ---- retention and export ------------------------------------------------------------
    def purge(self, now: datetime | None = None) -> dict[str, int]:
        """Blank redacted text older than retention_days; counts and categories stay."""
        self.flush()
        cutoff = iso((now or utcnow()) - timedelta(days=self.config.retention_days))
        db = self._db()
        with db.conn:
            q = db.execute(
                "update queries set question = null, purged = 1 where ts < ? and purged = 0",
                [cutoff],
            ).rowcount
            f = db.execute(
                "update feedback set comment = null, purged = 1 where ts < ? and purged = 0",
                [cutoff],
            ).rowcount
            e = sum(purge(db, cutoff) for purge in PURGES)
        return {"queries": q, "feedback": f, "escalations": e}
