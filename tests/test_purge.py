"""Purge really forgets: after `python -m bot purge`, purged questions and comments are gone
from the raw bytes of the database file, its WAL and its free pages, while the bot that
wrote them keeps running (another process, holding its connections open) and logging."""

from __future__ import annotations

import subprocess
import sys

import yaml

from tests.conftest import MINI, ROOT, run_cli

KEY = "a-key-for-the-purge-test-0123456789abcdef"
SECRET_WORDS = (b"quokka", b"marzipan", b"periwinkle", b"trampoline")
# The running bot: answers and logs a line of stdin at a time, flushing after each, and
# never closes its log until stdin ends.
BOT = r"""
import sys
from bot.askers import Asker
from bot.assistant import Assistant
from bot.config import load_config
from bot.querylog import QueryLog
config = load_config(sys.argv[1], pack_dir=sys.argv[2])
log = QueryLog(sys.argv[3], sys.argv[4].encode(), config)
bot = Assistant.from_config(config, log=log)
for line in sys.stdin:
    count, _, question = line.rstrip("\n").partition(" ")
    for n in range(int(count)):  # enough rows for pages to split and be rewritten
        asker = Asker("T", f"U{n % 7}")
        answer = bot.ask(f"{question} {n} " + "filler " * 20, asker=asker)
        if n % 10 == 0 and int(count) > 1:
            log.record_feedback(answer.query_id, helpful=False, asker=asker,
                                comment="the periwinkle trampoline comment")
    log.flush()
    rows = log._db().execute("select count(*), count(question) from queries").fetchone()
    print(*rows, flush=True)
log.close()
"""


def raw(tmp_path) -> bytes:
    return b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("log.db"))


def test_purged_text_is_gone_from_the_file_the_wal_and_free_pages(tmp_path):
    settings = yaml.safe_load((ROOT / "config.yaml").read_text())
    settings["retention_days"] = 0  # everything logged so far is past retention
    config = tmp_path / "config.yaml"
    config.write_text(yaml.safe_dump(settings))
    config.chmod(0o600)
    db = tmp_path / "log.db"
    bot = subprocess.Popen(
        [sys.executable, "-c", BOT, str(config), str(MINI), str(db), KEY],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        bot.stdin.write("300 what does nfa mean for the quokka marzipan club\n")
        bot.stdin.flush()
        assert bot.stdout.readline().split() == ["300", "300"]
        before = raw(tmp_path)
        assert all(word in before for word in SECRET_WORDS)

        env = {"RHRT_CONFIG": str(config), "RHRT_DB": str(db), "RHRT_LOG_KEY": KEY}
        result = run_cli("purge", env=env)
        assert result.returncode == 0, result.stderr
        assert "300 question(s), 30 comment(s)" in result.stdout

        after = raw(tmp_path)
        assert [w for w in SECRET_WORDS if w in after] == []
        assert (tmp_path / "log.db-wal").stat().st_size == 0  # checkpointed and emptied

        # The bot never stopped: it logs on, and its new question is kept (newer than the cut).
        bot.stdin.write("1 what does nfa mean after the purge\n")
        bot.stdin.flush()
        assert bot.stdout.readline().split() == ["301", "1"]
    finally:
        bot.stdin.close()
        assert bot.wait(timeout=60) == 0
