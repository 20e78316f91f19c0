"""The rollup (bot/rollup.py) gives the report exactly what the log itself gives, however the
rows got there: a year of synthetic traffic, questions logged through the running bot's
writer afterwards, refinements and changed votes, a purge, and `log repair` replaying the
spool. Every comparison reads a real SQLite file both ways: through the rollup, and with
`use_rollup=False` straight from the log."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlite_utils

from bot.askers import Asker
from bot.assistant import Assistant
from bot.demolog import write_demo_log
from bot.logrepair import repair
from bot.querylog import QueryLog
from bot.reports import Scope, build_report, gap_askers, trends
from bot.reports import board as board_numbers
from bot.reports.builder import _context
from bot.reports.course_askers import course_askers
from bot.reports.suppress import Tally

TODAY = datetime.now(UTC).date()
KEY = b"a-key-for-the-rollup-tests-0123456789"
SECRET = "quokkamarzipan"  # in questions the purge must take out of the rollup too


def _n(value):
    """A count as the report sees it: the number and how many people stand behind it."""
    return (int(value), len(value.people)) if isinstance(value, Tally) else value


def numbers(db, config, pack, scope: Scope, *, use_rollup: bool) -> dict:
    """Everything the report reads, made comparable between the two ways of reading it
    (askers are pseudonyms from the log, rollup ids from the rollup: counted, not named)."""
    ctx = _context(config, pack, scope, db, TODAY, None, use_rollup=use_rollup)
    assert (ctx.rollup is not None) == use_rollup
    k, d = ctx.k, ctx.data
    people = {key: min(n, k) for key, n in course_askers(ctx).items()}
    clusters = gap_askers.asker_clusters(ctx)
    by_column = {
        (column, when): {key: (n, min(p, k)) for key, (n, p) in found.items()}
        for column in ("agency", "topic", "sector")
        for when, period in (("now", scope), ("before", scope.previous()))
        for found in [board_numbers._by(ctx, column, period)]
    }
    cells = {}
    for unit in ("week", "month"):
        topics, total = trends.topic_cells(ctx, unit)
        cells[unit] = [
            (dict(c.questions), {key: min(n, k) for key, n in c.askers.items()}, dict(c.gaps))
            for c in (topics, total)
        ]
    _, quarters = trends.agency_quarters(ctx)
    cells["quarters"] = (
        dict(quarters.questions),
        {key: min(n, k) for key, n in quarters.askers.items()},
        dict(quarters.gaps),
    )
    return {
        "cube": sorted(
            (repr(tuple(_n(v) for v in vars(row).values())) for row in d.cube),
        ),
        "askers": (d.askers_by_agency, d.distinct_askers),
        "days": sorted(tuple(map(_n, row)) for row in d.days),
        "pairs": sorted(tuple(map(_n, row)) for row in d.pairs),
        "gap_texts": sorted(repr(tuple(map(_n, row))) for row in d.gap_texts),
        "feedback": sorted(repr(tuple(_n(v) for v in vars(row).values())) for row in d.feedback),
        "previous": {name: _n(v) for name, v in d.previous.items()},
        "clusters": [(c.label, _n(c.n), c.shown(), c.examples()) for c in ctx.clusters],
        "asked clusters": [
            (a.label, _n(a.n), a.people, dict(a.reasons), sorted(a.cluster.near.items()))
            for a in clusters
        ],
        "course askers": people,
        "by column": by_column,
        "scrutiny": board_numbers.scrutiny(ctx),
        "trends": cells,
    }


def same_both_ways(db, config, pack, scope: Scope) -> dict:
    via_rollup = numbers(db, config, pack, scope, use_rollup=True)
    from_log = numbers(db, config, pack, scope, use_rollup=False)
    for part in from_log:
        assert via_rollup[part] == from_log[part], part
    return via_rollup


@pytest.fixture(scope="module")
def demo(tmp_path_factory, config, pack):
    """Five months of synthetic traffic ending a month ago (so whole months are rolled up),
    with a few rows no generator writes: a rating given before its question (a clock put
    back), a question with no agency and one with odd alternatives."""
    path = tmp_path_factory.mktemp("rollup") / "demo.db"
    write_demo_log(path, pack, config, 3000, months=5, seed=11, end=TODAY - timedelta(days=30))
    db = sqlite_utils.Database(path)
    first = db.execute("select id, day from queries order by ts limit 1").fetchone()
    db["feedback"].insert(
        {
            "id": uuid.uuid4().hex,
            "query_id": first[0],
            "ts": f"{date.fromisoformat(first[1]) - timedelta(days=3)}T09:00:00.000000Z",
            "asker": "someone-else",
            "helpful": 0,
            "reason": "wrong_level",
            "comment": None,
            "purged": 0,
        }
    )
    for alternatives, agency in (("[1, 2]", None), ('{"x": 1}', "unknown"), ("not json", None)):
        db["queries"].insert(
            {
                "id": uuid.uuid4().hex,
                "ts": f"{first[1]}T12:00:00.000000Z",
                "day": first[1],
                "asker": "odd-one",
                "agency": agency,
                "kind": "no_answer",
                "question": "an odd question",
                "confidence": 0.1,
                "answered": 0,
                "alternatives": alternatives,
                "purged": 0,
            }
        )
    db.close()
    return path


def test_the_report_is_the_same_from_the_rollup_as_from_the_log(tmp_path, demo, config, pack):
    """Every CSV, the report page and the board summary, byte for byte (bar the time it was
    made), over a period that starts and ends mid-month: whole months from the rollup's
    months, the rest from its days; small numbers suppressed the same way."""
    period = {"date_from": TODAY - timedelta(days=130), "date_to": TODAY - timedelta(days=35)}
    made = {}
    for way in (True, False):
        out = tmp_path / ("rollup" if way else "log")
        made[way] = build_report(
            config, pack, **period, out_dir=out, db_path=demo, today=TODAY, use_rollup=way
        )
    with sqlite3.connect(demo) as conn:
        months = {m for (m,) in conn.execute("select month from rollup_months")}
    assert len(months & {f"{d:%Y-%m}" for d in (TODAY - timedelta(days=d) for d in (70, 100))})
    files = sorted(p.name for p in (tmp_path / "log").iterdir())
    assert files == sorted(p.name for p in (tmp_path / "rollup").iterdir())
    suppressed = 0
    for name in files:
        if name.endswith(".pdf"):
            continue
        a, b = ((tmp_path / way / name).read_text(encoding="utf-8") for way in ("rollup", "log"))
        stamp = re.compile(r"(?i)generated[^<\n]*")
        assert stamp.sub("", a) == stamp.sub("", b), name
        suppressed += a.count("<5")
    assert suppressed > 0  # the comparison covers suppressed cells, not only big numbers
    rollup, log = made[True], made[False]
    assert rollup.summary_text == log.summary_text and rollup.findings == log.findings
    assert rollup.headline == log.headline and rollup.top_gaps == log.top_gaps


@pytest.mark.parametrize(
    "scope",
    [
        pytest.param(
            lambda: Scope(TODAY - timedelta(days=59), TODAY - timedelta(days=30)), id="30d"
        ),
        pytest.param(
            lambda: Scope(TODAY - timedelta(days=200), TODAY - timedelta(days=30), "police"),
            id="agency",
        ),
        pytest.param(
            lambda: Scope(TODAY - timedelta(days=200), TODAY, sector="education"), id="sector"
        ),
    ],
)
def test_every_number_is_the_same_for_other_periods_and_scopes(demo, config, pack, scope):
    same_both_ways(demo, config, pack, scope())


def test_a_larger_k_rebuilds_the_rollup_and_still_agrees(tmp_path, demo, config, pack):
    path = tmp_path / "copy.db"
    path.write_bytes(demo.read_bytes())
    strict = replace(config, min_cell_count=12)  # more than the rollup keeps per cell (10)
    found = same_both_ways(path, strict, pack, Scope(TODAY - timedelta(days=160), TODAY))
    assert found["askers"][1] > 12
    with sqlite3.connect(path) as conn:
        assert conn.execute("select value from rollup_state where key = 'cap'").fetchone() == (
            "12",
        )


def _rollup_count(path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute(
            "select coalesce(sum(n), 0) from rollup_askers where length(bucket) = 10"
        ).fetchone()[0]


def _log_count(path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("select count(*) from queries where day is not null").fetchone()[0]


def test_questions_logged_by_the_bot_later_reach_the_rollup(tmp_path, demo, config, pack):
    """After the rollup is made: questions through the log's writer (its batches), a
    refinement of an old question and changed votes on one."""
    path = tmp_path / "live.db"
    path.write_bytes(demo.read_bytes())
    year = Scope(TODAY - timedelta(days=200), TODAY)
    same_both_ways(path, config, pack, year)  # the rollup is made and up to date
    log = QueryLog(path, KEY, config)
    bot = Assistant.from_config(config, log=log)
    for i in range(40):
        bot.ask(f"what does nfa mean {i % 3}", asker=Asker("T", f"U{i % 7}"))
    with sqlite3.connect(path) as conn:
        old_id, old_day = conn.execute(
            "select id, day from queries where kind = 'triage' order by ts limit 1"
        ).fetchone()
        voted_id = conn.execute(
            "select id from queries where day > ? and answered = 1 order by ts limit 1",
            [old_day],
        ).fetchone()[0]
    answer = bot.ask("what level is this: dad hits mum in front of the kids")
    log.record_refinement(old_id, answer, {"q1": True})
    for helpful in (True, False):  # a vote, then the same person's changed vote
        log.record_feedback(voted_id, helpful=helpful, reason="wrong_level", asker=Asker("T", "U1"))
    log.close()
    assert _rollup_count(path) != _log_count(path)  # not rolled up yet...
    found = same_both_ways(path, config, pack, year)  # ...and a report brings it up to date
    assert _rollup_count(path) == _log_count(path)
    assert found["askers"][1] > 0
    with sqlite3.connect(path) as conn:
        assert conn.execute("select count(*) from rollup_dirty").fetchone() == (0,)
        assert (
            conn.execute("select level from queries where id = ?", [old_id]).fetchone()[0]
            == answer.level
        )
    same_both_ways(path, config, pack, Scope(date.fromisoformat(old_day), TODAY))


def _raw(path) -> bytes:
    return b"".join(p.read_bytes() for p in path.parent.iterdir() if p.name.startswith(path.name))


def test_purge_takes_purged_text_out_of_the_rollup(tmp_path, demo, config, pack):
    path = tmp_path / "purge.db"
    path.write_bytes(demo.read_bytes())
    db = sqlite_utils.Database(path)
    old = TODAY - timedelta(days=100)
    for i in range(12):
        db["queries"].insert(
            {
                "id": uuid.uuid4().hex,
                "ts": f"{old}T10:{i:02d}:00.000000Z",
                "day": old.isoformat(),
                "asker": f"p{i % 6}",
                "agency": "police",
                "sector": "police",
                "kind": "no_answer",
                "question": f"who funds the {SECRET} scheme",
                "confidence": 0.1,
                "answered": 0,
                "alternatives": "[]",
                "purged": 0,
            }
        )
    db.close()
    year = Scope(TODAY - timedelta(days=200), TODAY)
    same_both_ways(path, config, pack, year)
    with sqlite3.connect(path) as conn:  # the rollup holds the wording now
        assert conn.execute(
            "select count(*) from rollup_texts where question like ?", [f"%{SECRET}%"]
        ).fetchone()[0]
    log = QueryLog(path, None, replace(config, retention_days=60), announce=False)
    counts = log.purge()
    log.close()
    assert counts["queries"] > 12
    assert SECRET.encode() not in _raw(path)  # file, WAL and free pages
    found = same_both_ways(path, config, pack, year)
    assert found["askers"][1] > 0


def test_log_repair_replays_the_spool_into_the_rollup(tmp_path, demo, config, pack):
    path = tmp_path / "repair.db"
    path.write_bytes(demo.read_bytes())
    year = Scope(TODAY - timedelta(days=200), TODAY)
    same_both_ways(path, config, pack, year)
    day = TODAY - timedelta(days=90)
    spooled = [
        {
            "kind": "query",
            "row": {
                "id": uuid.uuid4().hex,
                "ts": f"{day}T09:{i:02d}:00.000000Z",
                "day": day.isoformat(),
                "surface": "dm",
                "asker": f"spooled-{i % 5}",
                "agency": "health-gp",
                "sector": "health",
                "question": "what does nfa mean",
                "kind": "glossary",
                "entry_id": "nfa",
                "confidence": 0.9,
                "answered": 1,
                "alternatives": "[]",
                "purged": 0,
            },
        }
        for i in range(25)
    ]
    spool = path.with_name(path.name + ".spool.jsonl")
    spool.write_text("".join(json.dumps(item) + "\n" for item in spooled), encoding="utf-8")
    before = _log_count(path)
    result = repair(replace(config, db_path=path))
    assert result.spooled == 25 and not spool.exists()
    assert _log_count(path) == before + 25
    found = same_both_ways(path, config, pack, year)
    assert _rollup_count(path) == _log_count(path)
    assert found["askers"][0]["health-gp"] >= 5


def _read_only(path, on: bool) -> None:
    """Read-only even for root (who ignores file modes): the immutable attribute."""
    if os.geteuid() != 0:
        path.chmod(0o400 if on else 0o600)
        return
    done = subprocess.run(["chattr", "+i" if on else "-i", str(path)], capture_output=True)
    if done.returncode != 0:
        pytest.skip("cannot make a file read-only as root here")


def test_a_log_the_report_cannot_write_is_read_directly(tmp_path, demo, config, pack):
    """The rollup cannot be brought up to date (a read-only copy of the log, with a question
    it has not rolled up): the report reads the log itself, and every number still holds."""
    path = tmp_path / "copy.db"
    path.write_bytes(demo.read_bytes())
    scope = Scope(TODAY - timedelta(days=160), TODAY)
    expected = numbers(path, config, pack, scope, use_rollup=True)  # rolled up, then...
    conn = sqlite3.connect(path, isolation_level=None)  # ...one more it has not seen
    try:
        conn.execute(
            "insert into queries (id, ts, day, asker, agency, sector, kind, answered, "
            "confidence, alternatives, purged) values (?, ?, ?, 'late', 'police', 'police', "
            "'glossary', 1, 0.9, '[]', 0)",
            [
                uuid.uuid4().hex,
                f"{TODAY - timedelta(days=40)}T09:00:00Z",
                str(TODAY - timedelta(days=40)),
            ],
        )
        conn.execute("pragma wal_checkpoint(truncate)")  # all in the file made read-only
    finally:
        conn.close()
    _read_only(path, True)
    try:
        ctx = _context(config, pack, scope, path, TODAY, None, use_rollup=True)
        assert ctx.rollup is None  # not written to: read from the log
        found = numbers(path, config, pack, scope, use_rollup=False)
    finally:
        _read_only(path, False)
    assert found["askers"][1] == expected["askers"][1] + 1  # the new person is counted
    assert found != expected


def test_a_removed_question_and_one_taking_its_row_number_are_both_seen(
    tmp_path, demo, config, pack
):
    """New questions are found by row number: after the newest question is removed (its day
    redone) the next one reuses that number, and must still be rolled up."""
    path = tmp_path / "removed.db"
    path.write_bytes(demo.read_bytes())
    year = Scope(TODAY - timedelta(days=200), TODAY)
    same_both_ways(path, config, pack, year)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        rowid, day = conn.execute(
            "select rowid, day from queries order by rowid desc limit 1"
        ).fetchone()
        conn.execute("delete from queries where rowid = ?", [rowid])
        other = str(TODAY - timedelta(days=100))
        conn.execute(
            "insert into queries (id, ts, day, asker, agency, sector, kind, answered, "
            "confidence, alternatives, purged) values (?, ?, ?, 'reuser', 'police', 'police', "
            "'glossary', 1, 0.9, '[]', 0)",
            [uuid.uuid4().hex, f"{other}T09:00:00Z", other],
        )
        assert conn.execute("select max(rowid) from queries").fetchone()[0] == rowid
    finally:
        conn.close()
    found = same_both_ways(path, config, pack, year)
    assert _rollup_count(path) == _log_count(path)
    assert found["askers"][1] > 0
