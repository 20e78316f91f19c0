"""Ask a safeguarding adviser: a question the bot could not settle goes to a person.

The adviser sees the question exactly as it was logged (redacted), the bot's answer and the
asker's agency and sector; the log keeps the escalation, each reply (redacted, pseudonymous)
and the time to the first reply, for the report. Nothing here knows Slack: `handlers/`
posts and delivers. How to reach the asker again (their user, channel and thread) is never
written to the log: it travels with the adviser's message, sealed (Fernet: AES with an HMAC)
under a key derived from the log's pseudonym key, so advisers cannot read it either.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from .logfiles import random_id

if TYPE_CHECKING:
    import sqlite_utils
    from cryptography.fernet import Fernet

ROUTE_LABEL = b"rhrt-bot escalation route v1"
ROUTE_MAX_AGE = 90 * 24 * 3600  # a reply is possible for 90 days, then the route expires
OPEN, REPLIED, RESOLVED = "open", "replied", "resolved"


def _now() -> datetime:
    return datetime.now(UTC)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


# ---- where a topic goes ------------------------------------------------------------------
def channel_for(config: Any, topic: str | None) -> str | None:
    """The advisers' channel for a topic (config `escalation.topics`), else the default;
    None when escalation is not set up."""
    settings = getattr(config, "escalation", None) or {}
    topics = settings.get("topics") or {}
    chosen = topics.get(topic) if topic else None
    return str(chosen or settings.get("default") or "") or None


def enabled(config: Any) -> bool:
    settings = getattr(config, "escalation", None) or {}
    return bool(settings.get("default") or any((settings.get("topics") or {}).values()))


# ---- the sealed way back to the asker -----------------------------------------------------
def _fernet(key: bytes) -> Fernet:
    # Imported when first needed: a command that never escalates (`ask`) never loads it.
    from cryptography.fernet import Fernet

    derived = hmac.new(key, ROUTE_LABEL, hashlib.sha256).digest()
    return Fernet(base64.urlsafe_b64encode(derived))


def seal(key: bytes, route: dict[str, str | None]) -> str:
    """An opaque token for `route` (user, channel, thread, surface) only this bot can open."""
    data = json.dumps({k: v for k, v in route.items() if v}, separators=(",", ":"))
    return _fernet(key).encrypt(data.encode()).decode("ascii")


def unseal(key: bytes, token: str | None) -> dict[str, str] | None:
    """The route in a token, or None if it is not ours, was altered or is too old."""
    if not token:
        return None
    from cryptography.fernet import InvalidToken

    try:
        data = _fernet(key).decrypt(token.encode("ascii"), ttl=ROUTE_MAX_AGE)
        route = json.loads(data)
    except (InvalidToken, ValueError, UnicodeError):
        return None
    return route if isinstance(route, dict) else None


# ---- reading -------------------------------------------------------------------------------
@dataclass(frozen=True)
class LoggedQuestion:
    """A logged question as an adviser may see it: redacted text, what the bot said, and
    the asker's agency and sector at the time (their pseudonym only to check who escalates)."""

    id: str
    asker: str | None
    agency: str
    sector: str
    question: str | None  # None once purged
    kind: str
    entry_id: str | None
    topic: str | None
    level: int | None
    confidence: float
    answered: bool


def logged_question(log: Any, query_id: str) -> LoggedQuestion | None:
    """The logged row behind an answer (waits briefly for the writer), or None."""
    if not query_id:
        return None
    log.flush(timeout=2)
    try:
        row = (
            log._db()
            .execute(
                "select id, asker, agency, sector, question, kind, entry_id, topic, level, "
                "confidence, answered from queries where id = ?",
                [query_id],
            )
            .fetchone()
        )
    except sqlite3.Error:
        return None
    if row is None:
        return None
    return LoggedQuestion(
        row[0],
        row[1],
        row[2] or "unknown",
        row[3] or "unknown",
        row[4],
        row[5] or "",
        row[6],
        row[7],
        row[8],
        float(row[9] or 0),
        bool(row[10]),
    )


def topic_of(q: LoggedQuestion) -> str | None:
    """The topic that routes an escalation: the answer's, or "(unanswered)"."""
    return q.topic or ("(unanswered)" if q.kind == "no_answer" or not q.answered else None)


