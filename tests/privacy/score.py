"""Score the redactor on the synthetic corpus.

Used by tests/test_privacy.py, and by hand: python -m tests.privacy.score [-v]."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

CORPUS = Path(__file__).with_name("corpus.yaml")
STRUCTURED = {"POSTCODE", "PHONE", "EMAIL", "NHS_NUMBER", "DATE", "SLACK_USER"}
FUZZY = {"NAME", "ADDRESS"}


@dataclass
class Score:
    found: dict[str, int] = field(default_factory=dict)
    total: dict[str, int] = field(default_factory=dict)
    keep_lost: int = 0
    keep_total: int = 0
    misses: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)

    def rate(self, types: set[str]) -> float:
        total = sum(self.total.get(t, 0) for t in types)
        return sum(self.found.get(t, 0) for t in types) / total if total else 1.0


def load_cases() -> list[dict]:
    return yaml.safe_load(CORPUS.read_text(encoding="utf-8"))["cases"]


def score(redactor, cases: list[dict] | None = None) -> Score:
    s = Score()
    for case in cases or load_cases():
        out = redactor.redact(case["text"]).text
        for ident in case.get("identifiers") or []:
            kind, value = ident["type"], ident["value"]
            s.total[kind] = s.total.get(kind, 0) + 1
            if value not in out or _only_inside_longer_word(value, out):
                s.found[kind] = s.found.get(kind, 0) + 1
            else:
                s.misses.append(f"{kind} {value!r} in {out!r}")
        for keep in case.get("keep") or []:
            s.keep_total += 1
            if keep not in out:
                s.keep_lost += 1
                s.lost.append(f"{keep!r} in {out!r}")
    return s


def _only_inside_longer_word(value: str, out: str) -> bool:
    """'jay' surviving inside 'jayden'? Only counts if it stands as a word of its own."""
    import re

    return not re.search(r"(?<![\w])" + re.escape(value) + r"(?![\w])", out)


if __name__ == "__main__":
    import sys

    from bot.config import load_config
    from bot.loader import read_pack
    from bot.privacy import Redactor

    pack, _ = read_pack(load_config().pack_dir)
    s = score(Redactor.for_pack(pack))
    for kind in sorted(s.total):
        print(f"{kind:12s} {s.found.get(kind, 0):4d}/{s.total[kind]:<4d}")
    print(
        f"structured {100 * s.rate(STRUCTURED):.1f}%  names+addresses "
        f"{100 * s.rate(FUZZY):.1f}%  vocabulary lost {s.keep_lost}/{s.keep_total}"
    )
    if "-v" in sys.argv:
        print("\n".join(["MISSES:", *s.misses, "LOST:", *s.lost]))
