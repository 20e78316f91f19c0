"""Pure Block Kit builders for "Ask a safeguarding adviser": the button under an answer, the
asker's form, the advisers' message, the adviser's reply form and the reply the asker gets.

Everything a person typed is escaped; the question shown is the logged, redacted one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    CheckboxesElement,
    ContextBlock,
    HeaderBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from . import constants as c
from .blocks import CONTEXT_LIMIT, SECTION_LIMIT, _button, escape, truncate
from .modals import _modal

NOTE_LIMIT = 1000
REPLY_LIMIT = 2500
QUOTE_LIMIT = 1500
ACTIONS_BLOCK = "escalation_actions"  # the adviser's Reply / Mark resolved row


def _md(text: str) -> MarkdownTextObject:
    return MarkdownTextObject(text=text)


def _quote(text: str | None, limit: int = QUOTE_LIMIT) -> str:
    if not text:
        return "> _(the question's text is no longer kept)_"
    return "\n".join(f"> {line}" for line in truncate(escape(text), limit).split("\n"))


def escalate_modal(
    *, question: str | None, answer: str, agency: str, sector: str, metadata: dict[str, Any]
) -> View:
    """The asker's form: what the adviser will see, an optional note, share my name."""
    blocks: list[Block] = [
        ContextBlock(elements=[_md(":rotating_light: " + escape(c.ESCALATE_REMINDER))]),
        SectionBlock(
            text=_md(
                truncate(
                    "A safeguarding adviser will see your question with identifying details "
                    f"removed:\n{_quote(question, 1200)}\n*My answer:* {escape(answer)}\n"
                    f"*Your organisation:* {escape(agency)} ({escape(sector)})\n"
                    "They will *not* see your name unless you tick the box below.",
                    SECTION_LIMIT,
                )
            )
        ),
        InputBlock(
            block_id=c.NOTE_BLOCK,
            label=PlainTextObject(text="Anything to add for the adviser? (optional)"),
            optional=True,
            element=PlainTextInputElement(
                action_id=c.NOTE_ACTION, multiline=True, max_length=NOTE_LIMIT
            ),
        ),
        InputBlock(
            block_id=c.SHARE_NAME_BLOCK,
            label=PlainTextObject(text="Your name"),
            optional=True,
            element=CheckboxesElement(
                action_id=c.SHARE_NAME_ACTION,
                options=[
                    Option(
                        value="share",
                        text=PlainTextObject(text="Share my name so they can contact me"),
                    )
                ],
            ),
        ),
        ContextBlock(
            elements=[
                _md(
                    escape(
                        "Please don't include names or details that identify a child or "
                        "family; anything you add is redacted before the adviser sees it."
                    )
                )
            ]
        ),
    ]
    return _modal(c.ESCALATE_MODAL, "Ask an adviser", blocks, submit="Send", metadata=metadata)


def adviser_blocks(
    *,
    question: str | None,
    note: str | None,
    answer: str,
    agency: str,
    sector: str,
    topic: str,
    asker_user: str | None,
    reply_value: str,
    escalation_id: str,
) -> list[Block]:
    """The message in the advisers' channel, with Reply and Mark resolved."""
    who = (
        f"Asked by <@{asker_user}> — they are happy to be contacted."
        if asker_user
        else "The asker did not share their name; reply here and it reaches them privately."
    )
    blocks: list[Block] = [
        HeaderBlock(text=PlainTextObject(text="Question for a safeguarding adviser")),
        SectionBlock(text=_md(f"*Question* (identifying details removed):\n{_quote(question)}")),
    ]
    if note:
        blocks.append(SectionBlock(text=_md(f"*They added:*\n{_quote(note, 1000)}")))
    blocks += [
        SectionBlock(text=_md(truncate(f"*The bot's answer:* {escape(answer)}", SECTION_LIMIT))),
        ContextBlock(
            elements=[
                _md(
                    truncate(
                        f"*Organisation:* {escape(agency)} · *Sector:* {escape(sector)} · "
                        f"*Topic:* {escape(topic)}\n{who}",
                        CONTEXT_LIMIT,
                    )
                )
            ]
        ),
        ActionsBlock(
            block_id=ACTIONS_BLOCK,
            elements=[
                _button("Reply", c.ESCALATION_REPLY, reply_value, "primary"),
                _button("Mark resolved", c.ESCALATION_RESOLVE, escalation_id),
            ],
        ),
    ]
    return blocks


def resolved_blocks(blocks: Sequence[dict], by_user: str, day: str) -> list[dict]:
    """The advisers' message once resolved: the buttons (and the sealed way back to the
    asker they carry) replaced by who resolved it and when."""
    note = ContextBlock(
        elements=[_md(f":white_check_mark: Resolved by <@{by_user}> on {escape(day)}")]
    ).to_dict()
    return [note if b.get("block_id") == ACTIONS_BLOCK else b for b in blocks]


def reply_modal(*, question: str | None, note: str | None, metadata: dict[str, Any]) -> View:
    """The adviser's reply form."""
    text = f"*Their question:*\n{_quote(question, 1200)}"
    if note:
        text += f"\n*They added:*\n{_quote(note, 600)}"
    blocks: list[Block] = [
        SectionBlock(text=_md(truncate(text, SECTION_LIMIT))),
        InputBlock(
            block_id=c.REPLY_BLOCK,
            label=PlainTextObject(text="Your reply"),
            element=PlainTextInputElement(
                action_id=c.REPLY_ACTION, multiline=True, max_length=REPLY_LIMIT
            ),
        ),
        ContextBlock(
            elements=[
                _md(
                    escape(
                        "Your reply and your name go privately to the person who asked, in "
                        "the thread of their answer. Don't include names or details that "
                        "identify a child or family."
                    )
                )
            ]
        ),
    ]
    return _modal(c.ESCALATION_REPLY_MODAL, "Reply", blocks, submit="Send reply", metadata=metadata)


def asker_reply_blocks(*, question: str | None, reply: str, adviser_user: str) -> list[Block]:
    """What the asker receives: the adviser's reply under their (redacted) question."""
    return [
        SectionBlock(
            text=_md(
                truncate(
                    f":speech_balloon: *A safeguarding adviser (<@{adviser_user}>) replied* "
                    f"to your question:\n{_quote(question, 800)}",
                    SECTION_LIMIT,
                )
            )
        ),
        SectionBlock(text=_md(truncate(escape(reply), SECTION_LIMIT))),
        ContextBlock(elements=[_md(escape(c.ESCALATE_REMINDER))]),
    ]


def adviser_thread_note(adviser_user: str, reply: str | None, delivered: bool) -> str:
    """The line under the advisers' message saying it has been answered."""
    if not delivered:
        return (
            f"<@{adviser_user}>'s reply could not be delivered: the way back to the asker has "
            "expired or Slack refused it."
        )
    return f"<@{adviser_user}> replied to the asker:\n{_quote(reply, 2000)}"


def sent_text(name_shared: bool) -> str:
    return (
        "Sent to a safeguarding adviser. Their reply will come to you privately here in Slack, "
        "in the thread of your answer (or in your DM with me). "
        + ("They can also see your name. " if name_shared else "They don't see your name. ")
        + c.ESCALATE_REMINDER
    )
