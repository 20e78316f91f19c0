"""The README's showcase answers as the README says: every command in its ```console blocks
is run through the command line's entry point, and the lines it shows must be what the bot
prints. (`./run ARGS` is `python -m bot ARGS`; tests/test_contract.py runs that as a
subprocess.)"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import re
import shlex
import subprocess

import pytest

from tests.conftest import ROOT

GAP = "…"


def examples() -> list[tuple[str, list[str]]]:
    """(command, the output lines shown) for each `$ ` line in the README's console blocks."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    found = []
    for block in re.findall(r"```console\n(.*?)```", text, re.S):
        for part in re.split(r"^\$ ", block, flags=re.M)[1:]:
            command, *shown = part.rstrip("\n").split("\n")
            found.append((command, shown))
    return found


EXAMPLES = examples()


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, subprocess.CompletedProcess]:
    """Every example run through the command line's own entry point (`python -m bot …` is
    `bot.cli.main`), in this process: the pack is loaded and indexed once, not per example."""
    from bot.assistant import Assistant
    from bot.cli import main

    built: dict = {}
    original = Assistant.from_config.__func__

    def from_config(cls, config, log=None):
        key = str(config.pack_dir)
        if key not in built:
            built[key] = original(cls, config)
        assistant = copy.copy(built[key])
        assistant.log = log
        return assistant

    db = tmp_path_factory.mktemp("readme") / "rhrt.db"
    done = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RHRT_DB", str(db))
        patch.setattr(Assistant, "from_config", classmethod(from_config))
        for command, _ in EXAMPLES:
            words = shlex.split(command)
            assert words[0] == "./run", f"README examples are ./run commands: {command}"
            out, err = io.StringIO(), io.StringIO()
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = main(words[1:])
            done[command] = subprocess.CompletedProcess(
                command, code, out.getvalue(), err.getvalue()
            )
    return done


def matches(shown: str, printed: str) -> bool:
    if shown.startswith("{") and shown.endswith(f", {GAP}}}"):
        fields = json.loads(shown[: -len(f", {GAP}}}")] + "}")
        answer = json.loads(printed)
        return {k: answer.get(k) for k in fields} == fields
    if shown.endswith(GAP) and shown != GAP:
        return printed.startswith(shown[: -len(GAP)])
    return printed == shown


def check(shown: list[str], printed: list[str]) -> str | None:
    """None if `shown` is what was printed: from the first line, in order; a line that is
    only `…` skips any number of lines."""
    at, gap = 0, False
    for line in shown:
        if line == GAP:
            gap = True
            continue
        while gap and at < len(printed) and not matches(line, printed[at]):
            at += 1
        if at >= len(printed) or not matches(line, printed[at]):
            return f"expected {line!r} at line {at + 1}"
        at, gap = at + 1, False
    return None


def test_the_readme_has_showcase_examples():
    commands = [c for c, _ in EXAMPLES]
    assert len(commands) >= 8
    assert any("--json" in c for c in commands) and any("--more" in c for c in commands)


@pytest.mark.parametrize(("command", "shown"), EXAMPLES, ids=[c for c, _ in EXAMPLES])
def test_each_readme_example_prints_what_the_readme_shows(outputs, command, shown):
    result = outputs[command]
    assert result.returncode == 0, result.stderr
    problem = check(shown, result.stdout.splitlines())
    assert problem is None, f"{command}: {problem}\n--- printed:\n{result.stdout}"
