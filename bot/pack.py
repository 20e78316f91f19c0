"""The knowledge pack as frozen dataclasses. Loading and validation live in bot.loader."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

ENTRY_KINDS = ("glossary", "guidance", "guide", "level")


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


@dataclass(frozen=True)
class Contact:
    id: str
    name: str
    phone: str = ""
    note: str = ""
    source: str = ""
    checked: str = ""

    @property
    def is_placeholder(self) -> bool:
        return not self.phone or "PLACEHOLDER" in self.phone.upper()

    def display(self) -> str:
        if self.is_placeholder:
            number = "number not yet set — ask your DSL or check the partnership website"
        else:
            number = self.phone
        return f"{self.name}: {number}" + (f" ({self.note})" if self.note else "")


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
    # Cues, rules, worked examples and the level model (bot/situations.py).
    situations: Any = None

    def level_by_rank(self, rank: int) -> Level | None:
        return next((lvl for lvl in self.levels.values() if lvl.rank == rank), None)

    def entries_of(self, kind: str) -> list[Entry]:
        return [e for e in self.entries.values() if e.kind == kind]

    def indicators_for(self, area: str) -> list[Indicator]:
        ranked = [i for i in self.indicators.values() if i.area == area]
        return sorted(ranked, key=lambda i: (self.levels[i.level].rank, i.id))

    def emergency_contacts(self) -> list[Contact]:
        wanted = ("police-emergency", "mash", "mash-out-of-hours", "dsl")
        return [self.contacts[c] for c in wanted if c in self.contacts]

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
