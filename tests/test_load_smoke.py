"""`bench/load.py` end to end, small: 3 clients for 3 s against the real `python -m bot serve
--http` (Coventry pack) with the fake Slack. It must meet its own targets (exit 0: no errors,
every ack under 3 s, one log row and one answer per request) and write its table."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_load_script_meets_its_targets_on_a_short_run(tmp_path):
    out = tmp_path / "load.md"
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "load.py"),
            "--clients",
            "3",
            "--seconds",
            "3",
            "--out",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,  # the script bounds itself to seconds + 60; this is only a backstop
    )
    assert result.returncode == 0, result.stdout + result.stderr
    page = out.read_text(encoding="utf-8")
    assert page in result.stdout  # the table is printed as well as written
    for figure in (
        "| clients | 3 |",
        "| requests/s |",
        "| ack p50 / p99 / max ms |",
        "| ack p50 / p99 ms after the first second |",
        "| floor: bare waitress, same clients",
        "| errors | 0 | 0 | met |",
        "| log rows written vs sent |",
        "| replies received vs sent |",
        "Targets: all met.",
    ):
        assert figure in page
    sent = int(page.split("| requests sent | ")[1].split(" ")[0].replace(",", ""))
    assert sent > 0
    assert f"| log rows written vs sent | {sent:,} / {sent:,} |" in page
    assert f"| replies received vs sent | {sent:,} / {sent:,} |" in page
    # The floor ran in the same run, against a bare waitress: it acked every request.
    floor = page.split("| floor: bare waitress, same clients")[1].split("\n")[0]
    assert "req/s" in floor and "errors" not in floor
