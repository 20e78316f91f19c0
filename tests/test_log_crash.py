"""A crash loses no answered question: kill -9 right after answering, with the database
writer stuck behind another process's lock, and every answered question is still logged
once the next log opens (it replays the dead process's journal)."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys

from bot.config import load_config
from bot.querylog import QueryLog
from tests.conftest import MINI, ROOT, run_cli

KEY = "a-key-for-the-crash-test-0123456789abcdef"
ANSWER_THEN_DIE = r"""
import os, signal, sys
from bot.assistant import Assistant
from bot.askers import Asker
from bot.config import load_config
from bot.querylog import QueryLog
db, mini, key, n = sys.argv[1], sys.argv[2], sys.argv[3].encode(), int(sys.argv[4])
config = load_config(pack_dir=mini)
assistant = Assistant.from_config(config, log=QueryLog(db, key, config))
for i in range(n):
    answer = assistant.ask(f"what does nfa mean {i}", asker=Asker("T", f"U{i % 3}"))
    print(answer.entry_id, flush=True)  # the answer has gone out
os.kill(os.getpid(), signal.SIGKILL)  # before the writer could reach the database
"""


def count(path) -> tuple[int, int]:
    with sqlite3.connect(path) as conn:
        return conn.execute("select count(*), count(distinct id) from queries").fetchone()


def test_kill_9_after_answering_loses_no_logged_question(tmp_path):
    db = tmp_path / "log.db"
    config = load_config(ROOT / "config.yaml", pack_dir=str(MINI))
    QueryLog(db, KEY.encode(), config).close()  # the log exists, schema and all
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("begin immediate")  # another process holds the write lock
    try:
        result = subprocess.run(
            [sys.executable, "-c", ANSWER_THEN_DIE, str(db), str(MINI), KEY, "25"],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=120,
        )
    finally:
        holder.execute("rollback")
        holder.close()
    assert result.returncode == -signal.SIGKILL
    assert result.stdout.split() == ["nfa"] * 25  # 25 answers went out
    assert count(db) == (0, 0)  # none reached the database before the crash

    reopened = run_cli("log", "export", "--csv", "-", env={"RHRT_DB": str(db), "RHRT_LOG_KEY": KEY})
    assert reopened.returncode == 0, reopened.stderr
    assert count(db) == (25, 25)  # every answered question, once
    assert not [p.name for p in tmp_path.iterdir() if ".journal-" in p.name]
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from askers").fetchone()[0] == 3


ESCALATE_THEN_DIE = r"""
import os, signal, sys
from bot import escalations
from bot.assistant import Assistant
from bot.askers import Asker
from bot.config import load_config
from bot.privacy import Redaction
from bot.querylog import QueryLog
db, mini, key = sys.argv[1], sys.argv[2], sys.argv[3].encode()
config = load_config(pack_dir=mini)
log = QueryLog(db, key, config)
answer = Assistant.from_config(config, log=log).ask("what does nfa mean", asker=Asker("T", "U1"))
q = escalations.LoggedQuestion(
    answer.query_id, "asker", "police", "police", "what does nfa mean", answer.kind,
    answer.entry_id, "terms", None, 1.0, True,
)
sent = escalations.new_id()
escalations.record_escalation(
    log, sent, q, note=log.redact("ring me on 07700 900123"), name_shared=False,
    channel="C0ADVISE", message_ts="1.2",
)
escalations.record_reply(log, sent, adviser="adviser", text=log.redact("NFA: no further action"),
                         delivered=True)
print(sent, flush=True)  # the asker has been told it was sent, the adviser that it was delivered
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_kill_9_after_escalating_loses_no_escalation_or_reply(tmp_path):
    db = tmp_path / "log.db"
    config = load_config(ROOT / "config.yaml", pack_dir=str(MINI))
    QueryLog(db, KEY.encode(), config).close()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("begin immediate")  # the writer cannot reach the database before the crash
    try:
        result = subprocess.run(
            [sys.executable, "-c", ESCALATE_THEN_DIE, str(db), str(MINI), KEY],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=120,
        )
    finally:
        holder.execute("rollback")
        holder.close()
    assert result.returncode == -signal.SIGKILL, result.stderr
    [sent] = result.stdout.split()
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from escalations").fetchone() == (0,)

    QueryLog(db, KEY.encode(), config).close()  # the next log replays the dead one's journal
    with sqlite3.connect(db) as conn:
        assert conn.execute("select id, status, replies, note from escalations").fetchall() == [
            (sent, "replied", 1, "ring me on [PHONE]")
        ]
        [(text,)] = conn.execute("select text from escalation_replies").fetchall()
    assert text == "NFA: no further action"
