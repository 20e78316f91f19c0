"""`/rhrt`: private answers, and the subcommands help · level · define · guide · share · agency,
and for board-office admins reload and report."""

from __future__ import annotations

import logging
import re
import tempfile
import threading
from datetime import UTC, datetime

from slack_bolt import App
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.models.blocks import Block, ContextBlock, MarkdownTextObject, SectionBlock

from bot.reports import ReportError, ReportResult, Scope, build_report, parse_period
from bot.reports.periods import default_period

from . import constants as c
from .blocks import (
    CONTEXT_LIMIT,
    agency_offer_blocks,
    escape,
    guide_list_blocks,
    slash_help_blocks,
    split_text,
    truncate,
    unescape,
)
from .errors import deferred
from .modals import agency_modal, level_modal
from .service import KEY

SUBCOMMANDS = ("help", "level", "define", "guide", "share", "agency", "reload", "report")
logger = logging.getLogger("rhrt.slack")
_REPORT_LOCK = threading.Lock()  # one report at a time per process: they read the whole log
_LEVEL_NUMBER = re.compile(r"^(?:level\s*)?(\d)$", re.IGNORECASE)


def parse_command(text: str) -> tuple[str, str]:
    """(subcommand, the rest); ("ask", text) when the first word is not a subcommand."""
    text = (text or "").strip()
    if not text:
        return "help", ""
    first, _, rest = text.partition(" ")
    word = first.lower()
    if word == "help" and rest.strip():
        # "HELP 2 y/o on his own in the flat" is a plea, not a request for the menu: it goes
        # to the assistant, whose safety net answers it first.
        return "ask", text
    if word in SUBCOMMANDS:
        return word, rest.strip()
    return "ask", text


def question_for(sub: str, rest: str) -> str:
    """The question a subcommand asks the assistant."""
    if sub == "level":
        number = _LEVEL_NUMBER.match(rest)
        return f"what is level {number.group(1)}" if number else f"what level is this: {rest}"
    if sub == "define":
        return f"what does {rest} mean"
    if sub == "guide":
        return f"one minute guide on {rest}"
    return rest


def handle_rhrt_command(ack, command, respond, client, context) -> None:
    """Ack at once, then answer privately (or publicly for `share`)."""
    ack()
    rhrt = context[KEY]
    text = unescape(command.get("text", ""))
    sub, rest = parse_command(text)
    if sub == "help":
        respond(
            text="How to use rhrt-bot",
            blocks=slash_help_blocks(rhrt.assistant.help()),
            response_type="ephemeral",
        )
        return
    if sub == "reload":
        if not rhrt.is_admin(context.get("user_id")):
            respond(text=c.ADMIN_ONLY, response_type="ephemeral")
            return
        respond(text=rhrt.reload().summary(), response_type="ephemeral")
        return
    if sub == "report":
        if rhrt.is_admin(context.get("user_id")):
            send_report(rhrt, rest, respond, client, context["user_id"])
            return
        if not rest or _is_period(rest):
            respond(text=c.ADMIN_ONLY, response_type="ephemeral")
            return
        # "report a concern about …": a practitioner's question, not the admin command.
        sub, rest = "ask", text.strip()
    if sub == "agency" and rhrt.log is None:
        respond(text=c.NO_LOG, response_type="ephemeral")
        return
    if sub == "agency" or (sub == "level" and not rest):
        view = (
            agency_modal(rhrt.config.agencies, current=_current_agency(rhrt, context))
            if sub == "agency"
            else level_modal(rhrt.pack, source="slash")
        )
        client.views_open(trigger_id=command["trigger_id"], view=view)
        return
    if sub == "guide" and not rest:
        respond(
            text="One-minute guides",
            blocks=guide_list_blocks(rhrt.pack.entries_of("guide")),
            response_type="ephemeral",
        )
        return
    if sub in ("define", "share") and not rest:
        respond(text=f"Add what to {sub} after `{c.COMMAND} {sub}`.", response_type="ephemeral")
        return
    asker = rhrt.asker(context, client)
    public = sub == "share"
    reply = rhrt.reply(
        question_for(sub, rest), asker, "slash", share_button=not public, public=public
    )
    respond(
        text=reply.text,
        blocks=reply.blocks,
        response_type="in_channel" if public and reply.answer else "ephemeral",
    )
    if reply.offer_privately:
        respond(
            text=c.AGENCY_OFFER,
            blocks=agency_offer_blocks(),
            response_type="ephemeral",
            replace_original=False,
        )


