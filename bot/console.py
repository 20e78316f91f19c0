"""The terminal surface: an Answer as text (its lead, and `more` for the rest), and the
interactive chat loop."""

from __future__ import annotations

import os
import select
import sys
from typing import TextIO

from .answer import Answer

RULE = "─" * 60
ALARM = "!" * 60
MORE_HINT = "Type 'more' for the full answer and all its sources."
REDACTION_NOTE = (
    "(I removed identifying details from what is logged — please leave out "
    "names, addresses and dates of birth.)"
)
PASTE_WINDOW = 0.05  # seconds: lines arriving this close together are one pasted message
READ_SIZE = 65536
MAX_PASTE = 1_000_000  # bytes read as one message at most; the assistant reads fewer


def render_lead(answer: Answer, hint: str = MORE_HINT) -> str:
    """The first screen: the emergency banner (numbers first) or the gist, the next step and
    whom to contact; the sources on one line; how to read the rest."""
    lead = answer.lead
    out: list[str] = []
    if lead is None:
        out.append(answer.summary)
    elif lead.banner:
        out += [ALARM, lead.banner]
        out += [f"• {c.display()}" for c in lead.contacts]
        out += [line for line in [lead.numbers_line(full=True)] if line]
        out += [lead.text, ALARM]
    else:
        if answer.title and answer.kind not in ("help", "no_answer"):
            out += [answer.title.upper(), ""]
        # A terminal cannot link: the page is shown as its address (host and path).
        out += [
            lead.numbers_line(full=True) if role == "numbers_source" else value
            for role, value in lead.parts()
        ]
    for note in answer.notes:
        out += ["", note]
    if answer.sources_line():
        out += ["", answer.sources_line()]
    if hint and answer.has_more:
        out += [hint]
    if answer.redacted:
        out += ["", REDACTION_NOTE]
    return "\n".join(out)


def render_more(answer: Answer) -> str:
    """The whole answer: emergency advice first, the full text, every source."""
    out = []
    if answer.emergency_text:
        out += [ALARM, answer.emergency_text, ALARM, ""]
    if answer.title and answer.kind not in ("help", "no_answer"):
        out += [answer.title.upper(), ""]
    out.append(answer.text)
    for note in answer.notes:
        out += ["", note]
    if answer.sources:
        out += ["", "Sources:"]
        for s in answer.sources:
            section = f", {s.section}" if s.section else ""
            url = f" — {s.url}" if s.url else ""
            out.append(f"  • {s.title}{section}{url}")
    if answer.reviewed:
        out.append(f"  Reviewed {answer.reviewed.isoformat()}")
    return "\n".join(out)


def render_text(answer: Answer, *, more: bool = False, hint: str = MORE_HINT) -> str:
    """The lead (the default), or with `more` the whole answer."""
    return render_more(answer) if more else render_lead(answer, hint)


def _refine(assistant, last, stdin, stdout, interactive, asker):
    """Ask the guided questions one by one (y/n, Enter to skip), then re-assess."""
    question, answer = last
    answers = {}
    for q in answer.extras["guided"]["questions"]:
        print(f"{q['text']} (y/n, Enter to skip)", file=stdout)
        if interactive:
            print("? ", end="", file=stdout, flush=True)
        reply = (read_message(stdin, interactive) or "").strip().lower()
        if reply in ("y", "yes"):
            answers[q["id"]] = True
        elif reply in ("n", "no"):
            answers[q["id"]] = False
    if not answers:
        return answer
    return assistant.refine(question, answers, asker=asker, query_id=answer.query_id)


def read_message(stdin: TextIO, interactive: bool, window: float = PASTE_WINDOW) -> str | None:
    """One message: a typed line, or everything pasted at once. A chronology pasted into a
    terminal arrives as many lines within milliseconds: it is one question, not one per
    line. None at the end of input."""
    if not interactive:
        return stdin.readline() or None
    # Read the terminal directly: Python's own buffer would hide the rest of a paste from
    # select().
    fd = stdin.fileno()
    data = os.read(fd, READ_SIZE)
    if not data:
        return None
    while len(data) < MAX_PASTE and select.select([fd], [], [], window)[0]:
        more = os.read(fd, READ_SIZE)
        if not more:
            break
        data += more
    lines = data.decode("utf-8", errors="replace").splitlines()
    return " ".join(line.strip() for line in lines if line.strip()) + "\n"


def chat(assistant, *, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout, asker=None) -> int:
    """Ask questions until `quit`; `help` lists what the bot can do; `more` shows the whole
    of the last answer."""
    interactive = stdin.isatty()
    pack = assistant.pack
    print(f"rhrt-bot — {pack.scheme}, {pack.name} (pack {pack.version}).", file=stdout)
    print(
        "Type a question, 'help', or 'quit'. Don't include names or identifying details.",
        file=stdout,
    )
    last = None  # the last triage answer that offered guided questions
    shown = None  # the last answer shown, for `more`
    while True:
        if interactive:
            print("\n> ", end="", file=stdout, flush=True)
        message = read_message(stdin, interactive)
        if message is None:
            break
        question = message.strip()
        if question.lower() in ("quit", "exit", "q", ":q", "bye"):
            break
        if not question:
            continue
        if question.lower() in ("more", "m") and shown is not None:
            print(RULE, file=stdout)
            print(render_more(shown), file=stdout)
            print(RULE, file=stdout, flush=True)
            continue
        if question.lower() == "refine" and last is not None:
            answer = _refine(assistant, last, stdin, stdout, interactive, asker)
            last = None
        else:
            answer = assistant.ask(question, asker=asker, surface="console")
            last = (question, answer) if answer.extras.get("guided") else None
        shown = answer
        print(RULE, file=stdout)
        print(render_lead(answer), file=stdout)
        if last is not None:
            print(
                "Type 'refine' to answer the questions that separate the two levels.", file=stdout
            )
        print(RULE, file=stdout, flush=True)
    print("Goodbye.", file=stdout)
    return 0
