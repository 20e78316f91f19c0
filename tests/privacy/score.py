"""Score the redactor on the synthetic corpora: recall per identifier type (and per shape of
name), safeguarding vocabulary lost, and the time redaction takes per message.

Used by tests/test_privacy.py, and by hand:

    python -m tests.privacy.score [-v] [--time] [--holdout] [--rules-only] [CORPUS.yaml ...]

Without files it scores the development sets: corpus.yaml, corpus2.yaml to corpus11.yaml,
and holdout.yaml to holdout5.yaml (the first five held-out sets, each blind until it was used
for decisions: see their headers). `--holdout` adds holdout6.yaml, which is blind: score it
once, never tune on it. `--rules-only` leaves out the learned pass
(bot/redact_model.py), to see what it adds.
"""

from __future__ import annotations

import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).parent
CORPUS = HERE / "corpus.yaml"
CORPUS2 = HERE / "corpus2.yaml"
CORPUS3 = HERE / "corpus3.yaml"
HOLDOUT = HERE / "holdout.yaml"  # used for decisions on 2026-12-02: development data now
HOLDOUT2 = HERE / "holdout2.yaml"  # used for decisions from 2026-12-02 (privacy3)
HOLDOUT3 = HERE / "holdout3.yaml"  # used for decisions from 2026-12-02 (privacy4)
HOLDOUT4 = HERE / "holdout4.yaml"  # used for decisions from 2026-12-02 (privacy5)
HOLDOUT5 = HERE / "holdout5.yaml"  # used for decisions from 2026-12-02 (privacy6)
HOLDOUT6 = HERE / "holdout6.yaml"  # blind
CORPUS4 = HERE / "corpus4.yaml"
CORPUS5 = HERE / "corpus5.yaml"
CORPUS6 = HERE / "corpus6.yaml"
CORPUS7 = HERE / "corpus7.yaml"
CORPUS8 = HERE / "corpus8.yaml"
CORPUS9 = HERE / "corpus9.yaml"
CORPUS10 = HERE / "corpus10.yaml"
CORPUS11 = HERE / "corpus11.yaml"
DEVELOPMENT = (
    CORPUS,
    CORPUS2,
    CORPUS3,
    CORPUS4,
    CORPUS5,
    CORPUS6,
    CORPUS7,
    CORPUS8,
    CORPUS9,
    CORPUS10,
    CORPUS11,
    HOLDOUT,
    HOLDOUT2,
    HOLDOUT3,
    HOLDOUT4,
    HOLDOUT5,
)
BLIND = (HOLDOUT6,)
STRUCTURED = {
    "POSTCODE",
    "PHONE",
    "EMAIL",
    "NHS_NUMBER",
    "DATE",
    "SLACK_USER",
    "URL",
    "POLICE_REF",
}
FUZZY = {"NAME", "ADDRESS", "SCHOOL"}
# Words inside a value that may stand elsewhere in a message without leaking it.
_LINKING = {
    *"of the and de la le da van von bin al on st ó o".split(),
    *"flat house no apartment unit".split(),  # "Flat [ADDRESS]" leaks nothing
    # "Mrs [NAME]" leaks nothing: a title is not part of a name (the corpora's convention,
    # which some authors did not follow: "Mrs Eze" is caught when "Eze" is)
    *"mr mrs ms miss mx dr".split(),
}
_TOKEN = re.compile(r"[^\W_](?:[\w'’.\-]*[^\W_])?")


@dataclass
class Score:
    found: dict[str, int] = field(default_factory=dict)
    total: dict[str, int] = field(default_factory=dict)
    keep_lost: int = 0
    keep_total: int = 0
    misses: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)
    messages: int = 0

    def add(self, key: str, caught: bool) -> None:
        self.total[key] = self.total.get(key, 0) + 1
        if caught:
            self.found[key] = self.found.get(key, 0) + 1

    def rate(self, types: set[str]) -> float:
        total = sum(self.total.get(t, 0) for t in types)
        return sum(self.found.get(t, 0) for t in types) / total if total else 1.0

    @property
    def keep_rate_lost(self) -> float:
        return self.keep_lost / self.keep_total if self.keep_total else 0.0


def load_cases(*paths: Path) -> list[dict]:
    cases = []
    for path in paths or (CORPUS,):
        cases += yaml.safe_load(Path(path).read_text(encoding="utf-8"))["cases"]
    return cases


def caught(value: str, text: str, out: str) -> bool:
    """Is `value` gone from `out`: neither whole nor any of its words standing on its own
    (more often than the word stands in `text` outside the value)?"""
    if value in out and not _only_inside_longer_word(value, out):
        return False
    words = [w for w in _TOKEN.findall(value) if w.lower() not in _LINKING]
    if len(words) < 2:
        return True
    outside = text.replace(value, " ")
    for word in words:
        if word.isdigit() and len(word) < 4:
            continue  # "3" in "flat 3" may well be "level 3" elsewhere
        if _standing(word, out) > _standing(word, outside):
            return False
    return True


