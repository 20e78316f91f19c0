"""Score the assistant on the development question set (tests/golden/<pack>/*.yaml)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class Case:
    file: str
    question: str
    entry: tuple[str, ...] = ()
    kind: str | None = None
    level: int | None = None
    emergency: bool | None = None


@dataclass
class Result:
    case: Case
    answer: Any
    top3: list[str]

    @property
    def entry_ok(self) -> bool:
        return not self.case.entry or self.answer.entry_id in self.case.entry

    @property
    def entry_top3(self) -> bool:
        return not self.case.entry or any(e in self.case.entry for e in self.top3)

    @property
    def kind_ok(self) -> bool:
        want = self.case.kind
        if want is None:
            return True
        got = self.answer.kind
        # An emergency still carries the kind of the matched entry underneath.
        return got == want or (got == "emergency" and want != "no_answer")

    @property
    def level_ok(self) -> bool:
        return self.case.level is None or self.answer.level == self.case.level

    @property
    def emergency_ok(self) -> bool:
        return self.case.emergency is None or self.answer.emergency == self.case.emergency

    @property
    def ok(self) -> bool:
        return self.entry_ok and self.kind_ok and self.level_ok and self.emergency_ok


def load_cases(folder: str | Path) -> list[Case]:
    cases = []
    for path in sorted(Path(folder).glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for raw in data.get("cases", []):
            entry = raw.get("entry")
            entries = tuple(entry) if isinstance(entry, list) else ((entry,) if entry else ())
            cases.append(
                Case(
                    path.name,
                    str(raw["q"]),
                    entries,
                    raw.get("kind"),
                    raw.get("level"),
                    raw.get("emergency"),
                )
            )
    return cases


def run(assistant, cases: list[Case]) -> list[Result]:
    results = []
    for case in cases:
        answer = assistant.answer(case.question)
        top3 = [answer.entry_id] + [a.entry_id for a in answer.alternatives]
        results.append(Result(case, answer, top3[:3]))
    return results


def _rate(results: list[Result], predicate) -> tuple[int, int]:
    return sum(1 for r in results if predicate(r)), len(results)


@dataclass
class Summary:
    figures: dict[str, tuple[int, int]] = field(default_factory=dict)
    under_called_level4: list[Result] = field(default_factory=list)
    confusion: dict[tuple[int, int | None], int] = field(default_factory=dict)
    failures: list[Result] = field(default_factory=list)

    def pct(self, name: str) -> float:
        hit, total = self.figures.get(name, (0, 0))
        return 100.0 * hit / total if total else 100.0


def summarise(results: list[Result], top_rank: int = 4) -> Summary:
    """Figures for a run; `top_rank` is the pack's most serious level (4 in Coventry)."""
    entry_cases = [r for r in results if r.case.entry]
    vignettes = [r for r in results if r.case.level is not None]
    out_of_scope = [r for r in results if r.case.kind == "no_answer"]
    emergencies = [r for r in results if r.case.emergency is True]
    controls = [r for r in results if r.case.emergency is False]
    s = Summary()
    s.figures["top-1 entry"] = _rate(entry_cases, lambda r: r.entry_ok and r.kind_ok)
    s.figures["top-3 entry"] = _rate(entry_cases, lambda r: r.entry_top3)
    s.figures["vignette level"] = _rate(vignettes, lambda r: r.level_ok)
    s.figures["level within one"] = _rate(
        vignettes, lambda r: r.answer.level is not None and abs(r.answer.level - r.case.level) <= 1
    )
    s.figures["out-of-scope refused"] = _rate(out_of_scope, lambda r: r.answer.kind == "no_answer")
    s.figures["emergencies flagged"] = _rate(emergencies, lambda r: r.answer.emergency)
    s.figures["non-emergencies not flagged"] = _rate(controls, lambda r: not r.answer.emergency)
    s.confusion = {}
    for r in vignettes:
        key = (r.case.level, r.answer.level)
        s.confusion[key] = s.confusion.get(key, 0) + 1
    s.under_called_level4 = [
        r for r in vignettes if r.case.level == top_rank and (r.answer.level or 0) < top_rank
    ]
    s.failures = [r for r in results if not r.ok]
    return s


TARGETS = {
    "top-1 entry": 95.0,
    "vignette level": 88.0,
    "level within one": 98.0,
    "out-of-scope refused": 95.0,
    "emergencies flagged": 100.0,
    "non-emergencies not flagged": 95.0,
}


def confusion_table(summary: Summary) -> str:
    """Rows: the label; columns: what the bot answered (— for no level)."""
    if not summary.confusion:
        return ""
    wanted = sorted({w for w, _ in summary.confusion})
    got = sorted({g for _, g in summary.confusion if g is not None}) + [None]
    head = "label \\ answer " + " ".join(f"{g if g is not None else '—':>5}" for g in got)
    rows = [head]
    for w in wanted:
        cells = " ".join(f"{summary.confusion.get((w, g), 0):>5}" for g in got)
        rows.append(f"{w:>14}  {cells}")
    return "\n".join(rows)


def report(summary: Summary, *, verbose: bool = False) -> tuple[str, bool]:
    lines, passed = [], True
    for name, (hit, total) in summary.figures.items():
        pct = summary.pct(name)
        target = TARGETS.get(name)
        mark = ""
        if target is not None and total:
            ok = pct >= target
            passed &= ok
            mark = f"  (target ≥ {target:.0f}%: {'met' if ok else 'NOT met'})"
        lines.append(f"{name:30s} {hit:4d}/{total:<4d} {pct:6.1f}%{mark}")
    n4 = len(summary.under_called_level4)
    lines.append(
        f"{'top-level vignettes under-called':30s} {n4:4d}       (target 0: "
        f"{'met' if n4 == 0 else 'NOT met'})"
    )
    passed &= n4 == 0
    table = confusion_table(summary)
    if table:
        lines.append("confusion (rows: label, columns: suggested level):\n" + table)
    if verbose:
        for r in summary.failures:
            c, a = r.case, r.answer
            want = ", ".join(
                x
                for x in (
                    f"entry={'|'.join(c.entry)}" if c.entry else "",
                    f"kind={c.kind}" if c.kind else "",
                    f"level={c.level}" if c.level else "",
                    f"emergency={c.emergency}" if c.emergency is not None else "",
                )
                if x
            )
            lines.append(
                f"  FAIL [{c.file}] {c.question!r}\n       want {want}; got "
                f"kind={a.kind} entry={a.entry_id} level={a.level} "
                f"emergency={a.emergency} conf={a.confidence:.2f}"
            )
    return "\n".join(lines), passed
