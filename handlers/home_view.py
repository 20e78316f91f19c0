"""Pure builder for the App Home tab: welcome, levels navigator, guides, emergency contacts,
and (for admins) this month's headline numbers and top gaps."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    Option,
    PlainTextObject,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from . import constants as c
from .blocks import SECTION_LIMIT, escape, split_text, truncate
from .stats import Headlines

MAX_HOME_BLOCKS = 100
SUMMARY_LIMIT = 220
GAP_WORDING_LIMIT = 200


def _md(text: str) -> MarkdownTextObject:
    return MarkdownTextObject(text=text)


def _plain(text: str, limit: int) -> PlainTextObject:
    return PlainTextObject(text=truncate(escape(text), limit), emoji=True)


def _button(label: str, action_id: str, value: str, style: str | None = None) -> ButtonElement:
    return ButtonElement(text=_plain(label, 75), action_id=action_id, value=value, style=style)


def _summary(text: str) -> str:
    first = text.strip().split("\n\n")[0]
    return truncate(escape(first), SUMMARY_LIMIT)


def _levels(pack: Any) -> list[Any]:
    return sorted(pack.levels.values(), key=lambda lvl: lvl.rank)


def level_blocks(pack: Any, level: Any) -> list[Block]:
    """A level: its name and meaning, and a select of the areas with indicators at it."""
    entry = pack.entries.get(level.id)
    text = f"*{escape(level.name)}*"
    if entry is not None:
        text += "\n" + _summary(entry.text)
    areas = [
        pack.areas[a]
        for a in dict.fromkeys(i.area for i in pack.indicators.values() if i.level == level.id)
        if a in pack.areas
    ]
    accessory = None
    if areas:
        accessory = StaticSelectElement(
            action_id=c.HOME_AREA,
            placeholder=_plain("Indicators by area", 150),
            options=[
                Option(value=f"{level.id}|{a.id}", text=_plain(a.title, 75)) for a in areas[:100]
            ],
        )
    return [SectionBlock(block_id=f"level_{level.id}", text=_md(text), accessory=accessory)]


def area_blocks(pack: Any, area_id: str, chosen_level: str | None) -> list[Block]:
    """One area's indicators at every level, the chosen level marked."""
    area = pack.areas.get(area_id)
    if area is None:
        return []
    blocks: list[Block] = [
        SectionBlock(
            text=_md(f":mag: *{escape(area.title)}* — indicators at every level"),
            accessory=_button("Close", c.HOME_BACK, "close"),
        )
    ]
    indicators = pack.indicators_for(area_id)
    for level in _levels(pack):
        here = [i for i in indicators if i.level == level.id]
        if not here:
            continue
        mark = "  ◀ _the level you chose_" if level.id == chosen_level else ""
        lines = [f"*{escape(level.name)}*{mark}"] + [f"• {escape(i.text)}" for i in here]
        blocks += [
            SectionBlock(text=_md(chunk)) for chunk in split_text("\n".join(lines), SECTION_LIMIT)
        ]
    return blocks + [DividerBlock()]


def guide_blocks(guides: list[Any]) -> list[Block]:
    if not guides:
        return [ContextBlock(elements=[_md("No one-minute guides in this pack yet.")])]
    if len(guides) > 25:
        return [
            SectionBlock(
                text=_md("Choose a guide to read it in your DM:"),
                accessory=StaticSelectElement(
                    action_id=f"{c.OPEN_ENTRY}_0",
                    placeholder=_plain("One-minute guides", 150),
                    options=[Option(value=g.id, text=_plain(g.title, 75)) for g in guides[:100]],
                ),
            )
        ]
    buttons = [_button(g.title, f"{c.OPEN_ENTRY}_{n}", g.id) for n, g in enumerate(guides)]
    return [ActionsBlock(block_id="home_guides", elements=buttons)]


def gap_blocks(gaps: list[tuple[str, int]] | None, min_cell_count: int) -> list[Block]:
    """The top gaps: the biggest groups of similar unanswered or low-confidence questions."""
    title = "*Top gaps this month* — unanswered or low-confidence questions, grouped by wording"
    if gaps is None:
        body = "The top gaps aren't available right now."
    elif not gaps:
        body = f"No group of {min_cell_count} or more similar questions yet."
    else:
        body = "\n".join(
            f"{n}. “{truncate(escape(wording), GAP_WORDING_LIMIT)}” — {count:,} questions"
            for n, (wording, count) in enumerate(gaps, 1)
        )
        body += (
            f"\n_Groups of fewer than {min_cell_count} questions, or from fewer than "
            f"{min_cell_count} people, are not shown; nor is anyone's own wording._"
        )
    return [
        SectionBlock(block_id="top_gaps", text=_md(truncate(f"{title}\n{body}", SECTION_LIMIT)))
    ]