def _standing(word: str, text: str) -> int:
    return len(re.findall(r"(?<![\w])" + re.escape(word) + r"(?![\w])", text))


def score(redactor, cases: list[dict] | None = None) -> Score:
    s = Score()
    for case in cases if cases is not None else load_cases():
        s.messages += 1
        out = redactor.redact(case["text"]).text
        for ident in case.get("identifiers") or []:
            kind, value = ident["type"], ident["value"]
            ok = caught(value, case["text"], out)
            s.add(kind, ok)
            if ident.get("kind"):
                s.add(f"{kind}/{ident['kind']}", ok)
            if not ok:
                s.misses.append(f"{kind} {value!r} in {out!r}")
        for keep in case.get("keep") or []:
            s.keep_total += 1
            if keep not in out:
                s.keep_lost += 1
                s.lost.append(f"{keep!r} in {out!r}")
    return s


def check_corpus(cases: list[dict]) -> list[str]:
    """Mistakes in a corpus file: values not in their text, keeps standing only inside a value
    (a keep that also stands free, "on tiktok" beside a tiktok link, is scored as it is)."""
    problems = []
    for case in cases:
        text = case["text"]
        spans = []
        for ident in case.get("identifiers") or []:
            if ident["value"] not in text:
                problems.append(f"{ident['value']!r} is not in {text!r}")
            spans += [(m.start(), m.end()) for m in re.finditer(_whole(ident["value"]), text)]
        for keep in case.get("keep") or []:
            if keep not in text:
                problems.append(f"keep {keep!r} is not in {text!r}")
            found = [(m.start(), m.end()) for m in re.finditer(re.escape(keep), text)]
            if found and all(any(a < e and s < b for a, b in spans) for s, e in found):
                problems.append(f"keep {keep!r} overlaps an identifier in {text!r}")
    return problems


def _whole(value: str) -> str:
    """`value` where it stands as itself, not inside a longer word (the initial "H" is not
    in "DASH"), as the scorer and tests/privacy/train.py's labels read it."""
    left = r"(?<!\w)" if value[:1].isalnum() else ""
    right = r"(?!\w)" if value[-1:].isalnum() else ""
    return left + re.escape(value) + right


def time_per_message(
    redactor, cases: list[dict], rounds: int = 7, clock=time.perf_counter
) -> float:
    """The fastest of `rounds` passes over the messages, in ms per message (the fastest,
    because other work on a shared machine only ever adds time; `time.process_time` counts
    only this process's CPU, steadier still when the machine is busy)."""
    texts = [c["text"] for c in cases]
    for text in texts:
        redactor.redact(text)  # warm: name lists, caches
    best = float("inf")
    for _ in range(rounds):
        started = clock()
        for text in texts:
            redactor.redact(text)
        best = min(best, clock() - started)
    return 1000 * best / len(texts)


def _only_inside_longer_word(value: str, out: str) -> bool:
    """'jay' surviving inside 'jayden'? Only counts if it stands as a word of its own."""
    return not re.search(r"(?<![\w])" + re.escape(value) + r"(?![\w])", out)


def report(name: str, s: Score) -> str:
    lines = [f"== {name}: {s.messages} messages"]
    for kind in sorted(s.total):
        found, total = s.found.get(kind, 0), s.total[kind]
        lines.append(f"{kind:20s} {found:4d}/{total:<4d} {100 * found / total:6.1f}%")
    lines.append(
        f"structured {100 * s.rate(STRUCTURED):.1f}%  names, schools and addresses "
        f"{100 * s.rate(FUZZY):.1f}%  vocabulary lost {s.keep_lost}/{s.keep_total} "
        f"({100 * s.keep_rate_lost:.1f}%)"
    )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    from bot.config import load_config
    from bot.loader import read_pack
    from bot.privacy import Redactor

    files = [Path(a) for a in argv if not a.startswith("-")] or list(DEVELOPMENT)
    if "--holdout" in argv:
        files += BLIND
    pack, _ = read_pack(load_config().pack_dir)
    redactor = Redactor.for_pack(pack, learned="--rules-only" not in argv)
    everything = []
    for path in files:
        cases = load_cases(path)
        everything += cases
        problems = check_corpus(cases)
        if problems:
            print("\n".join(f"{path.name}: {p}" for p in problems))
            return 1
        s = score(redactor, cases)
        print(report(path.name, s))
        if "-v" in argv:
            print("\n".join(["MISSES:", *s.misses, "LOST:", *s.lost]))
    if "--time" in argv:
        print(
            f"redaction: {time_per_message(redactor, everything):.3f} ms per message, "
            f"{time_per_message(redactor, everything, clock=time.process_time):.3f} ms of CPU "
            f"(fastest of 7 passes over {len(everything)} messages)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
