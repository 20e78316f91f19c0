"""`python -m bot serve --http` as a real subprocess, driven over loopback HTTP with signed
requests; the fake Slack receives what it sends; the click lands in the SQLite log."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from handlers import constants as c
from handlers.serve import missing_env
from tests.conftest import MINI, ROOT, run_cli

from .conftest import (
    SECRET,
    TOKEN,
    action_payload,
    command_body,
    dm_event,
    event_body,
    interactive_body,
    signed_headers,
)
from .fake_slack import FakeSocketMode

STARTUP_TIMEOUT = 30.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def post(url: str, body: str, headers: dict[str, str]) -> tuple[int, str]:
    request = urllib.request.Request(url, data=body.encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def wait_until(check, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


class Served:
    """`python -m bot serve ARGS` in a subprocess with the test environment."""

    def __init__(self, tmp_path: Path, fake, args: list[str], **env: str):
        self.db = tmp_path / "served.db"
        full = {
            **os.environ,
            "SLACK_BOT_TOKEN": TOKEN,
            "SLACK_API_URL": fake.api_url,
            "RHRT_DB": str(self.db),
            "RHRT_KNOWLEDGE": str(MINI),
            **env,
        }
        for name in ("SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"):
            if name not in env:
                full.pop(name, None)
        self.stderr = (tmp_path / "serve.stderr").open("w+")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", *args],
            cwd=ROOT,
            env=full,
            stdout=subprocess.DEVNULL,
            stderr=self.stderr,
        )

    def check_running(self) -> None:
        if self.proc.poll() is not None:
            self.stderr.seek(0)
            raise AssertionError(f"serve exited with {self.proc.returncode}: {self.stderr.read()}")

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        self.stderr.close()
        return self.proc.returncode


@pytest.fixture
def server(tmp_path, fake):
    """The app served over HTTP by waitress in a subprocess; always terminated."""
    port = free_port()
    served = Served(
        tmp_path,
        fake,
        ["--http", "--host", "127.0.0.1", "--port", str(port)],
        SLACK_SIGNING_SECRET=SECRET,
    )
    base = f"http://127.0.0.1:{port}"

    def healthy():
        served.check_running()
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=1) as response:
                return response.status == 200
        except OSError:
            return False

    try:
        wait_until(healthy, STARTUP_TIMEOUT, "the server to start")
        yield base, served.db, served.proc
    finally:
        served.stop()


def feedback_rows(db: Path) -> list[tuple]:
    try:
        with sqlite3.connect(db) as conn:
            return conn.execute("select query_id, helpful from feedback").fetchall()
    except sqlite3.Error:
        return []


def test_served_app_answers_a_signed_slash_command_and_records_the_click(server, fake):
    base, db, proc = server
    events = f"{base}/slack/events"
    assert fake.of("auth.test"), "the token is checked at start-up against SLACK_API_URL"

    body = command_body("what does NFA mean", response_url=fake.response_url("served"))
    started = time.monotonic()
    status, text = post(events, body, signed_headers(body))
    assert (status, text) == (200, "") and time.monotonic() - started < 3
    [answer] = fake.wait_for("response_url", timeout=10)
    assert answer["response_type"] == "ephemeral"
    assert "No further action" in json.dumps(answer["blocks"])
    [buttons] = [b for b in answer["blocks"] if b.get("block_id") == c.FEEDBACK_BLOCK]
    query_id = next(e["value"] for e in buttons["elements"] if e["action_id"] == c.FEEDBACK_UP)

    click = interactive_body(
        action_payload(c.FEEDBACK_UP, query_id, response_url=fake.response_url("click"))
    )
    assert post(events, click, signed_headers(click))[0] == 200
    rows = wait_until(lambda: feedback_rows(db), 10, "the feedback row")
    assert rows == [(query_id, 1)]

    bad = post(events, body, signed_headers(body, secret="wrong"))
    assert bad[0] == 401
    stale = post(events, body, signed_headers(body, timestamp=int(time.time()) - 600))
    assert stale[0] == 401

    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=10) == 0
    with sqlite3.connect(db) as conn:
        [(question, surface)] = conn.execute("select question, surface from queries")
    assert (question, surface) == ("what does NFA mean", "slash")


def send_slash_command(socket_mode, fake, envelope_id: str, hook: str) -> None:
    """`/rhrt what does NFA mean` over the socket, as Slack delivers it; waits for the ack."""
    command = dict(
        urllib.parse.parse_qsl(
            command_body("what does NFA mean", response_url=fake.response_url(hook))
        )
    )
    socket_mode.send(
        {
            "envelope_id": envelope_id,
            "type": "slash_commands",
            "accepts_response_payload": True,
            "payload": command,
        }
    )
    assert socket_mode.wait_ack(envelope_id) == {"envelope_id": envelope_id}


def test_socket_mode_answers_a_command_and_a_dm(tmp_path, fake):
    socket_mode = FakeSocketMode(fake)
    served = Served(tmp_path, fake, [], SLACK_APP_TOKEN="xapp-test")
    try:
        socket_mode.wait_connected(timeout=STARTUP_TIMEOUT)
        served.check_running()
        send_slash_command(socket_mode, fake, "env-1", "socket")
        [answer] = fake.wait_for("response_url", timeout=10)
        assert answer["response_type"] == "ephemeral"
        assert "No further action" in json.dumps(answer["blocks"])
        event = json.loads(event_body(dm_event("what is the MASH"), event_id="Ev-socket"))
        socket_mode.send(
            {
                "envelope_id": "env-2",
                "type": "events_api",
                "accepts_response_payload": False,
                "payload": event,
                "retry_attempt": 0,
                "retry_reason": "",
            }
        )
        socket_mode.wait_ack("env-2")
        [posted] = fake.wait_for("chat.postMessage", timeout=10)
        assert posted["channel"] == "D0ALICE"
        assert "Multi-Agency Safeguarding Hub" in json.dumps(posted["blocks"])
    finally:
        assert served.stop() == 0
        socket_mode.stop()
    with sqlite3.connect(served.db) as conn:
        surfaces = [row[0] for row in conn.execute("select surface from queries order by ts")]
    assert surfaces == ["slash", "dm"]


def test_serve_names_what_is_missing(tmp_path):
    env = {"RHRT_DB": str(tmp_path / "x.db"), "RHRT_KNOWLEDGE": str(MINI)}
    result = run_cli("serve", env=env, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "rhrt-bot: missing SLACK_BOT_TOKEN and SLACK_APP_TOKEN in the environment for "
        "Socket Mode (or use --http with SLACK_SIGNING_SECRET for the Events API)"
    ]


def test_missing_env_per_mode():
    assert missing_env(True, {"SLACK_BOT_TOKEN": "x"}) == ["SLACK_SIGNING_SECRET"]
    assert missing_env(False, {"SLACK_BOT_TOKEN": "x", "SLACK_APP_TOKEN": " "}) == [
        "SLACK_APP_TOKEN"
    ]
    assert missing_env(False, {"SLACK_BOT_TOKEN": "x", "SLACK_APP_TOKEN": "xapp"}) == []


def test_a_rejected_token_is_one_clear_line(tmp_path, fake):
    env = {
        "SLACK_BOT_TOKEN": "xoxb-revoked",
        "SLACK_SIGNING_SECRET": "s",
        "SLACK_API_URL": fake.api_url,
        "RHRT_DB": str(tmp_path / "x.db"),
        "RHRT_KNOWLEDGE": str(MINI),
    }
    result = run_cli("serve", "--http", "--port", str(free_port()), env=env, timeout=60)
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("rhrt-bot: Slack rejected SLACK_BOT_TOKEN") and "invalid_auth" in line


def test_the_served_app_purges_old_text_at_start_and_then_daily(tmp_path, mini):
    from bot.askers import Asker
    from bot.config import load_config
    from bot.querylog import QueryLog
    from handlers.serve import start_daily_purge

    config = load_config(ROOT / "config.yaml", pack_dir=str(MINI))
    log = QueryLog(tmp_path / "purge.db", b"test-key", config)
    old = mini.answer("what does NFA mean")
    log.record("what does NFA mean", old, asker=Asker("T", "U"), pack=mini.pack)
    log.flush()
    log._db().execute("update queries set ts = '2000-01-01T00:00:00.000000Z'")
    stop = start_daily_purge(log, every=60)
    try:

        def purged():
            row = log._db().execute("select question, purged from queries").fetchone()
            return row == (None, 1)

        wait_until(purged, 10, "the start-up purge")
    finally:
        stop.set()
        log.close()


def test_socket_mode_reconnects_after_the_connection_drops(tmp_path, fake):
    socket_mode = FakeSocketMode(fake)
    # Pings every second (10 in production) so the drop is noticed in seconds, not a minute.
    served = Served(tmp_path, fake, [], SLACK_APP_TOKEN="xapp-test", RHRT_SOCKET_PING_SECONDS="1")
    try:
        socket_mode.wait_connected(timeout=STARTUP_TIMEOUT)
        socket_mode.drop()
        socket_mode.wait_connections(2, timeout=60)  # the SDK's client reconnects by itself
        served.check_running()
        send_slash_command(socket_mode, fake, "env-9", "again")
        [answer] = fake.wait_for("response_url", timeout=10)
        assert "No further action" in json.dumps(answer["blocks"])
    finally:
        served.stop()
        socket_mode.stop()
