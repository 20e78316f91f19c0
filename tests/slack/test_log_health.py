"""The served app while its query log is replaced by a damaged file: answers go on, /healthz
says the log is degraded, stderr says so once, and after `log repair` every question asked
is in the log exactly once. Signed DMs to `python -m bot serve --http`, answers to the fake
Slack on 127.0.0.1."""

from __future__ import annotations

import json
import sqlite3
import urllib.request

from tests.conftest import run_cli

from .conftest import SECRET, dm_event, event_body, signed_headers
from .test_serve import STARTUP_TIMEOUT, Served, free_port, post, wait_until

KEY = "a-key-for-the-served-log-health-test-0123"


def health(base: str) -> tuple[int, str]:
    with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
        return response.status, response.read().decode()


def ask(base: str, fake, n: int) -> None:
    body = event_body(
        dm_event(f"what does nfa mean {n}", ts=f"1700000000.{n:06d}"), event_id=f"EvLog{n}"
    )
    status, _ = post(
        f"{base}/slack/events", body, signed_headers(body, content_type="application/json")
    )
    assert status == 200
    answers = lambda: [  # noqa: E731 - a one-line wait condition
        p for p in fake.of("chat.postMessage") if "NFA" in json.dumps(p.get("blocks"))
    ]
    wait_until(lambda: len(answers()) >= n, 15, f"answer {n}")


def test_a_log_replaced_by_a_damaged_file_while_serving(tmp_path, fake):
    port = free_port()
    served = Served(
        tmp_path,
        fake,
        ["--http", "--host", "127.0.0.1", "--port", str(port)],
        SLACK_SIGNING_SECRET=SECRET,
        RHRT_LOG_KEY=KEY,
    )
    base = f"http://127.0.0.1:{port}"

    def up():
        served.check_running()
        try:
            return health(base)[0] == 200
        except OSError:
            return False

    try:
        wait_until(up, STARTUP_TIMEOUT, "the server to start")
        assert health(base) == (200, "ok\n")
        for n in (1, 2, 3):
            ask(base, fake, n)
        garbage = tmp_path / "garbage.db"
        garbage.write_bytes(b"an old spreadsheet, not a database " * 300)
        garbage.replace(served.db)  # replaced under the running app
        for n in (4, 5, 6):
            ask(base, fake, n)  # answers go on
        status, body = health(base)
        assert status == 200 and body.startswith("degraded: query log degraded")
        assert "served.db.spool.jsonl" in body
    finally:
        assert served.stop() == 0
    stderr = (tmp_path / "serve.stderr").read_text()
    assert stderr.count("query log damaged") == 1  # said once, not per question
    env = {"RHRT_DB": str(served.db), "RHRT_LOG_KEY": KEY}
    repaired = run_cli("log", "repair", env=env)
    assert repaired.returncode == 0 and "moved it to" in repaired.stdout
    with sqlite3.connect(served.db) as conn:
        events = [r[0] for r in conn.execute("select event_id from queries order by event_id")]
    # 1-3 were in the file that was replaced (gone with it); 4-6 were spooled and replayed.
    assert events == ["EvLog4", "EvLog5", "EvLog6"]
