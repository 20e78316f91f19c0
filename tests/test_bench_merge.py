"""`python -m bench --write --skip …` keeps the committed figures of the sections it skipped
(bench/merge.py): a run that measures only latency leaves accuracy, logging and report as
they were, with their target rows and summary ratios, and says so in the machine table."""

from __future__ import annotations

import pytest

from bench.merge import MergeError, keep_skipped


def _page(date: str, sections: dict[str, str], targets: list[str], ratios: list[str]) -> str:
    headings = {
        "accuracy": "## 1. Accuracy against plain fuzzy and BM25 matching",
        "latency": "## 2. Latency as the pack grows",
        "logging": "## 3. Logging throughput",
        "report": "## 4. Report time",
        "slack": "## 5. The Slack server under load",
        "profile": "## 6. Profile of the hot path",
    }
    lines = [
        "# rhrt-bot benchmark",
        "",
        "Mode: **full**.",
        "",
        "## Machine",
        "",
        "|  |  |",
        "| --- | --- |",
        f"| date | {date} |",
        f"| run | `python -m bench` — 9 s in all ({date}) |",
        "",
    ]
    for name, heading in headings.items():
        lines += [heading, "", sections.get(name, "skipped (`--skip`)."), ""]
    lines += [
        "## Targets",
        "",
        "| target | bound | measured | verdict |",
        "| --- | ---: | ---: | --- |",
        *targets,
        "",
        "Summary: " + "; ".join(ratios) + ".",
    ]
    return "\n".join(lines) + "\n"


OLD = _page(
    "2026-12-01 09:00 UTC",
    {
        n: f"old {n} figures"
        for n in ("accuracy", "latency", "logging", "report", "slack", "profile")
    },
    [
        "| top-1 entry over the better baseline (held-out) | ≥ +15 points | +12.0 points | x |",
        "| answer p99, bundled pack | ≤ 5 ms | 14.6 ms | **NOT met** |",
        "| cold start (default mode) vs bare python | ≤ 10× | 105.32× | **NOT met** |",
        "| rows lost under 8 concurrent writers | 0 | 0 | met |",
        "| report over 1,000,000 queries (whole year) | ≤ 10 s | 30.1 s | **NOT met** |",
        "| Slack server, 20 clients: ack p99; rows logged = requests | < 1,000 ms | 47 ms | met |",
    ],
    [
        "top-1 ours/best-baseline (held-out) 1.15×",
        "answer 100×/1× p50 4.47× p99 7.04×",
        "cold start 1.27 s (105.32× bare python)",
        "logging lost 0 rows",
        "report 1,000,000 rows 30.1 s",
        "Slack 20 clients 205 req/s ack p99 47 ms",
    ],
)
NEW = _page(
    "2026-12-02 10:00 UTC",
    {"latency": "new latency figures", "slack": "new slack figures", "profile": "new profile"},
    [
        "| answer p99, bundled pack | ≤ 5 ms | 9.1 ms | **NOT met** |",
        "| answer p99, 100× pack vs bundled pack | ≤ 3× | 2.10× | met |",
        "| cold start (default mode) vs bare python | ≤ 10× | 21.00× | **NOT met** |",
        "| Slack server, 20 clients: ack p99; rows logged = requests | < 1,000 ms | 52 ms | met |",
    ],
    [
        "answer 100×/1× p50 1.50× p99 2.10×",
        "cold start 0.25 s (21.00× bare python)",
        "Slack 20 clients 198 req/s ack p99 52 ms",
    ],
)


def _target_labels(page: str) -> list[str]:
    table = page.split("## Targets", 1)[1].split("| --- | ---: | ---: | --- |", 1)[1]
    return [line.split("|")[1].strip() for line in table.splitlines() if line.startswith("| ")]


def test_skipped_sections_keep_their_committed_figures():
    page = keep_skipped(NEW, OLD, ["accuracy", "logging", "report"])
    for kept in ("old accuracy figures", "old logging figures", "old report figures"):
        assert kept in page
    assert "new latency figures" in page and "new profile" in page
    assert "old latency figures" not in page and "skipped (`--skip`)" not in page
    targets = _target_labels(page)
    assert targets == [
        "top-1 entry over the better baseline (held-out)",
        "answer p99, bundled pack",
        "answer p99, 100× pack vs bundled pack",
        "cold start (default mode) vs bare python",
        "rows lost under 8 concurrent writers",
        "report over 1,000,000 queries (whole year)",
        "Slack server, 20 clients: ack p99; rows logged = requests",
    ]
    assert "| answer p99, bundled pack | ≤ 5 ms | 9.1 ms |" in page  # this run's, not the old
    assert "new slack figures" in page and "| < 1,000 ms | 52 ms | met |" in page
    assert page.rstrip().splitlines()[-1] == (
        "Summary: top-1 ours/best-baseline (held-out) 1.15×; answer 100×/1× p50 1.50× p99 "
        "2.10×; cold start 0.25 s (21.00× bare python); logging lost 0 rows; report "
        "1,000,000 rows 30.1 s; Slack 20 clients 198 req/s ack p99 52 ms."
    )
    assert "kept from the run of 2026-12-01 09:00 UTC" in page
    assert "| date | 2026-12-02 10:00 UTC |" in page


def test_nothing_skipped_is_this_run_alone():
    assert keep_skipped(NEW, OLD, []) == NEW


def test_a_target_no_section_claims_is_an_error_not_a_lost_row():
    odd = OLD.replace("| rows lost under", "| rows misplaced under")
    with pytest.raises(MergeError, match="rows misplaced"):
        keep_skipped(NEW, odd, ["logging"])
