"""The hot path under pyinstrument: `Assistant.answer` and `Assistant.ask` (with logging)
over the benchmark's questions, on the bundled pack and on the biggest synthetic pack.
Profiling runs after the timed passes, so it never slows the latency figures."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from .latency import time_answers, time_asks

INTERVAL_S = 0.0002
ROOT = Path(__file__).resolve().parent.parent


def _own_times(root) -> list[tuple[float, str]]:
    """Time spent in each function itself (not in what it calls), summed over the tree."""
    own: dict[str, float] = defaultdict(float)
    stack = [root]
    while stack:
        frame = stack.pop()
        stack.extend(frame.children)
        if frame.is_synthetic:
            continue
        name = f"{frame.function} ({frame.file_path_short}:{frame.line_no})"
        own[name] += frame.total_self_time
    return sorted(((t, n) for n, t in own.items()), reverse=True)


def _profile(label: str, work) -> dict:
    from pyinstrument import Profiler

    profiler = Profiler(interval=INTERVAL_S)
    profiler.start()
    work()
    profiler.stop()
    session = profiler.last_session
    root = session.root_frame()
    total = root.time if root else 0.0
    top = [(t, n) for t, n in _own_times(root)[:12]] if root else []
    # Paths relative to the checkout: the file is committed, not this machine's folders.
    text = profiler.output_text(unicode=True, color=False, show_all=False)
    text = text.replace(f"{ROOT}/", "")
    return {"label": label, "total_s": total, "top": top, "text": text}


class Hook:
    """Called by the latency section on each warm assistant: profiles answer() and ask() on
    the bundled pack, and answer() on the biggest pack over `big_questions` questions."""

    def __init__(self, big_factor: int, big_questions: int):
        self.big_factor = big_factor
        self.big_questions = big_questions
        self.profiles: list[dict] = []

    def __call__(self, factor: int, assistant, questions: list[str], people) -> None:
        if factor == 1:
            log, assistant.log = assistant.log, None
            self.profiles.append(
                _profile(
                    f"answer(), bundled pack, {len(questions):,} questions",
                    lambda: time_answers(assistant, questions),
                )
            )
            assistant.log = log
            self.profiles.append(
                _profile(
                    f"ask() with logging, bundled pack, {len(questions):,} questions",
                    lambda: time_asks(assistant, questions, people),
                )
            )
        elif factor == self.big_factor:
            subset = questions[: self.big_questions]
            self.profiles.append(
                _profile(
                    f"answer(), {factor}x pack, {len(subset):,} questions",
                    lambda: time_answers(assistant, subset),
                )
            )


def write(profiles: list[dict], path: Path) -> None:
    parts = []
    for p in profiles:
        parts.append(f"==== {p['label']} ({p['total_s']:.2f}s sampled) ====\n")
        parts.append("Own time by function (excluding callees):\n")
        for t, name in p["top"]:
            share = 100 * t / p["total_s"] if p["total_s"] else 0.0
            parts.append(f"  {t:7.3f}s {share:5.1f}%  {name}\n")
        parts.append("\n" + p["text"] + "\n")
    path.write_text("".join(parts), encoding="utf-8")
