"""A damaged query log loses nothing silently: rows go to the spool, commands say so in one
line, and `log repair` puts every spooled row in a new log exactly once.

Run as a user would (`python -m bot …`) against real files; the damage is done to the bytes
of the database file, as a failing disk or a careless copy would."""

from __future__ import annotations

import os
import sqlite3

from bot.assistant import Assistant
from bot.config import load_config
from bot.querylog import QueryLog
from tests.conftest import MINI, ROOT, run_cli

KEY = "a-key-for-the-damaged-log-tests-0123456789"


def env_for(tmp_path):
    return {"RHRT_DB": str(tmp_path / "log.db"), "RHRT_KNOWLEDGE": str(MINI), "RHRT_LOG_KEY": KEY}


def ids(path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return [r[0] for r in conn.execute("select question from queries order by question")]


def wreck(path, keep_first_page: bool = True) -> None:
    """Overwrite the database's pages after the first (the schema) with noise."""
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.seek(4096 if keep_first_page else 0)
        handle.write(os.urandom(size - (4096 if keep_first_page else 0)))


def one_line(result) -> str:
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("rhrt-bot:")]
    assert len(errors) == 1, result.stderr
    return errors[0]


def test_a_log_damaged_before_start_spools_then_repair_replays_every_row_once(tmp_path):
    env = env_for(tmp_path)
    for n in range(3):
        assert run_cli("ask", f"what does nfa mean {n}", env=env).returncode == 0
    db = tmp_path / "log.db"
    wreck(db)

    asked = run_cli("ask", "what does nfa mean 10", env=env)
    assert asked.returncode == 0 and "NFA" in asked.stdout  # answers go on
    [said] = asked.stderr.strip().splitlines()  # once, and what to do
    assert "query log damaged" in said and "log.db.spool.jsonl" in said and "log repair" in said
    assert run_cli("ask", "what does nfa mean 11", env=env).returncode == 0
    assert "what does nfa mean 11" in (tmp_path / "log.db.spool.jsonl").read_text()

    assert "log repair" in one_line(run_cli("log", "export", "--csv", "-", env=env))
    assert "log repair" in one_line(run_cli("purge", env=env))
    assert "log repair" in one_line(run_cli("report", "--out", str(tmp_path / "r"), env=env))

    repaired = run_cli("log", "repair", env=env)
    assert repaired.returncode == 0, repaired.stderr
    assert "moved it to" in repaired.stdout and "Replayed 4 spooled row(s)" in repaired.stdout
    moved = [p for p in tmp_path.iterdir() if p.name.startswith("log.db.damaged-")]
    assert moved and not (tmp_path / "log.db.spool.jsonl").exists()
    assert ids(db) == ["what does nfa mean 10", "what does nfa mean 11"]
    again = run_cli("log", "repair", env=env)
    assert "The query log is healthy" in again.stdout and "Replayed 0" in again.stdout
    assert ids(db) == ["what does nfa mean 10", "what does nfa mean 11"]  # still once each
    assert run_cli("log", "export", "--csv", "-", env=env).returncode == 0


def test_what_a_damaged_file_still_holds_is_saved_by_repair(tmp_path):
    env = env_for(tmp_path)
    config = load_config(ROOT / "config.yaml", pack_dir=str(MINI))
    log = QueryLog(tmp_path / "log.db", KEY.encode(), config)
    assistant = Assistant.from_config(config, log=log)
    for n in range(200):
        assistant.ask(f"what does nfa mean {n:03d} " + "padding " * 30)
    log.close()
    db = tmp_path / "log.db"
    page = db.read_bytes().index(b"what does nfa mean 100 ") // 4096
    with db.open("r+b") as handle:  # the page holding question 100, and its neighbours
        handle.seek(4096 * page)
        handle.write(os.urandom(4096))
    repaired = run_cli("log", "repair", env=env)
    assert repaired.returncode == 0 and "moved it to" in repaired.stdout, repaired.stderr
    saved = ids(db)
    assert 150 <= len(saved) < 200, repaired.stdout  # most of it back; the wrecked page not
    assert "what does nfa mean 000 " + "padding " * 30 in saved
    assert not any(q.startswith("what does nfa mean 100 ") for q in saved)


def test_a_log_truncated_or_replaced_while_running_spools_and_repair_replays(tmp_path):
    config = load_config(ROOT / "config.yaml", pack_dir=str(MINI))
    db = tmp_path / "log.db"
    log = QueryLog(db, KEY.encode(), config)
    assistant = Assistant.from_config(config, log=log)
    for n in range(50):
        assistant.ask(f"what does nfa mean before {n:02d} " + "padding " * 40)
    log.flush()
    log.checkpoint()
    os.truncate(db, db.stat().st_size // 2)  # truncated under the running log
    for n in range(5):
        assert assistant.ask(f"what does nfa mean 70{n}").entry_id == "nfa"
    log.flush()
    healthy, why = log.health()
    assert not healthy and "truncated" in why and "spool" in why
    replacement = tmp_path / "copied-over.db"
    replacement.write_bytes(b"not a database at all " * 500)
    replacement.replace(db)  # replaced under the running log
    for n in range(5):
        assert assistant.ask(f"what does nfa mean 80{n}").entry_id == "nfa"
    log.close()
    spooled = (tmp_path / "log.db.spool.jsonl").read_text()
    assert spooled.count('"kind": "query"') == 10
    result = run_cli("log", "repair", env=env_for(tmp_path))
    assert result.returncode == 0 and "Replayed 10 spooled row(s)" in result.stdout
    after = [q for q in ids(db) if q.startswith(("what does nfa mean 70", "what does nfa mean 80"))]
    assert len(after) == len(set(after)) == 10


def test_repair_saves_questions_sent_to_advisers_too(tmp_path):
    from bot import escalations

    env = env_for(tmp_path)
    config = load_config(ROOT / "config.yaml", pack_dir=str(MINI))
    log = QueryLog(tmp_path / "log.db", KEY.encode(), config)
    assistant = Assistant.from_config(config, log=log)
    answers = [assistant.ask(f"what does nfa mean {n:03d} " + "padding " * 30) for n in range(200)]
    log.flush()
    q = escalations.logged_question(log, answers[0].query_id)
    sent = escalations.new_id()
    escalations.record_escalation(
        log, sent, q, note=None, name_shared=False, channel="C0ADVISE", message_ts="1.2"
    )
    log.close()
    db = tmp_path / "log.db"
    page = db.read_bytes().index(b"what does nfa mean 100 ") // 4096
    with db.open("r+b") as handle:
        handle.seek(4096 * page)
        handle.write(os.urandom(4096))
    repaired = run_cli("log", "repair", env=env)
    assert repaired.returncode == 0 and "moved it to" in repaired.stdout, repaired.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("select id, question from escalations").fetchall() == [
            (sent, q.question)
        ]
