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
    "lead_contacts": list,
    "numbers_source": list,
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
    # Every number the lead names comes with the page it was published on and its date.
    for contact in obj["lead_contacts"]:
        assert set(contact) == {"name", "phone", "published_on", "checked"}
        if contact["phone"]:
            assert contact["published_on"].startswith("https://") and contact["checked"]
            assert contact["phone"] in obj["summary"]
            assert any(contact["phone"] in s["numbers"] for s in obj["numbers_source"])
    for source in obj["numbers_source"]:
        assert set(source) == {"numbers", "published_on", "title", "checked"}
        assert source["numbers"] and f"checked {source['checked']}" in obj["summary"]
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


MASH_PAGE = (
    "https://www.coventry.gov.uk/early-years-childcare/"
    "provider-resources-safeguarding-early-years-childcare"
)


def test_json_gives_each_number_in_the_lead_with_its_page_and_checked_date():
    result = run_cli("ask", "--json", "--no-log", "can I share information without consent?")
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert_contract(answer)
    assert answer["lead_contacts"] == [
        {
            "name": "Your DSL or safeguarding lead",
            "phone": None,
            "published_on": None,
            "checked": None,
        },
        {
            "name": "Coventry MASH",
            "phone": "024 7678 8555",
            "published_on": MASH_PAGE,
            "checked": "2026-12-01",
        },
    ]
    assert answer["numbers_source"] == [
        {
            "numbers": ["024 7678 8555"],
            "published_on": MASH_PAGE,
            "title": "Safeguarding in Early Years and Childcare",
            "checked": "2026-12-01",
        }
    ]
    assert answer["summary"].endswith(
        "Coventry MASH: 024 7678 8555\nNumber as published on coventry.gov.uk, checked 2026-12-01"
    )


def test_json_emergency_banner_gives_its_numbers_page_and_date():
    question = "dad is drunk and can't stand up and he's got the 8 month old baby on his own"
    result = run_cli("ask", "--json", "--no-log", question)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert_contract(answer)
    assert answer["emergency"] is True
    assert [(c["phone"], c["published_on"], c["checked"]) for c in answer["lead_contacts"]] == [
        ("999", MASH_PAGE, "2026-12-01"),
        ("024 7678 8555", MASH_PAGE, "2026-12-01"),
        ("024 7683 2222", MASH_PAGE, "2026-12-01"),
    ]
    [source] = answer["numbers_source"]
    assert source["numbers"] == ["999", "024 7678 8555", "024 7683 2222"]
    assert answer["summary"].splitlines()[2] == (
        "Numbers as published on coventry.gov.uk, checked 2026-12-01"
    )
