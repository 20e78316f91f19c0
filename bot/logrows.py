"""Writing the log's rows into SQLite. Every kind of row can be written twice with the same
result (a replayed spool or journal never doubles a question, a vote or a person)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from functools import lru_cache
from itertools import groupby
from typing import TYPE_CHECKING

from .escalations import ESCALATION_WRITERS, purge_escalation_text

if TYPE_CHECKING:
    import sqlite_utils

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


UPSERTS = {
    "refinement": REFINEMENT_UPDATE,
    "feedback": FEEDBACK_UPSERT,  # one vote per person per answer
    "asker": ASKER_UPSERT,
    "seen": SEEN_UPSERT,
}


@lru_cache(maxsize=64)
def _query_insert(columns: tuple[str, ...]) -> str:
    """The prepared insert for a query row with these columns (replay-safe: a row whose id
    is already there is skipped). Column names come from our own row dicts, never input."""
    names = ", ".join(f'"{c}"' for c in columns)
    values = ", ".join(f":{c}" for c in columns)
    return f"insert or ignore into queries ({names}) values ({values})"


def insert_rows(
    db: sqlite_utils.Database | sqlite3.Connection, rows: list[tuple[str, dict]]
) -> None:
    """Write (kind, row) pairs in one transaction (BEGIN IMMEDIATE: the write lock first).

    New questions go first, as one prepared `executemany` per set of columns: nothing else
    in a batch changes them, and a refinement or a vote only ever follows its question.
    The other rows follow in their own order (a person's 'seen' and their choice of agency
    must not swap), each run of one statement one `executemany`. sqlite-utils' per-row
    `insert` looked the table up in sqlite_master and took a savepoint for every row."""
    conn = db if isinstance(db, sqlite3.Connection) else db.conn
    queries = [row for kind, row in rows if kind == "query"]
    others = [(kind, row) for kind, row in rows if kind != "query"]
    with conn:
        conn.execute("begin immediate")
        for columns, run in groupby(queries, key=tuple):
            conn.executemany(_query_insert(columns), list(run))
        for kind, run in groupby(others, key=lambda kr: kr[0]):
            statement = UPSERTS.get(kind)
            if statement is not None:
                conn.executemany(statement, [row for _, row in run])
            elif kind in WRITERS:  # escalations and replies (bot/escalations.py)
                import sqlite_utils  # imported when first needed: it imports numpy

                on = db if not isinstance(db, sqlite3.Connection) else sqlite_utils.Database(conn)
                for _, row in run:
                    WRITERS[kind](on, row)
