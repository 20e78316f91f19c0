"""Smoke test for the benchmark: `python -m bench --quick` runs and writes every section.

No timing is asserted — CI machines are shared and noisy; the figures are for people.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

# About a minute: a benchmark, so not in the default run (`./run test -m slow`; CI runs it).
pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent
SECTIONS = (
    "## Machine",
    "## 1. Accuracy against plain fuzzy and BM25 matching",
    "## 2. Latency as the pack grows",
    "## 3. Logging throughput",
    "## 4. Report time",
    "## 5. The Slack server under load",
    "## 6. Profile of the hot path",
    "## Targets",
)


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory) -> tuple[subprocess.CompletedProcess, Path]:
    out = tmp_path_factory.mktemp("bench")
    env = {**os.environ, "RHRT_DB": str(out / "never-used.db")}
    proc = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--profile", "--out", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    return proc, out


def test_quick_run_succeeds(quick_run):
    proc, _ = quick_run
    assert proc.returncode == 0, proc.stderr[-3000:]


def test_results_have_every_section(quick_run):
    _, out = quick_run
    text = (out / "results.md").read_text(encoding="utf-8")
    for heading in SECTIONS:
        assert heading in text, heading
    for figure in ("top-1 entry", "vignette level", "out-of-scope refused", "emergencies"):
        assert figure in text
    for column in ("answer p99", "ask+log p99", "rows/s", "rows lost"):
        assert column in text
    assert "fuzzy (WRatio)" in text and "BM25 (rank-bm25)" in text


def test_the_blind_headline_is_evals_and_paths_are_the_checkouts(quick_run):
    """The blind situation set is the one `python -m bot eval` calls the headline (read from
    bot/cli.py, never a copy), and the page names files relative to the checkout, not the
    folders of the machine it ran on."""
    from bot.cli import DEFAULT_EVAL

    _, out = quick_run
    text = (out / "results.md").read_text(encoding="utf-8")
    headline = next(folder for title, folder in DEFAULT_EVAL if title.startswith("headline"))
    assert f"blind held-out situations (headline, `{headline}`)" in text
    assert f"`{headline}/coventry`:" in text and "`tests/holdout/coventry`:" in text
    for page in ("results.md", "profile.txt"):
        assert str(ROOT) not in (out / page).read_text(encoding="utf-8"), page


def test_last_line_summarises_the_ratios(quick_run):
    proc, out = quick_run
    last = (out / "results.md").read_text(encoding="utf-8").rstrip().splitlines()[-1]
    assert last.startswith("Summary: ")
    assert "×" in last
    assert proc.stdout.strip().splitlines()[-1] == last  # printed for CI logs too


def test_profile_is_written(quick_run):
    _, out = quick_run
    profile = (out / "profile.txt").read_text(encoding="utf-8")
    assert "answer(), bundled pack" in profile


def test_no_section_crashed(quick_run):
    """A section may be 'not available' (a command still being built), never a traceback."""
    proc, out = quick_run
    text = (out / "results.md").read_text(encoding="utf-8")
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    assert "not available: " not in text.split("## 4.")[0]  # sections 1–3 are ours
