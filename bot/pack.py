"""The knowledge pack as frozen dataclasses. Loading and validation live in bot.loader."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

ENTRY_KINDS = ("glossary", "guidance", "guide", "level")
_TRAILING_NOTE = re.compile(r"\s*\([^()]*\)\s*$")


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    publisher: str = ""
    year: int | None = None
    url: str | None = None
    note: str = ""


@dataclass(frozen=True)
class SourceRef:
    id: str
    section: str = ""


@dataclass(frozen=True)
class Entry:
    """Anything the bot can answer with: a glossary term, guidance, a guide or a level."""

    id: str
    kind: str
    title: str
    text: str
    reviewed: date
    aliases: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()
    see_also: tuple[str, ...] = ()
    sources: tuple[SourceRef, ...] = ()
    topic: str = ""
    areas: tuple[str, ...] = ()
    # Labelled extra sections (a level's "Who responds", a guide's "What to do"), in order.
    details: tuple[tuple[str, str], ...] = ()
    file: str = ""
    line: int = 0
    # Where the wording comes from and what could not be verified: for admins and reviewers,
    # never shown in an answer.
    provenance: str = ""
    # The answer's first screen (bot/answer_lead.py), when its first sentences will not do:
    # a shorter gist, the one next step, whom to contact (contact ids).
    summary: str = ""
    next_step: str = ""
    contacts: tuple[str, ...] = ()

    @property
    def match_terms(self) -> list[str]:
        return [self.title, *self.aliases]


@dataclass(frozen=True)
class Level:
    id: str
    rank: int
    label: str
    title: str
    contacts: tuple[str, ...] = ()
    file: str = ""
    line: int = 0

    @property
    def name(self) -> str:
        return f"{self.label} — {self.title}"


@dataclass(frozen=True)
class Area:
    id: str
    title: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Distinguish:
    with_id: str
    note: str


@dataclass(frozen=True)
class Indicator:
    id: str
    level: str
    area: str
    text: str
    triggers: tuple[str, ...] = ()
    distinguish: Distinguish | None = None
    contextual: bool = False
    file: str = ""
    line: int = 0
    provenance: str = ""  # for admins only, never shown in an answer


@dataclass(frozen=True)
class Contact:
    id: str
    name: str
    phone: str = ""
    note: str = ""
    source: str = ""
    checked: str = ""
    published_on: str = ""  # the page the number was published on (shown with the number)
    placeholder: str = ""  # why there is deliberately no number yet (for admins, not users)
    short_name: str = ""  # how an answer's first screen names it ("Coventry MASH")

    @property
    def is_placeholder(self) -> bool:
        return "PLACEHOLDER" in self.phone.upper()

    @property
    def is_role(self) -> bool:
        """A person to talk to in your own organisation (the DSL): no number to publish."""
        return not self.phone

    def display(self) -> str:
        note = f" ({self.note})" if self.note else ""
        if self.is_role:
            return f"{self.name}{note}"
        if self.is_placeholder:
            return f"{self.name}: no published number confirmed yet{note}"
        where = ""
        if self.published_on and self.checked:
            where = f" — as published on {self.published_on}, checked {self.checked}"
        return f"{self.name}: {self.phone}{where}{note}"


@dataclass(frozen=True)
class Course:
    id: str
    title: str
    text: str = ""
    provider: str = ""
    audience: str = ""
    areas: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    entries: tuple[str, ...] = ()
    file: str = ""
    line: int = 0


DEFAULT_EMERGENCY_CONTACTS = ("police-emergency", "mash", "mash-out-of-hours", "dsl")


@dataclass(frozen=True)
class LeadDefaults:
    """pack.yaml `lead:`: what an answer's first screen says when an entry does not say it
    itself, and the emergency banner's words and numbers."""

    emergency: str = ""  # the banner's advice, after the numbers
    emergency_contacts: tuple[str, ...] = DEFAULT_EMERGENCY_CONTACTS
    next_step: str = ""  # guidance and guides without their own
    contacts: tuple[str, ...] = ()  # whom guidance and guides name without their own
    examples: tuple[str, ...] = ()  # example questions for help and out-of-scope replies


