"""The pseudonymisation key cannot be lost, weak or exposed; the log's files are private.

Run as a user would (`python -m bot …` in a subprocess) against real files in tmp_path."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from contextlib import contextmanager

from bot.assistant import Assistant
from bot.config import load_config
from bot.querylog import QueryLog
from tests.conftest import MINI, ROOT, run_cli

GOOD_KEY = "k" * 40


def env_for(tmp_path, name="log.db", **extra):
    return {"RHRT_DB": str(tmp_path / name), "RHRT_KNOWLEDGE": str(MINI), **extra}


def one_clear_line(result) -> str:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def questions(path) -> int:
    if not path.exists():
        return 0
    with sqlite3.connect(path) as conn:
        return conn.execute("select count(*) from queries").fetchone()[0]


def test_a_world_readable_key_file_is_refused(tmp_path):
    key = tmp_path / "log.db.key"
    key.write_text("0123456789abcdef" * 4)
    key.chmod(0o644)
    line = one_clear_line(run_cli("ask", "what is the mash", env=env_for(tmp_path)))
    assert "log.db.key can be read by every user" in line and "chmod 600" in line
    assert questions(tmp_path / "log.db") == 0


def test_an_empty_key_file_is_refused_not_used(tmp_path):
    key = tmp_path / "log.db.key"
    key.write_bytes(b"")
    key.chmod(0o600)
    line = one_clear_line(run_cli("ask", "what is the mash", env=env_for(tmp_path)))
    assert "log.db.key is empty" in line
    assert key.read_bytes() == b""  # left for the operator to look at, not replaced


def test_a_short_key_is_refused_from_a_file_or_the_environment(tmp_path):
    key = tmp_path / "log.db.key"
    key.write_text("0123456789abcdef")  # 16 bytes
    key.chmod(0o600)
    line = one_clear_line(run_cli("ask", "what is the mash", env=env_for(tmp_path)))
    assert "too short (16 bytes; at least 32)" in line
    env = env_for(tmp_path, "other.db", RHRT_LOG_KEY="short-key")
    line = one_clear_line(run_cli("ask", "what is the mash", env=env))
    assert line.startswith("rhrt-bot: RHRT_LOG_KEY is too short (9 bytes")
    line = one_clear_line(run_cli("ask", "x", env=env_for(tmp_path, "e.db", RHRT_LOG_KEY="")))
    assert "RHRT_LOG_KEY is empty" in line


def test_a_missing_key_for_a_log_with_askers_is_an_error_not_a_new_key(tmp_path):
    env = env_for(tmp_path)
    assert run_cli("ask", "what is the mash", env=env).returncode == 0
    key = tmp_path / "log.db.key"
    assert key.exists() and len(key.read_bytes()) >= 32
    key.unlink()
    line = one_clear_line(run_cli("ask", "what does nfa mean", env=env))
    assert "log.db already holds 1 pseudonymous asker(s)" in line
    assert "but its key (log.db.key) is missing" in line
    assert not key.exists()  # no silent new key that would split everyone in two
    assert questions(tmp_path / "log.db") == 1
    # The Slack app refuses to start the same way (before any token is checked).
    served = run_cli("serve", env={**env, "SLACK_BOT_TOKEN": "xoxb-x", "SLACK_APP_TOKEN": "x"})
    assert "its key (log.db.key) is missing" in one_clear_line(served)


def test_the_key_can_come_from_a_secrets_file_kept_away_from_the_log(tmp_path):
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    key = secrets / "rhrt-log-key"
    key.write_text(GOOD_KEY + "\n")
    key.chmod(0o400)
    env = env_for(tmp_path, RHRT_LOG_KEY_FILE=str(key))
    assert run_cli("ask", "what is the mash", env=env).returncode == 0
    assert not (tmp_path / "log.db.key").exists()  # nothing written beside the database
    missing = env_for(tmp_path, RHRT_LOG_KEY_FILE=str(secrets / "nope"))
    assert "names a key file that does not exist" in one_clear_line(
        run_cli("ask", "what is the mash", env=missing)
    )


CREATE_UNDER_A_FULL_DISK = r"""
import resource, signal, sys
from pathlib import Path
from bot.askers import load_key
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (0, resource.RLIM_INFINITY))  # no byte fits
try:
    load_key(Path(sys.argv[1]))
except OSError as exc:
    print("failed", exc.errno)
"""


def test_a_key_that_could_not_be_written_leaves_no_empty_key_file(tmp_path):
    db = tmp_path / "log.db"
    result = subprocess.run(
        [sys.executable, "-c", CREATE_UNDER_A_FULL_DISK, str(db)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert result.stdout.startswith("failed"), result.stderr
    assert not (tmp_path / "log.db.key").exists()  # never an empty (or half) key
    assert [p.name for p in tmp_path.iterdir()] == []  # no temporary file left either
    assert run_cli("ask", "what is the mash", env=env_for(tmp_path)).returncode == 0
    assert len((tmp_path / "log.db.key").read_bytes()) == 64


@contextmanager
def umask(value: int):
    old = os.umask(value)
    try:
        yield
    finally:
        os.umask(old)


def test_database_wal_journal_spool_and_key_files_are_created_0600(tmp_path):
    config = load_config(ROOT / "config.yaml", pack_dir=str(MINI))
    with umask(0o022):
        assert run_cli("ask", "what is the mash", env=env_for(tmp_path, "cli.db")).returncode == 0
        log = QueryLog(tmp_path / "live.db", GOOD_KEY.encode(), config)
        Assistant.from_config(config, log=log).ask("what does nfa mean")
        log.flush()
        live = {p.name: p for p in tmp_path.iterdir() if p.name.startswith("live.db")}
        assert {"live.db", "live.db-wal", "live.db-shm"} <= set(live)
        assert any(".journal-" in name for name in live)  # while the process runs
        # A damaged database: the rows go to the spool, which is private too.
        (tmp_path / "bad.db").write_bytes(b"this is not a database" * 200)
        (tmp_path / "bad.db").chmod(0o600)
        bad = QueryLog(tmp_path / "bad.db", GOOD_KEY.encode(), config)
        Assistant.from_config(config, log=bad).ask("what does nfa mean")
        bad.flush()
        files = [p for p in tmp_path.iterdir() if p.is_file()]
        log.close()
        bad.close()
    assert (tmp_path / "bad.db.spool.jsonl") in files
    assert (tmp_path / "cli.db.key") in files and (tmp_path / "cli.db") in files
    loose = {p.name: oct(stat.S_IMODE(p.stat().st_mode)) for p in files if p.exists()}
    loose = {name: mode for name, mode in loose.items() if mode != "0o600"}
    assert loose == {}
