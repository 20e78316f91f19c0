"""The container's health check (`python -m handlers.health`) probes the running app: over
HTTP its /healthz, in Socket Mode a heartbeat written only while the connection to Slack is
up. Real `python -m bot serve` subprocesses, the fake Slack on 127.0.0.1."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT

from .fake_slack import FakeSocketMode
from .test_serve import SECRET, STARTUP_TIMEOUT, Served, free_port, wait_until

BEAT = {"RHRT_HEARTBEAT_SECONDS": "0.2", "RHRT_HEARTBEAT_MAX_AGE": "2"}


def health(heartbeat) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "RHRT_HEARTBEAT": str(heartbeat), **BEAT}
    return subprocess.run(
        [sys.executable, "-m", "handlers.health"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_http_mode_is_healthy_while_healthz_answers_and_not_after(tmp_path, fake):
    heartbeat = tmp_path / "heartbeat.json"
    heartbeat.write_text('{"mode": "socket"}')  # left by an earlier run: must not count
    port = free_port()
    served = Served(
        tmp_path,
        fake,
        ["--http", "--host", "127.0.0.1", "--port", str(port)],
        SLACK_SIGNING_SECRET=SECRET,
        RHRT_HEARTBEAT=str(heartbeat),
        **BEAT,
    )
    try:
        result = wait_until(
            lambda: served.check_running() or (r := health(heartbeat)).returncode == 0 and r,
            STARTUP_TIMEOUT,
            "a healthy check",
        )
        assert (
            result.stdout.strip()
            == f"ok: serving over HTTP (http://127.0.0.1:{port}/healthz answered)"
        )
    finally:
        served.stop()
    after = health(heartbeat)
    assert after.returncode == 1 and after.stdout == ""
    assert len(after.stderr.strip().splitlines()) == 1  # one clear line


def test_socket_mode_is_healthy_only_while_connected_to_slack(tmp_path, fake):
    heartbeat = tmp_path / "heartbeat.json"
    socket_mode = FakeSocketMode(fake)
    served = Served(
        tmp_path,
        fake,
        [],
        SLACK_APP_TOKEN="xapp-test",
        RHRT_HEARTBEAT=str(heartbeat),
        RHRT_SOCKET_PING_SECONDS="0.5",
        **BEAT,
    )
    try:
        assert health(heartbeat).returncode == 1  # not yet connected: no heartbeat
        socket_mode.wait_connected(timeout=STARTUP_TIMEOUT)
        ok = wait_until(lambda: health(heartbeat).returncode == 0, 10, "a heartbeat")
        assert ok
        assert "ok: connected to Slack" in health(heartbeat).stdout
        # Slack goes away for good: the process still runs, but it is not serving anyone.
        socket_mode.gone()
        failed = wait_until(
            lambda: (r := health(heartbeat)).returncode == 1 and r, 30, "an unhealthy check"
        )
        served.check_running()
        assert "the Slack connection is down" in failed.stderr
    finally:
        served.stop()


def test_without_a_heartbeat_file_the_check_says_why(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "handlers.health"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 1
    assert result.stderr.strip() == "RHRT_HEARTBEAT is not set, so there is no heartbeat to check"
