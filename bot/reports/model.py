"""What a report is made of (sections, cards, charts, tables) and what every section reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..config import Config
from ..pack import Pack
from ..rollup import Rollup
from . import suppress
from .data import LogData
from .scope import Scope
from .tables import Table

SECTOR_ORDER = (
    "health",
    "education",
    "police",
    "probation",
    "local-authority",
    "voluntary",
    "other",
    "unknown",
)
SECTOR_NAMES = {
    "health": "Health",
    "education": "Education",
    "police": "Police",
    "probation": "Probation",
    "local-authority": "Local authority",
    "voluntary": "Voluntary, community and faith",
    "other": "Other",
    "unknown": "Not known",
}
FEW = "_few"  # agencies with fewer than k distinct askers, reported together


@dataclass(frozen=True)
class Card:
    label: str
    value: str
    change: str = ""  # e.g. "▲ 12% on the previous 30 days"
    trend: str = ""  # "up", "down" or "" (for colour only)


@dataclass(frozen=True)
class Chart:
    title: str
    data_uri: str
    alt: str
    wide: bool = True


@dataclass
class Section:
    id: str
    title: str
    tells_you: str  # the one line under the heading: what this section tells you
    findings: list[str] = field(default_factory=list)  # plain-text key points
    cards: list[Card] = field(default_factory=list)
    blocks: list[Chart | Table] = field(default_factory=list)

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]


@dataclass
class Context:
    """The inputs every section builder reads."""

    config: Config
    pack: Pack | None
    scope: Scope
    data: LogData
    today: date
    low_confidence: float
    clusters: list = field(default_factory=list)  # gaps.Cluster, made once and shared
    gap_coverage: tuple[int, int] = (0, 0)  # (questions clustered, gap questions with text)
    _groups: dict[str, str] = field(default_factory=dict, repr=False)  # agency -> as reported
    db_path: Path | None = None  # for sections that run their own read-only queries
    rollup: Rollup | None = None  # ...over the log's rollup, when it is up to date
    _cache: dict = field(default_factory=dict, repr=False)  # query results several use
    _totals: dict | None = field(default=None, repr=False)  # summary.totals, made once

    @property
    def k(self) -> int:
        return max(1, int(self.config.min_cell_count))

    def count(self, n: int | None) -> int | str:
        return suppress.count(n, self.k)

    def shown(self, n: int | None) -> bool:
        """May `n` be shown (k or more, with k or more people behind it)?"""
        return suppress.visible(n, self.k)

    def rate(self, part: int, whole: int, digits: int = 0) -> str:
        return suppress.rate(part, whole, self.k, digits)

    # ---- agencies --------------------------------------------------------------------
    def group(self, agency: str) -> str:
        """The agency as reported: itself, or FEW if fewer than k people from it asked."""
        found = self._groups.get(agency)
        if found is None:
            found = agency if self.data.askers_by_agency.get(agency, 0) >= self.k else FEW
            self._groups[agency] = found
        return found

    def agency_name(self, agency: str) -> str:
        if agency == FEW:
            return f"Other agencies (fewer than {self.k} askers each)"
        if agency == "unknown":
            return "Agency not known"
        return (
            self.config.agency_name(agency)
            if any(a["id"] == agency for a in self.config.agencies)
            else agency
        )

    def sector_of(self, agency: str) -> str:
        if agency in (FEW, "unknown"):
            return "unknown" if agency == "unknown" else "other"
        return self.config.agency_sector(agency)

    def agency_order(self, agencies) -> list[str]:
        """Config order within sector order; unknown and small agencies last."""
        index = {a["id"]: i for i, a in enumerate(self.config.agencies)}

        def key(agency: str):
            last = {FEW: 2, "unknown": 1}.get(agency, 0)
            sector = self.sector_of(agency)
            rank = SECTOR_ORDER.index(sector) if sector in SECTOR_ORDER else len(SECTOR_ORDER)
            return last, rank, index.get(agency, 999), agency

        return sorted(set(agencies), key=key)

    # ---- pack labels -------------------------------------------------------------------
    def entry_title(self, entry_id: str | None) -> str:
        if not entry_id:
            return "—"
        entry = self.pack.entries.get(entry_id) if self.pack else None
        return entry.title if entry else entry_id

    def area_title(self, area: str) -> str:
        found = self.pack.areas.get(area) if self.pack else None
        return found.title if found else area.replace("-", " ").capitalize()

    def topic_title(self, topic: str | None) -> str:
        if not topic:
            return "(no topic)"
        if topic.startswith("("):
            return {"(unanswered)": "Not answered", "(help)": "Help"}.get(topic, topic)
        return topic.replace("-", " ").capitalize()

    def level_name(self, rank: int | None) -> str:
        if rank is None:
            return "—"
        level = self.pack.level_by_rank(rank) if self.pack else None
        return level.label if level else f"Level {rank}"

    def level_ranks(self, seen=()) -> list[int]:
        ranks = {lvl.rank for lvl in self.pack.levels.values()} if self.pack else set()
        return sorted(ranks | {r for r in seen if r is not None})
