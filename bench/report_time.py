"""Section 4: how long the board-office report takes over a big query log.

Both steps run as the user would run them, in a subprocess: `python -m bot demo-log` fills a
fresh log with a year of synthetic traffic, then `python -m bot report` is timed twice — over
the whole year, and over its default window (the last 30 days).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

TIMEOUT_S = 600


def _run(args: list[str], env: dict, cwd: Path) -> tuple[float, int, str]:
    started = time.perf_counter()
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "bot", *args],
            env=env,
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return time.perf_counter() - started, -1, f"timed out after {TIMEOUT_S}s"
    tail = (proc.stderr.strip().splitlines() or proc.stdout.strip().splitlines() or [""])[-1]
    return time.perf_counter() - started, proc.returncode, tail


def available(cwd: Path) -> dict[str, bool]:
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "--help"],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        check=False,
    )
    return {name: f" {name} " in proc.stdout for name in ("demo-log", "report")}


def measure(sizes: list[int], root: Path) -> dict:
    have = available(root)
    out: dict = {"sizes": [], "available": have}
    if not all(have.values()):
        missing = [k for k, v in have.items() if not v]
        out["note"] = f"`python -m bot {' / '.join(missing)}` not available"
        return out
    year_ago = (date.today() - timedelta(days=400)).isoformat()
    today = date.today().isoformat()
    with tempfile.TemporaryDirectory(prefix="rhrt-bench-report-") as tmp:
        for rows in sizes:
            db = Path(tmp) / f"log-{rows}.db"
            env = {**os.environ, "RHRT_DB": str(db)}
            row: dict = {"rows": rows}
            row["demo_s"], code, tail = _run(
                ["demo-log", "--rows", str(rows), "--db", str(db)], env, root
            )
            if code != 0:
                row["error"] = f"demo-log exit {code}: {tail}"
                out["sizes"].append(row)
                continue
            for label, extra in (("year", ["--from", year_ago, "--to", today]), ("default", [])):
                seconds, code, tail = _run(
                    ["report", "--out", str(Path(tmp) / f"out-{label}"), "--db", str(db), *extra],
                    env,
                    root,
                )
                row[f"{label}_s"] = seconds if code == 0 else None
                if code != 0:
                    row["error"] = f"report exit {code}: {tail}"
            db.unlink(missing_ok=True)
            out["sizes"].append(row)
    return out
