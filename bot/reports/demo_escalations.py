"""Synthetic questions sent to advisers for the demo log: about one in forty unanswered or
low-confidence questions, most answered within hours (median about four), some resolved."""

from __future__ import annotations

import random
import sqlite3
from datetime import datetime, timedelta

SHARE = 0.025
REPLY = (
    "Thanks for asking. In Coventry, talk it through with the MASH consultation line if you "
    "are unsure; otherwise record your concern, speak to your DSL and follow the Right Help, "
    "Right Time guidance for the level."
)


def add_escalations(conn: sqlite3.Connection, seed: int = 1) -> int:
    """Insert synthetic escalations and replies for gap questions already in the log."""
    rng = random.Random(seed)
    rows = conn.execute(
        "select id, ts, day, asker, agency, sector, topic, entry_id, kind, question from queries "
        "where kind = 'no_answer' or (answered = 1 and confidence < 0.7) order by id"
    ).fetchall()
    made = 0
    for qid, ts, day, asker, agency, sector, topic, entry_id, kind, question in rows:
        if rng.random() >= SHARE:
            continue
        made += 1
        asked = datetime.fromisoformat(ts.replace("Z", "+00:00"))
        replied = rng.random() < 0.85
        seconds = rng.lognormvariate(9.6, 0.9) if replied else None  # median ≈ 4 hours
        reply_ts = (asked + timedelta(seconds=seconds or 0)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        resolved = replied and rng.random() < 0.8
        eid = f"demo-escalation-{qid}"
        conn.execute(
            "insert into escalations (id, query_id, ts, day, asker, agency, sector, topic, "
            "entry_id, kind, question, redactions, name_shared, channel, status, "
            "first_reply_ts, reply_seconds, replies, resolved_ts, purged) values "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, 'C0DEMO', ?, ?, ?, ?, ?, 0)",
            [
                eid,
                qid,
                ts,
                day,
                asker,
                agency,
                sector,
                topic or ("(unanswered)" if kind == "no_answer" else None),
                entry_id,
                kind,
                question,
                int(rng.random() < 0.3),
                "resolved" if resolved else ("replied" if replied else "open"),
                reply_ts if replied else None,
                seconds,
                int(replied),
                reply_ts if resolved else None,
            ],
        )
        if replied:
            conn.execute(
                "insert into escalation_replies (id, escalation_id, ts, adviser, text, "
                "redactions, delivered, purged) values (?, ?, ?, 'demo-adviser', ?, 0, 1, 0)",
                [f"demo-reply-{qid}", eid, reply_ts, REPLY],
            )
    return made
