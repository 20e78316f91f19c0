"""Messages: the personal chat, and @mentions in a channel or group chat (answered in the
thread). The text is a question or one of the commands Slack's `/rhrt` has; admins also
have `report` and `reload`."""

from __future__ import annotations

import asyncio
import logging
import tempfile
import threading
from datetime import UTC, datetime
from typing import Any

from bot.reports import ReportError, Scope, build_report, parse_period
from handlers import constants as c
from handlers.commands import parse_command, question_for

from . import cards, forms, identity
from .errors import guarded
from .service import Reply, TeamsService

logger = logging.getLogger("rhrt.teams")
_REPORT_LOCK = threading.Lock()  # one report at a time per process: they read the whole log


def should_answer(activity: Any) -> bool:
    """Answer a person's message in the personal chat, and a channel or group-chat message
    only when it @mentions the bot. Card submissions (`value`) are not questions."""
    if activity.value is not None or not activity.from_ or not activity.from_.id:
        return False
    if identity.conversation_kind(activity) == "personal":
        return True
    return activity.is_recipient_mentioned()


async def send(ctx: Any, reply: Reply) -> None:
    """Post a card in the conversation (in a channel: in the thread of the question)."""
    from microsoft_teams.api import Attachment, MessageActivityInput

    message = MessageActivityInput(summary=reply.summary)
    message.add_attachments(Attachment(content_type=forms.CARD_TYPE, content=reply.card))
    await ctx.send(message)


def notice(text: str) -> Reply:
    return Reply(cards.notice_card(text), cards.literal(text, 200))


@guarded("message")
async def handle_message(ctx: Any, rhrt: TeamsService) -> None:
    activity = ctx.activity
    if not should_answer(activity):
        return
    text = identity.plain_text(activity.text or "", getattr(activity.recipient, "name", None))
    surface = identity.surface_of(activity)
    sub, rest = parse_command(text)
    if sub == "share":  # Slack's public share: every Teams answer is already where it was asked
        sub, rest = "ask", rest
    if sub == "help":
        help_text = rhrt.assistant.help().text
        await send(ctx, Reply(forms.help_card(help_text, admin=rhrt.is_admin(activity)), "Help"))
        return
    if sub in ("reload", "report"):
        if rhrt.is_admin(activity):
            await (reload(ctx, rhrt) if sub == "reload" else report(ctx, rhrt, rest))
            return
        if sub == "reload" or not rest or _is_period(rest):
            await send(ctx, notice(c.ADMIN_ONLY))
            return
        sub, rest = "ask", text  # "report a concern about …": a practitioner's question
    if sub == "agency":
        await send(ctx, agency_reply(rhrt, await rhrt.asker(ctx)))
        return
    if sub == "level" and not rest:
        button = forms.open_level_dialog("Open the form")
        body = [cards.line("What level is this? Describe the situation in a short form.")]
        await send(ctx, Reply(cards.card(body, [button]), "What level is this?"))
        return
    if sub == "guide" and not rest:
        guides = rhrt.assistant.pack.entries_of("guide")
        await send(ctx, Reply(forms.guide_list_card(guides), "One-minute guides"))
        return
    if sub == "define" and not rest:
        await send(ctx, notice("Add the term to define after `define`."))
        return
    asker = await rhrt.asker(ctx)
    await send(ctx, await rhrt.reply(question_for(sub, rest), asker, surface))


def agency_reply(rhrt: TeamsService, asker: Any) -> Reply:
    if rhrt.log is None:
        return notice(c.NO_LOG)
    card = forms.agency_card(rhrt.config.agencies, rhrt.current_agency(asker))
    return Reply(card, "Your organisation")


async def reload(ctx: Any, rhrt: TeamsService) -> None:
    result = await asyncio.to_thread(rhrt.shared.reload)
    await send(ctx, notice(result.summary()))


def _is_period(text: str) -> bool:
    try:
        parse_period(text)
    except ReportError:
        return False
    return True


async def report(ctx: Any, rhrt: TeamsService, period: str) -> None:
    """`report [period]` for an admin (the caller checks): the summary as a card. The HTML
    report stays on the server (`python -m bot report`): a bot cannot attach files in Teams
    without OneDrive access, which this app does not ask for."""
    log = rhrt.log
    if log is None:
        await send(ctx, notice(c.REPORT_NO_LOG))
        return
    today = datetime.now(UTC).date()
    try:
        date_from, date_to = parse_period(period, today)
    except ReportError as exc:
        await send(ctx, notice(f"Sorry, I can't build that report: {exc}."))
        return
    if not _REPORT_LOCK.acquire(blocking=False):
        await send(ctx, notice(c.REPORT_BUSY))
        return
    try:
        summary = await asyncio.to_thread(_build_summary, rhrt, date_from, date_to, today)
    finally:
        _REPORT_LOCK.release()
    body = [
        cards.line(f"Board-office report: {Scope(date_from, date_to).label()}", weight="bolder")
    ]
    body += [cards.line(p.replace("*", "")) for p in summary.split("\n") if p.strip()][:60]
    body.append(
        cards.line(
            "The full report (HTML, with every table and chart) is made on the server with "
            "`python -m bot report --out DIR`. It quotes redacted questions: keep it within "
            "the board office.",
            isSubtle=True,
            size="small",
        )
    )
    await send(ctx, Reply(cards.card(body), "Board-office report"))


def _build_summary(rhrt: TeamsService, date_from, date_to, today) -> str:
    log = rhrt.log
    log.flush(timeout=5)  # questions asked a moment ago count too
    with tempfile.TemporaryDirectory(prefix="rhrt-report-") as folder:
        try:
            result = build_report(
                rhrt.config,
                rhrt.assistant.pack,
                date_from=date_from,
                date_to=date_to,
                out_dir=folder,
                db_path=log.path,
                today=today,
            )
        except ReportError as exc:
            return f"Sorry, I couldn't build the report: {exc}"
    logger.info("report %s built in %.1fs", result.scope.label(), result.seconds)
    return result.summary_text