@dataclass(frozen=True)
class Pack:
    id: str
    name: str
    version: str
    scheme: str
    level_label: str
    emergency: str
    disclaimer: str
    directory: str
    entries: dict[str, Entry] = field(default_factory=dict)
    levels: dict[str, Level] = field(default_factory=dict)
    areas: dict[str, Area] = field(default_factory=dict)
    indicators: dict[str, Indicator] = field(default_factory=dict)
    contacts: dict[str, Contact] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    courses: dict[str, Course] = field(default_factory=dict)
    topics: tuple[str, ...] = ()
    lead: LeadDefaults = field(default_factory=LeadDefaults)
    # Cues, rules, worked examples and the level model (bot/situations.py).
    situations: Any = None
    # Values worked out from this pack once and kept with it (and in the built-pack cache),
    # e.g. the words redaction keeps: not part of what the pack is, and never copied by
    # dataclasses.replace (a changed pack works them out afresh).
    memo: dict[str, Any] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )

    def level_by_rank(self, rank: int) -> Level | None:
        # Asked for every cue an assessment describes: a look-up, not a scan of the levels.
        by_rank = self.memo.get("levels_by_rank")
        if by_rank is None:
            by_rank = {}
            for lvl in self.levels.values():
                by_rank.setdefault(lvl.rank, lvl)  # the first level of a rank, as a scan finds
            self.memo["levels_by_rank"] = by_rank
        return by_rank.get(rank)

    def entries_of(self, kind: str) -> list[Entry]:
        return [e for e in self.entries.values() if e.kind == kind]

    def indicators_for(self, area: str) -> list[Indicator]:
        """The area's indicators, lowest level first."""
        return list(self._indicators_by_area.get(area, ()))

    @cached_property
    def _indicators_by_area(self) -> dict[str, tuple[Indicator, ...]]:
        # Made once (a frozen pack never changes): a scan of every indicator per question
        # grew with the pack.
        by_area: dict[str, list[Indicator]] = {}
        for indicator in self.indicators.values():
            by_area.setdefault(indicator.area, []).append(indicator)
        return {
            area: tuple(sorted(found, key=lambda i: (self.levels[i.level].rank, i.id)))
            for area, found in by_area.items()
        }

    def page_title(self, url: str) -> str:
        """The short title of the page at `url` when it is one of the pack's sources ("" if
        not): the source's title without the trailing note in brackets that says what the
        page holds, e.g. "Safeguarding in Early Years and Childcare"."""
        return self._page_titles.get(url.rstrip("/"), "")

    @cached_property
    def _page_titles(self) -> dict[str, str]:
        titles: dict[str, str] = {}
        for source in self.sources.values():
            if source.url:
                short = _TRAILING_NOTE.sub("", source.title).strip() or source.title
                titles.setdefault(source.url.rstrip("/"), short)
        return titles

    def emergency_contact_ids(self) -> tuple[str, ...]:
        return self.lead.emergency_contacts

    def emergency_contacts(self) -> list[Contact]:
        return [self.contacts[c] for c in self.emergency_contact_ids() if c in self.contacts]

    def counts(self) -> dict[str, int]:
        counts = {kind: len(self.entries_of(kind)) for kind in ENTRY_KINDS}
        counts.update(
            indicators=len(self.indicators),
            areas=len(self.areas),
            distinguish_pairs=sum(1 for i in self.indicators.values() if i.distinguish),
            contextual_indicators=sum(1 for i in self.indicators.values() if i.contextual),
            sources=len(self.sources),
            courses=len(self.courses),
            contacts=len(self.contacts),
        )
        return counts
