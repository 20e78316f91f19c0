"""The one renderer from an `Answer` to a Teams Adaptive Card (plain dicts, schema 1.5).

The same structure as Slack's blocks: emergency advice first, the title, the short lead and
"More", the indicators matched, sources with their review date, "Did you mean", 👍 / 👎.
Every piece of text is a `TextRun` inside a `RichTextBlock`, which Adaptive Cards show
literally: Teams markdown (`**`, `[link](…)`) and HTML typed by a person, or found in
content, can never become formatting, a link or a mention.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from bot.answer import Answer, Lead, NumberSource

from . import ids

VERSION = "1.5"  # Teams desktop, web and mobile render 1.5; Action.Execute needs 1.4
SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
LOW_CONFIDENCE = 0.75  # below this an answer also offers "Did you mean" (as in Slack)
MAX_ALTERNATIVES = 5
MAX_PARAGRAPHS = 40  # a Teams message must stay under ~28 KB
MAX_CHARS = 12_000  # of answer text on one card
RUN_LIMIT = 4000  # characters in one text run
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
SHORTENED = "(Shortened to fit in Teams — see the sources.)"


# ---- literal text ------------------------------------------------------------------------
def literal(value: Any, limit: int = RUN_LIMIT) -> str:
    """Text for a TextRun: control characters removed, at most `limit` characters."""
    text = _CONTROL.sub("", str(value or ""))
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def run(value: Any, **style: Any) -> dict[str, Any]:
    """One literal run of text (never read as markdown or HTML)."""
    return {"type": "TextRun", "text": literal(value), **style}


def rich(*runs: dict[str, Any], **props: Any) -> dict[str, Any]:
    return {"type": "RichTextBlock", "inlines": list(runs), **props}


def line(value: Any, **style: Any) -> dict[str, Any]:
    """A paragraph of literal text."""
    return rich(run(value, **style))


def card(body: list[dict[str, Any]], actions: Sequence[dict[str, Any]] = ()) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "AdaptiveCard", "$schema": SCHEMA, "version": VERSION}
    out["body"] = body
    if actions:
        out["actions"] = list(actions)
    # Full width in Teams: answers are long and read better wide.
    out["msteams"] = {"width": "full"}  # the spelling the Teams SDK's card model uses
    return out


def execute(title: str, verb: str, data: Mapping[str, Any] | None = None, **extra) -> dict:
    """A button that sends an `adaptiveCard/action` invoke with `verb` and `data`."""
    action = {"type": "Action.Execute", "title": literal(title, 80), "verb": verb}
    action["data"] = dict(data or {})
    return {**action, **extra}


def show_card(title: str, body: list[dict], actions: Sequence[dict]) -> dict[str, Any]:
    """A button that opens a small inline form under the card."""
    inner = {"type": "AdaptiveCard", "body": body, "actions": list(actions)}
    return {"type": "Action.ShowCard", "title": literal(title, 80), "card": inner}


def notice_card(text: str) -> dict[str, Any]:
    """A one-paragraph message (rate limit, errors, thanks)."""
    return card([line(text, size="default")])


# ---- pieces of an answer -----------------------------------------------------------------
def emergency_section(answer: Answer) -> list[dict[str, Any]]:
    """Emergency advice: first, bold, in an attention-styled container."""
    first, *rest = answer.emergency_text.split("\n")
    items = [line(f"🚨 {first}", weight="bolder", color="attention")]
    items += [line(r) for r in rest if r.strip()]
    return [{"type": "Container", "id": "emergency", "style": "attention", "items": items}]


def lead_and_more(answer: Answer) -> tuple[str, str]:
    """(the lead, the rest behind "More"). When the Answer carries a lead (`summary`), that
    is the lead and the whole text is "More"; until then the whole text is the lead."""
    body = _body_text(answer)
    summary = str(getattr(answer, "summary", "") or "").strip()
    # A lead that is the whole text (spacing aside) has nothing behind it.
    if summary and " ".join(summary.split()) != " ".join(body.split()):
        return summary, body
    return body, ""


def lead_items(lead: Lead, budget: list[int]) -> list[dict[str, Any]]:
    """The lead's lines in order; under its numbers, the page they were published on (a
    link) and the date they were checked there."""
    items: list[dict[str, Any]] = []
    lines: list[str] = []
    for role, value in lead.parts():
        if role != "numbers_source":
            lines.append(value)
            continue
        items += paragraphs("\n".join(lines), budget)
        lines = []
        items.append(numbers_source_line(lead))
    return items + paragraphs("\n".join(lines), budget)


def numbers_source_line(lead: Lead) -> dict[str, Any]:
    """`Lead.numbers_line` as literal runs, each page a run that opens it (a link that no
    text can fake: the address is the pack's, never markdown)."""
    pages: list[tuple[str, str]] = []

    def mark(source: NumberSource, text: str) -> str:
        pages.append((source.url, text))
        return f"\0{len(pages) - 1}\0"

    runs = []
    for n, piece in enumerate(lead.numbers_line(link=mark).split("\0")):
        if n % 2:
            url, text = pages[int(piece)]
            runs.append(run(text, selectAction={"type": "Action.OpenUrl", "url": url}))
        elif piece:
            runs.append(run(piece))
    return rich(*runs, id="numbers_source", spacing="small")


def _body_text(answer: Answer) -> str:
    return answer.text_without_indicator_list()


def paragraphs(text: str, budget: list[int]) -> list[dict[str, Any]]:
    """Paragraphs of literal text, spending from `budget` ([characters, paragraphs] left)."""
    out = []
    for para in (p.strip() for p in text.split("\n\n")):
        if not para:
            continue
        if budget[0] <= 0 or budget[1] <= 0:
            out.append(line(SHORTENED, isSubtle=True))
            break
        para = para[: budget[0]]
        budget[0] -= len(para)
        budget[1] -= 1
        out.append(line(para, spacing="small"))
    return out


def indicator_section(answer: Answer, area_titles: Mapping[str, str]) -> list[dict[str, Any]]:
    if not answer.indicators:
        return []
    items = [line("What you described matches these indicators:", weight="bolder")]
    for ind in answer.indicators:
        area = area_titles.get(ind.area, ind.area)
        items.append(
            rich(run(f"• {ind.level_name}", weight="bolder"), run(f" · {area}: {ind.text}"))
        )
    return [{"type": "Container", "id": "indicators", "items": items}]


def sources_section(answer: Answer) -> list[dict[str, Any]]:
    runs: list[dict[str, Any]] = []
    for s in answer.sources:
        title = s.title + (f", {s.section}" if s.section else "")
        runs.append(run(" · " if runs else "Sources: ", isSubtle=True))
        link = {"type": "Action.OpenUrl", "url": s.url} if s.url else None
        runs.append(run(title, isSubtle=True, **({"selectAction": link} if link else {})))
    if answer.reviewed:
        runs.append(run(f"   Reviewed {answer.reviewed.isoformat()}", isSubtle=True))
    return [rich(*runs, id="sources", size="small")] if runs else []


def did_you_mean(answer: Answer, low_confidence: float = LOW_CONFIDENCE) -> list[dict[str, Any]]:
    """Buttons for the other likely entries when the answer is missing or unsure."""
    unsure = answer.kind == "no_answer" or answer.confidence < low_confidence
    offers = [a for a in answer.alternatives if a.entry_id][:MAX_ALTERNATIVES]
    if not unsure or not offers or answer.kind == "help":
        return []
    buttons = [execute(a.title, ids.OPEN_ENTRY, {"entry": a.entry_id}) for a in offers]
    return [
        line("Did you mean…", weight="bolder"),
        {"type": "ActionSet", "id": "did_you_mean", "actions": buttons},
    ]


def feedback_actions(query_id: str, reasons: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """👍, and 👎 opening a reason and an optional comment, both carrying the query id."""
    form = [
        {
            "type": "Input.ChoiceSet",
            "id": ids.REASON,
            "label": "What was wrong?",
            "style": "expanded",
            "isRequired": True,
            "errorMessage": "Choose a reason.",
            "choices": [{"title": literal(t, 75), "value": v} for v, t in reasons],
        },
        {
            "type": "Input.Text",
            "id": ids.COMMENT,
            "label": "Anything else? (optional)",
            "isMultiline": True,
            "maxLength": ids.COMMENT_LIMIT,
        },
        line(
            "Please don't include names or details that identify a child or family.", size="small"
        ),
    ]
    send = execute("Send", ids.FEEDBACK_DOWN, {"q": query_id}, associatedInputs="auto")
    return {
        "type": "ActionSet",
        "id": ids.FEEDBACK_ROW,
        "actions": [
            execute("👍 Helpful", ids.FEEDBACK_UP, {"q": query_id}),
            show_card("👎 Not helpful", form, [send]),
        ],
    }


# ---- whole answers ---------------------------------------------------------------------------
def answer_card(
    answer: Answer,
    *,
    area_titles: Mapping[str, str] | None = None,
    feedback: bool = True,
    reasons: Iterable[tuple[str, str]] = (),
    extra: Sequence[dict[str, Any]] = (),
    redaction_note: str = "",
) -> dict[str, Any]:
    """One answer as a card: emergency first, title, lead (and More), indicators, notes,
    sources, Did you mean, the redaction note, 👍 / 👎, then `extra` (e.g. the agency offer)."""
    body: list[dict[str, Any]] = emergency_section(answer) if answer.emergency_text else []
    if answer.title and answer.kind != "no_answer":
        body.append(line(answer.title, weight="bolder", size="large"))
    budget = [MAX_CHARS, MAX_PARAGRAPHS]
    lead, more = lead_and_more(answer)
    if answer.lead is not None and lead == answer.summary.strip():
        body += lead_items(answer.lead, budget)
    else:
        body += paragraphs(lead, budget)
    if more:
        rest = {"type": "Container", "id": "more", "isVisible": False}
        rest["items"] = paragraphs(more, budget)
        toggle = {"type": "Action.ToggleVisibility", "title": "More", "targetElements": ["more"]}
        body += [{"type": "ActionSet", "actions": [toggle]}, rest]
    body += indicator_section(answer, area_titles or {})
    if answer.notes:
        body += [line(n, isSubtle=True, size="small") for n in answer.notes]
    body += sources_section(answer)
    body += did_you_mean(answer)
    if answer.redacted > 0 and redaction_note:
        body.append(line(f"🔒 {redaction_note}", isSubtle=True, size="small"))
    if feedback and answer.query_id:
        body.append(feedback_actions(answer.query_id, reasons))
    return card(body + list(extra))


def summary_text(answer: Answer) -> str:
    """The plain notification text for an answer (emergency advice first)."""
    parts = [answer.emergency_text.split("\n")[0]] if answer.emergency_text else []
    parts.append(answer.title if answer.title and answer.kind != "help" else "rhrt-bot")
    return literal(" — ".join(p for p in parts if p), 200)


def acknowledge(card_json: Mapping[str, Any], note: str) -> dict[str, Any]:
    """A card with its 👍/👎 row replaced by `note`, so a vote is given once and seen."""
    body = [
        line(note, isSubtle=True, id="feedback_done")
        if isinstance(item, Mapping) and item.get("id") == ids.FEEDBACK_ROW
        else item
        for item in card_json.get("body") or []
    ]
    return {**card_json, "body": body}
