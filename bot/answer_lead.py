"""Leads: the first screen of an answer, built from the pack, within the word limits.

A lead is the gist (a definition's first sentences, a suggested level and why), the one next
step and whom to contact. It is cut from reviewed pack text, never written here: an entry's
`summary` / `next_step` / `contacts` when it has them, else its first sentences, a level's
"What to do", a guide's sections, and the pack's `lead:` defaults (pack.yaml).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from .answer import ContactLine, Lead, NumberSource, lead_limit, word_count
from .pack import Entry, Pack

_SENTENCE = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[A-Z\"“‘(0-9])")
NEXT_STEP_WORDS = 32  # the one next step, cut from longer "What to do" text
MAX_CONTACTS = 3  # contacts a lead names; all of them are in the full answer
BANNER = "IMMEDIATE RISK"


_BULLET = ("- ", "• ", "* ")


def sentences(text: str) -> list[str]:
    """The sentences of the first paragraph that is prose (list items are skipped), or of
    the list items when the text is nothing but a list."""
    paragraphs = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    lines = [ln.strip() for p in paragraphs for ln in p.splitlines() if ln.strip()]
    for paragraph in paragraphs:
        rows = [ln.strip() for ln in paragraph.splitlines() if ln.strip()]
        prose = " ".join(ln for ln in rows if not ln.startswith(_BULLET))
        if prose:
            return _split(prose)
    return [s for ln in lines for s in _split(ln[2:] if ln.startswith(_BULLET) else ln)]


def _split(prose: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(prose) if s.strip()]


def clip(text: str, words: int) -> str:
    """At most `words` words, cut at a word with an ellipsis when it had to be cut."""
    parts = text.split()
    if len(parts) <= words:
        return text.strip()
    return " ".join(parts[: max(words, 1)]).rstrip(",;:—-") + "…"


def first_sentences(text: str, words: int) -> str:
    """As many whole sentences as fit in `words`; the first one clipped if it alone is longer."""
    out: list[str] = []
    for sentence in sentences(text):
        if word_count(" ".join([*out, sentence])) > words:
            break
        out.append(sentence)
    while len(out) > 1 and out[-1].endswith(":"):
        out.pop()  # it introduces a list the lead leaves out
    if out:
        return " ".join(out)
    found = sentences(text)
    return clip(found[0], words) if found else ""


def contact_lines(pack: Pack, ids: Iterable[str], limit: int = MAX_CONTACTS) -> tuple:
    """Contacts by id as a lead names them: a published number with its page and checked
    date, or a role (your DSL). Placeholders (no number confirmed yet) are left to the full
    answer, and so is a number without its page and date (validate refuses one)."""
    out = []
    for cid in dict.fromkeys(ids):
        contact = pack.contacts.get(cid)
        if contact is None or contact.is_placeholder:
            continue
        if contact.phone and not (contact.published_on and contact.checked):
            continue
        name = contact.short_name or contact.name
        out.append(ContactLine(name, contact.phone, contact.published_on, contact.checked))
    return tuple(out[:limit])


def sourced(lead: Lead, pack: Pack) -> Lead:
    """`lead` with the pages its numbers were published on: its contacts' numbers, and any
    pack contact's number its gist or next step quotes ("the police (101, …)"). The number
    the pack's own emergency advice tells everyone to ring (999) is an instruction there,
    not a contact; as a contact it is sourced like any other."""
    found: list[tuple[str, str, str]] = [
        (c.phone, c.published_on, c.checked) for c in lead.contacts if c.phone
    ]
    prose = f"{lead.text} {lead.next_step}"
    for contact in pack.contacts.values():
        phone = contact.phone
        if (
            phone
            and phone in prose  # cheap first: most numbers are in no lead's words
            and contact.published_on
            and contact.checked
            and not contact.is_placeholder
            and phone not in pack.emergency
            and re.search(rf"(?<!\d){re.escape(phone)}(?!\d)", prose)
        ):
            found.append((phone, contact.published_on, contact.checked))
    pages: dict[tuple[str, str], list[str]] = {}
    for phone, url, checked in found:
        numbers = pages.setdefault((url, checked), [])
        if phone not in numbers:
            numbers.append(phone)
    sources = tuple(
        NumberSource(url, checked, pack.page_title(url), tuple(numbers))
        for (url, checked), numbers in pages.items()
    )
    return replace(lead, numbers_source=sources)


def fit_lead(lead: Lead, kind: str) -> Lead:
    """`lead` within the word limit for an answer of this kind."""
    return _fit(lead, lead_limit(kind))


def _fit(lead: Lead, limit: int) -> Lead:
    """Keep the whole lead to `limit` words. The next step, the contacts and where their
    numbers were published are what a practitioner acts on and checks, so they stay: the
    pages' titles go first, then the gist is trimmed."""
    if word_count(lead.plain()) > limit and lead.page_titles:
        lead = lead.without_page_titles()
    spare = limit - (word_count(lead.plain()) - word_count(lead.text))
    if word_count(lead.text) <= spare:
        return lead
    return replace(lead, text=first_sentences(lead.text, max(spare, 8)))


