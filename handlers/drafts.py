"""Admin Home: "Draft: …" buttons turn this month's gaps into draft entries (bot.drafts)."""

from __future__ import annotations

import json
import logging
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from slack_bolt import App

from bot import drafts

from . import constants as c
from .errors import deferred
from .service import KEY

logger = logging.getLogger("rhrt.slack")
MAX_BUTTONS = 5


def _period(today: date) -> tuple[date, date]:
    return today.replace(day=1), today


def draft_choices(log: Any, rhrt: Any) -> list[tuple[str, str, int, int]] | None:
    """This month's gaps that k or more people asked, as (label, button value, questions,
    people); None when the log cannot be read."""
    date_from, date_to = _period(datetime.now(UTC).date())
    try:
        ctx = drafts.gap_context(
            rhrt.config,
            rhrt.pack,
            date_from=date_from,
            date_to=date_to,
            db_path=log.path,
            today=date_to,
        )
        found = drafts.candidates(ctx)[:MAX_BUTTONS]
    except Exception as exc:  # noqa: BLE001 - the Home tab shows without the buttons
        logger.warning("draft choices unavailable (%s)", type(exc).__name__)
        return None
    return [
        (
            a.label,
            json.dumps(
                {"f": date_from.isoformat(), "t": date_to.isoformat(), "r": n, "l": a.label[:1500]}
            ),
            a.n,
            a.people,
        )
        for n, a in enumerate(found, 1)
    ]


def handle_draft_entry(ack, action, client, context) -> None:
    """An admin's "Draft: …" button: write that gap's stub and say where it is (DM)."""
    ack()
    rhrt = context[KEY]
    user = context.get("user_id")
    if not rhrt.is_admin(user):
        client.chat_postMessage(channel=user, text=c.ADMIN_ONLY)
        return
    try:
        wanted = json.loads(action.get("value") or "{}")
        date_from, date_to = date.fromisoformat(wanted["f"]), date.fromisoformat(wanted["t"])
    except (ValueError, KeyError, TypeError):
        return
    log = rhrt.log
    if log is None:
        client.chat_postMessage(channel=user, text=c.REPORT_NO_LOG)
        return
    log.flush(timeout=5)
    ctx = drafts.gap_context(
        rhrt.config,
        rhrt.pack,
        date_from=date_from,
        date_to=date_to,
        db_path=log.path,
        today=date_to,
    )
    found = drafts.candidates(ctx)
    match = next(
        ((n, a) for n, a in enumerate(found, 1) if a.label == wanted.get("l")), (None, None)
    )
    rank, asked = match
    if asked is None:
        client.chat_postMessage(
            channel=user,
            text="That gap is no longer among those asked by enough people; open the Home tab "
            "again to see the current ones.",
        )
        return
    pack_dir = Path(rhrt.pack.directory)
    stub = drafts.make_stub(
        ctx,
        drafts.DraftSource(date_from, date_to, rank, asked),
        entry_id=None,
        kind=None,
        taken=set(rhrt.pack.entries),
        today=datetime.now(UTC).date(),
    )
    try:
        path = drafts.write_draft(pack_dir, stub)
    except FileExistsError:
        text = (
            f"A draft for this gap already exists: `{drafts.DRAFTS}/{stub['id']}.yaml`. Edit "
            "that one, or replace it with `python -m bot draft-entry --force`."
        )
    except OSError as exc:
        logger.warning("draft not written (%s)", type(exc).__name__)
        text = "Sorry — I couldn't write the draft on the server (the pack folder isn't writable)."
    else:
        text = (
            f"Draft written: `{drafts.DRAFTS}/{path.name}` in the {rhrt.pack.id} pack "
            f"({stub['draft']['gap']['questions']:,} questions from "
            f"{stub['draft']['gap']['people']:,} people). Edit it, run `python -m bot validate`, "
            "and move it into the pack when it is ready; until then the bot does not serve it."
        )
    client.chat_postMessage(channel=user, text=text)


def register(app: App) -> None:
    app.action(c.DRAFT_ENTRY_PATTERN)(**deferred(handle_draft_entry))
