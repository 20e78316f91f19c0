"""The Answer: one object that the console, the JSON contract and Slack all render.

Every answer has a short **lead** (what it is / what to do / whom to call: one phone screen)
and the complete answer behind it (**More**: full text, indicators, all contacts, sources).
The split is made here, once, so every surface shows the same first screen."""

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
class ContactLine:
    """Whom to contact, as a lead shows it: a short name and the number (none for a role
    such as "your DSL"). Numbers come only from the pack, which records where and when each
    was checked; the full contact with that record is in the answer's text."""

    name: str
    phone: str = ""

    def display(self) -> str:
        return f"{self.name}: {self.phone}" if self.phone else self.name

    def to_dict(self) -> dict:
        return {"name": self.name, "phone": self.phone or None}


# Word limits for a lead (issue #15): a definition or an emergency banner in 60 words, the
# rest (guidance, guides, levels, triage, help, no answer) in 90.
LEAD_WORDS = {"glossary": 60, "emergency": 60}
DEFAULT_LEAD_WORDS = 90


def lead_limit(kind: str) -> int:
    return LEAD_WORDS.get(kind, DEFAULT_LEAD_WORDS)


def word_count(text: str) -> int:
    return len(text.split())


@dataclass(frozen=True)
class Lead:
    """The first screen of an answer. `banner` leads an emergency (numbers first, then
    `text`); otherwise `text` (the gist), then the one `next_step`, then `contacts`."""

    text: str
    next_step: str = ""
    contacts: tuple[ContactLine, ...] = ()
    banner: str = ""  # "IMMEDIATE RISK": set only when a child may be at immediate risk

    def parts(self) -> list[tuple[str, str]]:
        """(role, plain text) in the order every surface shows them: role is one of
        banner · contacts · text · next_step."""
        contacts = " · ".join(c.display() for c in self.contacts)
        if self.banner:
            order = [("banner", self.banner), ("contacts", contacts), ("text", self.text)]
        else:
            order = [
                ("text", self.text),
                ("next_step", f"Next step: {self.next_step}" if self.next_step else ""),
                ("contacts", f"Contact: {contacts}" if contacts else ""),
            ]
        return [(role, value) for role, value in order if value]

    def plain(self) -> str:
        return "\n".join(value for _, value in self.parts())


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
    # The first screen (see Lead); the complete answer is `full_text()`.
    lead: Lead | None = None

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
            "summary": self.summary,
            "sources": [s.to_dict() for s in self.sources],
            "alternatives": [a.to_dict() for a in self.alternatives],
            "redacted": self.redacted,
        }

    @property
    def summary(self) -> str:
        """The lead as plain text: what it is / what to do / whom to call."""
        if self.lead is not None:
            return self.lead.plain()
        words = self.full_text().split()
        limit = lead_limit(self.kind)
        return " ".join(words[:limit]) + ("…" if len(words) > limit else "")

    def sources_line(self) -> str:
        """Sources collapsed to one line with the review date (all of them are in More)."""
        if not self.sources:
            return f"Reviewed {self.reviewed.isoformat()}" if self.reviewed else ""
        first = self.sources[0].title
        more = len(self.sources) - 1
        line = f"Source: {first}" + (f" (+{more} more)" if more else "")
        return line + (f" · reviewed {self.reviewed.isoformat()}" if self.reviewed else "")

    @property
    def has_more(self) -> bool:
        """Is there more to read than the lead shows? (Not after "I won't guess": its
        offers are the way on.)"""
        if self.kind == "no_answer" and not self.emergency:
            return False
        return bool(self.sources) or self.summary.strip() != self.full_text().strip()

    def text_without_indicator_list(self) -> str:
        """The answer text without its matched-indicator list, for surfaces that show the
        indicators as their own section (Slack blocks, Teams cards)."""
        if not self.indicators:
            return self.text
        texts = [i.text for i in self.indicators]
        kept = [p for p in self.text.split("\n\n") if not ("•" in p and all(t in p for t in texts))]
        return "\n\n".join(kept)

    def full_text(self) -> str:
        """Plain text with emergency advice first and any notes last."""
        parts = [self.emergency_text] if self.emergency_text else []
        parts.append(self.text)
        parts.extend(self.notes)
        return "\n\n".join(p for p in parts if p)
