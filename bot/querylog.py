"""The private query log: one SQLite file.

Every question becomes one row, redacted before it leaves this module; askers are
pseudonyms. How rows get safely to disk (journal, writer, spool, replay, health) is
bot/logstore.py's.
"""

from __future__ import annotations

import json
import sqlite3
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from .askers import Asker, guess_agency, pseudonym
from .config import Config
from .logfiles import random_id
from .logkey import load_key
from .logrows import PURGES, WRITERS
from .logstore import (  # noqa: F401 - the log's interface, as it has always been imported
    BUSY_TIMEOUT_MS,
    LogDamaged,
    LogStore,
    damaged,
    iso,
    utcnow,
)
from .privacy import Redactor

AGENCY_TTL_S = 60.0
AGENCY_CACHE_SIZE = 10_000
_UNREAD = object()


class QueryLog(LogStore):
    """Record questions and feedback; read agency choices back."""

    def __init__(
        self, path: str | Path, key: bytes | None, config: Config, *, announce: bool = True
    ):
        if key is not None and not key:
            raise ValueError("the pseudonym key must not be empty")
        self.key = key
        self._redactors: dict[tuple[str, str], Redactor] = {}
        # pseudonym -> (chosen agency or None, when read): a read per question was a
        # database round trip on the hot path.
        self._agencies: dict[str, tuple[str | None, float]] = {}
        super().__init__(path, config, announce=announce)

    @classmethod
    def open(cls, config: Config, *, with_key: bool = True) -> QueryLog:
        """The configured log. Without the key (`with_key=False`: purge, export, repair) it
        reads and replays rows but records no question, and leaves problems to its caller."""
        key = load_key(config.db_path) if with_key else None
        return cls(config.db_path, key, config, announce=with_key)

    # ---- askers ------------------------------------------------------------------------
    def pseudonym_of(self, asker: Asker) -> str:
        if self.key is None:
            raise RuntimeError("this log was opened without its key: it cannot record")
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
        agency, source = guess_agency(self.config, asker.email, asker.channel, asker.workspace)
        return pid, agency, source

    def agency_of(self, pid: str) -> str | None:
        """The agency this person chose, if any. Cached for AGENCY_TTL_S: a choice made in
        this process shows at once; one made in another process within a minute."""
        cached = self._agencies.get(pid)
        if cached is not None and time.monotonic() - cached[1] < AGENCY_TTL_S:
            return cached[0]
        agency = self._read_agency(pid)
        if agency is not _UNREAD:
            self._remember_agency(pid, agency)
            return agency
        return None

    def _remember_agency(self, pid: str, agency: str | None) -> None:
        if len(self._agencies) >= AGENCY_CACHE_SIZE:
            self._agencies.clear()  # bounded; refilled by the people still asking
        self._agencies[pid] = (agency, time.monotonic())

    def _read_agency(self, pid: str):
        try:
            row = (
                self._conn()
                .execute(
                    "select agency from askers where pseudonym = ? and agency_source = 'chosen'",
                    [pid],
                )
                .fetchone()
            )
        except sqlite3.Error:
            return _UNREAD  # not cached: the next question tries the file again
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
        self._remember_agency(pid, agency)
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
        query_id = random_id()
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
        rows = [("query", row)]
        if pid:
            seen = {
                "pseudonym": pid,
                "agency": agency or "unknown",
                "sector": row["sector"],
                "agency_source": source,
                "updated": row["ts"],
            }
            rows.append(("seen", seen))
        self._submit_all(rows)
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
                "id": random_id(),
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
                self._conn()
                .execute("select 1 from queries where event_id = ?", [event_id])
                .fetchone()
                is not None
            )
        except sqlite3.Error:
            return False

    def submit(self, kind: str, row: dict) -> None:
        """Queue a row of a kind registered in WRITERS (e.g. escalations): journaled, then
        written by the same background writer, spooled and replayed like a question."""
        if kind not in WRITERS:
            raise ValueError(f"no writer registered for {kind!r}")
        self._submit(kind, row)

    # ---- retention -----------------------------------------------------------------------
    def purge(self, now: datetime | None = None) -> dict[str, int]:
        """Blank redacted text older than retention_days; counts and categories stay. The
        report's rollup redoes the days purged (its only text is theirs), then the text is
        overwritten in the file (secure_delete) and the WAL is emptied, so the words are
        gone from the database file, its WAL and its free pages."""
        self.flush()
        cutoff = iso((now or utcnow()) - timedelta(days=self.config.retention_days))
        try:
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
            from . import rollup  # only here: a question never needs it

            rollup.refresh(db.conn, *rollup.settings_for(self.config))
            self.checkpoint()
        except sqlite3.DatabaseError as exc:
            self._forget_connection()
            if damaged(exc):
                raise LogDamaged(self.damage_message(exc)) from exc
            raise
        return {"queries": q, "feedback": f, "escalations": e}