def answer_summary(pack: Any, q: LoggedQuestion, limit: int = 600) -> str:
    """What the bot answered, in a line or two, for the adviser."""
    if q.kind == "no_answer" or not q.answered:
        return "The bot had no answer for this."
    entry = pack.entries.get(q.entry_id) if pack is not None and q.entry_id else None
    parts = []
    if q.level is not None and q.kind in ("triage", "level", "emergency"):
        level = pack.level_by_rank(q.level) if pack is not None else None
        parts.append(f"Suggested {level.label if level else f'level {q.level}'}")
    if entry is not None:
        first = entry.text.strip().split("\n\n")[0]
        parts.append(f"{entry.title}: {first}")
    text = ". ".join(parts) or f"An answer of kind {q.kind}"
    text += f" (confidence {q.confidence:.2f})"
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def escalation_question(log: Any, escalation_id: str) -> dict[str, Any] | None:
    """An escalation's redacted question and note and its status (for the reply form)."""
    log.flush(timeout=2)
    try:
        row = (
            log._db()
            .execute(
                "select question, note, status, topic, agency from escalations where id = ?",
                [escalation_id],
            )
            .fetchone()
        )
    except sqlite3.Error:
        return None
    if row is None:
        return None
    return dict(zip(("question", "note", "status", "topic", "agency"), row, strict=True))


# ---- writing (queued through the query log's writer) ---------------------------------------
def new_id() -> str:
    return random_id()


def record_escalation(
    log: Any,
    escalation_id: str,
    q: LoggedQuestion,
    *,
    note: Any,
    name_shared: bool,
    channel: str,
    message_ts: str | None,
) -> None:
    """One row for a question sent to advisers. `note` is the asker's added text, already
    redacted (a `Redaction`, or None)."""
    now = _now()
    log.submit(
        "escalation",
        {
            "id": escalation_id,
            "query_id": q.id,
            "ts": _iso(now),
            "day": now.strftime("%Y-%m-%d"),
            "asker": q.asker,
            "agency": q.agency,
            "sector": q.sector,
            "topic": topic_of(q),
            "entry_id": q.entry_id,
            "kind": q.kind,
            "question": q.question,
            "note": note.text if note is not None and note.text else None,
            "redactions": note.total if note is not None else 0,
            "name_shared": int(bool(name_shared)),
            "channel": channel,
            "message_ts": message_ts,
            "status": OPEN,
            "replies": 0,
            "purged": 0,
        },
    )


def record_reply(
    log: Any, escalation_id: str, *, adviser: str | None, text: Any, delivered: bool
) -> None:
    """An adviser's reply (`text`: a `Redaction`); the first one sets the time to reply."""
    log.submit(
        "escalation_reply",
        {
            "id": new_id(),
            "escalation_id": escalation_id,
            "ts": _iso(_now()),
            "adviser": adviser,
            "text": text.text,
            "redactions": text.total,
            "delivered": int(bool(delivered)),
            "purged": 0,
        },
    )


def record_resolved(log: Any, escalation_id: str, *, by: str | None) -> None:
    log.submit("escalation_resolved", {"id": escalation_id, "ts": _iso(_now()), "by": by})


def _write_escalation(db: sqlite_utils.Database, row: dict) -> None:
    db["escalations"].insert(row, ignore=True)  # replay-safe: primary key


def _write_reply(db: sqlite_utils.Database, row: dict) -> None:
    before = db.execute(
        "select ts, first_reply_ts from escalations where id = ?", [row["escalation_id"]]
    ).fetchone()
    inserted = db.execute(
        "insert or ignore into escalation_replies (id, escalation_id, ts, adviser, text, "
        "redactions, delivered, purged) values (:id, :escalation_id, :ts, :adviser, :text, "
        ":redactions, :delivered, :purged)",
        row,
    ).rowcount
    if not before or not inserted:
        return
    first = before[1] is None
    seconds = (_parse(row["ts"]) - _parse(before[0])).total_seconds() if first else None
    db.execute(
        "update escalations set replies = coalesce(replies, 0) + 1, "
        "first_reply_ts = coalesce(first_reply_ts, ?), "
        "reply_seconds = coalesce(reply_seconds, ?), "
        "status = case when status = ? then status else ? end where id = ?",
        [row["ts"], seconds, RESOLVED, REPLIED, row["escalation_id"]],
    )


def _write_resolved(db: sqlite_utils.Database, row: dict) -> None:
    db.execute(
        "update escalations set status = ?, resolved_ts = coalesce(resolved_ts, ?), "
        "resolved_by = coalesce(resolved_by, ?) where id = ?",
        [RESOLVED, row["ts"], row["by"], row["id"]],
    )


ESCALATION_WRITERS = {
    "escalation": _write_escalation,
    "escalation_reply": _write_reply,
    "escalation_resolved": _write_resolved,
}


def purge_escalation_text(db: sqlite_utils.Database, cutoff: str) -> int:
    """Retention: blank escalated questions, notes and replies older than `cutoff`."""
    if "escalations" not in db.table_names():
        return 0
    n = db.execute(
        "update escalations set question = null, note = null, purged = 1 "
        "where ts < ? and purged = 0",
        [cutoff],
    ).rowcount
    n += db.execute(
        "update escalation_replies set text = null, purged = 1 where ts < ? and purged = 0",
        [cutoff],
    ).rowcount
    return n
