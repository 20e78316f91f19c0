"""The machine a run was on, and the Markdown that `bench/results.md` is made of."""

from __future__ import annotations

import os
import platform
import sqlite3
import sys
from datetime import UTC, datetime
from importlib import metadata

PACKAGES = (
    "rapidfuzz",
    "rank-bm25",
    "numpy",
    "sqlite-utils",
    "PyYAML",
    "snowballstemmer",
    "wordfreq",
    "pyinstrument",
)
# The targets: (figure, comparison, bound).
TARGETS = {
    "top1_margin": 15.0,  # points over the better baseline
    "p99_answer_1x": 5.0,  # ms
    "p99_ask_1x": 10.0,  # ms
    "p99_answer_100x": 50.0,  # ms
    "p99_growth_100x": 3.0,  # × the bundled pack's answer p99, at 100× the pack
    "load_s": 1.0,  # s, bundled pack load + index
    "report_1m_s": 3.0,  # s, a year's report over 1,000,000 logged questions
    "report_30d_s": 1.0,  # s, the last 30 days of that log
    "cold_ratio": 10.0,  # × `python -c pass`, `ask` in the default mode (logging)
    "cold_rss_mib": 70.0,  # MiB peak RSS of that process
    "writer_rows_per_s": 20_000.0,  # one writer, batched inserts
    "ask_log_ratio": 1.3,  # ask with logging / ask with --no-log
}


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in open("/proc/cpuinfo", encoding="utf-8"):
            if line.lower().startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor() or "unknown"
    memory = "unknown"
    try:
        for line in open("/proc/meminfo", encoding="utf-8"):
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count() or 0
    versions = []
    for name in PACKAGES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} (not installed)")
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu,
        "nproc": str(usable),
        "memory": memory,
        "os": f"{platform.system()} {platform.release()}",
        "python": f"{platform.python_implementation()} {sys.version.split()[0]}",
        "sqlite": sqlite3.sqlite_version,
        "packages": ", ".join(versions),
        "start_hooks": start_hooks(),
    }


def start_hooks() -> str:
    """The site-packages .pth files that run code at every Python start (an editable
    install's finder, say): they slow bare `python -c pass`, the cold start's baseline, and
    every command alike, so the cold start's ratio depends on them."""
    import site

    found = []
    for folder in site.getsitepackages():
        try:
            names = sorted(n for n in os.listdir(folder) if n.endswith(".pth"))
        except OSError:
            continue
        for name in names:
            try:
                text = open(os.path.join(folder, name), encoding="utf-8").read()
            except OSError:
                continue
            if any(line.startswith(("import ", "import\t")) for line in text.splitlines()):
                found.append(name)
    return ", ".join(found) or "none"


def table(headers: list[str], rows: list[list], align: str = "") -> str:
    """A Markdown table; `align` has one l/r per column (default: first left, rest right)."""

    def cell(value) -> str:
        if value is None:
            return "–"
        if isinstance(value, float):
            return f"{value:,.3g}" if abs(value) < 100 else f"{value:,.0f}"
        return str(value).replace("|", "\\|")

    lines = [
        "| " + " | ".join(headers) + " |",
        "| "
        + " | ".join(
            "---:" if (align[i : i + 1] or ("l" if i == 0 else "r")) == "r" else "---"
            for i in range(len(headers))
        )
        + " |",
    ]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def pct(hit_total: tuple[int, int] | None) -> str:
    if not hit_total or not hit_total[1]:
        return "–"
    hit, total = hit_total
    return f"{100 * hit / total:.1f}% ({hit}/{total})"


def ms(value: float | None) -> str:
    if value is None or value != value:
        return "–"
    return f"{value:.2f}" if value < 10 else f"{value:.1f}"


def ratio(a: float | None, b: float | None) -> str:
    if a is None or b is None or not b or a != a or b != b:
        return "–"
    return f"{a / b:.2f}×"


def verdict(ok: bool | None) -> str:
    return "–" if ok is None else ("met" if ok else "**NOT met**")
