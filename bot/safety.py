"""The safety net: spot a child at immediate risk before anything else happens.

It errs towards flagging: a false alarm costs a practitioner one extra line to read, a miss
could cost a child. Two kinds of evidence, both data a safeguarding lead can review:
- emergency rules over named cues (rules.yaml, cues.yaml), which hear indirect descriptions
  ("saved his nan's tablets and gave his mate his PS5") and ignore negated or past cues;
- direct-description patterns (emergency-patterns.yaml: "baby not breathing"), stood down by
  reassurance or framing ("no immediate risk", "what would I do if…").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .cues import Found, Lexicon
from .rules import Rule, firing
from .text import normalise


@dataclass(frozen=True)
class SafetyCheck:
    emergency: bool
    reasons: tuple[str, ...] = ()
    why: tuple[str, ...] = ()  # one line per reason, for the answer


@dataclass(frozen=True)
class _Pattern:
    name: str
    patterns: tuple[re.Pattern[str], ...]


class SafetyNet:
    """Built once per pack from its situation data; `check` per question."""

    def __init__(
        self,
        lexicon: Lexicon,
        rules: list[Rule],
        data: dict,
        model_ignores=frozenset(),
        model_stands_down=frozenset(),
    ):
        self.lexicon = lexicon
        self.rules = rules
        self.model_ignores = frozenset(model_ignores)
        self.model_stands_down = frozenset(model_stands_down)
        macros = {k: str(v) for k, v in (data.get("macros") or {}).items()}

        def expand(p: str) -> re.Pattern[str]:
            for name, value in macros.items():
                p = p.replace("{" + name + "}", value)
            return re.compile(p)

        self.patterns = tuple(
            _Pattern(str(r["name"]), tuple(expand(str(p)) for p in r.get("patterns", ())))
            for r in data.get("rules") or ()
        )
        never = "(?!x)x"
        self.stand_down = re.compile(str(data.get("stand_down") or never))
        self.framing = re.compile(str(data.get("framing") or never))
        self.negated_before = re.compile(str(data.get("negated_before") or never))
        self.hard = frozenset(str(h) for h in data.get("hard") or ())

    def check(
        self,
        question: str,
        found: Found | None = None,
        probability: float | None = None,
        threshold: float = 0.5,
        direct: tuple[str, ...] | None = None,
    ) -> SafetyCheck:
        """Does this question describe a child at immediate risk?

        Flagged when an emergency rule fires; then, with a trained emergency model (which
        weighs the direct-description patterns with everything else), when its
        `probability` reaches `threshold`; without one, when a direct pattern fires.
        """
        text = normalise(question)
        if not text:
            return SafetyCheck(False)
        if found is None:
            found = self.lexicon.find(question)
        framed = bool(self.framing.search(text))
        by_cues = [] if framed else firing(self.rules, found)
        reasons = [r.name for r in by_cues]
        why = [r.why for r in by_cues]
        if not framed:
            direct = list(self.direct(text) if direct is None else direct)
            if probability is None:
                reasons += [d for d in direct if d not in reasons]
            elif probability >= threshold and not reasons:
                if self.model_may_flag(found):
                    reasons += direct or ["what you describe, taken together"]
        return SafetyCheck(bool(reasons), tuple(reasons), tuple(why))

    def model_may_flag(self, found: Found) -> bool:
        present = found.present_cues
        return bool(present - self.model_ignores) and not present & self.model_stands_down

    def direct(self, text: str) -> list[str]:
        """Direct-description patterns that fire, after reassurance ("no immediate risk")."""
        direct = [p.name for p in self.patterns if self._fires(p, text)]
        if direct and self.stand_down.search(text):
            # Reassurance stands down soft signals but never the hard ones (a non-mobile
            # baby's injury, a plan to take a life), unless the question is only framing.
            framed = bool(self.framing.search(text))
            direct = [d for d in direct if d in self.hard and not framed]
        return direct

    def _fires(self, rule: _Pattern, text: str) -> bool:
        """A pattern fires unless every match it has is negated ("no missing", "not alone")."""
        for pattern in rule.patterns:
            for m in pattern.finditer(text):
                if not self.negated_before.search(text[max(0, m.start() - 16) : m.start()]):
                    return True
        return False
