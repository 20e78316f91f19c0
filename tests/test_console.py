"""The console as a person uses it: the first screen, `more` for the rest, and a chronology
pasted into a real terminal (a pseudo-terminal here) read as one question."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
import threading
import time

from bot.console import RULE
from tests.conftest import MINI, ROOT, run_cli

CHRONOLOGY_LINES = [
    "03/09 started Year 3, attendance good, mum engaged with parents evening.",
    "15/10 came in hungry twice this week, no coat, mum said money tight, referred to food bank.",
    "02/11 late 4 times, mum says new baby keeping them up.",
    "20/11 child said mum's boyfriend shouts and threw a plate at mum, child hid under the bed.",
    "28/11 bruise on her arm, says boyfriend grabbed her.",
    "Mum wants help with parenting and has asked about the family hub.",
]


def test_more_shows_the_whole_of_the_last_answer():
    result = run_cli(
        "--pack", str(MINI), "chat", "--no-log", stdin="what does nfa mean\nmore\nquit\n"
    )
    assert result.returncode == 0, result.stderr
    first, more = result.stdout.split(RULE)[1], result.stdout.split(RULE)[3]
    assert "Type 'more' for the full answer" in first
    assert "Source: Working Together" in first and "Sources:" not in first
    assert "Sources:" in more and "Reviewed " in more and "Type 'more'" not in more


def test_a_chronology_pasted_into_a_terminal_is_one_question():
    leader, follower = pty.openpty()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "chat", "--no-log"],
        stdin=follower,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        env=env,
        text=True,
    )
    os.close(follower)
    out: list[str] = []
    rules = threading.Semaphore(0)

    def read() -> None:
        for line in proc.stdout:
            out.append(line)
            if line.rstrip().endswith(RULE):  # after the "> " prompt, or on its own
                rules.release()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        time.sleep(0.5)  # let it start and wait at the prompt, as a person would
        # One paste: every line arrives at once, as a terminal delivers a paste.
        os.write(leader, ("\n".join(CHRONOLOGY_LINES) + "\n").encode())
        assert rules.acquire(timeout=60) and rules.acquire(timeout=60), "".join(out)
        os.write(leader, b"quit\n")
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(leader)
    reader.join(timeout=5)
    shown = "".join(out)
    assert proc.returncode == 0, proc.stderr.read()
    assert shown.count(RULE) == 2  # one answer
    assert shown.count("Suggested level: RHRT level 4") == 1
    assert "the most serious concern sets the level" in shown
    assert shown.rstrip().endswith("Goodbye.")


MASH_ADDRESS = (
    "www.coventry.gov.uk/early-years-childcare/"
    "provider-resources-safeguarding-early-years-childcare"
)


def test_a_number_on_the_first_screen_is_shown_with_its_page_and_checked_date():
    result = run_cli("ask", "--no-log", "can I share information without consent?")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    at = lines.index("Contact: Your DSL or safeguarding lead · Coventry MASH: 024 7678 8555")
    # A terminal cannot link, so the page is printed as its address.
    assert lines[at + 1] == f"Number as published on {MASH_ADDRESS}, checked 2026-12-01"


def test_the_emergency_banner_says_where_its_numbers_were_published_under_them():
    question = "dad is drunk and can't stand up and he's got the 8 month old baby on his own"
    result = run_cli("ask", "--no-log", question)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1:6] == [
        "IMMEDIATE RISK",
        "• Emergency (police, ambulance): 999",
        "• Coventry MASH: 024 7678 8555",
        "• Out of hours: 024 7683 2222",
        f"Numbers as published on {MASH_ADDRESS}, checked 2026-12-01",
    ]
    assert lines[6].startswith("Call 999 now")