def _is_period(text: str) -> bool:
    try:
        parse_period(text)
    except ReportError:
        return False
    return True


def send_report(rhrt, period: str, respond, client, user_id: str) -> None:
    """`/rhrt report [period]` for an admin (the caller checks): build the report in a
    temporary folder, answer with its summary, and upload the HTML to the admin's DM."""

    def say(text: str, blocks: list[Block] | None = None) -> None:
        respond(text=text, blocks=blocks, response_type="ephemeral", replace_original=False)

    log = rhrt.log
    if log is None:
        say(c.REPORT_NO_LOG)
        return
    today = datetime.now(UTC).date()
    try:
        date_from, date_to = (
            parse_period(period, today) if period.strip() else default_period(rhrt.config, today)
        )
    except ReportError as exc:
        say(f"Sorry, I can't build that report: {escape(str(exc))}. {c.REPORT_ASK_HINT}")
        return
    if not _REPORT_LOCK.acquire(blocking=False):
        say(c.REPORT_BUSY)
        return
    try:
        say(
            f"Building the board-office report for {Scope(date_from, date_to).label()}… "
            "the summary will appear here and the full report in your DM with me."
        )
        log.flush(timeout=5)  # questions asked a moment ago count too
        with tempfile.TemporaryDirectory(prefix="rhrt-report-") as folder:
            try:
                result = build_report(
                    rhrt.config,
                    rhrt.pack,
                    date_from=date_from,
                    date_to=date_to,
                    out_dir=folder,
                    db_path=log.path,
                    today=today,
                )
            except ReportError as exc:
                say(f"Sorry, I couldn't build the report: {escape(str(exc))}")
                return
            note = _upload_report(client, user_id, result)
        # The folder (report.html and its CSVs) is gone now: Slack holds the only copy.
        logger.info("report %s built in %.1fs", result.scope.label(), result.seconds)
        say(_first_line(result.summary_text), report_blocks(result.summary_text, note))
    finally:
        _REPORT_LOCK.release()


def _upload_report(client, user_id: str, result: ReportResult) -> str:
    """Send report.html to the admin's DM with the bot; a line saying how that went."""
    start, end = result.scope.date_from.isoformat(), result.scope.date_to.isoformat()
    try:
        channel = client.conversations_open(users=user_id)["channel"]["id"]
        client.files_upload_v2(
            channel=channel,
            file=str(result.html_path),
            filename=f"rhrt-report-{start}-{end}.html",
            title=f"Board-office report {start} to {end}",
            initial_comment=(
                f"The board-office report for {result.scope.label()}: open it in a browser "
                "(one self-contained file; it prints to A4). Small numbers are suppressed, "
                "but it quotes redacted questions: keep it within the board office."
            ),
        )
    except SlackClientError as exc:
        reason = exc.response.get("error") if isinstance(exc, SlackApiError) else type(exc).__name__
        logger.warning("report upload failed (%s)", reason)
        scopes = (
            " The app needs the `files:write` and `im:write` scopes (see manifest.yaml)."
            if reason == "missing_scope"
            else ""
        )
        return (
            f":warning: I couldn't send you the HTML report (Slack said `{reason}`).{scopes} "
            "The report can also be made on the server with `python -m bot report --out DIR`."
        )
    return ":page_facing_up: The full report (HTML, with every table and chart) is in your DM."


def _first_line(text: str) -> str:
    return truncate(escape(text.strip().split("\n")[0].replace("*", "")), 150)


def report_blocks(summary_text: str, note: str) -> list[Block]:
    """The report's Slack summary (mrkdwn whose quoted wordings are escaped) and a note."""
    sections: list[Block] = [
        SectionBlock(text=MarkdownTextObject(text=chunk))
        for chunk in split_text(escape(summary_text))
    ]
    return sections + [
        ContextBlock(elements=[MarkdownTextObject(text=truncate(note, CONTEXT_LIMIT))])
    ]


def _current_agency(rhrt, context) -> str | None:
    log = rhrt.log
    if log is None:
        return None
    return log.agency_of(log.pseudonym_of(rhrt.asker(context)))


def register(app: App) -> None:
    app.command(c.COMMAND)(**deferred(handle_rhrt_command))
