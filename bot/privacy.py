"""Redact identifying details before anything is stored.

Identifiers with a shape go first (Slack mentions, links, emails, police references, NHS
numbers, dates, phone numbers, postcodes: bot/redact_patterns.py; street addresses:
bot/redact_addresses.py; rooms, plots, blocks and streets given by a landmark:
bot/redact_homes.py; named schools: bot/redact_schools.py), then people's names,
initials and nicknames (bot/redact_names.py and the modules it uses), then a name split by a
placeholder is joined into one (bot/redact_join.py). Last, a small learned model weighs
each word the rules left and takes those likely to be part of a name, school or address
(bot/redact_model.py; its weights are data, learnt from the privacy corpora). The word lists
are data (bot/data/redaction.yaml). The answer itself never sees redacted text: this guards
only what is written down.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from . import redact_patterns as patterns
from .redact_addresses import addresses, streets_after_addresses
from .redact_homes import described, homes
from .redact_join import join_names
from .redact_model import LearnedPass
from .redact_names import NameFinder
from .redact_patterns import nhs_valid  # noqa: F401 - part of this module's interface
from .redact_schools import schools
from .redact_tokens import MONTHS_AND_DAYS
from .redact_words import first_names, surnames  # noqa: F401 - used by bot.search

LABELS = (
    "NAME",
    "POSTCODE",
    "PHONE",
    "EMAIL",
    "NHS_NUMBER",
    "DATE",
    "ADDRESS",
    "SLACK_USER",
    "URL",
    "SCHOOL",
    "POLICE_REF",
)
PLACEHOLDER = re.compile(r"\[(?:" + "|".join(LABELS) + r")\]")
_WORD = re.compile(r"[^\W\d_](?:[\w'’\-]*[^\W\d_])?(?:['’]s?)?")

Finder = Callable[[str], list[tuple[int, int]]]


@dataclass(frozen=True)
class Redaction:
    text: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


class Redactor:
    """Replaces identifiers with typed placeholders; idempotent."""

    def __init__(
        self,
        safe_words: Iterable[str] = (),
        safe_phrases: Iterable[str] = (),
        learned: bool | dict = True,
    ):
        """`learned`: whether the learned pass follows the rules (or the weights it uses,
        for training and comparisons; True: the shipped bot/data/redaction-model.json)."""
        safe_words = {_bare(w) for w in safe_words}
        self.names = NameFinder(safe_words, safe_phrases)
        self._learned_with = learned
        self._learned: LearnedPass | None = None
        acronyms = self.names.acronyms
        phrases = self.names.phrases
        steps: list[tuple[str, Finder]] = [
            ("SLACK_USER", _matches(patterns.SLACK_USER)),
            ("EMAIL", _matches(patterns.SLACK_MAILTO)),
            ("URL", _matches(patterns.SLACK_URL)),
            ("URL", _matches(patterns.URL)),
            ("URL", _matches(patterns.BARE_URL)),
            ("EMAIL", _matches(patterns.EMAIL)),
            ("NAME", patterns.handles),  # an online name: "@jaydenxx_2010"
            ("POLICE_REF", patterns.police_refs),
            ("NHS_NUMBER", patterns.nhs_numbers),
            # Dates before phone numbers: "born 12/03/2015" must not feed a phone match.
            ("DATE", patterns.dates),
            ("PHONE", patterns.phones),
            ("ADDRESS", lambda text: addresses(text, phrases.spans)),
            ("ADDRESS", lambda text: streets_after_addresses(text, phrases.spans)),
            ("ADDRESS", lambda text: homes(text, phrases.spans)),
            ("ADDRESS", described),
            ("POSTCODE", patterns.postcodes),
            (
                "SCHOOL",
                lambda text: schools(text, phrases.spans(text), acronyms),
            ),
        ]
        self._steps = steps

    @classmethod
    def for_pack(cls, pack, extra: Iterable[str] = (), learned: bool | dict = True) -> Redactor:
        words, phrases = pack_vocabulary(pack)
        return cls(words | set(extra), phrases, learned)

    # ---- the pipeline ------------------------------------------------------------------
    def redact(self, text: str) -> Redaction:
        counts: Counter[str] = Counter()
        learned = self.learned
        # Rules and the learned pass until nothing more is found: a placeholder one of them
        # leaves can make a neighbour a name for the other ("AaÀ:AJ"), and a second redaction
        # must find nothing. Text with nothing to redact takes one round.
        for _ in range(4):
            before = text
            text = self.rules(text, counts)
            if learned is not None:
                text = self.learned_pass(text, learned, counts)
            if text == before:
                break
        return Redaction(text, dict(counts))

    def rules(self, text: str, counts: Counter[str] | None = None) -> str:
        """The rules alone: identifiers with a shape, then names, then names joined."""
        counts = Counter() if counts is None else counts
        text = self._structured(text or "", counts)
        named = join_names(_replace(text, self.names.spans(text), "NAME", counts), self.names)
        return _replace(named, _again(text, named), "NAME", counts)

    @property
    def learned(self) -> LearnedPass | None:
        """The learned pass, its weights read on first use (not at start-up)."""
        if self._learned is None and self._learned_with is not False:
            weights = self._learned_with if isinstance(self._learned_with, dict) else None
            self._learned = LearnedPass(self.names, weights)
        return self._learned

    def learned_pass(
        self,
        text: str,
        learned: LearnedPass,
        counts: Counter[str] | None = None,
        threshold: float | None = None,
    ) -> str:
        """What the rules left, weighed word by word: until nothing more is found (a word
        beside a new placeholder is weighed again), so a second redaction finds nothing."""
        counts = Counter() if counts is None else counts
        for _ in range(3):
            spans = learned.spans(text, threshold)
            if not spans:
                break
            names = [text[a:b] for a, b, label in spans if label == "NAME"]
            taken = [(a, b) for a, b, _ in spans]
            spans += [(a, b, "NAME") for a, b in _occurrences(text, names) if not _in(a, b, taken)]
            text = _replace_labelled(text, spans, counts)
            text = join_names(text, self.names)
        return text

    def structured(self, text: str) -> str:
        """Only the identifiers with a shape (for comparing name finders: bench/ner.py)."""
        return self._structured(text or "", Counter())

    def _structured(self, text: str, counts: Counter[str]) -> str:
        # One step can uncover another's shape ("100000000 0 X0 0AA": the phone number shows
        # only once the postcode is gone): repeat until a pass finds nothing, so a second
        # redaction never finds more.
        for _ in range(3):
            before = text
            text = self._structured_once(text, counts)
            if text == before:
                break
        return text

    def _structured_once(self, text: str, counts: Counter[str]) -> str:
        for label, find in self._steps:
            text = _replace(text, find(text), label, counts)
            if label == "PHONE":
                # libphonenumber groups digits afresh once some are gone ("10000000 00
                # [PHONE]"): look again until nothing is left, so a second pass finds none.
                for _ in range(3):
                    again = find(text)
                    if not again:
                        break
                    text = _replace(text, again, label, counts)
        return text


def pack_vocabulary(pack) -> tuple[frozenset[str], frozenset[str]]:
    """The words and phrases a pack itself uses (its entries' names and text, its areas and
    levels): never taken for a person's name. Worked out once per pack (kept in `pack.memo`,
    which the built-pack cache keeps too)."""
    memo = getattr(pack, "memo", None)
    if memo is not None and "redaction" in memo:
        return memo["redaction"]
    words: set[str] = set()
    phrases: set[str] = set()
    for entry in pack.entries.values():
        for term in (entry.title, *entry.aliases):
            phrases.add(term)
            words.update(_WORD.findall(term))
        words.update(w for w in _WORD.findall(entry.text) if not w[:1].isupper())
        words.update(w for w in _WORD.findall(entry.text) if w[:1].isupper() and len(w) > 1)
    for area in pack.areas.values():
        words.update(_WORD.findall(area.title))
    for level in pack.levels.values():
        words.update(_WORD.findall(f"{level.label} {level.title}"))
    words.update(_WORD.findall(f"{pack.name} {pack.scheme}"))
    found = (frozenset(words), frozenset(phrases))
    if memo is not None:
        memo["redaction"] = found
    return found


def _again(before: str, after: str) -> list[tuple[int, int]]:
    """The same name again in the message, where no rule found it ("Will (Y11) told his
    tutor … Will also said"): a capitalised word the names' step took is that person's name
    wherever it stands in `after` (what the step left)."""
    gone = Counter(_capitalised(before)) - Counter(_capitalised(after))
    return _occurrences(after, list(gone)) if gone else []


def _occurrences(text: str, names: list[str]) -> list[tuple[int, int]]:
    """Where the capitalised words of `names` stand in `text` (three letters or more; not a
    month or a day: "April (yr 5) said in April mum left" has one April in it)."""
    words = {w for name in names for w in _capitalised(name)}
    found = []
    for word in words:
        if len(word) >= 3 and word.lower() not in MONTHS_AND_DAYS and word not in LABELS:
            pattern = rf"(?<![\w'’\[-]){re.escape(word)}(?![\w'’\]-])"
            found += [m.span() for m in re.finditer(pattern, text)]
    return found


def _capitalised(text: str) -> list[str]:
    return [w for w in _WORD.findall(text) if w[:1].isupper()]


def _in(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(a < end and start < b for a, b in spans)


def _matches(pattern: re.Pattern[str]) -> Finder:
    return lambda text: [m.span() for m in pattern.finditer(text)]


def _replace(text: str, spans: list[tuple[int, int]], label: str, counts: Counter[str]) -> str:
    """Replace each span (overlaps merged, placeholders never cut) with [LABEL]."""
    if not spans:
        return text
    kept: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if end <= start or _cuts_placeholder(text, start, end):
            continue
        if kept and start < kept[-1][1]:
            kept[-1] = (kept[-1][0], max(kept[-1][1], end))
        else:
            kept.append((start, end))
    for start, end in reversed(kept):
        counts[label] += 1
        text = text[:start] + f"[{label}]" + text[end:]
    return text


def _replace_labelled(text: str, spans: list[tuple[int, int, str]], counts: Counter[str]) -> str:
    """Replace each (start, end, label) span, none overlapping, with [LABEL]."""
    for start, end, label in sorted(spans, reverse=True):
        if end <= start or _cuts_placeholder(text, start, end):
            continue
        counts[label] += 1
        text = text[:start] + f"[{label}]" + text[end:]
    return text


def _cuts_placeholder(text: str, start: int, end: int) -> bool:
    for m in PLACEHOLDER.finditer(text):
        if m.start() < end and start < m.end() and not (start <= m.start() and m.end() <= end):
            return True
        if start <= m.start() and m.end() <= end and (start, end) == m.span():
            return True  # already a placeholder
    return False


def _bare(token: str) -> str:
    return re.sub(r"['’]s?$", "", token)