# ---- leads by kind -------------------------------------------------------------------------
def _next_step(entry: Entry, pack: Pack, level_id: str | None = None) -> str:
    if entry.next_step:
        return entry.next_step
    if level_id is not None:
        todo = dict(pack.entries[level_id].details).get("What to do", "")
        if todo:
            return first_sentences(todo, NEXT_STEP_WORDS)
    if entry.kind == "guide":
        todo = dict(entry.details).get("What to do", "")
        if todo:
            return first_sentences(todo, NEXT_STEP_WORDS)
    return pack.lead.next_step


def _gist(entry: Entry, words: int) -> str:
    if entry.summary:
        return entry.summary
    text = entry.details[0][1] if entry.kind == "guide" and entry.details else entry.text
    return first_sentences(text, words)


def entry_lead(pack: Pack, entry: Entry) -> Lead:
    """A glossary term: the definition. Guidance, a guide or a level: the gist, the one next
    step and whom to contact."""
    limit = lead_limit(entry.kind)
    if entry.kind == "glossary":
        return _fit(sourced(Lead(_gist(entry, limit)), pack), limit)
    if entry.kind == "level":
        level = pack.levels[entry.id]
        gist = f"{level.name}: {_gist(entry, limit)}"
        ids = entry.contacts or level.contacts
        lead = Lead(gist, _next_step(entry, pack, level.id), contact_lines(pack, ids))
        return _fit(sourced(lead, pack), limit)
    ids = entry.contacts or pack.lead.contacts
    lead = Lead(_gist(entry, limit), _next_step(entry, pack), contact_lines(pack, ids))
    return _fit(sourced(lead, pack), limit)


def triage_lead(
    pack: Pack,
    level_id: str,
    reasons: Iterable[str],
    *,
    between: tuple[str, str] | None = None,
    lower_needs: bool = False,
) -> Lead:
    """A suggested level: the level, why (the first reasons that fit), the level's next step
    and whom to contact; one line each when the level is close to the next or when lower
    needs were described too (the full answer lists them and says why)."""
    level = pack.levels[level_id]
    entry = pack.entries[level_id]
    tail = []
    if between:
        tail.append(
            f"It sits between {between[0]} and {between[1]}: answering the questions "
            "that separate them will decide it."
        )
    if lower_needs:
        tail.append(
            "Lower-level needs you described still need meeting; the most serious "
            "concern sets the level."
        )
    head = f"Suggested level: {level.name}."
    lead = Lead(
        " ".join([head, *tail]),
        _next_step(entry, pack, level_id),
        contact_lines(pack, entry.contacts or level.contacts),
    )
    lead = sourced(lead, pack)
    limit = lead_limit("triage")
    reasons = list(dict.fromkeys(r.strip().rstrip(".") for r in reasons if r.strip()))
    every = " ".join([head, f"Why: {'; '.join(reasons)}.", *tail]) if reasons else lead.text
    if word_count(replace(lead, text=every).plain()) > limit:
        lead = lead.without_page_titles()  # the reasons matter more than the pages' titles
    spare = limit - word_count(lead.plain()) - 1
    why = []
    for reason in reasons:
        if word_count("; ".join([*why, reason])) > spare:
            if not why and spare >= 8:
                why.append(clip(reason, spare))
            break
        why.append(reason)
    if why:
        lead = replace(lead, text=" ".join([head, f"Why: {'; '.join(why)}.", *tail]))
    return lead


def emergency_lead(pack: Pack) -> Lead:
    """The banner: numbers first and where they were published, then what to do now, in
    60 words."""
    contacts = contact_lines(pack, pack.emergency_contact_ids(), limit=MAX_CONTACTS)
    contacts = tuple(c for c in contacts if c.phone)
    lead = Lead(pack.lead.emergency or pack.emergency, contacts=contacts, banner=BANNER)
    return _fit(sourced(lead, pack), lead_limit("emergency"))


def help_lead(pack: Pack) -> Lead:
    examples = "\n".join(f"• {q}" for q in pack.lead.examples[:3])
    text = (
        f"I answer questions about {pack.scheme} for {pack.name}: levels of need, terms, "
        "information sharing and one-minute guides, from a reviewed knowledge pack."
    )
    return Lead(f"{text} Try:\n{examples}" if examples else text)


def out_of_scope_lead(pack: Pack) -> Lead:
    lead = help_lead(pack)
    return Lead(
        "I don't have an answer to that, so I won't guess. " + lead.text,
        "If a child is at immediate risk, call 999.",
    )


def did_you_mean_lead(opening: str, titles: list[str]) -> Lead:
    text = opening + (" Did you mean: " + "; ".join(titles) + "?" if titles else "")
    return _fit(Lead(text, "If a child is at immediate risk, call 999."), lead_limit("no_answer"))
