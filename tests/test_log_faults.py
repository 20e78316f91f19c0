"""Faults in the query log: the bot keeps answering and no row is lost."""

import os
import sqlite3
import stat
import subprocess
import sys
import threading
import time

import pytest
import sqlite_utils

from bot import logstore
from bot.assistant import Assistant
from bot.config import load_config
from bot.querylog import QueryLog
from tests.conftest import MINI, ROOT


def setup(tmp_path):
    config = load_config(ROOT / "config.yaml", pack_dir=str(MINI))
    log = QueryLog(tmp_path / "log.db", b"k", config)
    return Assistant.from_config(config, log=log), log


def count(path):
    with sqlite3.connect(path) as conn:
        return conn.execute("select count(*), count(distinct id) from queries").fetchone()


def ask_many(assistant, n, tag):
    started = time.perf_counter()
    for i in range(n):
        # The tag is a number so the tiny test pack's vocabulary still knows every word.
        assert assistant.ask(f"what does nfa mean? {tag}{i}").entry_id == "nfa"
    return time.perf_counter() - started


def test_a_writer_holding_the_lock_longer_than_the_busy_timeout(tmp_path, monkeypatch):
    # The lock is held four times as long as the log waits for it (5 s in production, half a
    # second here, so the test takes seconds, not ten).
    # (Set where the connection reads it: patched on bot.querylog, which only re-exports it,
    # it had no effect, and the log waited its full 5 s.)
    monkeypatch.setattr(logstore, "BUSY_TIMEOUT_MS", 500)
    assistant, log = setup(tmp_path)
    ask_many(assistant, 5, "1")
    log.flush()
    locked, release = threading.Event(), threading.Event()

    def hold_lock():
        conn = sqlite3.connect(tmp_path / "log.db", isolation_level=None)
        conn.execute("begin exclusive")
        locked.set()
        release.wait(15)
        conn.execute("commit")
        conn.close()

    holder = threading.Thread(target=hold_lock)
    holder.start()
    locked.wait(5)
    elapsed = ask_many(assistant, 20, "2")
    assert elapsed < 2, "answers must not wait for the database"
    # Held until the log has given up waiting for it at least once (its rows spooled),
    # rather than for a fixed time.
    deadline = time.monotonic() + 30
    while not log.spool_path.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert log.spool_path.exists(), "the log never gave up waiting for the lock"
    release.set()
    holder.join()
    ask_many(assistant, 5, "3")
    log.close()
    assert count(tmp_path / "log.db") == (30, 30)
    assert not log.spool_path.exists()


def _make_read_only(paths, on: bool):
    """Read-only even for root (who ignores file modes): the immutable attribute."""
    if os.geteuid() != 0:
        for path in paths:
            os.chmod(path, stat.S_IRUSR if on else stat.S_IRUSR | stat.S_IWUSR)
        return
    result = subprocess.run(["chattr", "+i" if on else "-i", *map(str, paths)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"cannot make a file read-only as root here: {result.stderr.strip()}")


def test_read_only_database_spools_then_replays_exactly_once(tmp_path):
    assistant, log = setup(tmp_path)
    ask_many(assistant, 3, "1")
    log.flush()
    # The database and its journal; SQLite's shared-memory index stays writable (it is
    # memory-mapped, and a read-only database still has one).
    files = [tmp_path / "log.db", tmp_path / "log.db-wal"]
    _make_read_only(files, True)
    try:
        ask_many(assistant, 7, "2")
        log.flush()
        assert log.spool_path.exists()
        assert "what does nfa mean? 26" in log.spool_path.read_text()
    finally:
        _make_read_only(files, False)
    ask_many(assistant, 2, "3")
    log.close()
    assert count(tmp_path / "log.db") == (12, 12)
    assert not log.spool_path.exists()


def test_database_deleted_while_running(tmp_path):
    assistant, log = setup(tmp_path)
    ask_many(assistant, 4, "1")
    log.flush()
    for suffix in ("", "-wal", "-shm"):
        path = tmp_path / f"log.db{suffix}"
        if path.exists():
            path.unlink()
    ask_many(assistant, 6, "2")
    log.close()
    assert count(tmp_path / "log.db") == (6, 6)  # the new file has every later row


def test_spool_replay_is_idempotent(tmp_path):
    assistant, log = setup(tmp_path)
    ask_many(assistant, 3, "1")
    log.flush()
    rows = list(sqlite_utils.Database(tmp_path / "log.db")["queries"].rows)
    # A crash after replay but before the spool was removed leaves the rows in both places.
    import json

    log.spool_path.write_text("".join(json.dumps({"kind": "query", "row": r}) + "\n"
                                      for r in rows) + '{"kind": "query", "row": {"id"\n')
    ask_many(assistant, 1, "2")
    log.close()
    assert count(tmp_path / "log.db") == (4, 4)


FULL_DISK = r"""
import resource, signal, sys
from bot.assistant import Assistant
from bot.config import load_config
from bot import querylog
from bot.querylog import QueryLog
db, mini = sys.argv[1], sys.argv[2]
config = load_config(pack_dir=mini)
log = QueryLog(db, b"k", config)
assistant = Assistant.from_config(config, log=log)
assistant.ask("what does nfa mean?")
log.flush()
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
import os
size = max(os.path.getsize(db), os.path.getsize(db + "-wal") if os.path.exists(db + "-wal") else 0)
resource.setrlimit(resource.RLIMIT_FSIZE, (size + 2048, hard))  # the disk is now "full"
answered = sum(assistant.ask("what does nfa mean? %d" % i).entry_id == "nfa"
               for i in range(200))
log.flush()
resource.setrlimit(resource.RLIMIT_FSIZE, (hard, hard))  # space freed
assistant.ask("what does nfa mean?")
log.close()
print(answered)
"""


def test_full_disk(tmp_path):
    db = tmp_path / "full.db"
    result = subprocess.run([sys.executable, "-c", FULL_DISK, str(db), str(MINI)],
                            capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "200"
    assert count(db) == (202, 202)
