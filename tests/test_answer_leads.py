"""Answers a practitioner reads in 30 seconds: every answer's first screen (its lead) keeps
to its word limit — every entry of both shipped packs, and the development set's triage and
emergency questions — leads with what to do and whom to call (numbers only as the pack
publishes them), and the edges are honest."""

import re

import pytest

from bot.answer import lead_limit
from bot.assistant import JUDGEMENT, Assistant
from bot.config import load_config
from bot.evaluate import load_cases
from tests.conftest import ROOT

# UK numbers as people write them ("024 7678 8555") and the three-digit service numbers.
PHONE = re.compile(r"\b0\d{2,4}(?: ?\d{3,4}){1,2}\b|\b(?:999|101|111)\b")


@pytest.fixture(scope="module")
def example() -> Assistant:
    return Assistant.from_config(load_config(ROOT / "config.yaml", pack_dir="knowledge/example"))


def words(text: str) -> int:
    return len(text.split())


def published_numbers(pack) -> set[str]:
    """Numbers a lead may show: a pack contact's, with its source and checked date."""
    return {c.phone for c in pack.contacts.values() if c.phone and c.checked and c.source}


def check_lead(answer, pack) -> list[str]:
    """What is wrong with one answer's first screen (empty when nothing is)."""
    problems = []
    summary = answer.summary
    limit = lead_limit(answer.kind)
    if words(summary) > limit:
        problems.append(f"{words(summary)} words > {limit}")
    if not summary.strip():
        problems.append("empty lead")
    for number in PHONE.findall(summary):
        if number not in published_numbers(pack) and not _in_pack_text(number, pack):
            problems.append(f"number {number} is not a published pack contact")
    return problems


def _in_pack_text(number: str, pack) -> bool:
    """999 in the pack's own emergency advice ("call 999 now") is the pack's word too."""
    return number == "999" and "999" in pack.emergency


@pytest.mark.parametrize("pack_name", ["coventry", "example"])
def test_every_entry_of_both_packs_has_a_first_screen_within_its_limit(request, pack_name):
    assistant = request.getfixturevalue(pack_name)
    pack = assistant.pack
    wrong = {}
    for entry in pack.entries.values():
        answer = assistant.answer_entry(entry.id, record=False)
        problems = check_lead(answer, pack)
        if entry.kind != "glossary":
            # Guidance, a guide or a level: the one next step and whom to contact.
            if not answer.lead.next_step:
                problems.append("no next step")
            if not answer.lead.contacts:
                problems.append("no contact")
        if problems:
            wrong[entry.id] = problems
    assert wrong == {}
    assert len(pack.entries) > (300 if pack_name == "coventry" else 10)


def situations(pack_name: str) -> list[str]:
    cases = load_cases(ROOT / "tests" / "golden" / pack_name)
    return [c.question for c in cases if c.level or c.emergency or c.kind == "triage"]


@pytest.mark.parametrize("pack_name", ["coventry", "example"])
def test_triage_and_emergency_answers_keep_to_their_limits(request, pack_name):
    assistant = request.getfixturevalue(pack_name)
    pack = assistant.pack
    questions = situations(pack_name)
    wrong, kinds = {}, set()
    for question in questions:
        answer = assistant.answer(question)
        kinds.add(answer.kind)
        problems = check_lead(answer, pack)
        if answer.kind == "triage" and not answer.lead.next_step:
            problems.append("no next step")
        if problems:
            wrong[question] = problems
    assert wrong == {}
    assert {"triage", "emergency"} <= kinds
    assert len(questions) > (100 if pack_name == "coventry" else 4)


def test_a_level_4_triage_leads_with_the_next_step_and_the_mash_number(coventry):
    answer = coventry.answer(
        "what level is: dad hits mum in front of the kids, police called twice this month"
    )
    assert (answer.kind, answer.level) == ("triage", 4)
    lead = answer.lead
    assert lead.text.startswith("Suggested level: RHRT level 4 — Specialist / statutory.")
    assert lead.next_step.startswith("If the child is in immediate danger, call 999.")
    assert "contact the MASH the same day" in lead.next_step
    assert ("Coventry MASH", "024 7678 8555") in [(c.name, c.phone) for c in lead.contacts]
    assert words(answer.summary) <= 90 < words(answer.full_text())


