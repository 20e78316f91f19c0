""" "What level is this?" — match a described situation against the pack's level indicators.

A situation is split into clauses; each indicator trigger is a small bag of concepts that
must all (or nearly all, weighted by rarity) appear in one clause, outside the reach of a
negation ("no concerns about drugs") and preferably outside a hypothetical ("if mum
relapsed"). The suggested level is the highest level with a matched indicator.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass

from .pack import Indicator, Pack
from .text import Speller, clean, stem, tokens

GENERIC = frozenset({"parent", "child", "baby", "NOT"})
HYPOTHETICAL = re.compile(
    r"\b(?:if|in case|what if|suppose|supposing|hypothetically|"
    r"in the event|should (?:he|she|they|mum|dad) ever|unless)\b"
)
# Clause breaks: punctuation, and words that turn the sentence.
_CLAUSE = re.compile(
    r"[.,;:!?\n()\[\]]+|\s-\s|\b(?:but|however|although|though|whereas|"
    r"except|yet)\b"
)
NEGATION_WINDOW = 6
CROSS_WINDOW = 10  # words a trigger may spread over across clause breaks
MULTIPLE_NEEDS = 3  # areas with needs at one level that together raise it by one
FULL = 0.99  # the score of a whole match (short triggers and missing concepts need it)
CLAUSE_THRESHOLD = 0.72  # a longer trigger may miss a little within one clause
_EPSILON = 1e-9  # float slack when asking whether a trigger can still reach a threshold


@dataclass(frozen=True)
class Match:
    indicator: Indicator
    score: float
    trigger: str
    hypothetical: bool = False


@dataclass(frozen=True)
class Assessment:
    level: str | None
    rank: int | None
    matches: tuple[Match, ...]
    confidence: float
    borderline: tuple[Indicator, ...] = ()
    note: str = ""  # why the level differs from the highest matched indicator


class Concepts:
    """The concept lexicon (concepts.yaml): words that mean the same for threshold purposes."""

    def __init__(self, data: dict):
        self.names = frozenset(str(c) for c in (data.get("concepts") or {}))
        self.of: dict[str, set[str]] = {}
        for concept, words in (data.get("concepts") or {}).items():
            for word in words:
                self.of.setdefault(str(word), set()).add(str(concept))
        self.of_stem: dict[str, set[str]] = {}
        for word, concepts in self.of.items():
            self.of_stem.setdefault(stem(word), set()).update(concepts)
        self.generic = frozenset(str(w) for w in data.get("generic_words") or ())
        self.stop = frozenset(str(w) for w in data.get("stop_words") or ())
        self.negators = frozenset(str(w) for w in data.get("negators") or ())

    def of_word(self, word: str) -> set[str]:
        """The word's stem and its concepts; plurals and possessives ("mums", "lads") too."""
        root = stem(word)
        return {root} | self.of.get(word, set()) | self.of_stem.get(root, set())

    def trigger_terms(self, trigger: str) -> tuple[frozenset[str], bool]:
        """A trigger as the concepts it needs, and whether it carries its own negation."""
        words = tokens(trigger)
        negated = any(w in self.negators for w in words)
        terms = set()
        for w in words:
            if w in self.stop and w not in self.negators:
                continue
            if w in self.negators:
                terms.add("NOT")
            elif w in self.generic and w in self.of:
                # "drugs" in a trigger means any drug; "heroin" means heroin.
                terms.add(sorted(self.of[w])[0])
            else:
                terms.add(stem(w))
        return frozenset(terms), negated


@dataclass
class _Clause:
    terms: dict[str, tuple[bool, list[int]]]  # term -> (outside any negation?, positions)
    has_negator: bool
    hypothetical: bool

    def add(self, term: str, free: bool, position: int) -> None:
        was_free, positions = self.terms.get(term, (False, []))
        self.terms[term] = (was_free or free, [*positions, position])

    def close_together(self, terms: frozenset[str], window: int) -> bool:
        """Do all the terms occur within `window` words of one another somewhere?"""
        if any(t not in self.terms for t in terms):
            return False
        positions = {t: self.terms[t][1] for t in terms}
        starts = sorted(p for ps in positions.values() for p in ps)
        return any(
            all(any(start <= p <= start + window for p in ps) for ps in positions.values())
            for start in starts
        )


def _context_concepts(words: list[str], i: int) -> set[str]:
    """Concepts a word takes from its neighbours: "6 wk old" is a baby, "15 year old" a
    child, "missing 6 times" frequent."""
    word, previous = words[i], words[i - 1] if i else ""
    found = set()
    if previous.isdigit():
        n = int(previous)
        if word in ("week", "weeks") or (word in ("month", "months") and n <= 12):
            found.add("baby")
        elif word in ("year", "years") and n < 19:
            found.add("child")
        elif word == "times" and n >= 2:
            found.add("frequent")
    return found


