"""Writing the log's rows into SQLite. Every kind of row can be written twice with the same
result (a replayed spool or journal never doubles a question, a vote or a person)."""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils

from .escalations import ESCALATION_WRITERS, purge_escalation_text

# Rows other modules write through the same journal, writer and spool (kind -> fn(db, row),
# each replay-safe like the rows below), and their retention (fn(db, cutoff) -> rows
# blanked): escalations to advisers and their replies.
WRITERS: dict[str, Callable[[sqlite_utils.Database, dict], None]] = dict(ESCALATION_WRITERS)
PURGES: list[Callable[[sqlite_utils.Database, str], int]] = [purge_escalation_text]

FEEDBACK_UPSERT = (
    "insert into feedback (id, query_id, ts, asker, helpful, reason, comment, purged) values "
    "(:id, :query_id, :ts, :asker, :helpful, :reason, :comment, :purged) on conflict "
    "(query_id, asker) do update set ts = excluded.ts, helpful = excluded.helpful, reason = "
    "excluded.reason, comment = excluded.comment, purged = 0 where excluded.ts >= feedback.ts "
    "on conflict do nothing"
)
# An agency chosen: it stands unless the person has been seen since (a replayed older choice
# must not undo a newer one).
ASKER_UPSERT = (
    "insert into askers (pseudonym, agency, sector, role, agency_source, first_seen, "
    "last_seen) values (:pseudonym, :agency, :sector, :role, :agency_source, :updated, "
    ":updated) on conflict(pseudonym) do update set agency = excluded.agency, sector = "
    "excluded.sector, role = coalesce(excluded.role, role), agency_source = 'chosen', "
    "last_seen = max(last_seen, excluded.last_seen) where excluded.last_seen >= "
    "coalesce(askers.last_seen, '')"
)
SEEN_UPSERT = (
    "insert into askers (pseudonym, agency, sector, agency_source, first_seen, last_seen) "
    "values (:pseudonym, :agency, :sector, :agency_source, :updated, :updated) "
    "on conflict(pseudonym) do update set last_seen = max(last_seen, excluded.last_seen), "
    "first_seen = min(first_seen, excluded.first_seen), agency = case when "
    "askers.agency_source = 'chosen' then askers.agency else excluded.agency end"
)
# One question, refined: the row keeps its first answer's time and text and takes the
# refined level, with the answers that decided it.
REFINEMENT_UPDATE = (
    "update queries set level = :level, kind = :kind, emergency = :emergency, confidence = "
    ":confidence, refinement = :refinement where id = :id"
)


def insert_rows(db: sqlite_utils.Database, rows: list[tuple[str, dict]]) -> None:
    """Write (kind, row) pairs in one transaction (BEGIN IMMEDIATE: the write lock first)."""
    with db.conn:
        db.execute("begin immediate")
        for kind, row in rows:
            if kind == "query":
                db["queries"].insert(row, ignore=True)  # replay-safe: primary key
            elif kind == "refinement":
                db.execute(REFINEMENT_UPDATE, row)
            elif kind == "feedback":
                db.execute(FEEDBACK_UPSERT, row)  # one vote per person per answer
            elif kind == "asker":
                db.execute(ASKER_UPSERT, row)
            elif kind == "seen":
                db.execute(SEEN_UPSERT, row)
            elif kind in WRITERS:
                WRITERS[kind](db, row)
