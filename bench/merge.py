"""`--write` with `--skip`: the committed page keeps the figures of the sections this run
skipped (their sections, target rows and summary ratios, as last measured), and takes this
run's for the rest, so one section can be measured again without re-running, or overwriting,
the others. The machine table says which sections came from which run."""

from __future__ import annotations

import re

# Section name (as --skip takes it) -> its heading on the page.
HEADINGS = {
    "accuracy": "## 1. ",
    "latency": "## 2. ",
    "logging": "## 3. ",
    "report": "## 4. ",
    "slack": "## 5. ",
    "profile": "## 6. ",
}
# Which section a target row or a summary ratio comes from, by how its text starts.
TARGET_SECTIONS = {
    "top-1 entry over": "accuracy",
    "vignette level over": "accuracy",
    "answer p99": "latency",
    "ask + log p99": "latency",
    "bundled pack load": "latency",
    "cold start": "latency",
    "rows lost": "logging",
    "one writer": "logging",
    "ask with logging": "logging",
    "report over": "report",
    "Slack server": "slack",
}
RATIO_SECTIONS = {
    "top-1 ours": "accuracy",
    "level ours": "accuracy",
    "p99 ask+log/answer": "latency",
    "answer ": "latency",
    "cold start": "latency",
    "logging lost": "logging",
    "writer ": "logging",
    "ask+log/no-log": "logging",
    "report ": "report",
    "Slack ": "slack",
}
ORDER = ["accuracy", "latency", "logging", "report", "slack"]


class MergeError(ValueError):
    """The committed page cannot be merged (a row this module cannot place)."""


def _section(text: str, prefixes: dict[str, str]) -> str:
    for prefix, section in prefixes.items():
        if text.startswith(prefix):
            return section
    raise MergeError(f"which section does {text[:60]!r} belong to? (bench/merge.py)")


def _blocks(page: str) -> dict[str, str]:
    """The page cut at its `## ` headings: heading prefix (or '' for the top) -> text."""
    parts = re.split(r"(?m)^(?=## )", page)
    out = {"": parts[0]}
    for part in parts[1:]:
        heading = part.split("\n", 1)[0]
        key = next((h for h in HEADINGS.values() if heading.startswith(h)), heading)
        out[key] = part
    return out


def _targets(block: str) -> tuple[list[str], list[str]]:
    """(table rows, summary ratios) of the Targets block."""
    rows = [
        line
        for line in block.splitlines()
        if line.startswith("| ") and not line.startswith(("| target", "| ---"))
    ]
    summary = next((line for line in block.splitlines() if line.startswith("Summary: ")), "")
    ratios = [r for r in summary[len("Summary: ") :].rstrip(".").split("; ") if r]
    return rows, ratios


def _by_section(items: list[str], prefixes: dict[str, str], strip=lambda s: s):
    return [(_section(strip(item), prefixes), item) for item in items]


def keep_skipped(new: str, old: str, skipped: list[str]) -> str:
    """The new page with the skipped sections (and their targets and ratios) from `old`."""
    kept = [s for s in ORDER if s in skipped]
    if not kept:
        return new
    new_blocks, old_blocks = _blocks(new), _blocks(old)
    for section in kept:
        heading = HEADINGS[section]
        if heading in old_blocks and "skipped (`--skip`)" not in old_blocks[heading]:
            new_blocks[heading] = old_blocks[heading]
    profile = HEADINGS["profile"]
    if "Not run" in new_blocks.get(profile, "") and profile in old_blocks:
        new_blocks[profile] = old_blocks[profile]
    # Targets and the summary: this run's for the sections it measured, the old page's for
    # the sections it skipped, in the page's order.
    new_rows, new_ratios = _targets(new_blocks.get("## Targets", ""))
    old_rows, old_ratios = _targets(old_blocks.get("## Targets", ""))
    cell = lambda row: row.split("|")[1].strip()  # noqa: E731 - the row's first cell
    rows = [
        *_by_section(new_rows, TARGET_SECTIONS, cell),
        *[(s, r) for s, r in _by_section(old_rows, TARGET_SECTIONS, cell) if s in kept],
    ]
    ratios = [
        *_by_section(new_ratios, RATIO_SECTIONS),
        *[(s, r) for s, r in _by_section(old_ratios, RATIO_SECTIONS) if s in kept],
    ]
    rows.sort(key=lambda sr: ORDER.index(sr[0]))  # stable: within a section, as rendered
    ratios.sort(key=lambda sr: ORDER.index(sr[0]))
    table = ["| target | bound | measured | verdict |", "| --- | ---: | ---: | --- |"]
    new_blocks["## Targets"] = "\n".join(
        [
            "## Targets",
            "",
            *table,
            *(r for _, r in rows),
            "",
            "Summary: " + ("; ".join(r for _, r in ratios) or "no ratios measured") + ".",
            "",
        ]
    )
    # The machine table says where the kept sections come from.
    old_date = re.search(r"(?m)^\| date \| ([^|]+) \|", old)
    note = (
        f"; sections {', '.join(kept)} kept from the run of {old_date.group(1).strip()}"
        if old_date
        else f"; sections {', '.join(kept)} kept from the committed page"
    )
    top = new_blocks.get("## Machine", "")
    new_blocks["## Machine"] = re.sub(
        r"(?m)^(\| run \| .*?)( \|)$", lambda m: m.group(1) + note + m.group(2), top, count=1
    )
    order = ["", "## Machine", *HEADINGS.values(), "## Targets"]
    extra = [k for k in new_blocks if k not in order]
    return "".join(new_blocks[k] for k in [*order, *extra] if k in new_blocks).rstrip() + "\n"
