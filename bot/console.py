"""The terminal surface: render an Answer as text, and the interactive chat loop."""

from __future__ import annotations

import sys
from typing import TextIO

from .answer import Answer

RULE = "─" * 60


def render_text(answer: Answer) -> str:
    """Readable text for a terminal: emergency first, answer, sources with review date."""
    out = []
    if answer.emergency_text:
        out += ["!" * 60, answer.emergency_text, "!" * 60, ""]
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
    if answer.alternatives and answer.kind != "no_answer":
        out += ["", "Related: " + "; ".join(a.title for a in answer.alternatives)]
    if answer.redacted:
        out += [
            "",
            "(I removed identifying details from what is logged — please leave out "
            "names, addresses and dates of birth.)",
        ]
    return "\n".join(out)


def _refine(assistant, last, stdin, stdout, interactive, asker):
    """Ask the guided questions one by one (y/n, Enter to skip), then re-assess."""
    question, answer = last
    answers = {}
    for q in answer.extras["guided"]["questions"]:
        print(f"{q['text']} (y/n, Enter to skip)", file=stdout)
        if interactive:
            print("? ", end="", file=stdout, flush=True)
        reply = stdin.readline().strip().lower()
        if reply in ("y", "yes"):
            answers[q["id"]] = True
        elif reply in ("n", "no"):
            answers[q["id"]] = False
    if not answers:
        return answer
    return assistant.refine(question, answers, asker=asker, query_id=answer.query_id)


def chat(assistant, *, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout, asker=None) -> int:
    """Ask questions until `quit`; `help` lists what the bot can do."""
    interactive = stdin.isatty()
    pack = assistant.pack
    print(f"rhrt-bot — {pack.scheme}, {pack.name} (pack {pack.version}).", file=stdout)
    print(
        "Type a question, 'help', or 'quit'. Don't include names or identifying details.",
        file=stdout,
    )
    last = None  # the last triage answer that offered guided questions
    while True:
        if interactive:
            print("\n> ", end="", file=stdout, flush=True)
        line = stdin.readline()
        if not line:
            break
        question = line.strip()
        if question.lower() in ("quit", "exit", "q", ":q", "bye"):
            break
        if not question:
            continue
        if question.lower() == "refine" and last is not None:
            answer = _refine(assistant, last, stdin, stdout, interactive, asker)
            last = None
        else:
            answer = assistant.ask(question, asker=asker, surface="console")
            last = (question, answer) if answer.extras.get("guided") else None
        print(RULE, file=stdout)
        print(render_text(answer), file=stdout)
        if last is not None:
            print(
                "Type 'refine' to answer the questions that separate the two levels.", file=stdout
            )
        print(RULE, file=stdout, flush=True)
    print("Goodbye.", file=stdout)
    return 0
