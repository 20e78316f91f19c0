"""Is the Slack app alive? For a container's health check: `python -m handlers.health`.

`serve` writes a heartbeat file (RHRT_HEARTBEAT) every few seconds while it can serve: in
Socket Mode only while its connection to Slack is up; over HTTP while the server runs, and
the check then also asks the running server's /healthz. The check fails (exit 1, one line)
when the file is missing or older than RHRT_HEARTBEAT_MAX_AGE seconds, or /healthz does not
answer. Standard library only: it runs every 30 seconds and must start fast.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

HEARTBEAT_ENV = "RHRT_HEARTBEAT"
EVERY_ENV = "RHRT_HEARTBEAT_SECONDS"
MAX_AGE_ENV = "RHRT_HEARTBEAT_MAX_AGE"
EVERY = 10.0  # seconds between heartbeats
MAX_AGE = 60.0  # a heartbeat older than this means the app is not serving
PROBE_TIMEOUT = 5.0


def _seconds(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name, "") or default)
    except ValueError:
        return default
    return value if value > 0 else default


def heartbeat_path() -> Path | None:
    value = os.environ.get(HEARTBEAT_ENV, "").strip()
    return Path(value) if value else None


def _started(pid: int) -> str | None:
    """When a process started (Linux /proc), so a heartbeat left by an earlier process with
    the same pid (a restarted container's pid 1) is not taken for this one's."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[-1].split()[19]


def beat(path: Path, mode: str, port: int | None = None) -> None:
    """Write the heartbeat atomically: what is serving, where /healthz answers, and which
    process (pid and start time) vouches for it."""
    pid = os.getpid()
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps({"mode": mode, "port": port, "pid": pid, "started": _started(pid)}))
    os.replace(tmp, path)


def start_heartbeat(
    path: Path, mode: str, alive: Callable[[], bool], port: int | None = None
) -> threading.Event:
    """Beat every RHRT_HEARTBEAT_SECONDS while `alive()` says so; set the event to stop."""
    stop = threading.Event()
    every = _seconds(EVERY_ENV, EVERY)

    def loop() -> None:
        while not stop.is_set():
            try:
                if alive():
                    beat(path, mode, port)
            except Exception:  # noqa: BLE001 - a missed beat shows as unhealthy, not a crash
                pass
            stop.wait(every)

    threading.Thread(target=loop, name="heartbeat", daemon=True).start()
    return stop


def check(path: Path | None, max_age: float | None = None) -> tuple[bool, str]:
    """(healthy?, one line saying why)."""
    if path is None:
        return False, f"{HEARTBEAT_ENV} is not set, so there is no heartbeat to check"
    max_age = max_age if max_age is not None else _seconds(MAX_AGE_ENV, MAX_AGE)
    try:
        age = time.time() - path.stat().st_mtime
        info = json.loads(path.read_text() or "{}")
    except FileNotFoundError:
        return False, f"no heartbeat yet at {path}: the app is starting or not serving"
    except (OSError, ValueError) as exc:
        return False, f"cannot read the heartbeat {path} ({type(exc).__name__})"
    pid = info.get("pid")
    if not isinstance(pid, int) or (
        Path("/proc").is_dir() and _started(pid) != info.get("started")
    ):
        return False, "the heartbeat was left by a process that is no longer running"
    if age > max_age:
        what = "Slack connection" if info.get("mode") == "socket" else "server"
        return False, f"last heartbeat {age:.0f}s ago (limit {max_age:.0f}s): the {what} is down"
    if info.get("mode") == "http":
        url = f"http://127.0.0.1:{int(info.get('port') or 0)}/healthz"
        try:
            with urllib.request.urlopen(url, timeout=PROBE_TIMEOUT) as response:
                if response.status != 200:
                    return False, f"{url} answered HTTP {response.status}"
        except OSError as exc:
            return False, f"{url} did not answer ({type(exc).__name__})"
        return True, f"ok: serving over HTTP ({url} answered)"
    return True, f"ok: connected to Slack (heartbeat {age:.0f}s ago)"


def main() -> int:
    healthy, why = check(heartbeat_path())
    print(why, file=sys.stdout if healthy else sys.stderr)
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())