class Triage:
    """Indicator matcher for one pack; build once, call `assess` per question."""

    def __init__(self, pack: Pack, concepts: Concepts):
        self.pack = pack
        self.concepts = concepts
        # Triggers that need the same words are scored once for all the indicators using them.
        groups: dict[tuple[frozenset[str], bool], list[tuple[Indicator, str]]] = defaultdict(list)
        self.by_term: dict[str, list[int]] = defaultdict(list)
        frequency: dict[str, int] = defaultdict(int)
        vocab: set[str] = set()
        for indicator in pack.indicators.values():
            for trigger in indicator.triggers:
                terms, negated = concepts.trigger_terms(trigger)
                if not terms - GENERIC:
                    continue  # "parents know" alone would match every mention of a parent
                vocab.update(tokens(trigger))
                groups[(terms, negated)].append((indicator, trigger))
                for term in terms:
                    frequency[term] += 1
        self.triggers = [(terms, negated, members) for (terms, negated), members in groups.items()]
        total = max(sum(len(m) for _, _, m in self.triggers), 1)
        self.weight = {t: 1.0 + math.log(total / f) for t, f in frequency.items()}
        # Each trigger is filed under its two rarest words: a match (even a partial one,
        # which may miss one word) always contains one of them, and common words ("parent")
        # then pull in only the triggers that really hinge on them.
        for slot, (terms, _, _) in enumerate(self.triggers):
            keys = sorted(terms - {"NOT"}, key=lambda t: (-self.weight[t], t))[:2]
            for term in keys:
                self.by_term[term].append(slot)
        # Per trigger: the total weight it needs and its words with their weights.
        self.compiled = [
            (sum(self.weight[t] for t in terms), tuple((t, self.weight[t]) for t in terms))
            for terms, _, _ in self.triggers
        ]
        self.distinguished_by: dict[str, list[Indicator]] = defaultdict(list)
        for other in pack.indicators.values():
            if other.distinguish:
                self.distinguished_by[other.distinguish.with_id].append(other)
        self.speller = Speller(vocab | set(concepts.of), cutoff=86)
        # threshold -> where to look for triggers (made here for the two `match` uses).
        self._filings = {t: _Filing.build(self, t) for t in (CLAUSE_THRESHOLD, FULL)}

    def _filing(self, threshold: float) -> _Filing:
        filing = self._filings.get(threshold)
        if filing is None:
            filing = self._filings[threshold] = _Filing.build(self, threshold)
        return filing

    def _clauses(self, text: str) -> list[_Clause]:
        clauses, position = [], 0
        for part in _CLAUSE.split(clean(text).lower()):
            words = self.speller.correct(tokens(part))
            if not words:
                continue
            clause = _Clause({}, False, bool(HYPOTHETICAL.search(" ".join(words))))
            negated_until = -1
            for i, word in enumerate(words):
                if word in self.concepts.negators:
                    negated_until = i + NEGATION_WINDOW
                    clause.has_negator = True
                    continue
                if word in self.concepts.stop:
                    continue
                found = self.concepts.of_word(word) | _context_concepts(words, i)
                if word == "carer" and i and words[i - 1] == "young":
                    found.discard("parent")  # a young carer is the child, not a parent
                for term in found:
                    clause.add(term, i > negated_until, position + i)
            position += len(words) + 1
            clauses.append(clause)
        return clauses

    def match(self, text: str) -> list[Match]:
        best: dict[str, Match] = {}
        clauses = self._clauses(text)
        for clause in clauses:
            self._match_clause(clause, best, factor=1.0, threshold=CLAUSE_THRESHOLD)
        facts = [c for c in clauses if not c.hypothetical]
        if len(facts) > 1:
            # Practitioners scatter one fact over commas ("15 yo, on bail, charged with
            # robbery"): a trigger whose words all stand close together across a comma is
            # weaker evidence, but evidence.
            whole = _Clause({}, any(c.has_negator for c in facts), False)
            for c in facts:
                for term, (free, positions) in c.terms.items():
                    for pos in positions:
                        whole.add(term, free, pos)
            self._match_clause(whole, best, factor=0.85, threshold=FULL, window=CROSS_WINDOW)
        matches = list(best.values())
        if any(not m.hypothetical for m in matches):
            matches = [m for m in matches if not m.hypothetical]
        return sorted(matches, key=lambda m: (-self._rank(m.indicator), -m.score, m.indicator.id))

    def _match_clause(
        self,
        clause: _Clause,
        best: dict[str, Match],
        factor: float,
        threshold: float,
        window: int | None = None,
    ) -> None:
        present_terms = clause.terms
        filing = self._filing(threshold)
        slots = {s for term in present_terms for s in filing.by_term.get(term, ())}
        held = present_terms.keys()
        for slot in slots:
            if not filing.needs[slot] <= held:
                continue  # a word it cannot match without is not in the clause
            keys = filing.keys[slot]
            if keys is not None and keys.isdisjoint(held):
                continue  # neither of its two rarest words: never tried (see `by_term`)
            terms, negated, members = self.triggers[slot]
            if negated and not clause.has_negator:
                continue
            need, weighted = self.compiled[slot]
            have, missing_concept = 0.0, False
            for t, w in weighted:
                if t == "NOT":
                    have += w
                    continue
                present = present_terms.get(t)
                # "not missing" needs "missing" under a negation; any other trigger needs
                # its words outside one.
                if present is not None and present[0] != negated:
                    have += w
                elif t in self.concepts.names:
                    missing_concept = True
            score = have / need
            if score < (FULL if len(terms) <= 2 else threshold):
                continue
            if score < FULL and missing_concept:
                continue  # the missing word is the trigger's subject ("drugs", "bruise")
            if window is not None and not clause.close_together(terms - {"NOT"}, window):
                continue
            value = round(score * factor, 3)
            for indicator, trigger in members:
                current = best.get(indicator.id)
                if current is None or (value, -clause.hypothetical) > (
                    current.score,
                    -current.hypothetical,
                ):
                    best[indicator.id] = Match(indicator, value, trigger, clause.hypothetical)

    def _rank(self, indicator: Indicator) -> int:
        return self.pack.levels[indicator.level].rank

    def assess(self, text: str, areas: tuple[str, ...] = ()) -> Assessment:
        matches = self.match(text)
        if not matches:
            return Assessment(None, None, (), 0.0)
        top = matches[0]
        level = self.pack.levels[top.indicator.level]
        at_top = [m for m in matches if self._rank(m.indicator) == level.rank]
        note = ""
        areas_at_top = {m.indicator.area for m in at_top if m.score >= 0.99}
        top_rank = max(lvl.rank for lvl in self.pack.levels.values())
        above = self.pack.level_by_rank(level.rank + 1)
        if len(areas_at_top) >= MULTIPLE_NEEDS and above and above.rank < top_rank:
            # Several needs at one level call for the co-ordinated response of the next, but
            # never for the statutory level: that takes a child's safety, not a count.
            note = (
                f"Needs in {len(areas_at_top)} different areas at {level.label} together "
                f"call for a co-ordinated, multi-agency response: {above.label}."
            )
            level = above
        strength = max(m.score for m in at_top)
        confidence = min(1.0, 0.55 + 0.3 * strength + 0.05 * min(len(matches), 3))
        if areas and not any(m.indicator.area in areas for m in matches):
            confidence *= 0.85  # the form named areas that the description did not bear out
        borderline = self._borderline(at_top)
        return Assessment(
            level.id, level.rank, tuple(matches), round(confidence, 3), borderline, note
        )

    def _borderline(self, matches: list[Match]) -> tuple[Indicator, ...]:
        """Indicators with a `distinguish` note that bears on this answer (either side)."""
        found: dict[str, Indicator] = {}
        for m in matches:
            ind = m.indicator
            if ind.distinguish:
                found[ind.id] = ind
            for other in self.distinguished_by.get(ind.id, ()):
                found[other.id] = other
        return tuple(found.values())


