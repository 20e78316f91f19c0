"""Adaptive Card forms and small cards: the "What level is this?" dialog (the Slack form's
fields: age band, concern areas, description), the agency picker, help, the guide list.
Pure builders over `cards`; every label is literal text."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from handlers import constants as c  # the platform's shared words: age bands, 👎 reasons

from . import ids
from .cards import card, execute, line, literal, show_card

CARD_TYPE = "application/vnd.microsoft.card.adaptive"
MAX_CHOICES = 100


def _choices(pairs: Sequence[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"title": literal(title, 75), "value": value} for value, title in pairs][:MAX_CHOICES]


def open_level_dialog(title: str = "What level is this?") -> dict[str, Any]:
    """A button that opens the "What level is this?" dialog (a task/fetch)."""
    data = {"msteams": {"type": "task/fetch"}, "dialog_id": ids.LEVEL_DIALOG}
    return {"type": "Action.Submit", "title": title, "data": data}


def level_form(
    pack: Any, *, values: Mapping[str, str] | None = None, error: str = ""
) -> dict[str, Any]:
    """The dialog's form: age band, concern areas (several), and what is happening."""
    values = values or {}
    ages = [(value, label) for value, label, _ in c.AGE_BANDS]
    areas = [(a.id, a.title) for a in pack.areas.values()]
    body: list[dict[str, Any]] = [
        line(
            f"Describe what is happening and I'll suggest a level of need ({pack.scheme}), with "
            "the indicators it matches. It supports, never replaces, your judgement."
        ),
        {
            "type": "Input.ChoiceSet",
            "id": ids.AGE,
            "label": "Child's age",
            "placeholder": "Choose an age band",
            "choices": _choices(ages),
            "value": values.get(ids.AGE, ""),
        },
        {
            "type": "Input.ChoiceSet",
            "id": ids.AREAS,
            "label": "Concern areas",
            "isMultiSelect": True,
            "placeholder": "Choose any that apply",
            "choices": _choices(areas),
            "value": values.get(ids.AREAS, ""),
        },
        {
            "type": "Input.Text",
            "id": ids.DESCRIPTION,
            "label": "What is happening?",
            "isMultiline": True,
            "isRequired": True,
            "errorMessage": "Describe what is happening for the child.",
            "maxLength": ids.DESCRIPTION_LIMIT,
            "placeholder": "e.g. mum drinking most evenings, baby has missed appointments, "
            "she wants help",
            "value": values.get(ids.DESCRIPTION, ""),
        },
    ]
    if error:
        body.append(line(error, color="attention", weight="bolder", id="form_error"))
    body.append(
        line(
            "Leave out names and other identifying details. If a child is at immediate risk, "
            "call 999 now — don't wait for this form.",
            isSubtle=True,
            size="small",
        )
    )
    submit = {"type": "Action.Submit", "title": "Suggest a level"}
    submit["data"] = {"action": ids.LEVEL_DIALOG}  # the SDK routes a submit by `action`
    return card(body, [submit])


def dialog(title: str, content: dict[str, Any]) -> dict[str, Any]:
    """A task module response that shows `content` (a card) in the dialog."""
    value = {"title": title, "height": "large", "width": "medium"}
    value["card"] = {"contentType": CARD_TYPE, "content": content}
    return {"task": {"type": "continue", "value": value}}


def agency_choices(agencies: Sequence[Mapping[str, str]]) -> list[tuple[str, str]]:
    """(id, "Sector — name") for each configured agency, in the config's order."""
    out = []
    for agency in agencies:
        sector = (agency.get("sector") or "other").replace("-", " ").capitalize()
        out.append((agency["id"], f"{sector} — {agency['name']}"))
    return out


def agency_picker(
    agencies: Sequence[Mapping[str, str]], current: str | None = None
) -> tuple[list[dict], list[dict]]:
    """(body, actions) of the picker: which organisation do you work for?"""
    body = [
        line(
            "Which kind of organisation do you work for? The partnership uses this to see which "
            "agencies ask what, so it can plan training. It is stored against a pseudonym, "
            "never your name or Teams account."
        ),
        {
            "type": "Input.ChoiceSet",
            "id": ids.AGENCY,
            "label": "Organisation",
            "isRequired": True,
            "errorMessage": "Choose one of the listed organisations.",
            "choices": _choices(agency_choices(agencies)),
            "value": current or "",
        },
    ]
    return body, [execute("Save", ids.SET_AGENCY, {}, associatedInputs="auto")]


def agency_offer(agencies: Sequence[Mapping[str, str]]) -> list[dict[str, Any]]:
    """Under a first answer: the offer, with the picker one click away (optional)."""
    body, actions = agency_picker(agencies)
    return [
        line(c.AGENCY_OFFER, isSubtle=True, size="small"),
        {
            "type": "ActionSet",
            "id": "agency_offer",
            "actions": [show_card("Set my organisation", body, actions)],
        },
    ]


def agency_card(agencies: Sequence[Mapping[str, str]], current: str | None) -> dict[str, Any]:
    body, actions = agency_picker(agencies, current)
    return card([line("Your organisation", weight="bolder", size="large"), *body], actions)


COMMANDS = (
    ("<question>", "answer a question (in a channel, @mention me)"),
    ("level <situation>", "suggest a level of need (`level` alone opens the form)"),
    ("define <term>", "what a term or acronym means"),
    ("guide", "list the one-minute guides; guide <topic> opens one"),
    ("agency", "tell me which organisation you work for"),
)


def help_card(help_text: str, *, admin: bool = False) -> dict[str, Any]:
    """What the bot does, the commands, and the "What level is this?" button."""
    body = [line("How to use rhrt-bot", weight="bolder", size="large")]
    body += [line(p, spacing="small") for p in help_text.split("\n\n") if p.strip()]
    commands = list(COMMANDS)
    if admin:
        commands += [("report [period]", "the board-office report"), ("reload", "re-read the pack")]
    body.append(line("Commands", weight="bolder"))
    body += [line(f"{name} — {what}", spacing="none") for name, what in commands]
    return card(body, [open_level_dialog()])


def guide_list_card(guides: Sequence[Any]) -> dict[str, Any]:
    """`guide`: each one-minute guide as a button that opens it."""
    if not guides:
        return card([line("This knowledge pack has no one-minute guides yet.")])
    body: list[dict[str, Any]] = [line("One-minute guides — pick one to read it:", weight="bolder")]
    for start in range(0, min(len(guides), 100), 5):
        buttons = [
            execute(g.title, ids.OPEN_ENTRY, {"entry": g.id}) for g in guides[start : start + 5]
        ]
        body.append({"type": "ActionSet", "actions": buttons})
    return card(body)
