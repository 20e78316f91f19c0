"""The query log: real SQLite files, real threads and processes."""

import json
import multiprocessing
import os
import sqlite3
import stat
import threading
from datetime import timedelta

import sqlite_utils

from bot.askers import Asker, pseudonym
from bot.assistant import Assistant
from bot.config import load_config
from bot.querylog import QueryLog, utcnow
from bot.schema import LATEST, MIGRATIONS, migrate
from tests.conftest import MINI, ROOT, run_cli
from tests.privacy.score import load_cases


def make(tmp_path, **env):
    config = load_config(ROOT / "config.yaml", pack_dir=str(MINI))
    log = QueryLog(tmp_path / "log.db", b"test-key", config)
    return Assistant.from_config(config, log=log), log


def rows(path, table="queries"):
    return list(sqlite_utils.Database(path)[table].rows)


def test_every_question_is_one_redacted_pseudonymous_row(tmp_path):
    assistant, log = make(tmp_path)
    asker = Asker("T123", "U999", agency="education-secondary", agency_source="chosen")
    answer = assistant.ask(
        "what does nfa mean? re jayden smith DOB 03/04/2015", asker=asker, surface="slash"
    )
    assert answer.redacted == 2 and answer.query_id
    log.flush()
    [row] = rows(tmp_path / "log.db")
    assert row["id"] == answer.query_id
    assert row["question"] == "what does nfa mean? re [NAME] DOB [DATE]"
    assert row["asker"] == pseudonym(b"test-key", "T123", "U999") and "U999" not in row["asker"]
    assert (row["agency"], row["sector"], row["surface"]) == (
        "education-secondary",
        "education",
        "slash",
    )
    assert (row["kind"], row["entry_id"], row["answered"]) == ("glossary", "nfa", 1)
    assert row["pack_id"] == "mini" and row["latency_ms"] > 0
    [asker_row] = rows(tmp_path / "log.db", "askers")
    assert asker_row["agency"] == "education-secondary"


def test_raw_database_bytes_hold_no_identifier(tmp_path):
    assistant, log = make(tmp_path)
    cases = load_cases()
    for case in cases:
        assistant.ask(case["text"], asker=Asker("T1", "U0RAWBYTESUSER"))
    log.close()
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("log.db"))
    structured = {"POSTCODE", "PHONE", "EMAIL", "NHS_NUMBER", "DATE", "SLACK_USER", "URL"}
    leaked = [
        i["value"]
        for c in cases
        for i in c.get("identifiers") or []
        if i["type"] in structured and i["value"].encode() in raw
    ]
    assert leaked == []
    assert b"U0RAWBYTESUSER" not in raw  # the Slack id is only ever a pseudonym


def test_feedback_is_linked_and_its_comment_redacted(tmp_path):
    assistant, log = make(tmp_path)
    answer = assistant.ask("what is level 3", asker=Asker("T", "U"))
    log.record_feedback(
        answer.query_id,
        helpful=False,
        reason="wrong_level",
        comment="for Amelia Smith on 07700 900123 this should be level 4",
        asker=Asker("T", "U"),
    )
    log.flush()
    [fb] = rows(tmp_path / "log.db", "feedback")
    assert fb["query_id"] == answer.query_id and fb["helpful"] == 0
    assert fb["comment"] == "for [NAME] on [PHONE] this should be level 4"


def test_agency_choice_beats_rules(tmp_path):
    config = load_config(ROOT / "config.yaml", pack_dir=str(MINI))
    config = config.__class__(
        **{
            **config.__dict__,
            "agency_rules": {
                "email_domains": {"nhs.net": "health-community"},
                "channels": {"C1": "police"},
            },
        }
    )
    log = QueryLog(tmp_path / "log.db", b"k", config)
    by_email = Asker("T", "U1", email="a.b@nhs.net", channel="C1")
    assert log.resolve(by_email)[1:] == ("health-community", "email")
    assert log.resolve(Asker("T", "U2", channel="C1"))[1:] == ("police", "channel")
    assert log.resolve(Asker("T", "U3"))[1:] == (None, "unknown")
    log.set_agency(by_email, "health-gp")
    log.flush()
    assert log.resolve(by_email)[1:] == ("health-gp", "chosen")


