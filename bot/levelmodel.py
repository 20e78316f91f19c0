"""The ordinal level model: one yes/no model per step ("level ≥ 2", "≥ 3", "≥ 4"), trained
from the pack's worked examples by `python -m bot train` and shipped as JSON.

Inference is a few dot products in plain Python (no numpy at run time). The top step is
called at a deliberately low probability: under-calling a child at the top level costs far
more than an over-call, so its threshold is set by cross-validation to keep under-calls near
zero. Each decision can say which features pushed it up or down.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


def _sigmoid(z: float) -> float:
    if z < -30:
        return 0.0
    return 1.0 / (1.0 + math.exp(-z))


@dataclass(frozen=True)
class Step:
    rank: int  # this model answers "is the level at least `rank`?"
    bias: float
    weights: dict[str, float]
    threshold: float

    def score(self, feats: dict[str, float]) -> float:
        w = self.weights
        return self.bias + sum(w[f] * x for f, x in feats.items() if f in w)

    def probability(self, feats: dict[str, float]) -> float:
        return _sigmoid(self.score(feats))

    def reasons(self, feats: dict[str, float], sign: int, n: int = 4) -> list[tuple[str, float]]:
        """The features that pushed this step up (sign=1) or down (sign=-1) the most."""
        parts = [(f, self.weights[f] * x) for f, x in feats.items() if f in self.weights]
        parts = [p for p in parts if p[1] * sign > 0]
        return sorted(parts, key=lambda p: -abs(p[1]))[:n]


@dataclass(frozen=True)
class Decision:
    rank: int
    probabilities: dict[int, float]  # P(level ≥ rank) for each step
    between: tuple[int, int] | None  # two levels the model sits between, if close
    emergency_probability: float


class LevelModel:
    """Loaded from the pack's level-model.json."""

    def __init__(self, data: dict):
        self.steps = sorted(
            (
                Step(int(r), float(m["bias"]), dict(m["weights"]), float(m["threshold"]))
                for r, m in data["steps"].items()
            ),
            key=lambda s: s.rank,
        )
        em = data.get("emergency")
        self.emergency = (
            Step(0, float(em["bias"]), dict(em["weights"]), float(em["threshold"])) if em else None
        )
        self.margin = float(data.get("close_margin", 0.12))
        # The top step may lift a case past the middle ones only when they see something too:
        # with no evidence of any need, a low top threshold alone made ordinary life level 4.
        self.top_gate = float(data.get("top_gate", 0.0))
        # Which steps the gate reads: the one just below the top (a level-4 call needs some
        # belief in level 3 too: "level 2 or 4, never 3" was a far error), or any of them.
        self.gate_on_next = data.get("top_gate_on") == "next-step"
        self.bottom = min(s.rank for s in self.steps) - 1

    def step(self, rank: int) -> Step | None:
        return next((s for s in self.steps if s.rank == rank), None)

    def decide(self, feats: dict[str, float]) -> Decision:
        probs = {s.rank: s.probability(feats) for s in self.steps}
        rank = self.bottom
        top = self.steps[-1].rank
        below = _below(probs, top, self.gate_on_next)
        for s in self.steps:
            # The highest step whose model says yes: a low top threshold can lift a case
            # straight to the top level even when the middle step is unsure (not when the
            # middle steps see no need at all).
            if probs[s.rank] >= s.threshold and (s.rank < top or below >= self.top_gate):
                rank = s.rank
        between = None
        for s in self.steps:
            if abs(probs[s.rank] - s.threshold) < self.margin and s.rank in (rank, rank + 1):
                between = (s.rank - 1, s.rank)
                break
        em = self.emergency.probability(feats) if self.emergency else 0.0
        return Decision(rank, probs, between, em)


def _below(probs: dict[int, float], top: int, next_step: bool) -> float:
    """What the steps under the top level believe, for the top gate."""
    if next_step and top - 1 in probs:
        return probs[top - 1]
    return max((p for r, p in probs.items() if r < top), default=1.0)
