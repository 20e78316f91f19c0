"""The Answer: one object that the console, the JSON contract and Slack all render."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

KINDS = ("glossary", "level", "triage", "guidance", "guide", "emergency", "help", "no_answer")


@dataclass(frozen=True)
class SourceCitation:
    title: str
    url: str | None = None
    section: str = ""

    def to_dict(self) -> dict:
        return {"title": self.title, "url": self.url, "section": self.section}


@dataclass(frozen=True)
class Alternative:
    entry_id: str
    title: str
    score: float

    def to_dict(self) -> dict:
        return {
            "entry_id": self.entry_id,
            "title": self.title,
            "score": round(min(self.score, 1.0), 3),
        }


@dataclass(frozen=True)
class MatchedIndicator:
    id: str
    level: int
    level_name: str
    area: str
    text: str


@dataclass(frozen=True)
class Answer:
    kind: str
    text: str
    entry_id: str | None = None
    title: str = ""
    match_terms: tuple[str, ...] = ()
    level: int | None = None
    emergency: bool = False
    confidence: float = 0.0
    sources: tuple[SourceCitation, ...] = ()
    alternatives: tuple[Alternative, ...] = ()
    redacted: int = 0
    # For renderers: not part of the JSON contract.
    emergency_text: str = ""
    indicators: tuple[MatchedIndicator, ...] = ()
    reviewed: date | None = None
    notes: tuple[str, ...] = ()
    query_id: str | None = None
    extras: dict = field(default_factory=dict)

    @property
    def answered(self) -> bool:
        return self.kind not in ("no_answer", "help")

    def to_dict(self) -> dict:
        """The answer contract (DESIGN.md): exactly these fields."""
        return {
            "kind": self.kind,
            "entry_id": self.entry_id,
            "title": self.title,
            "match_terms": list(self.match_terms),
            "level": self.level,
            "emergency": self.emergency,
            "confidence": round(self.confidence, 3),
            "text": self.full_text(),
            "sources": [s.to_dict() for s in self.sources],
            "alternatives": [a.to_dict() for a in self.alternatives],
            "redacted": self.redacted,
        }

    def full_text(self) -> str:
        """Plain text with emergency advice first and any notes last."""
        parts = [self.emergency_text] if self.emergency_text else []
        parts.append(self.text)
        parts.extend(self.notes)
        return "\n\n".join(p for p in parts if p)
