"""Section 4: how long the board-office report takes over a big query log.

Every step runs as the user would run it, in a subprocess: `python -m bot demo-log` fills a
fresh log with a year of synthetic traffic (and, as the bot keeps it day by day, the report's
rollup: its build time is read from demo-log's own output), then `python -m bot report` is
timed over the whole year and over the last 30 days, reading the rollup and (in the same
run, alternating) `--no-rollup`, reading every question from the log as before the rollup.
Each time is the whole process (start-up, the pack, the queries, every chart, the PDF); the
report's own figure for its build (without Python's start-up) is kept beside it.

Two more runs say what does not depend on the log's size: the same reports over a 1,000-row
log (the floor), and the report right after a day of new questions is added to the big log
(the rollup redoing that day: what it costs when it is kept up to date). The floor is taken
apart in the same run: Python importing every module a report uses (matplotlib's PDF and SVG
back ends included), against `python -c pass`, and the one-page PDF's own time (from the
report's progress line).
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

TIMEOUT_S = 900
FLOOR_ROWS = 1_000
BUILT_IN = re.compile(r"file\(s\) in ([0-9.]+)s")
BOARD_IN = re.compile(r"one-page board summary \(([0-9.]+)s\)")
# Every module a report imports, matplotlib's back ends included (they load when drawing).
REPORT_IMPORTS = (
    "import bot.cli, bot.reportcli, bot.reports, bot.reports.board_pdf, bot.reports.charts; "
    "import matplotlib; matplotlib.use('Agg'); import matplotlib.pyplot; "
    "import matplotlib.backends.backend_pdf, matplotlib.backends.backend_svg"
)
ROLLUP_IN = re.compile(r"rollup ([0-9.]+)s")


def _run(args: list[str], env: dict, cwd: Path) -> tuple[float, int, str, str]:
    """(wall seconds, exit code, last line of stderr or stdout, stdout + stderr)."""
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
        return time.perf_counter() - started, -1, f"timed out after {TIMEOUT_S}s", ""
    tail = (proc.stderr.strip().splitlines() or proc.stdout.strip().splitlines() or [""])[-1]
    return time.perf_counter() - started, proc.returncode, tail, proc.stdout + proc.stderr


def _python(code: str, env: dict, cwd: Path) -> float:
    """Wall seconds of `python -c code`."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=cwd, capture_output=True, timeout=120, check=True
    )
    return time.perf_counter() - started


def _imports(env: dict, cwd: Path, repeats: int = 3) -> dict:
    """Python with every module a report imports, against `python -c pass`, interleaved
    (median of `repeats`): the part of the floor that is Python's start and imports."""
    _python(REPORT_IMPORTS, env, cwd)  # bytecode made once, as on any machine
    bare, full = [], []
    for _ in range(repeats):
        bare.append(_python("pass", env, cwd))
        full.append(_python(REPORT_IMPORTS, env, cwd))
    return {"python_s": sorted(bare)[len(bare) // 2], "imports_s": sorted(full)[len(full) // 2]}


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


def _periods(today: date) -> dict[str, list[str]]:
    return {
        "year": ["--from", (today - timedelta(days=364)).isoformat(), "--to", today.isoformat()],
        "30d": ["--from", (today - timedelta(days=29)).isoformat(), "--to", today.isoformat()],
    }


def _reports(db: Path, out: Path, env: dict, root: Path, ways: tuple[str, ...]) -> dict:
    """Each period read each way (alternating, so load on the machine falls on both):
    {"year_rollup_s": wall, "year_rollup_build_s": the report's own figure, ...}."""
    found: dict = {}
    for label, period in _periods(datetime.now(UTC).date()).items():
        for way in ways:
            extra = ["--no-rollup"] if way == "log" else []
            seconds, code, tail, stdout = _run(
                ["report", "--out", str(out / f"{label}-{way}"), "--db", str(db), *period, *extra],
                env,
                root,
            )
            if code != 0:
                found["error"] = f"report exit {code}: {tail}"
                continue
            found[f"{label}_{way}_s"] = seconds
            built = BUILT_IN.search(stdout)
            found[f"{label}_{way}_build_s"] = float(built[1]) if built else None
            board = BOARD_IN.search(stdout)
            found[f"{label}_{way}_board_s"] = float(board[1]) if board else None
    return found


def _add_a_day(db: Path) -> int:
    """A day's worth of new questions (copies of the busiest day's, new ids, dated today),
    written straight into the log as the bot's writer would: the rollup's triggers mark
    today for redoing."""
    today = datetime.now(UTC).date().isoformat()
    with sqlite3.connect(db) as conn:
        columns = [r[1] for r in conn.execute("pragma table_info(queries)")]
        busiest = conn.execute(
            "select day from queries group by day order by count(*) desc limit 1"
        ).fetchone()[0]
        exprs, params = [], []
        for column in columns:
            if column == "id":
                exprs.append("lower(hex(randomblob(16)))")
            elif column in ("day", "ts"):
                exprs.append("?" if column == "day" else "? || substr(ts, 11)")
                params.append(today)
            else:
                exprs.append("null" if column == "event_id" else f'"{column}"')
        cursor = conn.execute(
            f"insert into queries ({', '.join(columns)}) select {', '.join(exprs)} from "
            "queries where day = ?",
            [*params, busiest],
        )
        return cursor.rowcount


def measure(sizes: list[int], root: Path, quick: bool = False) -> dict:
    """`quick`: the reports from the rollup only, over the given sizes (no floor, no
    --no-rollup comparison, no day added): a CI-sized check that they run."""
    have = available(root)
    out: dict = {"sizes": [], "available": have}
    if not all(have.values()):
        missing = [k for k, v in have.items() if not v]
        out["note"] = f"`python -m bot {' / '.join(missing)}` not available"
        return out
    with tempfile.TemporaryDirectory(prefix="rhrt-bench-report-") as tmp:
        # The built pack is cached in the run's own folder (the first demo-log makes it).
        cache = {"RHRT_CACHE_DIR": str(Path(tmp) / "cache")}
        for rows in sizes if quick else [FLOOR_ROWS, *sizes]:
            db = Path(tmp) / f"log-{rows}.db"
            env = {**os.environ, **cache, "RHRT_DB": str(db)}
            row: dict = {"rows": rows, "floor": rows == FLOOR_ROWS}
            row["demo_s"], code, tail, stdout = _run(
                ["demo-log", "--rows", str(rows), "--db", str(db)], env, root
            )
            if code != 0:
                row["error"] = f"demo-log exit {code}: {tail}"
                out["sizes"].append(row)
                continue
            built = ROLLUP_IN.search(stdout)
            row["rollup_s"] = float(built[1]) if built else None
            row["db_mib"] = db.stat().st_size / 2**20
            ways = ("rollup",) if rows == FLOOR_ROWS or quick else ("rollup", "log")
            row.update(_reports(db, Path(tmp) / f"out-{rows}", env, root, ways))
            if rows == max(sizes) and not quick:
                row["added"] = _add_a_day(db)
                seconds, code, tail, _ = _run(
                    ["report", "--out", str(Path(tmp) / "out-day"), "--db", str(db)]
                    + _periods(datetime.now(UTC).date())["30d"],
                    env,
                    root,
                )
                row["after_day_s"] = seconds if code == 0 else None
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
            out["sizes"].append(row)
        if not quick:
            out["floor_parts"] = _imports({**os.environ, **cache}, root)
    return out