@dataclass(frozen=True)
class _Filing:
    """Where `_match_clause` looks for triggers at one threshold: the same matches as trying
    every trigger filed under a word of the clause (`Triage.by_term`), with far fewer tried.

    A trigger is tried only when a word it cannot match without (`needs`: missing that word
    alone keeps its score under the threshold, or it is a concept, which only a whole match
    may miss) is in the clause, so it is filed under the rarest such word; one that can do
    without any single word stays under its two rarest. In a large pack most triggers hang
    on a rare word, so a common word in the question no longer pulls in thousands of them."""

    by_term: dict[str, list[int]]
    needs: list[frozenset[str]]  # per slot: words the clause must hold
    # Per slot: its two rarest words, when it is filed under neither (it is tried only if
    # the clause holds one of them, as `Triage.by_term` would try it); else None.
    keys: list[frozenset[str] | None]

    @classmethod
    def build(cls, triage: Triage, threshold: float) -> _Filing:
        by_term: dict[str, list[int]] = defaultdict(list)
        needs, keys = [], []
        concepts = triage.concepts.names
        for slot, (terms, _, _) in enumerate(triage.triggers):
            need, weighted = triage.compiled[slot]
            bar = FULL if len(terms) <= 2 else threshold
            needed = frozenset(
                t
                for t, w in weighted
                if t != "NOT"
                and (need - w) / need < max(bar, FULL if t in concepts else 0.0) - _EPSILON
            )
            rarest = sorted(terms - {"NOT"}, key=lambda t: (-triage.weight[t], t))
            two = frozenset(rarest[:2])
            filed_under = next((t for t in rarest if t in needed), None)
            if filed_under is None:
                for term in two:
                    by_term[term].append(slot)
                keys.append(None)
            else:
                by_term[filed_under].append(slot)
                keys.append(None if filed_under in two else two)
            needs.append(needed)
        return cls(dict(by_term), needs, keys)
