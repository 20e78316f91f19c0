"""The Answer: one object that the console, the JSON contract and Slack all render.

Every answer has a short **lead** (what it is / what to do / whom to call: one phone screen)
and the complete answer behind it (**More**: full text, indicators, all contacts, sources).
The split is made here, once, so every surface shows the same first screen."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from urllib.parse import urlsplit

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
    such as "your DSL"), with the page the number was published on and the date it was
    checked there. Numbers come only from the pack; the lead says where beside them."""

    name: str
    phone: str = ""
    published_on: str = ""  # the page's address
    checked: str = ""  # YYYY-MM-DD

    def display(self) -> str:
        return f"{self.name}: {self.phone}" if self.phone else self.name

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "phone": self.phone or None,
            "published_on": self.published_on or None,
            "checked": self.checked or None,
        }


@dataclass(frozen=True)
class NumberSource:
    """Where numbers a lead shows were published (one page) and when they were checked
    there: the guide shows a number only with both."""

    url: str
    checked: str
    title: str = ""  # the pack's short title for the page, when it has one
    numbers: tuple[str, ...] = ()

    @property
    def host(self) -> str:
        """The site, as a person says it: "coventry.gov.uk"."""
        host = urlsplit(self.url).netloc.lower()
        return host.removeprefix("www.")

    @property
    def address(self) -> str:
        """The page without its scheme, for a surface that cannot link (the console)."""
        parts = urlsplit(self.url)
        return (parts.netloc + parts.path).rstrip("/") or self.url

    def where(self, *, titled: bool = True, full: bool = False) -> str:
        """The page, compactly: its host (or, with `full`, host and path), then its title."""
        place = self.address if full else self.host
        return f"{place} ({self.title})" if titled and self.title else place

    def to_dict(self) -> dict:
        return {
            "numbers": list(self.numbers),
            "published_on": self.url,
            "title": self.title or None,
            "checked": self.checked,
        }


def numbers_line(
    sources: Iterable[NumberSource],
    *,
    titled: bool = True,
    link: Callable[[NumberSource, str], str] | None = None,
    escape: Callable[[str], str] = str,
    full: bool = False,
) -> str:
    """One line saying where the numbers were published and when they were checked:
    "Numbers as published on coventry.gov.uk (…), checked 2026-12-01". With more than one
    page, each page follows the numbers it published. `link(source, text)` makes the page a
    link on a surface that has them (it gets the text to show and returns the markup);
    `escape` makes the rest of the pack's text safe for that surface."""
    sources = [s for s in sources if s.numbers]
    if not sources:
        return ""

    def page(s: NumberSource) -> str:
        text = s.where(titled=titled, full=full)
        return link(s, text) if link else escape(text)

    if len(sources) == 1:
        [s] = sources
        label = "Number" if len(s.numbers) == 1 else "Numbers"
        return f"{label} as published on {page(s)}, checked {escape(s.checked)}"
    groups = [
        f"{escape(', '.join(s.numbers))} on {page(s)}, checked {escape(s.checked)}" for s in sources
    ]
    return "Numbers as published: " + "; ".join(groups)


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
    `text`); otherwise `text` (the gist), then the one `next_step`, then `contacts`. Under
    any number, where it was published and when it was checked (`numbers_source`)."""

    text: str
    next_step: str = ""
    contacts: tuple[ContactLine, ...] = ()
    banner: str = ""  # "IMMEDIATE RISK": set only when a child may be at immediate risk
    # The pages the numbers this lead may show were published on (bot/answer_lead.py).
    numbers_source: tuple[NumberSource, ...] = ()
    # Whether the provenance line names each page's title: False when the titles would take
    # the lead over its word limit (they go before any of the gist does).
    page_titles: bool = True

    def shown_sources(self) -> tuple[NumberSource, ...]:
        """The pages of the numbers this lead actually shows, each with only those numbers
        (a gist cut to fit may have lost a number its full text had)."""
        shown = " ".join([self.text, self.next_step, *(c.phone for c in self.contacts)])
        out = []
        for source in self.numbers_source:
            numbers = tuple(n for n in source.numbers if _shows(shown, n))
            if numbers:
                out.append(replace(source, numbers=numbers))
        return tuple(out)

    def numbers_line(self, **how) -> str:
        """Where the numbers shown were published and when they were checked (see
        `numbers_line` for `link`, `escape` and `full`); empty when the lead shows none."""
        return numbers_line(self.shown_sources(), titled=self.page_titles, **how)

    def without_page_titles(self) -> Lead:
        return replace(self, page_titles=False)

    def parts(self) -> list[tuple[str, str]]:
        """(role, plain text) in the order every surface shows them: role is one of
        banner · contacts · numbers_source · text · next_step."""
        contacts = " · ".join(c.display() for c in self.contacts)
        numbers = ("numbers_source", self.numbers_line())
        if self.banner:
            order = [("banner", self.banner), ("contacts", contacts), numbers, ("text", self.text)]
        else:
            order = [
                ("text", self.text),
                ("next_step", f"Next step: {self.next_step}" if self.next_step else ""),
                ("contacts", f"Contact: {contacts}" if contacts else ""),
                numbers,
            ]
        return [(role, value) for role, value in order if value]

    def plain(self) -> str:
        return "\n".join(value for _, value in self.parts())


def _shows(text: str, number: str) -> bool:
    """Is `number` in `text` as a whole number (not inside a longer one)?"""
    start = text.find(number)
    while start != -1:
        end = start + len(number)
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        if not before.isdigit() and not after.isdigit():
            return True
        start = text.find(number, start + 1)
    return False


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
            "lead_contacts": [c.to_dict() for c in self.lead.contacts] if self.lead else [],
            "numbers_source": (
                [s.to_dict() for s in self.lead.shown_sources()] if self.lead else []
            ),
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
