"""The questions the demo log asks, built from the pack's own content (used by bot.demolog).

Threshold questions come from indicator triggers, entry questions from each entry's example
questions and aliases, and the recurring unanswered questions from demo_catalogue; a question
that names an entry (the pack may have gained one) is answered by it, thinly.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process

from ..pack import Pack
from . import demo_catalogue as cat


@dataclass(frozen=True)
class Archetype:
    """One question the demo asks, what the bot answers and how confident it is."""

    group: str  # a KIND_MIX key
    text: str
    kind: str
    entry_id: str | None = None
    topic: str | None = None
    areas: str = "[]"
    level: int | None = None
    low: float = 0.6
    high: float = 0.95
    alternatives: tuple[str, ...] = ()
    feedback: str = "general"  # the REASONS profile an unhelpful rating draws from
    helpful: float = 0.85
    weight: float = 1.0
    start: int = 99  # months before the end of the log that it starts being asked
    redactions: int = 0

    @property
    def keys(self) -> set[str]:
        return {self.topic or "", *json.loads(self.areas)}


def _competing(pack: Pack) -> dict[str, str]:
    """Same-topic entries with the most similar titles, paired: they compete for questions."""
    entries = sorted((e for e in pack.entries.values() if e.kind != "level"), key=lambda e: e.id)
    scored = sorted(
        (
            (fuzz.token_set_ratio(a.title, b.title), a.id, b.id)
            for i, a in enumerate(entries)
            for b in entries[i + 1 :]
            if a.topic and a.topic == b.topic
        ),
        reverse=True,
    )
    twins: dict[str, str] = {}
    for _, a, b in scored[: max(2, len(entries) // 8)]:
        if a not in twins and b not in twins:
            twins[a], twins[b] = b, a
    return twins


def _triage(pack: Pack, rng: random.Random, threshold: float) -> list[Archetype]:
    ranks = {lvl.id: lvl.rank for lvl in pack.levels.values()}
    edge = {i.id for i in pack.indicators.values() if i.distinguish}
    edge |= {i.distinguish.with_id for i in pack.indicators.values() if i.distinguish}
    out = []
    for ind in sorted(pack.indicators.values(), key=lambda i: i.id):
        hard = ind.id in edge  # borderline: lower confidence, more disagreement
        for trigger in ind.triggers[:4]:
            template = rng.choice(cat.TRIAGE_TEMPLATES)
            out.append(
                Archetype(
                    "triage",
                    template.format(t=trigger),
                    "triage",
                    ind.level,
                    "thresholds",
                    json.dumps([ind.area]),
                    ranks.get(ind.level),
                    threshold if hard else threshold + 0.08,
                    threshold + 0.35 if hard else 0.97,
                    feedback="threshold",
                    helpful=0.62 if hard else 0.85,
                    weight=1.6 if hard else 1.0,
                    redactions=int("[NAME]" in template),
                )
            )
    return out


def _entries(pack: Pack, rng: random.Random, threshold: float) -> list[Archetype]:
    """Questions about entries; a tenth are never asked, three draw many 👎. Confidence is
    never under `threshold` (below it the bot declines), and close races are less sure."""
    ranks = {lvl.id: lvl.rank for lvl in pack.levels.values()}
    twins = _competing(pack)
    ordinary = sorted(e.id for e in pack.entries.values() if e.kind != "level")
    dormant = set(rng.sample(ordinary, len(ordinary) // 10))
    live = [e for e in ordinary if e not in dormant and e not in twins]
    problems = dict(
        zip(
            rng.sample(live, min(3, len(live))),
            ("out_of_date", "unclear", "not_my_area"),
            strict=False,
        )
    )
    out = []
    for entry in sorted(pack.entries.values(), key=lambda e: e.id):
        if entry.id in dormant:
            continue
        level = ranks.get(entry.id) if entry.kind == "level" else None
        alts = (twins[entry.id],) if entry.id in twins else ()
        areas = json.dumps(list(entry.areas))
        texts = list(entry.questions) or [f"what is {entry.title.lower()}"]
        texts += [f"what does {alias} mean" for alias in entry.aliases[:2]]
        weight = cat.KIND_WEIGHT.get(entry.kind, 1.0) / len(texts) * (2.5 if alts else 1.0)
        fault = problems.get(entry.id, "general")
        for text in texts:
            out.append(
                Archetype(
                    "entry",
                    text,
                    entry.kind,
                    entry.id,
                    entry.topic or None,
                    areas,
                    level,
                    threshold + 0.05 if alts else threshold + 0.12,
                    threshold + 0.4 if alts else 0.99,
                    alts,
                    fault,
                    0.45 if entry.id in problems else 0.86,
                    weight,
                )
            )
        short = " ".join(re.sub(r"[^\w\s'/-]", " ", entry.title.lower()).split()[:3])
        for template in rng.sample(cat.VAGUE_TEMPLATES, 2):
            out.append(
                Archetype(
                    "vague",
                    template.format(short),
                    entry.kind,
                    entry.id,
                    entry.topic or None,
                    areas,
                    level,
                    threshold,
                    threshold + 0.08,
                    alts or (rng.choice(ordinary),),
                    "unclear",
                    0.5,
                )
            )
    return out


def _named_in(text: str, entry) -> bool:
    """Does `text` name the entry (every word of its title or an alias of 3+ words)?"""
    words = set(default_process(text).split())
    for name in (entry.title, *entry.aliases):
        needed = default_process(name).split()
        if len(needed) >= 3 and set(needed) <= words:
            return True
    return False


def _gaps(pack: Pack, threshold: float) -> list[Archetype]:
    """Recurring questions phrased several ways. One the pack plainly covers by name (it may
    have gained an entry since) is answered by that entry, thinly; the rest go unanswered,
    with the closest entry offered instead."""
    entries = {e.id: e for e in pack.entries.values() if e.kind != "level"}
    names = {i: " ".join([e.title, *e.aliases, *e.questions[:2]]).lower()
             for i, e in entries.items()}  # fmt: skip
    out = []
    for weight, start, phrasings in cat.GAP_CLUSTERS:
        best = max((process.extractOne(p, names, scorer=fuzz.token_set_ratio,
                                       processor=default_process) for p in phrasings),
                   key=lambda m: m[1] if m else 0, default=None)  # fmt: skip
        for text in phrasings:
            covered = next((e for e in entries.values() if _named_in(text, e)), None)
            for prefix in cat.GAP_PREFIXES:
                for suffix in cat.GAP_SUFFIXES:
                    if covered is None:
                        out.append(Archetype(
                            "gap", prefix + text + suffix, "no_answer", low=0.1, high=0.5,
                            alternatives=(best[2],) if best else (), weight=weight,
                            start=start))  # fmt: skip
                        continue
                    out.append(Archetype(
                        "gap", prefix + text + suffix, covered.kind, covered.id,
                        covered.topic or None, json.dumps(list(covered.areas)), None, threshold,
                        threshold + 0.08, feedback="unclear", helpful=0.4, weight=weight,
                        start=start))  # fmt: skip
    return out


def build_archetypes(pack: Pack, rng: random.Random, threshold: float = 0.55) -> list[Archetype]:
    """Every question the demo log can ask, built from the pack's own content."""
    top = max(pack.levels.values(), key=lambda lvl: lvl.rank)
    out = _triage(pack, rng, threshold) + _entries(pack, rng, threshold)
    out += _gaps(pack, threshold)
    injuries = json.dumps(["injuries"] if "injuries" in pack.areas else [])
    for text in cat.EMERGENCY_TEXTS:
        out.append(
            Archetype(
                "emergency",
                text,
                "emergency",
                top.id,
                "thresholds",
                injuries,
                top.rank,
                0.9,
                1.0,
                helpful=0.9,
            )
        )
    for text in cat.HELP_TEXTS:
        out.append(Archetype("help", text, "help", low=1.0, high=1.0))
    out.append(Archetype("noise", "", "no_answer", low=0.0, high=0.3))  # text made per row
    return out
