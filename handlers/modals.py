"""Pure builders for the modals: 👎 reason, agency picker, "What level is this?", and a
confirmation. State a submission needs travels in `private_metadata` (JSON), not on a server.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from slack_sdk.models.blocks import (
    ContextBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    OptionGroup,
    PlainTextInputElement,
    PlainTextObject,
    RadioButtonsElement,
    SectionBlock,
    StaticMultiSelectElement,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from . import constants as c
from .blocks import escape, truncate

OPTION_LIMIT = 75  # characters in an option's label
MAX_OPTIONS = 100
METADATA_LIMIT = 3000
DESCRIPTION_LIMIT = 2000
COMMENT_LIMIT = 1000


def _text(text: str, limit: int = 24) -> PlainTextObject:
    return PlainTextObject(text=truncate(escape(text), limit), emoji=True)


def _option(value: str, label: str) -> Option:
    return Option(value=value, text=_text(label, OPTION_LIMIT))


def _metadata(data: dict[str, Any]) -> str:
    return json.dumps(data, separators=(",", ":"))[:METADATA_LIMIT]


def read_metadata(view: dict[str, Any]) -> dict[str, Any]:
    """The JSON a modal carries back in `private_metadata` ({} if absent or not ours)."""
    try:
        data = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _modal(
    callback_id: str,
    title: str,
    blocks: list,
    *,
    submit: str | None = None,
    metadata: dict[str, Any] | None = None,
    notify_on_close: bool = False,
) -> View:
    return View(
        type="modal",
        callback_id=callback_id,
        title=_text(title),
        submit=_text(submit) if submit else None,
        close=_text("Cancel" if submit else "Close"),
        blocks=blocks,
        private_metadata=_metadata(metadata or {}),
        notify_on_close=notify_on_close,
    )


def feedback_modal(query_id: str) -> View:
    """👎: why wasn't it helpful? A reason, and an optional comment."""
    reasons = [_option(value, label) for value, label in c.FEEDBACK_REASONS]
    blocks = [
        InputBlock(
            block_id=c.REASON_BLOCK,
            label=_text("What was wrong?", 2000),
            element=RadioButtonsElement(action_id=c.REASON_ACTION, options=reasons),
        ),
        InputBlock(
            block_id=c.COMMENT_BLOCK,
            label=_text("Anything else? (optional)", 2000),
            optional=True,
            element=PlainTextInputElement(
                action_id=c.COMMENT_ACTION, multiline=True, max_length=COMMENT_LIMIT
            ),
        ),
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text=escape(
                        "Please don't include names or details that identify a child or family."
                    )
                )
            ]
        ),
    ]
    return _modal(
        c.FEEDBACK_MODAL,
        "Not helpful",
        blocks,
        submit="Send",
        metadata={"q": query_id},
        notify_on_close=True,
    )


def agency_options(agencies: Iterable[dict[str, str]]) -> tuple[list[OptionGroup], list[Option]]:
    """The config's agency categories, grouped by sector in the config's order."""
    groups: dict[str, list[Option]] = {}
    flat: list[Option] = []
    for agency in agencies:
        option = _option(agency["id"], agency["name"])
        groups.setdefault(agency.get("sector") or "other", []).append(option)
        flat.append(option)
    option_groups = [
        OptionGroup(
            label=_text(sector.replace("-", " ").capitalize(), OPTION_LIMIT),
            options=options[:MAX_OPTIONS],
        )
        for sector, options in list(groups.items())[:MAX_OPTIONS]
    ]
    return option_groups, flat


def agency_modal(
    agencies: Sequence[dict[str, str]], *, current: str | None = None, source: str = "slash"
) -> View:
    """Which organisation do you work for? Stored against a pseudonym, never the Slack id."""
    groups, flat = agency_options(agencies)
    initial = next((o for o in flat if o.value == current), None)
    select = StaticSelectElement(
        action_id=c.AGENCY_ACTION,
        option_groups=groups,
        placeholder=_text("Choose your organisation", 150),
        initial_option=initial,
    )
    blocks = [
        SectionBlock(
            text=MarkdownTextObject(
                text=escape(
                    "Which kind of organisation do you work for? The partnership uses this to see "
                    "which agencies ask what, so it can plan training. It is stored against a "
                    "pseudonym, never your name or Slack id."
                )
            )
        ),
        InputBlock(block_id=c.AGENCY_BLOCK, label=_text("Organisation", 2000), element=select),
    ]
    return _modal(
        c.AGENCY_MODAL, "Your organisation", blocks, submit="Save", metadata={"from": source}
    )


def level_modal(pack: Any, *, source: str = "shortcut") -> View:
    """ "What level is this?": age band, concern areas and a description."""
    ages = [_option(value, label) for value, label, _ in c.AGE_BANDS]
    areas = [_option(a.id, a.title) for a in pack.areas.values()][:MAX_OPTIONS]
    blocks = [
        SectionBlock(
            text=MarkdownTextObject(
                text=escape(
                    f"Describe what is happening and I'll suggest a level of need ({pack.scheme}), "
                    "with the indicators it matches. It supports, never replaces, your judgement."
                )
            )
        ),
        InputBlock(
            block_id=c.AGE_BLOCK,
            label=_text("Child's age", 2000),
            optional=True,
            element=StaticSelectElement(
                action_id=c.AGE_ACTION, options=ages, placeholder=_text("Choose an age band", 150)
            ),
        ),
        InputBlock(
            block_id=c.AREAS_BLOCK,
            label=_text("Concern areas", 2000),
            optional=True,
            element=StaticMultiSelectElement(
                action_id=c.AREAS_ACTION,
                options=areas,
                placeholder=_text("Choose any that apply", 150),
            ),
        ),
        InputBlock(
            block_id=c.DESCRIPTION_BLOCK,
            label=_text("What is happening?", 2000),
            element=PlainTextInputElement(
                action_id=c.DESCRIPTION_ACTION,
                multiline=True,
                max_length=DESCRIPTION_LIMIT,
                placeholder=_text(
                    "e.g. mum drinking most evenings, baby has missed appointments, she wants help",
                    150,
                ),
            ),
        ),
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text=escape(
                        "Leave out names and other identifying details. If a child is at "
                        "immediate risk, call 999 now — don't wait for this form."
                    )
                )
            ]
        ),
    ]
    return _modal(
        c.LEVEL_MODAL,
        "What level is this?",
        blocks,
        submit="Suggest a level",
        metadata={"from": source},
    )


def confirmation_modal(title: str, text: str) -> View:
    """A closing screen after a submission (e.g. "Saved")."""
    return _modal("confirmation", title, [SectionBlock(text=MarkdownTextObject(text=escape(text)))])


def level_question(description: str, age_band: str | None) -> str:
    """The question a "What level is this?" submission asks the assistant."""
    words = {value: words for value, _, words in c.AGE_BANDS}
    age = f" ({words[age_band]})" if age_band in words else ""
    return f"what level is this: {description.strip()}{age}"