def draft_blocks(drafts: list[tuple[str, str, int, int]] | None) -> list[Block]:
    """Admins: a button per gap that k or more people asked this month, to write it as a
    draft entry (value: the button's own JSON, read back by handlers.drafts)."""
    if not drafts:
        return []
    buttons = [
        _button(f"Draft: {label}", f"{c.DRAFT_ENTRY}_{n}", value)
        for n, (label, value, _questions, _people) in enumerate(drafts[:5])
    ]
    return [
        SectionBlock(
            block_id="drafts_intro",
            text=_md(
                "*Make a draft entry from a gap* — writes a YAML stub (redacted examples, the "
                "gap's size, any adviser's reply) into the pack's `drafts/` folder; the bot "
                "does not serve it until it is moved into the pack."
            ),
        ),
        ActionsBlock(block_id="drafts", elements=buttons),
    ]


def headline_blocks(
    headlines: Headlines | None,
    agency_name: Callable[[str], str],
    min_cell_count: int,
    gaps: list[tuple[str, int]] | None = None,
) -> list[Block]:
    blocks: list[Block] = [DividerBlock(), HeaderBlock(text=_plain("This month (admins)", 150))]
    if headlines is None:
        return blocks + [SectionBlock(text=_md("The query log isn't available right now."))]
    h = headlines
    blocks.append(
        SectionBlock(
            fields=[
                _md(f"*Questions*\n{h.questions:,}"),
                _md(f"*Answered*\n{h.answered_rate:.0%}"),
                _md(f"*Emergencies*\n{h.emergencies:,}"),
                _md(f"*Month*\n{escape(h.month)}"),
            ]
        )
    )
    tops = ", ".join(f"{escape(agency_name(a))} ({n})" for a, n in h.top_agencies) or "none yet"
    note = (
        f" Agencies with fewer than {min_cell_count} questions are not shown."
        if h.hidden_agencies
        else ""
    )
    blocks.append(
        ContextBlock(
            elements=[
                _md(
                    truncate(
                        f"*Top agencies:* {tops}.{note} `{c.COMMAND} report` sends you "
                        "the full report.",
                        2000,
                    )
                )
            ]
        )
    )
    return blocks + gap_blocks(gaps, min_cell_count)


def home_view(
    pack: Any,
    *,
    agency: str | None = None,
    headlines: Headlines | None = None,
    gaps: list[tuple[str, int]] | None = None,
    is_admin: bool = False,
    agency_name: Callable[[str], str] = str,
    min_cell_count: int = 5,
    area: str | None = None,
    level: str | None = None,
    drafts: list[tuple[str, str, int, int]] | None = None,
) -> View:
    """The Home tab. `area`/`level`: the navigator's current choice (from its select).
    `headlines` and `gaps` (wording, questions) are shown to admins only."""
    blocks: list[Block] = [
        HeaderBlock(text=_plain(f"rhrt-bot — {pack.scheme}", 150)),
        SectionBlock(
            text=_md(
                escape(
                    f"I answer questions about {pack.scheme} for {pack.name}: levels of need, "
                    "safeguarding terms, and information sharing and consent — from a reviewed "
                    "knowledge pack, with sources. Message me here, use /rhrt anywhere, or "
                    "@mention me in a channel. Please leave out names and details that identify "
                    "a child."
                )
            )
        ),
        ActionsBlock(
            block_id="home_actions",
            elements=[
                _button("What level is this?", c.OPEN_LEVEL_MODAL, "home", style="primary"),
                _button("Set my organisation", c.OPEN_AGENCY_PICKER, "home"),
            ],
        ),
        ContextBlock(
            elements=[
                _md(
                    f"Your organisation: *{escape(agency_name(agency))}*"
                    if agency
                    else "You haven't told me your organisation yet — it's optional."
                )
            ]
        ),
        DividerBlock(),
        HeaderBlock(text=_plain("Levels of need", 150)),
    ]
    for lvl in _levels(pack):
        blocks += level_blocks(pack, lvl)
        if area and (level == lvl.id or (level not in pack.levels and lvl == _levels(pack)[0])):
            blocks += area_blocks(pack, area, level)
    blocks += [DividerBlock(), HeaderBlock(text=_plain("One-minute guides", 150))]
    blocks += guide_blocks(pack.entries_of("guide"))
    contacts = "\n".join(f"• {escape(contact.display())}" for contact in pack.emergency_contacts())
    blocks += [
        DividerBlock(),
        HeaderBlock(text=_plain("Emergency contacts", 150)),
        SectionBlock(
            block_id="emergency",
            text=_md(
                truncate(
                    f":rotating_light: *{escape(pack.emergency)}*"
                    + (f"\n{contacts}" if contacts else ""),
                    SECTION_LIMIT,
                )
            ),
        ),
    ]
    if is_admin:
        blocks += headline_blocks(headlines, agency_name, min_cell_count, gaps)
        blocks += draft_blocks(drafts)
    return View(type="home", blocks=blocks[:MAX_HOME_BLOCKS])
