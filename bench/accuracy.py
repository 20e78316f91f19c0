"""Section 1: accuracy of the assistant and of the two baselines on the same questions.

Held-out sets first (the headline: tests/holdout and the blind situation set that
`python -m bot eval` heads with), the development set (tuned on) second."""

from __future__ import annotations

import time
from collections import defaultdict
from pathlib import Path

from bot.assistant import Assistant
from bot.evaluate import Result, load_cases, run, summarise

from .baselines import BM25Baseline, FuzzyBaseline, Normaliser, is_vignette, tune_threshold

ROOT = Path(__file__).resolve().parent.parent

FIGURES = (
    "top-1 entry",
    "top-3 entry",
    "vignette level",
    "out-of-scope refused",
    "emergencies flagged",
    "non-emergencies not flagged",
)


def _figures(results: list[Result], top_rank: int) -> dict[str, tuple[int, int]]:
    return dict(summarise(results, top_rank=top_rank).figures)


def _by_file(results: list[Result]) -> dict[str, tuple[int, int]]:
    """Top-1 per question file (entry questions only)."""
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in results:
        if r.case.entry:
            out[r.case.file][0] += r.entry_ok and r.kind_ok
            out[r.case.file][1] += 1
    return {k: (v[0], v[1]) for k, v in sorted(out.items())}


def blind_headline() -> str:
    """The blind situation set `python -m bot eval` heads with (bot/cli.py's DEFAULT_EVAL,
    the one place it is named), e.g. "tests/situations-v13"."""
    from bot.cli import DEFAULT_EVAL

    return next(folder for title, folder in DEFAULT_EVAL if title.startswith("headline"))


def shown(path: Path) -> str:
    """A path as the results show it: relative to the checkout (no machine's folders)."""
    try:
        return Path(path).resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)


def question_sets(root: Path, pack_name: str, golden: Path | None) -> list[tuple[str, Path]]:
    """(title, folder) of each set to score, headline first: the held-out entry questions,
    the blind situations `python -m bot eval` heads with, then the development set."""
    blind = blind_headline()
    sets = [
        ("held-out questions (headline)", root / "tests" / "holdout" / pack_name),
        (f"blind held-out situations (headline, `{blind}`)", root / blind / pack_name),
        ("development set (tuned on)", golden or root / "tests" / "golden" / pack_name),
    ]
    return [(title, folder) for title, folder in sets if folder.is_dir()]


def measure_sets(assistant: Assistant, sets: list[tuple[str, Path]], every: int = 1) -> dict:
    """Each set scored by the bot and both baselines; `every` > 1 scores every n-th question
    only (the same ones for all three: --quick)."""
    return {
        "sets": [{"title": title, **measure(assistant, folder, every)} for title, folder in sets]
    }


def measure(assistant: Assistant, golden: Path, every: int = 1) -> dict:
    cases = load_cases(golden)[::every]
    top_rank = max(lv.rank for lv in assistant.pack.levels.values())
    systems: dict[str, dict] = {}

    started = time.perf_counter()
    ours = run(assistant, cases)
    elapsed = time.perf_counter() - started
    systems["rhrt-bot"] = {
        "figures": _figures(ours, top_rank),
        "by_file": _by_file(ours),
        "ms_per_question": 1000 * elapsed / max(len(cases), 1),
        "threshold": f"{assistant.config.confidence_threshold:g} (config)",
    }

    normaliser = Normaliser(assistant.index.speller)
    for cls in (FuzzyBaseline, BM25Baseline):
        started = time.perf_counter()
        baseline = cls(assistant.pack, normaliser)
        build = time.perf_counter() - started
        started = time.perf_counter()
        ranked = [baseline.rank(c.question, is_vignette(c)) for c in cases]
        elapsed = time.perf_counter() - started
        baseline.threshold = tune_threshold(baseline, cases, ranked)
        results = baseline.results(cases, ranked)
        systems[baseline.name] = {
            "figures": _figures(results, top_rank),
            "by_file": _by_file(results),
            "ms_per_question": 1000 * elapsed / max(len(cases), 1),
            "build_s": build,
            "threshold": f"{baseline.threshold:.3g} (tuned on this set)",
        }

    def pct(name: str, figure: str) -> float | None:
        hit, total = systems[name]["figures"].get(figure, (0, 0))
        return 100.0 * hit / total if total else None

    baselines = [n for n in systems if n != "rhrt-bot"]
    # The margin is on top-1 entry; a set of situations only has levels to compare.
    figure = "top-1 entry" if any(c.entry for c in cases) else "vignette level"
    best = max(baselines, key=lambda n: pct(n, figure) or 0.0)
    ours_top1, best_top1 = pct("rhrt-bot", figure), pct(best, figure)
    return {
        "margin_figure": figure,
        "golden": shown(golden),
        "every": every,
        "cases": len(cases),
        "entry_cases": sum(1 for c in cases if c.entry),
        "vignettes": sum(1 for c in cases if is_vignette(c)),
        "systems": systems,
        "best_baseline": best,
        "margin_points": (ours_top1 - best_top1)
        if ours_top1 is not None and best_top1 is not None
        else None,
        "ratio": (ours_top1 / best_top1) if ours_top1 is not None and best_top1 else None,
        "pct": {n: {f: pct(n, f) for f in FIGURES} for n in systems},
    }
