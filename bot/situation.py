"""Assess a described situation: cues → indicator matches → level model → level-4 floor →
why this level, why not the next one up, and the questions that separate two close levels.

A pack without a trained model (few or no worked examples) falls back to the indicator
matcher alone; the floor and the safety net work for every pack.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache

from .cues import PRESENT, Found
from .features import _WHO_CUES, extract
from .levelmodel import Decision, LevelModel
from .neighbours import Neighbours
from .pack import Indicator, Pack
from .rules import Rule, firing
from .safety import SafetyCheck, SafetyNet
from .situation_data import GuidedQuestion, SituationData
from .text import normalise
from .triage import Concepts, Match, Triage

# Cues that say who the child is, not what is happening to them: alone they are no situation.
_WHO = _WHO_CUES


@dataclass(frozen=True)
class SituationAssessment:
    rank: int | None
    matches: tuple[Match, ...] = ()
    found: Found = field(default_factory=Found)
    floors: tuple[Rule, ...] = ()
    decision: Decision | None = None
    supporting: tuple[Indicator, ...] = ()  # indicators at the suggested level
    decided_by: tuple[str, ...] = ()  # plain-English cues that decided it
    held_back_by: tuple[str, ...] = ()  # what kept it from the next level up
    questions: tuple[GuidedQuestion, ...] = ()  # when two levels are close
    borderline: tuple[Indicator, ...] = ()
    note: str = ""
    confidence: float = 0.0

    @property
    def between(self) -> tuple[int, int] | None:
        return self.decision.between if self.decision and self.questions else None


class Assessor:
    """Built once per pack; `assess` per question. Read-only after init (thread-safe)."""

    def __init__(self, pack: Pack, data: SituationData):
        self.pack = pack
        self.data = data
        self.triage = Triage(pack, Concepts(data.concepts))
        self.safety = SafetyNet(
            data.lexicon,
            data.emergency_rules,
            data.patterns,
            data.model_ignores,
            data.model_stands_down,
        )
        self.model = LevelModel(data.model) if data.model else None
        nb = (data.model or {}).get("neighbours")
        self.neighbours = Neighbours(nb) if nb else None
        self.top = max(lvl.rank for lvl in pack.levels.values())
        self.cue_about = {c.id: c.about for c in data.lexicon.cues.values()}
        # Per assessor, bounded: the same question's evidence is read by two models.
        self._evidence = lru_cache(maxsize=64)(self.read_evidence)

    def _rank(self, indicator: Indicator) -> int:
        return self.pack.levels[indicator.level].rank

    def evidence(self, text: str, answers: dict[str, bool] | None = None):
        """Everything the models read in a text (computed once per text: the safety net and
        the level model both ask). Guided answers add their cues to a copy."""
        ev = self._evidence(text)
        if not answers:
            return ev
        found = Found({cue: set(states) for cue, states in ev.found.states.items()})
        features = dict(ev.features)
        for qid, yes in answers.items():
            q = next((g for g in self.data.guided if g.id == qid), None)
            for cue in (q.yes if yes else q.no) if q else ():
                found.add(cue, PRESENT)
                features[f"cue:{cue}"] = 1.0
        return replace(ev, found=found, features=features)

    def read_evidence(self, text: str):
        ev = extract(text, self.data.lexicon, self.triage.match(text), self._rank)
        # The rules and patterns are evidence too: the models learn how far to trust each.
        for rule in firing(self.data.floor_rules, ev.found.with_recent()):
            ev.features[f"floor:{rule.id}"] = 1.0
        for rule in firing(self.data.emergency_rules, ev.found):
            ev.features[f"rule:{rule.id}"] = 1.0
        direct = tuple(self.safety.direct(normalise(text)))
        for name in direct:
            ev.features[f"pattern:{name}"] = 1.0
        ev = replace(ev, direct=direct)
        if self.neighbours is not None:
            ev.features.update(self.neighbours.features(ev.features))
        return ev

    def check_safety(self, text: str) -> SafetyCheck:
        """The safety net: emergency rules, then the trained emergency model."""
        ev = self.evidence(text)
        if ev.hypothetical:
            return SafetyCheck(False)  # a question about "what if", not a child at risk now
        model = self.model.emergency if self.model else None
        if model is None:
            # No trained model: the direct-description patterns flag on their own.
            return self.safety.check(text, ev.found, direct=ev.direct)
        return self.safety.check(
            text, ev.found, model.probability(ev.features), model.threshold, direct=ev.direct
        )

    def assess(
        self,
        text: str,
        areas: tuple[str, ...] = (),
        answers: dict[str, bool] | None = None,
        asked_level: bool = False,
    ) -> SituationAssessment:
        """The suggested level; `answers` are guided-question answers ({id: yes?}).
        `asked_level`: the practitioner asked for a level in so many words ("lvl?")."""
        ev = self.evidence(text, answers)
        matches = [m for m in ev.matches if not m.hypothetical] or list(ev.matches)
        floors = tuple(firing(self.data.floor_rules, ev.found.with_recent()))
        facts = ev.found.present_cues - _WHO
        # With a trained model, a description of someone is read even with no named fact
        # the words and the nearest worked examples say whether it is ordinary life (level 1).
        # Only when a level was asked for: "family hubs what are they" is about no one.
        about_someone = (
            asked_level
            and self.model is not None
            and (bool(ev.found.present_cues & _WHO) or len(text.split()) >= 8)
        )
        if not matches and not facts and not floors and not about_someone:
            return SituationAssessment(None, found=ev.found)
        if self.model is None:
            return self._without_model(text, areas, ev.found, floors)
        decision = self.model.decide(ev.features)
        rank = self.top if floors else self._answered(decision.rank, answers)
        supporting = self._supporting(rank, matches, areas)
        questions = () if floors or answers else self._questions(decision, matches, areas)
        return SituationAssessment(
            rank,
            tuple(matches),
            ev.found,
            floors,
            decision,
            supporting,
            self._decided_by(rank, floors, decision, ev.features),
            self._held_back(rank, decision, ev.features),
            questions,
            self._borderline(rank, matches),
            confidence=self._confidence(rank, decision, floors),
        )

    def _answered(self, rank: int, answers: dict[str, bool] | None) -> int:
        """The guide's line tests decide between two levels: any answer pointing to the
        higher level puts it there; when every answer points lower, the lower level."""
        asked = [(q, answers[q.id]) for q in self.data.guided if answers and q.id in answers]
        if not asked:
            return rank
        low, high = asked[0][0].between
        if any(q.points_higher(yes) for q, yes in asked):
            return max(rank, high)
        return min(rank, low) if rank <= high else rank

    # ---- without a model: the indicator matcher, with the floor ----------------------
    def _without_model(self, text, areas, found, floors) -> SituationAssessment:
        old = self.triage.assess(text, areas)
        rank = self.top if floors else old.rank
        if rank is None:
            return SituationAssessment(None, found=found)
        return SituationAssessment(
            rank,
            old.matches,
            found,
            floors,
            None,
            self._supporting(rank, list(old.matches), areas),
            tuple(r.why for r in floors),
            (),
            (),
            old.borderline,
            old.note,
            max(old.confidence, 0.8 if floors else 0.0),
        )

    # ---- explanations -----------------------------------------------------------------
    def _supporting(self, rank, matches, areas) -> tuple[Indicator, ...]:
        """Matched indicators at the level; else that level's indicators in the areas seen."""
        at = [m.indicator for m in matches if self._rank(m.indicator) == rank]
        if at:
            return tuple(dict.fromkeys(at))[:4]
        seen = list(dict.fromkeys([m.indicator.area for m in matches] + list(areas)))
        out = [i for a in seen for i in self.pack.indicators_for(a) if self._rank(i) == rank]
        return tuple(out[:2])

    def _describe(self, feature: str) -> str | None:
        kind, _, name = feature.partition(":")
        if kind == "cue":
            return self.cue_about.get(name)
        if kind == "ind":
            lvl = self.pack.level_by_rank(int(name))
            return f"what you describe matches {lvl.label} indicators" if lvl else None
        return None  # single words and counts are evidence, not explanations

    def _decided_by(self, rank, floors, decision, feats) -> tuple[str, ...]:
        if floors:
            return tuple(r.why for r in floors)
        step = self.model.step(rank) if rank > self.model.bottom else self.model.step(rank + 1)
        sign = 1 if rank > self.model.bottom else -1
        if step is None:
            return ()
        found = [self._describe(f) for f, _ in step.reasons(feats, sign, n=8)]
        return tuple(dict.fromkeys(d for d in found if d))[:3]

    def _held_back(self, rank, decision, feats) -> tuple[str, ...]:
        step = self.model.step(rank + 1)
        if step is None:
            return ()
        found = [self._describe(f) for f, _ in step.reasons(feats, -1, n=8)]
        return tuple(dict.fromkeys(d for d in found if d))[:2]

    def _questions(self, decision, matches, areas) -> tuple[GuidedQuestion, ...]:
        if decision.between is None:
            return ()
        seen = {m.indicator.area for m in matches} | set(areas)
        qs = [q for q in self.data.guided if tuple(q.between) == decision.between]
        specific = [q for q in qs if q.areas and seen & set(q.areas)]
        general = [q for q in qs if not q.areas]
        return tuple((specific + general)[:3])

    def _borderline(self, rank, matches) -> tuple[Indicator, ...]:
        found = {}
        for m in matches:
            ind = m.indicator
            if self._rank(ind) != rank:
                continue
            if ind.distinguish:
                found[ind.id] = ind
            for other in self.triage.distinguished_by.get(ind.id, ()):
                found[other.id] = other
        return tuple(found.values())[:2]

    def _confidence(self, rank, decision, floors) -> float:
        if floors:
            return 0.9
        p_here = decision.probabilities.get(rank, 1.0)
        p_up = decision.probabilities.get(rank + 1, 0.0)
        return round(min(0.95, max(0.5, p_here - p_up)), 3)
