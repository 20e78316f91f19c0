"""Benchmarks write the committed results files only when asked (`--write`): a plain run of
`python -m bench` or `bench/load.py` prints its page and leaves the checkout clean."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

COMMITTED = [
    ROOT / "bench" / "results.md",
    ROOT / "bench" / "profile.txt",
    ROOT / "bench" / "load-results.md",
]
# Every section skipped: the run still builds the assistant, renders and writes its page.
NO_SECTIONS = ["--skip", "accuracy", "--skip", "latency", "--skip", "logging", "--skip", "report"]


def _snapshot() -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in COMMITTED}


def _run(*args: str, timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )


def test_a_plain_bench_run_prints_and_leaves_committed_results_alone():
    before = _snapshot()
    proc = _run("-m", "bench", "--quick", *NO_SECTIONS)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert _snapshot() == before
    assert proc.stdout.rstrip().splitlines()[-1].startswith("Summary: ")
    written = re.search(r"wrote (\S+results\.md)", proc.stderr)
    assert written, proc.stderr
    page = Path(written.group(1))
    assert not page.is_relative_to(ROOT)  # a temporary folder, not the checkout
    assert page.read_text(encoding="utf-8").rstrip() in proc.stdout


def test_bench_out_writes_only_there(tmp_path):
    before = _snapshot()
    proc = _run("-m", "bench", "--quick", *NO_SECTIONS, "--out", str(tmp_path))
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert _snapshot() == before
    assert "## Machine" in (tmp_path / "results.md").read_text(encoding="utf-8")


def test_bench_write_and_out_cannot_be_combined(tmp_path):
    proc = _run("-m", "bench", "--write", "--out", str(tmp_path))
    assert proc.returncode == 2
    assert "not allowed with argument" in proc.stderr


def test_a_plain_load_run_prints_its_table_and_writes_nothing():
    before = _snapshot()
    proc = _run(str(ROOT / "bench" / "load.py"), "--clients", "1", "--seconds", "1")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert _snapshot() == before
    assert "| requests/s |" in proc.stdout
    assert "not written" in proc.stderr
