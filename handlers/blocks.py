"""Pure Block Kit builders for answer messages: Answer in, slack_sdk block models out.

No Slack calls and no safeguarding logic here. Everything shown is escaped (`&`, `<`, `>`)
so text a person typed can never become a mention, a channel ping or a link.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from bot.answer import Answer, NumberSource

from . import constants as c

MAX_BLOCKS = 50  # per message
SECTION_LIMIT = 3000  # characters in a section's text
CONTEXT_LIMIT = 2000  # characters in one context element
HEADER_LIMIT = 150
BUTTON_LIMIT = 75
VALUE_LIMIT = 2000  # a button's value
FALLBACK_LIMIT = 3000  # the notification text beside the blocks
LOW_CONFIDENCE = 0.75  # below this an answer also offers "Did you mean"
MAX_ALTERNATIVES = 5
MAX_GUIDED = 5  # guided questions shown (the assistant offers at most three)
_PARTIAL_ENTITY = re.compile(r"&[a-z]{0,3}$")


def escape(text: str) -> str:
    """Slack's three control characters as entities: typed markup stays plain text."""
    return str(text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    """Message text as the person typed it: Slack sends `&`, `<`, `>` as `&amp;`, `&lt;`,
    `&gt;` (real mentions and links stay `<…>` markup). `&amp;` last, so `&amp;lt;` is `&lt;`."""
    return str(text or "").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def truncate(text: str, limit: int) -> str:
    """Shorten already-escaped text to `limit` characters without breaking an entity."""
    if len(text) <= limit:
        return text
    cut = _PARTIAL_ENTITY.sub("", text[: limit - 1])
    return cut.rstrip() + "…"


def split_text(text: str, limit: int = SECTION_LIMIT) -> list[str]:
    """Split text into chunks of at most `limit` characters: by paragraph, then line, then word."""
    chunks: list[str] = []
    current = ""
    for piece in _pieces(text.strip(), limit):
        sep = "\n\n" if piece.startswith("\0") else "\n"
        piece = piece.lstrip("\0")
        if not current:
            current = piece
        elif len(current) + len(sep) + len(piece) <= limit:
            current += sep + piece
        else:
            chunks.append(current)
            current = piece
    if current:
        chunks.append(current)
    return chunks


def _pieces(text: str, limit: int) -> Iterable[str]:
    """Paragraphs (marked with a leading NUL) and, inside long ones, lines or word runs."""
    for p_index, paragraph in enumerate(p for p in text.split("\n\n") if p.strip()):
        first = True
        for line in paragraph.split("\n"):
            for part in _words(line, limit):
                yield ("\0" if first and p_index else "") + part
                first = False


def _words(line: str, limit: int) -> Iterable[str]:
    if len(line) <= limit:
        yield line
        return
    current = ""
    for word in line.split(" "):
        while len(word) > limit:  # one enormous "word": cut it, never inside an entity
            head = _PARTIAL_ENTITY.sub("", word[:limit])
            if current:
                yield current
                current = ""
            yield head
            word = word[len(head) :]
        if current and len(current) + 1 + len(word) > limit:
            yield current
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        yield current


def _md(text: str) -> MarkdownTextObject:
    return MarkdownTextObject(text=text)


def _plain(text: str, limit: int) -> PlainTextObject:
    return PlainTextObject(text=truncate(escape(text), limit), emoji=True)


def _button(
    label: str, action_id: str, value: str | None = None, style: str | None = None
) -> ButtonElement:
    return ButtonElement(
        text=truncate(escape(label), BUTTON_LIMIT),
        action_id=action_id,
        value=value[:VALUE_LIMIT] if value else None,
        style=style,
    )


def _context(text: str) -> ContextBlock:
    return ContextBlock(elements=[_md(truncate(text, CONTEXT_LIMIT))])


# ---- the first screen (the answer's lead) ---------------------------------------------------
def lead_blocks(answer: Answer) -> list[Block]:
    """The lead as Slack shows it: an emergency banner (siren, numbers first) ruled off, or
    the gist with the next step and whom to contact in bold labels."""
    lead = answer.lead
    if lead is None and answer.emergency_text:
        return emergency_blocks(answer)
    if lead is None:
        return [
            SectionBlock(
                block_id=c.LEAD_BLOCK, text=_md(truncate(escape(answer.summary), SECTION_LIMIT))
            )
        ]
    numbers = lead.numbers_line(link=_page_link, escape=escape)
    if lead.banner:
        lines = [f":rotating_light: *{escape(lead.banner)}*"]
        lines += [f"• *{escape(x.name)}*: {escape(x.phone)}" for x in lead.contacts]
        lines += [numbers] if numbers else []
        lines.append(escape(lead.text))
        text = truncate("\n".join(lines), SECTION_LIMIT)
        return [SectionBlock(block_id="emergency", text=_md(text)), DividerBlock()]
    labels = {"next_step": "Next step:", "contacts": "Contact:"}
    lines = []
    for role, value in lead.parts():
        if role == "numbers_source":
            lines.append(numbers)
            continue
        label = labels.get(role)
        if label and value.startswith(label):
            value = value[len(label) :].strip()
        lines.append(f"*{label}* {escape(value)}" if label else escape(value))
    return [
        SectionBlock(block_id=c.LEAD_BLOCK, text=_md(truncate("\n".join(lines), SECTION_LIMIT)))
    ]


def _page_link(source: NumberSource, text: str) -> str:
    """The page a number was published on as a Slack link showing `text`. Pack data, but
    escaped all the same; a `|` would end the address early, so it is percent-encoded."""
    url = escape(source.url).replace("|", "%7C")
    return f"<{url}|{escape(text)}>"


def sources_line_block(answer: Answer) -> list[Block]:
    """Sources on one line with the review date; the first source linked when it has a URL."""
    line = answer.sources_line()
    if not line:
        return []
    text = escape(line)
    first = answer.sources[0] if answer.sources else None
    if first is not None and first.url:
        title = escape(first.title)
        text = text.replace(title, f"<{escape(first.url)}|{title}>", 1)
    return [_context(text)]


def more_value(key: str, entry_id: str | None) -> str:
    """The More button's value: the answer's key and its entry id, nothing typed."""
    return f"{key}|{entry_id or ''}"


def parse_more_value(value: str | None) -> tuple[str, str] | None:
    """(answer key, entry id) from a More button's value; None if malformed."""
    key, sep, entry_id = str(value or "").partition("|")
    if not sep or not key or "|" in entry_id or len(key) > 64:
        return None
    return key, entry_id


def more_blocks(value: str) -> list[Block]:
    return [
        ActionsBlock(
            block_id=c.MORE_BLOCK,
            elements=[_button("More: full answer, contacts and sources", c.MORE, value)],
        )
    ]


# ---- pieces of the whole answer -------------------------------------------------------------
def emergency_blocks(answer: Answer) -> list[Block]:
    """Emergency advice: first, bold, with a siren, and ruled off from the answer."""
    lines = escape(answer.emergency_text).split("\n")
    text = f":rotating_light: *{lines[0]}*" + "".join(f"\n{line}" for line in lines[1:])
    return [
        SectionBlock(block_id="emergency", text=_md(truncate(text, SECTION_LIMIT))),
        DividerBlock(),
    ]


def _body_text(answer: Answer) -> str:
    return answer.text_without_indicator_list()


def indicator_blocks(answer: Answer, area_titles: Mapping[str, str]) -> list[Block]:
    if not answer.indicators:
        return []
    lines = ["*What you described matches these indicators:*"]
    for ind in answer.indicators:
        area = area_titles.get(ind.area, ind.area)
        lines.append(f"• *{escape(ind.level_name)}* · {escape(area)}: {escape(ind.text)}")
    return [
        SectionBlock(block_id=f"indicators_{n}", text=_md(chunk))
        for n, chunk in enumerate(split_text("\n".join(lines)))
    ]


def sources_block(answer: Answer) -> list[Block]:
    cites = []
    for s in answer.sources:
        title = escape(s.title) + (f", {escape(s.section)}" if s.section else "")
        cites.append(f"<{escape(s.url)}|{title}>" if s.url else title)
    parts = []
    if cites:
        parts.append("*Sources:* " + " · ".join(cites))
    if answer.reviewed:
        parts.append(f"Reviewed {answer.reviewed.isoformat()}")
    return [_context("  ·  ".join(parts))] if parts else []


def did_you_mean_blocks(answer: Answer, low_confidence: float = LOW_CONFIDENCE) -> list[Block]:
    """Buttons for the other likely entries when the answer is missing or unsure."""
    unsure = answer.kind == "no_answer" or answer.confidence < low_confidence
    offers = [a for a in answer.alternatives if a.entry_id][:MAX_ALTERNATIVES]
    if not unsure or not offers or answer.kind == "help":
        return []
    buttons = [_button(a.title, f"{c.OPEN_ENTRY}_{n}", a.entry_id) for n, a in enumerate(offers)]
    return [
        SectionBlock(text=_md("*Did you mean…*")),
        ActionsBlock(block_id="did_you_mean", elements=buttons),
    ]


def feedback_actions(answer: Answer, share_value: str | None = None) -> list[Block]:
    """👍 / 👎 carrying the query id, and "Share in channel" for a private answer."""
    elements = []
    if answer.query_id:
        elements += [
            _button("👍 Helpful", c.FEEDBACK_UP, answer.query_id),
            _button("👎 Not helpful", c.FEEDBACK_DOWN, answer.query_id),
        ]
    if share_value:
        elements.append(_button("Share in channel", c.SHARE_ANSWER, share_value))
    return [ActionsBlock(block_id=c.FEEDBACK_BLOCK, elements=elements)] if elements else []


def escalate_blocks(answer: Answer) -> list[Block]:
    """ "Ask a safeguarding adviser" under a logged answer or "no answer" (value: query id)."""
    if not answer.query_id or answer.kind == "help":
        return []
    button = _button("Ask a safeguarding adviser", c.ESCALATE, answer.query_id)
    return [ActionsBlock(block_id=c.ESCALATE_BLOCK, elements=[button])]


def guided_value(query_id: str, question_id: str, yes: bool) -> str:
    """A guided button's value: the query, the question and the answer, nothing typed."""
    return f"{query_id}|{question_id}|{'y' if yes else 'n'}"


def parse_guided_value(value: str | None) -> tuple[str, str, bool] | None:
    """(query id, question id, yes?) from a guided button's value; None if malformed."""
    parts = str(value or "").split("|")
    if len(parts) != 3 or not all(parts[:2]) or parts[2] not in ("y", "n"):
        return None
    return parts[0], parts[1], parts[2] == "y"


def guided_blocks(
    guided: Mapping,
    query_id: str,
    level_label: str = "level",
    answers: Mapping[str, bool] | None = None,
) -> list[Block]:
    """The questions that separate two close levels, each with Yes / No; an answer already
    given shows as the chosen button (it can still be changed)."""
    low, high = guided["between"]
    answers = answers or {}
    intro = f"This sits between {level_label} {low} and level {high} — " + (
        "your answers so far (change one to refine again):" if answers else "answer to refine:"
    )
    blocks: list[Block] = [SectionBlock(block_id=c.GUIDED_BLOCK, text=_md(escape(intro)))]
    for n, q in enumerate(list(guided["questions"])[:MAX_GUIDED]):
        chosen = answers.get(q["id"])
        buttons = []
        for yes, label, action_id in ((True, "Yes", c.GUIDED_YES), (False, "No", c.GUIDED_NO)):
            picked = chosen is yes
            buttons.append(
                _button(
                    f"✓ {label}" if picked else label,
                    action_id,
                    guided_value(query_id, q["id"], yes),
                    "primary" if picked else None,
                )
            )
        blocks.append(
            SectionBlock(
                block_id=f"{c.GUIDED_BLOCK}_q{n}",
                text=_md(truncate(f"*{escape(q['text'])}*", SECTION_LIMIT)),
            )
        )
        blocks.append(ActionsBlock(block_id=f"{c.GUIDED_BLOCK}_{n}", elements=buttons))
    return blocks


def _without_questions(text: str, guided: Mapping) -> str:
    """The answer text without its paragraph listing the guided questions (they are shown
    as buttons instead)."""
    asked = [q["text"] for q in guided.get("questions") or ()]
    kept = [
        p
        for p in text.split("\n\n")
        if not (p.startswith("This sits between") and all(t in p for t in asked))
    ]
    return "\n\n".join(kept)


def agency_offer_blocks() -> list[Block]:
    return [
        _context(escape(c.AGENCY_OFFER)),
        ActionsBlock(
            block_id=c.AGENCY_OFFER_BLOCK,
            elements=[_button("Set my organisation", c.OPEN_AGENCY_PICKER, "offer")],
        ),
    ]


# ---- whole messages --------------------------------------------------------------------------
def render_answer_blocks(
    answer: Answer,
    *,
    area_titles: Mapping[str, str] | None = None,
    share_value: str | None = None,
    offer_agency: bool = False,
    shared_by: str | None = None,
    feedback: bool = True,
    low_confidence: float = LOW_CONFIDENCE,
    guided: Mapping | None = None,
    guided_answers: Mapping[str, bool] | None = None,
    level_label: str = "level",
    escalate: bool = False,
    more: str | None = None,
    full: bool = False,
) -> list[Block]:
    """One answer as a message. By default its first screen: the lead, the sources on one
    line and, with `more` (the More button's value), a button for the rest. With `full`, the
    whole answer: emergency advice first, the text, indicators, every source.

    A logged triage answer between two close levels (`extras["guided"]`, or `guided` for a
    refined one) shows the questions that separate them with Yes / No buttons. With
    `escalate`, a logged answer offers "Ask a safeguarding adviser" under its buttons."""
    guided = guided or answer.extras.get("guided")
    if not (feedback and answer.query_id and guided and guided.get("questions")):
        guided = None
    if not full:
        return _lead_message(
            answer,
            guided=guided,
            guided_answers=guided_answers,
            level_label=level_label,
            more=more,
            share_value=share_value,
            offer_agency=offer_agency,
            shared_by=shared_by,
            feedback=feedback,
            low_confidence=low_confidence,
            escalate=escalate,
        )
    head: list[Block] = emergency_blocks(answer) if answer.emergency_text else []
    if answer.title and answer.kind not in ("no_answer",):
        head.append(HeaderBlock(text=_plain(answer.title, HEADER_LIMIT)))
    tail: list[Block] = indicator_blocks(answer, area_titles or {})
    if answer.notes:
        tail.append(_context("\n".join(escape(n) for n in answer.notes)))
    if guided:
        tail += guided_blocks(guided, answer.query_id or "", level_label, guided_answers)
    tail += sources_block(answer)
    tail += did_you_mean_blocks(answer, low_confidence)
    if shared_by:
        tail.append(_context(f"Shared by <@{shared_by}> from rhrt-bot"))
    if answer.redacted > 0:
        tail.append(_context(":lock: " + escape(c.REDACTION_NOTE)))
    if feedback:
        tail += feedback_actions(answer, share_value)
    if escalate:
        tail += escalate_blocks(answer)
    if offer_agency:
        tail += agency_offer_blocks()
    room = max(1, MAX_BLOCKS - len(head) - len(tail))
    body_text = _body_text(answer)
    if guided:
        body_text = _without_questions(body_text, guided)
    chunks = split_text(escape(body_text))
    if len(chunks) > room:
        chunks = chunks[: room - 1] + [
            truncate(chunks[room - 1], SECTION_LIMIT - 60)
            + "\n_(Shortened to fit in Slack — see the sources.)_"
        ]
    body = [SectionBlock(text=_md(chunk)) for chunk in chunks]
    return head + body + tail


def _lead_message(
    answer: Answer,
    *,
    guided: Mapping | None,
    guided_answers: Mapping[str, bool] | None,
    level_label: str,
    more: str | None,
    share_value: str | None,
    offer_agency: bool,
    shared_by: str | None,
    feedback: bool,
    low_confidence: float,
    escalate: bool = False,
) -> list[Block]:
    """The first screen: lead, guided questions, sources on one line, More, buttons."""
    blocks: list[Block] = []
    if answer.title and answer.kind not in ("no_answer", "help") and not answer.emergency:
        blocks.append(HeaderBlock(text=_plain(answer.title, HEADER_LIMIT)))
    blocks += lead_blocks(answer)
    if answer.notes:
        blocks.append(_context("\n".join(escape(n) for n in answer.notes)))
    if guided:
        blocks += guided_blocks(guided, answer.query_id or "", level_label, guided_answers)
    blocks += sources_line_block(answer)
    blocks += did_you_mean_blocks(answer, low_confidence)
    if more and answer.has_more:
        blocks += more_blocks(more)
    if shared_by:
        blocks.append(_context(f"Shared by <@{shared_by}> from rhrt-bot"))
    if answer.redacted > 0:
        blocks.append(_context(":lock: " + escape(c.REDACTION_NOTE)))
    if feedback:
        blocks += feedback_actions(answer, share_value)
    if escalate:
        blocks += escalate_blocks(answer)
    if offer_agency:
        blocks += agency_offer_blocks()
    return blocks[:MAX_BLOCKS]


def acknowledge_feedback(blocks: Sequence[dict], note: str) -> list[dict]:
    """A posted answer's blocks (as Slack returns them) with the 👍/👎 row replaced by `note`,
    so a rating is given once and the person sees it was received."""
    thanks = _context(escape(note)).to_dict()
    return [thanks if b.get("block_id") == c.FEEDBACK_BLOCK else b for b in blocks]


def answer_fallback_text(answer: Answer) -> str:
    """The plain notification text sent beside the blocks: an emergency's banner (numbers
    first), else the title, else the lead."""
    if answer.emergency:
        text = answer.summary if answer.lead is not None else answer.emergency_text
    else:
        text = answer.title if answer.title and answer.kind != "help" else answer.summary
    return truncate(escape(text), FALLBACK_LIMIT)


def notice_blocks(text: str) -> list[Block]:
    """A one-line message (rate limit, errors, thanks): escaped, one section."""
    return [SectionBlock(text=_md(truncate(escape(text), SECTION_LIMIT)))]


def guide_list_blocks(guides: Sequence, intro: str = "One-minute guides") -> list[Block]:
    """`/rhrt guide`: each one-minute guide as a button that opens it."""
    if not guides:
        return notice_blocks("This knowledge pack has no one-minute guides yet.")
    blocks: list[Block] = [SectionBlock(text=_md(f"*{escape(intro)}* — pick one to read it:"))]
    buttons = [_button(g.title, f"{c.OPEN_ENTRY}_{n}", g.id) for n, g in enumerate(guides)]
    for start in range(0, min(len(buttons), 25 * 40), 25):
        blocks.append(
            ActionsBlock(block_id=f"guides_{start // 25}", elements=buttons[start : start + 25])
        )
    return blocks[:MAX_BLOCKS]


def slash_help_blocks(help_answer: Answer) -> list[Block]:
    """`/rhrt help`: the assistant's help plus the subcommands."""
    commands = "\n".join(
        [
            f"`{c.COMMAND} <question>` — a private answer you can share",
            f"`{c.COMMAND} level <situation>` — suggest a level of need "
            "(`level` alone opens a form)",
            f"`{c.COMMAND} define <term>` — what a term or acronym means",
            f"`{c.COMMAND} guide` — list the one-minute guides; `guide <topic>` opens one",
            f"`{c.COMMAND} share <question>` — answer in the channel for everyone",
            f"`{c.COMMAND} agency` — tell me which organisation you work for",
            "You can also message me directly, or @mention me in a channel.",
        ]
    )
    blocks = render_answer_blocks(help_answer, feedback=False, full=True)
    return blocks + [DividerBlock(), SectionBlock(text=_md(escape(commands)))]
