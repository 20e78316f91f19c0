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

# Everyday words that mean the same thing for threshold purposes. A clause carries both the
# word and its concept, so "dad drunk" meets a trigger written as "parent alcohol".
CONCEPTS: dict[str, tuple[str, ...]] = {
    "parent": (
        "mum",
        "mother",
        "dad",
        "father",
        "stepdad",
        "stepfather",
        "stepmum",
        "stepmother",
        "parent",
        "carer",
        "mummy",
        "daddy",
        "guardian",
    ),
    "child": (
        "child",
        "kid",
        "son",
        "daughter",
        "boy",
        "girl",
        "pupil",
        "student",
        "teen",
        "teenager",
        "yp",
        "youngster",
        "children",
        "kids",
        "sibling",
        "siblings",
        "sibs",
        "toddler",
        "toddlers",
        "lad",
        "lads",
        "sons",
        "daughters",
        "boys",
        "girls",
    ),
    "baby": ("baby", "infant", "newborn", "babies", "neonate"),
    "alcohol": (
        "alcohol",
        "drink",
        "drinking",
        "drinks",
        "drank",
        "drunk",
        "booze",
        "vodka",
        "wine",
        "beer",
        "alcoholic",
        "intoxicated",
        "hungover",
        "cider",
    ),
    "drug": (
        "drug",
        "drugs",
        "cannabis",
        "weed",
        "heroin",
        "cocaine",
        "coke",
        "crack",
        "spice",
        "mdma",
        "ketamine",
        "substance",
        "substances",
        "skunk",
        "methadone",
        "needles",
        "needle",
        "pills",
        "nitrous",
    ),
    "hit": (
        "hit",
        "hits",
        "hitting",
        "punch",
        "punched",
        "slap",
        "slapped",
        "kick",
        "kicked",
        "beat",
        "beaten",
        "beating",
        "assault",
        "assaulted",
        "strangled",
        "strangle",
        "choked",
        "smacked",
        "hurt",
        "hurting",
        "attacked",
    ),
    "knife": (
        "knife",
        "knives",
        "blade",
        "machete",
        "weapon",
        "weapons",
        "stabbed",
        "stabbing",
        "zombie",
    ),
    "missing": ("missing", "runaway", "absconded", "absconding", "disappeared"),
    "online": (
        "online",
        "internet",
        "snapchat",
        "instagram",
        "tiktok",
        "whatsapp",
        "discord",
        "app",
        "apps",
        "gaming",
        "social",
        "roblox",
        "facebook",
        "webcam",
    ),
    "absent": (
        "absent",
        "absence",
        "absences",
        "attendance",
        "truant",
        "truanting",
        "truancy",
        "attending",
    ),
    "dirty": (
        "dirty",
        "smelly",
        "smells",
        "unwashed",
        "unkempt",
        "grubby",
        "soiled",
        "filthy",
        "squalid",
        "squalor",
        "hoarding",
    ),
    "bruise": (
        "bruise",
        "bruises",
        "bruising",
        "bruised",
        "mark",
        "marks",
        "injury",
        "injuries",
        "burn",
        "burns",
        "fracture",
        "fractured",
        "broken",
    ),
    "selfharm": ("selfharm", "cutting", "cuts", "overdose", "overdosed", "ligature"),
    "suicide": ("suicide", "suicidal", "kill", "die", "dying"),
    "police": ("police", "arrested", "arrest", "custody", "officer", "officers"),
    "ingest": ("ingested", "ingest", "ate", "eaten", "swallowed", "swallow", "consumed"),
    "touch": ("touch", "touches", "touched", "touching", "fondled", "fondling", "groped"),
    "genital": ("genitals", "genital", "privates", "vagina", "penis", "bottom", "bum"),
    "sex": ("sex", "sexual", "sexually", "intercourse"),
    "nude": ("nude", "nudes", "naked", "pics", "pictures", "photos", "images", "selfies"),
    "depressed": (
        "depressed",
        "depression",
        "anxiety",
        "anxious",
        "psychosis",
        "bipolar",
        "schizophrenia",
        "unwell",
        "breakdown",
    ),
}
# Only function words: "know", "help", "want" carry meaning in a situation.
TRIAGE_STOP = frozenset(
    """
a an the and or of to in on at by for with from as is are was were be been being am do does
did have has had i me my we our you your he him his she her it its they them their this that
these those there here what which who whom when where why how can could would should will
shall may might must just also very really so then than too about into over s re its im
level rhrt threshold please thanks is this what which whats
""".split()
)
GENERIC = frozenset({"parent", "child", "baby", "NOT"})
NEGATORS = frozenset(
    {
        "no",
        "not",
        "never",
        "without",
        "denies",
        "denied",
        "deny",
        "nor",
        "none",
        "nothing",
        "neither",
        "negative",
    }
)
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
_CONCEPT_OF = {w: c for c, words in CONCEPTS.items() for w in words}


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


def _concepts(word: str) -> set[str]:
    out = {stem(word)}
    concept = _CONCEPT_OF.get(word)
    if concept:
        out.add(concept)
    return out


def _trigger_terms(trigger: str) -> tuple[frozenset[str], bool]:
    """A trigger as the concepts it needs, and whether it carries its own negation."""
    words = tokens(trigger)
    negated = any(w in NEGATORS for w in words)
    terms = set()
    for w in words:
        if w in TRIAGE_STOP and w not in NEGATORS:
            continue
        concept = _CONCEPT_OF.get(w)
        terms.add(concept if concept else ("NOT" if w in NEGATORS else stem(w)))
    return frozenset(terms), negated


