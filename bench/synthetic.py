"""Bigger packs and more questions, made from real ones by deterministic perturbation.

A 10x pack holds the bundled entries and indicators plus nine perturbed copies of each
(ids `<id>-s1` ... `<id>-s9`): words dropped and swapped, typos, synonyms substituted. The
copies share most of their vocabulary with the originals, so every query word's postings
grow with the pack — the honest worst case for an inverted index — and the typos grow the
vocabulary the spellers search. Level entries are not copied: a pack has one level scheme.
"""

from __future__ import annotations

import random
import string
from dataclasses import replace

from bot.pack import Distinguish, Entry, Indicator, Pack

# Everyday substitutions a different author (or partnership) might have written instead.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "child": ("young person", "kid", "pupil"),
    "children": ("young people", "kids", "pupils"),
    "parent": ("carer", "guardian"),
    "parents": ("carers", "family"),
    "mum": ("mother", "mam"),
    "dad": ("father", "stepdad"),
    "school": ("sch", "college", "academy"),
    "worried": ("concerned", "anxious"),
    "concern": ("worry", "issue"),
    "concerns": ("worries", "issues"),
    "help": ("support", "assistance"),
    "support": ("help", "backing"),
    "share": ("pass on", "disclose"),
    "information": ("info", "details"),
    "referral": ("referal", "contact"),
    "refer": ("report", "send"),
    "risk": ("danger", "harm"),
    "harm": ("hurt", "damage"),
    "home": ("house", "flat"),
    "police": ("cops", "officers"),
    "drinking": ("drunk", "boozing"),
    "drugs": ("substances", "weed"),
    "meeting": ("conference", "huddle"),
    "plan": ("arrangement", "programme"),
    "what": ("wat", "whats"),
    "does": ("dose", "do"),
    "mean": ("stand for", "meen"),
    "social": ("soc", "socal"),
    "worker": ("practitioner", "staff"),
    "baby": ("infant", "newborn"),
    "missing": ("absent", "gone"),
}


def typo(word: str, rng: random.Random) -> str:
    """One keyboard slip: a letter dropped, doubled, swapped with its neighbour or replaced."""
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    op = rng.randrange(4)
    if op == 0:
        return word[:i] + word[i + 1 :]
    if op == 1:
        return word[:i] + word[i] + word[i:]
    if op == 2:
        return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]
    return word[:i] + rng.choice(string.ascii_lowercase) + word[i + 1 :]


def perturb(text: str, rng: random.Random, rate: float = 0.15) -> str:
    """Drop, swap, misspell and substitute words, each with probability about `rate`."""
    words = text.split()
    if not words:
        return text
    out: list[str] = []
    for word in words:
        roll = rng.random()
        bare = word.lower().strip(".,;:!?()\"'")
        if roll < rate * 0.25 and len(words) > 2:
            continue  # dropped
        if roll < rate * 0.5 and bare in SYNONYMS:
            out.append(rng.choice(SYNONYMS[bare]))
        elif roll < rate * 0.8:
            out.append(typo(word, rng))
        else:
            out.append(word)
    for _ in range(max(0, int(len(out) * rate * 0.2))):
        if len(out) > 1:
            i = rng.randrange(len(out) - 1)
            out[i], out[i + 1] = out[i + 1], out[i]
    return " ".join(out) or text


def _entry_copy(entry: Entry, k: int, rng: random.Random) -> Entry:
    return replace(
        entry,
        id=f"{entry.id}-s{k}",
        title=perturb(entry.title, rng, 0.3),
        aliases=tuple(perturb(a, rng, 0.3) for a in entry.aliases),
        questions=tuple(perturb(q, rng, 0.25) for q in entry.questions),
        text=perturb(entry.text, rng, 0.2),
    )


def _indicator_copy(ind: Indicator, k: int, rng: random.Random) -> Indicator:
    distinguish = ind.distinguish
    if distinguish is not None:
        distinguish = Distinguish(f"{distinguish.with_id}-s{k}", distinguish.note)
    return replace(
        ind,
        id=f"{ind.id}-s{k}",
        text=perturb(ind.text, rng, 0.2),
        triggers=tuple(perturb(t, rng, 0.25) for t in ind.triggers),
        distinguish=distinguish,
    )


def grow_pack(pack: Pack, factor: int, seed: int = 7) -> Pack:
    """The pack with `factor - 1` perturbed copies of every non-level entry and indicator."""
    if factor <= 1:
        return pack
    rng = random.Random(seed)
    entries = dict(pack.entries)
    indicators = dict(pack.indicators)
    copyable = [e for e in pack.entries.values() if e.kind != "level"]
    for k in range(1, factor):
        for entry in copyable:
            copy = _entry_copy(entry, k, rng)
            entries[copy.id] = copy
        for ind in pack.indicators.values():
            copy = _indicator_copy(ind, k, rng)
            indicators[copy.id] = copy
    return replace(
        pack, entries=entries, indicators=indicators, version=f"{pack.version}-x{factor}"
    )


def question_stream(questions: list[str], total: int, seed: int = 11) -> list[str]:
    """`total` questions: passes over the originals in a shuffled order (repeats, as real
    traffic has), every other pass a fresh perturbed variant of each (new typos, which no
    cache has seen). A short stream is a fair sample of every question file."""
    rng = random.Random(seed)
    base = list(questions)
    rng.shuffle(base)
    n = len(base)
    return [
        base[i % n] if (i // n) % 2 == 0 else perturb(base[i % n], rng, 0.15) for i in range(total)
    ]


def fresh_stream(questions: list[str], total: int, seed: int = 11) -> list[str]:
    """`total` distinct questions for latency: each original once (shuffled), then perturbed
    variants (typos, dropped and swapped words, synonyms), never one question twice, so no
    cache keyed by the whole question ever hits. Only word-level caches help, as in real
    traffic."""
    rng = random.Random(seed)
    base = list(dict.fromkeys(questions))
    rng.shuffle(base)
    out, seen = [], set()
    attempts = 0
    while len(out) < total and base:
        q = base[attempts % len(base)]
        if attempts >= len(base):
            q = perturb(q, rng, 0.2)
        attempts += 1
        if q not in seen:
            seen.add(q)
            out.append(q)
        if attempts > 50 * total:  # a tiny set cannot give this many distinct questions
            raise ValueError(f"only {len(out)} distinct questions from {len(base)}")
    return out
