"""The answer contract, exercised as a user or another program would: as subprocesses."""

import json

from tests.conftest import MINI, run_cli

FIELDS = {
    "kind": str,
    "entry_id": (str, type(None)),
    "title": str,
    "match_terms": list,
    "level": (int, type(None)),
    "emergency": bool,
    "confidence": (int, float),
    "text": str,
    "summary": str,
    "sources": list,
    "alternatives": list,
    "redacted": int,
}
KINDS = {"glossary", "level", "triage", "guidance", "guide", "emergency", "help", "no_answer"}


def assert_contract(obj):
    assert set(obj) == set(FIELDS), set(obj) ^ set(FIELDS)
    for name, kind in FIELDS.items():
        assert isinstance(obj[name], kind), (name, obj[name])
    assert obj["kind"] in KINDS
    assert 0 <= obj["confidence"] <= 1
    for source in obj["sources"]:
        assert set(source) == {"title", "url", "section"}
    for alt in obj["alternatives"]:
        assert set(alt) == {"entry_id", "title", "score"}
    # The lead is a first screen, never the whole answer in disguise.
    assert obj["summary"].strip()
    assert len(obj["summary"].split()) <= (60 if obj["kind"] in ("glossary", "emergency") else 90)


def test_ask_json_prints_one_contract_object():
    result = run_cli("--pack", str(MINI), "ask", "--json", "what does NFA mean?")
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert_contract(answer)
    assert answer["kind"] == "glossary" and answer["entry_id"] == "nfa"
    assert "no further action" in answer["match_terms"]
    assert answer["sources"][0]["title"].startswith("Working Together")


def test_batch_prints_json_lines_in_order(tmp_path):
    questions = [
        "what does NFA mean?",
        "what is level 4",
        "",
        "whats the weather like",
        "toddler home alone right now",
        "help",
    ]
    batch = tmp_path / "questions.txt"
    batch.write_text("\n".join(questions))
    result = run_cli("--pack", str(MINI), "ask", "--json", "--batch", str(batch))
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    for answer in lines:
        assert_contract(answer)
    assert [a["kind"] for a in lines] == ["glossary", "level", "no_answer", "emergency", "help"]
    assert lines[1]["level"] == 4
    assert lines[3]["emergency"] is True
    assert lines[3]["text"].startswith("IMMEDIATE RISK")


def test_readable_text_shows_sources_on_one_line_and_more_shows_them_all():
    lead = run_cli("--pack", str(MINI), "ask", "can I share without consent?")
    assert lead.returncode == 0
    [line] = [ln for ln in lead.stdout.splitlines() if "Working Together" in ln]
    assert line.startswith("Source: ") and line.endswith("reviewed 2026-01-10")
    assert "--more" in lead.stdout
    full = run_cli("--pack", str(MINI), "ask", "--more", "can I share without consent?")
    assert "Sources:" in full.stdout and "Reviewed 2026-01-10" in full.stdout
    assert "--more" not in full.stdout


def test_console_chat_over_stdin():
    result = run_cli(
        "--pack",
        str(MINI),
        "chat",
        stdin="help\nwhat does nfa mean\nwhat level: dad hits mum\nquit\n",
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "I answer questions about Help at the Right Time" in out
    assert "No further action" in out
    assert "Suggested level: Level 4" in out
    assert out.rstrip().endswith("Goodbye.")