def _processes():
    """Separate processes for the tests below, each with its own log connection and writer
    as separate bot processes have. Forked from a server that imported this module (and so
    the bot) once: "spawn" imported pytest, the tests and the bot again in every process."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload([__name__])
    return ctx


def _log_from_process(path, n, worker):
    config = load_config(ROOT / "config.yaml", pack_dir=str(MINI))
    log = QueryLog(path, b"k", config)
    assistant = Assistant.from_config(config, log=log)
    for i in range(n):
        assistant.ask(f"what does nfa mean {worker}-{i}", asker=Asker("T", f"U{worker}"))
    log.close()


def test_threads_and_processes_lose_no_rows(tmp_path):
    path = tmp_path / "log.db"
    assistant, log = make(tmp_path)
    threads = [
        threading.Thread(
            target=lambda w=w: [
                assistant.ask(f"what is the mash {w}-{i}", asker=Asker("T", f"t{w}"))
                for i in range(50)
            ]
        )
        for w in range(4)
    ]
    ctx = _processes()
    procs = [ctx.Process(target=_log_from_process, args=(path, 50, w)) for w in range(3)]
    for t in threads + procs:
        t.start()
    for t in threads + procs:
        t.join(timeout=120)
    log.close()
    assert all(p.exitcode == 0 for p in procs)
    assert len(rows(path)) == 4 * 50 + 3 * 50


def test_migration_from_the_previous_version_keeps_data(tmp_path):
    path = tmp_path / "old.db"
    db = sqlite_utils.Database(path)
    migrate(db, target=1)
    db["queries"].insert(
        {"id": "q1", "ts": "2025-01-01T00:00:00Z", "question": "old row", "kind": "glossary"}
    )
    db.conn.close()
    config = load_config(ROOT / "config.yaml", pack_dir=str(MINI))
    QueryLog(path, b"k", config).close()
    db = sqlite_utils.Database(path)
    assert [r["question"] for r in db["queries"].rows] == ["old row"]
    assert {"topic", "event_id"} <= set(db["queries"].columns_dict)
    assert db.execute("select max(version) from schema_version").fetchone()[0] == LATEST
    assert LATEST == len(MIGRATIONS) >= 2


def test_purge_keeps_counts_and_removes_text(tmp_path):
    assistant, log = make(tmp_path)
    for _ in range(3):
        assistant.ask("what does nfa mean")
    log.flush()
    assert log.purge() == {"queries": 0, "feedback": 0, "escalations": 0}
    assert log.purge(now=utcnow() + timedelta(days=400)) == {
        "queries": 3,
        "feedback": 0,
        "escalations": 0,
    }
    remaining = rows(tmp_path / "log.db")
    assert len(remaining) == 3
    assert all(r["question"] is None and r["entry_id"] == "nfa" for r in remaining)


def test_read_only_or_missing_database_still_answers(tmp_path):
    assistant, log = make(tmp_path)
    os.chmod(tmp_path / "log.db", stat.S_IRUSR)
    try:
        answer = assistant.ask("what does nfa mean")
        assert answer.entry_id == "nfa"
    finally:
        os.chmod(tmp_path / "log.db", stat.S_IRUSR | stat.S_IWUSR)
    blocked = tmp_path / "not-a-dir"
    blocked.write_text("a file where the database folder should be")
    result = run_cli(
        "ask",
        "--json",
        "what does nfa mean",
        env={"RHRT_DB": str(blocked / "log.db"), "RHRT_KNOWLEDGE": str(MINI)},
    )
    assert result.returncode == 0 and json.loads(result.stdout)["entry_id"] == "nfa"
    assert "answering without logging" in result.stderr


def test_key_file_is_created_private(tmp_path):
    result = run_cli(
        "ask",
        "what is the mash",
        env={"RHRT_DB": str(tmp_path / "k.db"), "RHRT_KNOWLEDGE": str(MINI)},
    )
    assert result.returncode == 0
    key = tmp_path / "k.db.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600


def test_console_logs_with_agency_and_export_csv(tmp_path):
    env = {"RHRT_DB": str(tmp_path / "c.db"), "RHRT_KNOWLEDGE": str(MINI)}
    assert run_cli("ask", "--agency", "police", "what is the mash", env=env).returncode == 0
    out = tmp_path / "export.csv"
    result = run_cli("log", "export", "--csv", str(out), env=env)
    assert result.returncode == 0
    lines = out.read_text().splitlines()
    assert lines[0].startswith("hour,surface,agency,sector,question")
    # One person from police: their agency and words are not given away by the export.
    assert ",other (fewer than 5 askers each),other,(withheld: fewer than 5 people" in lines[1]
    with sqlite3.connect(tmp_path / "c.db") as conn:
        assert conn.execute("select count(*) from by_agency").fetchone()[0] == 1


def test_the_key_never_reaches_the_database(tmp_path):
    env = {
        "RHRT_DB": str(tmp_path / "s.db"),
        "RHRT_KNOWLEDGE": str(MINI),
        "RHRT_LOG_KEY": "super-secret-log-key-of-forty-bytes-or-so",
    }
    assert run_cli("ask", "what is the mash", env=env).returncode == 0
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("s.db"))
    assert b"super-secret-log-key" not in raw and b"forty-bytes" not in raw


def test_processes_opening_a_fresh_log_together_lose_nothing(tmp_path):
    path = tmp_path / "fresh.db"  # nobody has created it yet: they race to
    ctx = _processes()
    procs = [ctx.Process(target=_log_from_process, args=(path, 100, w)) for w in range(6)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
    assert [p.exitcode for p in procs] == [0] * 6
    assert len(rows(path)) == 600


def test_one_batch_of_mixed_rows_lands_in_order_and_replays_once(tmp_path):
    """The writer's batched inserts: questions, a refinement of one, votes and agency
    choices written in one batch keep their meaning, and writing the batch again (a
    replayed journal) changes nothing."""
    from bot.logrows import insert_rows

    assistant, log = make(tmp_path)
    captured: list = []
    log._submit_all = captured.extend  # what the writer would get, in one batch
    teacher = Asker("T1", "UTEACHER")
    first = assistant.ask("what does nfa mean", asker=teacher, surface="dm")
    assistant.ask("who is the lado", asker=Asker("T1", "UNURSE"), surface="dm")
    log.set_agency(teacher, "education-secondary")
    third = assistant.ask("what is a core group", asker=teacher, surface="dm")
    log.close()
    kinds = [kind for kind, _ in captured]
    assert kinds.count("query") == 3 and "asker" in kinds and "seen" in kinds
    db_path = tmp_path / "batch.db"
    conn = sqlite3.connect(db_path, isolation_level=None)
    migrate(sqlite_utils.Database(conn))
    for _ in range(2):
        insert_rows(conn, captured)
    conn.close()
    queries = {r["id"]: r for r in rows(db_path)}
    assert set(queries) >= {first.query_id, third.query_id} and len(queries) == 3
    assert queries[third.query_id]["agency"] == "education-secondary"
    people = {r["pseudonym"]: r for r in rows(db_path, "askers")}
    assert len(people) == 2
    chosen = people[pseudonym(b"test-key", "T1", "UTEACHER")]
    assert (chosen["agency"], chosen["agency_source"]) == ("education-secondary", "chosen")


def test_a_chosen_agency_applies_to_the_next_question_at_once(tmp_path):
    assistant, log = make(tmp_path)
    asker = Asker("T1", "UCHOOSER")
    assistant.ask("what does nfa mean", asker=asker)
    assert log.agency_of(log.pseudonym_of(asker)) is None
    log.set_agency(asker, "police")
    answer = assistant.ask("who is the lado", asker=asker)
    log.flush()
    row = next(r for r in rows(tmp_path / "log.db") if r["id"] == answer.query_id)
    assert (row["agency"], row["agency_source"]) == ("police", "chosen")