@dataclass
class _Clause:
    terms: dict[str, bool]  # term -> True if outside any negation
    has_negator: bool
    hypothetical: bool


class Triage:
    """Indicator matcher for one pack; build once, call `assess` per question."""

    def __init__(self, pack: Pack):
        self.pack = pack
        self.triggers: list[tuple[frozenset[str], bool, Indicator, str]] = []
        self.by_term: dict[str, list[int]] = defaultdict(list)
        frequency: dict[str, int] = defaultdict(int)
        vocab: set[str] = set()
        for indicator in pack.indicators.values():
            for trigger in indicator.triggers:
                terms, negated = _trigger_terms(trigger)
                if not terms - GENERIC:
                    continue  # "parents know" alone would match every mention of a parent
                vocab.update(tokens(trigger))
                slot = len(self.triggers)
                self.triggers.append((terms, negated, indicator, trigger))
                for term in terms:
                    self.by_term[term].append(slot)
                    frequency[term] += 1
        total = max(len(self.triggers), 1)
        self.weight = {t: 1.0 + math.log(total / f) for t, f in frequency.items()}
        self.speller = Speller(vocab | set(_CONCEPT_OF), cutoff=86)

    def _clauses(self, text: str) -> list[_Clause]:
        clauses = []
        for part in _CLAUSE.split(clean(text).lower()):
            words = self.speller.correct(tokens(part))
            if not words:
                continue
            terms: dict[str, bool] = {}
            negated_until = -1
            for i, word in enumerate(words):
                if word in NEGATORS:
                    negated_until = i + NEGATION_WINDOW
                    terms["NOT"] = True
                    continue
                if word in TRIAGE_STOP:
                    continue
                free = i > negated_until
                found = _concepts(word)
                previous = words[i - 1] if i else ""
                if word == "carer" and previous == "young":
                    found.discard("parent")  # a young carer is the child, not a parent
                if (
                    word in ("week", "weeks", "month", "months")
                    and previous.isdigit()
                    and (word.startswith("week") or int(previous) <= 12)
                ):
                    found.add("baby")  # "6 wk old", "3 months": a baby, for every trigger
                for term in found:
                    terms[term] = terms.get(term, False) or free
            clauses.append(
                _Clause(terms, "NOT" in terms, bool(HYPOTHETICAL.search(" ".join(words))))
            )
        return clauses

    def match(self, text: str) -> list[Match]:
        best: dict[str, Match] = {}
        clauses = self._clauses(text)
        for clause in clauses:
            self._match_clause(clause, best, factor=1.0, threshold=0.72)
        facts = [c for c in clauses if not c.hypothetical]
        if len(facts) > 1:
            # Practitioners scatter one fact over commas ("15 yo, on bail, charged with
            # robbery"): every word of a trigger anywhere in the message is weaker evidence.
            whole = _Clause({}, any(c.has_negator for c in facts), False)
            for c in facts:
                for term, free in c.terms.items():
                    whole.terms[term] = whole.terms.get(term, False) or free
            self._match_clause(whole, best, factor=0.85, threshold=0.99)
        matches = list(best.values())
        if any(not m.hypothetical for m in matches):
            matches = [m for m in matches if not m.hypothetical]
        return sorted(matches, key=lambda m: (-self._rank(m.indicator), -m.score, m.indicator.id))

    def _match_clause(
        self, clause: _Clause, best: dict[str, Match], factor: float, threshold: float
    ) -> None:
        slots = {s for term in clause.terms for s in self.by_term.get(term, ())}
        for slot in slots:
            terms, negated, indicator, trigger = self.triggers[slot]
            if negated and not clause.has_negator:
                continue
            need = sum(self.weight[t] for t in terms)
            have = 0.0
            for t in terms:
                present = clause.terms.get(t)
                # A trigger that says "not engaging" accepts its own negation.
                if present is True or (present is False and negated):
                    have += self.weight[t]
            score = have / need
            if score < (0.99 if len(terms) <= 2 else threshold):
                continue
            candidate = Match(indicator, round(score * factor, 3), trigger, clause.hypothetical)
            current = best.get(indicator.id)
            if current is None or (candidate.score, -candidate.hypothetical) > (
                current.score,
                -current.hypothetical,
            ):
                best[indicator.id] = candidate

    def _rank(self, indicator: Indicator) -> int:
        return self.pack.levels[indicator.level].rank

    def assess(self, text: str, areas: tuple[str, ...] = ()) -> Assessment:
        matches = self.match(text)
        if not matches:
            return Assessment(None, None, (), 0.0)
        top = matches[0]
        level = self.pack.levels[top.indicator.level]
        at_top = [m for m in matches if self._rank(m.indicator) == level.rank]
        strength = max(m.score for m in at_top)
        confidence = min(1.0, 0.55 + 0.3 * strength + 0.05 * min(len(matches), 3))
        if areas and not any(m.indicator.area in areas for m in matches):
            confidence *= 0.85  # the form named areas that the description did not bear out
        borderline = self._borderline(at_top)
        return Assessment(level.id, level.rank, tuple(matches), round(confidence, 3), borderline)

    def _borderline(self, matches: list[Match]) -> tuple[Indicator, ...]:
        """Indicators with a `distinguish` note that bears on this answer (either side)."""
        found: dict[str, Indicator] = {}
        for m in matches:
            ind = m.indicator
            if ind.distinguish:
                found[ind.id] = ind
            for other in self.pack.indicators.values():
                if other.distinguish and other.distinguish.with_id == ind.id:
                    found[other.id] = other
        return tuple(found.values())
