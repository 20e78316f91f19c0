"""Phrasing-independent evidence about a situation, as named features for the level model.

- `cue:<id>`  a named cue is present (not negated, not past, not hypothetical);
- `state:*`   the text also holds negated, past or hypothetical cues;
- `ind:<r>`   the best indicator-trigger match at level rank r, and `areas:<r>` how many
              concern areas matched there (several needs at one level raise it);
- `area:<id>` a concern area the matched indicators belong to;
- `w:<stem>`  a word outside any negation (the model learns which words matter).
"""

from __future__ import annotations

from dataclasses import dataclass

from .cues import _CLAUSE, _SENTENCE, HYPOTHETICAL, NEGATED, PAST, PRESENT, Found, Lexicon
from .text import clean, normalise, stem
from .triage import Match

# Cues that say who the child is, not what is happening to them.
_WHO_CUES = frozenset(
    {"person", "baby", "young-child", "teenager", "under-13", "under-16", "non-mobile-baby"}
)
_SKIP = frozenset(
    """a an the and or of to in on at by for with from as is are was were be been being am do
    does did have has had i me my we our you your it its they them their this that these those
    there here what which who whom when where why how can could would should will shall may might
    must just also very so then than too about into over level lvl rhrt threshold please thanks
    hi hello think know wondering""".split()
)


@dataclass(frozen=True)
class Evidence:
    found: Found
    matches: tuple[Match, ...]
    features: dict[str, float]
    # Only asked about ("what if a child told me…"): labelled as described, never an emergency.
    hypothetical: bool = False
    # The safety net's direct-description patterns that fire (read once, used twice).
    direct: tuple[str, ...] = ()


def words(text: str, lexicon: Lexicon) -> set[str]:
    """Stems of the words that are not under a negation."""
    out: set[str] = set()
    for sentence in _SENTENCE.split(clean(text).lower()):
        for part in _CLAUSE.split(sentence):
            tokens = normalise(part).split()
            negated_until = -1
            for i, token in enumerate(tokens):
                if token in lexicon.negators:
                    negated_until = i + lexicon.window
                    continue
                if token in lexicon.stops:
                    negated_until = -1
                if i <= negated_until or token in _SKIP or token.isdigit():
                    continue
                out.add(stem(token))
    return out


def extract(
    text: str, lexicon: Lexicon, matches: list[Match], rank_of, found: Found | None = None
) -> Evidence:
    """All features of one situation. `rank_of(indicator)` gives its level's rank."""
    found = found if found is not None else lexicon.find(text)
    hypothetical = _only_hypothetical(found)
    if hypothetical:
        found = Found(
            {c: s | {PRESENT} if HYPOTHETICAL in s else s for c, s in found.states.items()}
        )
    feats: dict[str, float] = {f"cue:{c}": 1.0 for c in found.present_cues}
    for state in (NEGATED, PAST, HYPOTHETICAL):
        if any(state in s for s in found.states.values()):
            feats[f"state:{state}"] = 1.0
    facts = [m for m in matches if not m.hypothetical]
    by_rank: dict[int, list[Match]] = {}
    for m in facts:
        by_rank.setdefault(rank_of(m.indicator), []).append(m)
        feats[f"area:{m.indicator.area}"] = 1.0
    for rank, ms in by_rank.items():
        feats[f"ind:{rank}"] = max(m.score for m in ms)
        feats[f"areas:{rank}"] = min(len({m.indicator.area for m in ms}), 4) / 4
    for w in words(text, lexicon):
        feats[f"w:{w}"] = 1.0
    return Evidence(found, tuple(matches), feats, hypothetical)


def _only_hypothetical(found: Found) -> bool:
    """Nothing described as happening, but something asked about."""
    facts = {c for c, s in found.states.items() if PRESENT in s} - _WHO_CUES
    asked = {c for c, s in found.states.items() if HYPOTHETICAL in s} - _WHO_CUES
    return not facts and bool(asked)