def test_an_emergency_banner_gives_the_numbers_first(coventry):
    answer = coventry.answer("child says he is scared to go home because dad will beat him tonight")
    assert answer.emergency and answer.lead.banner == "IMMEDIATE RISK"
    lines = answer.summary.splitlines()
    assert lines[0] == "IMMEDIATE RISK"
    assert lines[1].startswith("Emergency (police, ambulance): 999 · Coventry MASH: 024 7678 8555")
    assert "Call 999 now" in lines[2]
    assert words(answer.summary) <= 60
    # The whole answer keeps everything, emergency advice first.
    assert answer.to_dict()["text"].startswith("IMMEDIATE RISK — If a child is in immediate")


def test_a_definition_is_its_first_sentences(coventry):
    answer = coventry.answer("what does NFA mean?")
    assert answer.summary.startswith('NFA means "no further action"')
    assert words(answer.summary) <= 60 and answer.lead.next_step == ""
    assert answer.to_dict()["summary"] == answer.summary


# ---- honest edges ------------------------------------------------------------------------
def test_out_of_scope_says_what_the_bot_covers_with_three_examples(coventry, example):
    for assistant in (coventry, example):
        answer = assistant.answer("how do I bake sourdough bread")
        assert answer.kind == "no_answer"
        assert "levels of need, terms, information sharing and one-minute guides" in answer.summary
        for question in assistant.pack.lead.examples:
            assert f"• {question}" in answer.summary
        assert len(assistant.pack.lead.examples) == 3


def test_the_pack_example_questions_are_answered(coventry, example):
    for assistant in (coventry, example):
        for question in assistant.pack.lead.examples:
            assert assistant.answer(question).answered, question


@pytest.mark.parametrize(
    ("pack_name", "question", "missing"),
    [
        ("coventry", "level 5", "RHRT level 5"),
        ("coventry", "what is level 9", "RHRT level 9"),
        ("example", "stage 6", "Support stage 6"),
        ("example", "what is level 7?", "Support stage 7"),
    ],
)
def test_a_level_outside_the_scheme_says_how_many_there_are_and_names_them(
    request, pack_name, question, missing
):
    assistant = request.getfixturevalue(pack_name)
    answer = assistant.answer(question)
    levels = sorted(assistant.pack.levels.values(), key=lambda lvl: lvl.rank)
    assert f"has {len(levels)} levels: " in answer.summary
    for level in levels:
        assert f"{level.label} ({level.title})" in answer.summary
    assert f"There is no {missing}." in answer.summary
    assert answer.level is None


def test_ambiguous_one_or_two_letter_queries_get_did_you_mean(coventry):
    for query in ("ta", "sw", "a", "x"):
        answer = coventry.answer(query)
        assert answer.kind == "no_answer", query
        assert "won't guess" in answer.summary
    assert coventry.answer("sw").alternatives  # offers, not a confident wrong entry
    # An acronym only one entry carries is still answered.
    for query, entry in (("dv", "domestic-abuse"), ("HV", "health-visitor"), ("cp", "cp")):
        assert coventry.answer(query).entry_id == entry


CHRONOLOGY = (
    "03/09 started Year 3, attendance good, mum engaged with parents evening. 15/10 came in "
    "hungry twice this week, no coat, mum said money tight, referred to food bank. 02/11 late "
    "4 times, mum says new baby keeping them up. 20/11 child said mum's boyfriend shouts a lot "
    "and threw a plate at mum, child hid under the bed. 28/11 bruise on her arm, says boyfriend "
    "grabbed her. Mum wants help with parenting and has asked about the family hub."
)


def test_a_pasted_chronology_gets_one_triage_that_says_why_lower_needs_are_listed(coventry):
    answer = coventry.answer(CHRONOLOGY)
    assert answer.level == 4
    assert answer.summary.count("Suggested level") == 1
    # Indicators from both ends of the scale, and the answer says why.
    assert {i.level for i in answer.indicators} >= {2, 4}
    assert "the most serious concern sets the level" in answer.summary
    assert "the most serious concern sets the response" in answer.text


# ---- nothing said twice ------------------------------------------------------------------
@pytest.mark.parametrize(
    "question",
    [
        "what does NFA mean?",
        "can I share without consent?",
        "what is level 4",
        "what level is: dad hits mum in front of the kids, police called twice this month",
        "child says he is scared to go home because dad will beat him tonight",
        "8 week old baby with a bruise on his cheek",
    ],
)
def test_no_section_contact_or_judgement_line_is_shown_twice(coventry, question):
    answer = coventry.answer(question)
    text = answer.full_text()
    assert text.count("See also:") <= 1 and "Related:" not in text
    assert text.count(JUDGEMENT) <= 1
    for contact in coventry.pack.contacts.values():
        assert text.count(contact.display()) <= 1, contact.id
