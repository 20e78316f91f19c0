"""Query-log schema and its migrations. Each migration runs once, in order, in a transaction;
`schema_version` records how far a database has come. Migrations only add, except that v3
keeps one vote per person per answer (their latest), as the feedback rule now says.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils


def _v1(db: sqlite_utils.Database) -> None:
    """The first release: questions, feedback and askers."""
    db["queries"].create(
        {
            "id": str,
            "ts": str,
            "day": str,
            "surface": str,
            "asker": str,
            "agency": str,
            "sector": str,
            "question": str,
            "redactions": int,
            "kind": str,
            "entry_id": str,
            "level": int,
            "emergency": int,
            "confidence": float,
            "answered": int,
            "alternatives": str,
            "latency_ms": float,
            "pack_id": str,
            "pack_version": str,
            "purged": int,
        },
        pk="id",
        if_not_exists=True,
    )
    db["feedback"].create(
        {
            "id": str,
            "query_id": str,
            "ts": str,
            "asker": str,
            "helpful": int,
            "reason": str,
            "comment": str,
            "purged": int,
        },
        pk="id",
        foreign_keys=[("query_id", "queries", "id")],
        if_not_exists=True,
    )
    db["askers"].create(
        {
            "pseudonym": str,
            "agency": str,
            "sector": str,
            "role": str,
            "first_seen": str,
            "last_seen": str,
        },
        pk="pseudonym",
        if_not_exists=True,
    )


def _v2(db: sqlite_utils.Database) -> None:
    """Topic/areas for reports, how an agency was known, Slack event ids, indexes, views."""
    queries = db["queries"]
    for column, kind in (("topic", str), ("areas", str), ("agency_source", str), ("event_id", str)):
        if column not in queries.columns_dict:
            queries.add_column(column, kind)
    if "agency_source" not in db["askers"].columns_dict:
        db["askers"].add_column("agency_source", str)
    for columns in (["ts"], ["day"], ["agency"], ["entry_id"], ["kind"], ["event_id"], ["asker"]):
        queries.create_index(columns, if_not_exists=True)
    db["feedback"].create_index(["query_id"], if_not_exists=True)
    views = {
        "daily_counts": "select day, count(*) as questions, sum(answered) as answered, "
        "sum(emergency) as emergencies, count(distinct asker) as askers "
        "from queries group by day order by day",
        "unanswered": "select ts, agency, sector, question, kind, confidence from queries "
        "where answered = 0 or confidence < 0.6 order by ts desc",
        "by_agency": "select agency, sector, count(*) as questions, "
        "count(distinct asker) as askers, round(avg(answered), 3) as "
        "answered_rate, sum(case when kind = 'triage' then 1 else 0 end) as "
        "threshold_questions from queries group by agency, sector "
        "order by questions desc",
        "feedback_by_entry": "select q.entry_id, count(*) as ratings, sum(f.helpful) as "
        "helpful, sum(1 - f.helpful) as not_helpful from feedback f join "
        "queries q on q.id = f.query_id group by q.entry_id "
        "order by not_helpful desc",
    }
    for name, sql in views.items():
        db.create_view(name, sql, replace=True)


def _v3(db: sqlite_utils.Database) -> None:
    """One vote per person per answer: a later vote replaces the earlier one. Votes cast
    before this rule keep only each person's latest per answer (the one that stands now)."""
    db.execute(
        "delete from feedback where asker is not null and rowid not in (select rowid from "
        "(select rowid, row_number() over (partition by query_id, asker order by ts desc, "
        "rowid desc) as n from feedback where asker is not null) where n = 1)"
    )
    db.execute("create unique index if not exists feedback_one_vote on feedback (query_id, asker)")


def _v4(db: sqlite_utils.Database) -> None:
    """Guided triage: the answers that refined a query's level, kept on that query's row."""
    if "refinement" not in db["queries"].columns_dict:
        db["queries"].add_column("refinement", str)


def _v5(db: sqlite_utils.Database) -> None:
    """A record of every `log export`: when, by which account, what period and whether all
    text was given (an information-governance audit trail)."""
    db["exports"].create(
        {
            "ts": str,
            "account": str,
            "date_from": str,
            "date_to": str,
            "rows": int,
            "all_text": int,
        },
        if_not_exists=True,
    )


def _v6(db: sqlite_utils.Database) -> None:
    """Questions sent to a safeguarding adviser, and the advisers' replies. Text is redacted
    like a question's; people are pseudonyms; nothing says how to reach the asker (that
    travels, encrypted, with the Slack message, see bot/escalations.py)."""
    db["escalations"].create(
        {
            "id": str,
            "query_id": str,
            "ts": str,
            "day": str,
            "asker": str,
            "agency": str,
            "sector": str,
            "topic": str,
            "entry_id": str,
            "kind": str,
            "question": str,
            "note": str,
            "redactions": int,
            "name_shared": int,
            "channel": str,
            "message_ts": str,
            "status": str,
            "first_reply_ts": str,
            "reply_seconds": float,
            "replies": int,
            "resolved_ts": str,
            "resolved_by": str,
            "purged": int,
        },
        pk="id",
        foreign_keys=[("query_id", "queries", "id")],
        if_not_exists=True,
    )
    db["escalation_replies"].create(
        {
            "id": str,
            "escalation_id": str,
            "ts": str,
            "adviser": str,
            "text": str,
            "redactions": int,
            "delivered": int,
            "purged": int,
        },
        pk="id",
        foreign_keys=[("escalation_id", "escalations", "id")],
        if_not_exists=True,
    )
    db["escalations"].create_index(["day"], if_not_exists=True)
    db["escalations"].create_index(["query_id"], if_not_exists=True)
    db["escalation_replies"].create_index(["escalation_id"], if_not_exists=True)


def _v7(db: sqlite_utils.Database) -> None:
    """The report's rollup (bot/rollup.py): questions and ratings summed per day and per
    month, with the askers behind each sum, so a year's report reads thousands of rows, not a
    million. New questions are found by row number (the highest rolled up is kept; a trigger
    on every insert cost the writer a tenth of its speed); triggers mark a day to redo
    whenever a question of that day is changed (a refinement, a purge) or removed, or a
    rating of one is written, changed or removed. Every day already logged starts marked."""
    # `people` / `askers` are comma-separated rollup_people ids; `bucket` is a day
    # (YYYY-MM-DD) or, for a month rolled up whole, the month (YYYY-MM).
    for sql in (
        "create table if not exists rollup_state (key text primary key, value text) without rowid",
        "create table if not exists rollup_dirty (day text primary key) without rowid",
        "create table if not exists rollup_months (month text primary key) without rowid",
        "create table if not exists rollup_people (id integer primary key, asker text not null "
        "unique)",
        "create table if not exists rollup_cube (bucket text not null, agency, sector, kind, "
        "topic, entry_id, areas, level, answered, emergency, low, near, alt0, n integer, "
        "conf_milli integer, people text)",
        "create table if not exists rollup_days (bucket text not null, agency, sector, topic, "
        "unanswered, help, gap, n integer, people text)",
        # The same for all agencies together, with at most the rollup's cap of askers per
        # cell even by day (a day's topic can have hundreds): for the partnership's trends.
        "create table if not exists rollup_topics (bucket text not null, topic, unanswered, "
        "help, gap, n integer, people text)",
        "create table if not exists rollup_askers (bucket text not null, agency, sector, "
        "n integer, askers text)",
        "create table if not exists rollup_subjects (bucket text not null, agency, sector, "
        "subject, topic, areas, askers text)",
        "create table if not exists rollup_texts (bucket text not null, agency, sector, "
        "question text, asker, n integer, no_answer integer, triage integer, near)",
        # Ratings, by their question's day; `early` is the rating's own day when it came
        # before its question's (a clock put back), for a report's "rated in the period".
        "create table if not exists rollup_feedback (bucket text not null, agency, sector, "
        "kind, topic, entry_id, areas, level, helpful, reason, early, n integer, people text)",
        "create table if not exists rollup_text_reasons (bucket text not null, agency, sector, "
        "question text, reason, n integer)",
    ):
        db.execute(sql)
    for table in (
        "rollup_cube",
        "rollup_days",
        "rollup_topics",
        "rollup_askers",
        "rollup_subjects",
        "rollup_texts",
        "rollup_feedback",
        "rollup_text_reasons",
    ):
        db.execute(f"create index if not exists {table}_bucket on {table} (bucket)")

    # A plain insert guarded by NOT EXISTS, not INSERT OR IGNORE: the statement that fires a
    # trigger imposes its own conflict policy on the trigger's (an upsert's would abort).
    def mark(day: str, source: str = "", where: str = "") -> str:
        return (
            f"insert into rollup_dirty (day) select {day} {source} where {where}{day} is not "
            f"null and not exists (select 1 from rollup_dirty d where d.day = {day});"
        )

    def question_day(query_id: str) -> str:
        return mark("q.day", "from queries q", f"q.id = {query_id} and ")

    db.execute(
        "create trigger if not exists rollup_on_update after update of day, asker, agency, "
        "sector, question, kind, entry_id, level, emergency, confidence, answered, "
        f"alternatives, topic, areas on queries begin {mark('old.day')} {mark('new.day')} end"
    )
    # A removed question's day is redone, and the rows after it looked at again (its row
    # number can be reused by the next question).
    db.execute(
        "create trigger if not exists rollup_on_delete after delete on queries begin "
        f"{mark('old.day')} update rollup_state set value = min(cast(value as integer), "
        "old.rowid - 1) where key = 'seen'; end"
    )
    db.execute(
        "create trigger if not exists rollup_on_rating after insert on feedback begin "
        f"{question_day('new.query_id')} end"
    )
    db.execute(
        "create trigger if not exists rollup_on_rating_change after update of query_id, ts, "
        f"asker, helpful, reason on feedback begin {question_day('old.query_id')} "
        f"{question_day('new.query_id')} end"
    )
    db.execute(
        "create trigger if not exists rollup_on_rating_removed after delete on feedback begin "
        f"{question_day('old.query_id')} end"
    )
    db.execute(
        "insert or ignore into rollup_dirty (day) select distinct day from queries "
        "where day is not null"
    )


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [_v1, _v2, _v3, _v4, _v5, _v6, _v7]
LATEST = len(MIGRATIONS)


def version(db: sqlite_utils.Database) -> int:
    if "schema_version" not in db.table_names():
        return 0
    row = db.execute("select max(version) from schema_version").fetchone()
    return row[0] or 0


def migrate(db: sqlite_utils.Database, target: int = LATEST) -> int:
    """Bring the database up to `target`; returns the version it is now at."""
    db["schema_version"].create({"version": int, "applied": str}, pk="version", if_not_exists=True)
    current = version(db)
    for number in range(current + 1, target + 1):
        with db.conn:
            MIGRATIONS[number - 1](db)
            db.execute(
                "insert into schema_version (version, applied) values "
                "(?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
                [number],
            )
    return max(current, target)
