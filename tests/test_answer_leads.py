"""Answers a practitioner reads in 30 seconds: every answer's first screen (its lead) keeps
to its word limit — every entry of both shipped packs, and the development set's triage and
emergency questions — leads with what to do and whom to call (numbers only as the pack
publishes them), and the edges are honest."""

import re
from dataclasses import replace
from urllib.parse import urlsplit

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


def published(pack, number: str) -> list:
    """The pack's contacts with this number, each with the page it was published on and the
    date it was checked there."""
    return [
        c
        for c in pack.contacts.values()
        if c.phone == number and c.source and c.published_on and c.checked
    ]


def host(url: str) -> str:
    return urlsplit(url).netloc.lower().removeprefix("www.")


def check_lead(answer, pack) -> list[str]:
    """What is wrong with one answer's first screen (empty when nothing is)."""
    problems = []
    summary = answer.summary
    limit = lead_limit(answer.kind)
    if words(summary) > limit:
        problems.append(f"{words(summary)} words > {limit}")
    if not summary.strip():
        problems.append("empty lead")
    return problems + provenance_problems(answer, pack)


def provenance_problems(answer, pack) -> list[str]:
    """Every number the first screen shows is a pack contact's, and the screen says on which
    page it was published (its host) and when it was checked. The one number that may stand
    alone is the one the pack's own emergency advice tells everyone to ring ("call 999"), and
    only as words of advice: as a contact to ring, it is sourced like any other."""
    lines = answer.summary.splitlines()
    said = [ln for ln in lines if ln.startswith(("Number as published on ", "Numbers as "))]
    shown = "\n".join(ln for ln in lines if ln not in said)
    contacts = {c.phone for c in answer.lead.contacts} if answer.lead else set()
    problems = []
    for number in dict.fromkeys(PHONE.findall(shown)):
        if number not in contacts and number in pack.emergency:
            continue  # "call 999" in the advice itself
        found = published(pack, number)
        if not found:
            problems.append(f"number {number} is not a published pack contact")
            continue
        if len(said) != 1:
            problems.append(f"number {number} shown without one line saying where it was published")
            continue
        where = _where_said(said[0], number)
        if not any(
            host(c.published_on) in where and f"checked {c.checked}" in where for c in found
        ):
            problems.append(f"number {number} shown without its page and checked date: {said}")
    return problems


def _where_said(line: str, number: str) -> str:
    """The part of the provenance line about `number`: the whole line for one page, else the
    page listed after that number ("…: 999 on x, checked d; 101 on y, checked e")."""
    if not line.startswith("Numbers as published: "):
        return line
    for group in line.removeprefix("Numbers as published: ").split("; "):
        numbers, _, page = group.partition(" on ")
        if number in numbers.split(", "):
            return page
    return ""


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
    # Under the numbers, the page they were published on and when they were checked.
    assert lines[2] == "Numbers as published on coventry.gov.uk, checked 2026-12-01"
    assert "Call 999 now" in lines[3]
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


# ---- where the numbers were published ----------------------------------------------------
MASH_PAGE = (
    "https://www.coventry.gov.uk/early-years-childcare/"
    "provider-resources-safeguarding-early-years-childcare"
)


def test_a_lead_shows_its_number_with_the_page_and_the_checked_date(coventry):
    answer = coventry.answer("can I share information without consent?")
    lines = answer.summary.splitlines()
    assert lines[-2] == "Contact: Your DSL or safeguarding lead · Coventry MASH: 024 7678 8555"
    assert lines[-1] == "Number as published on coventry.gov.uk, checked 2026-12-01"
    [mash] = [c for c in answer.lead.contacts if c.phone]
    assert (mash.published_on, mash.checked) == (MASH_PAGE, "2026-12-01")


def test_numbers_from_one_page_share_one_line_and_each_other_page_gets_its_own(coventry):
    one_page = coventry.answer_entry("level-4", record=False)
    assert one_page.summary.splitlines()[-1] == (
        "Numbers as published on coventry.gov.uk, checked 2026-12-01"
    )
    two_pages = coventry.answer_entry("cross-border-referral", record=False)
    assert two_pages.summary.splitlines()[-1] == (
        "Numbers as published: 999 on coventry.gov.uk, checked 2026-12-01; 01926 414144, "
        "01926 886922 on safeguardingwarwickshire.co.uk, checked 2026-12-01"
    )


def test_a_page_is_named_by_its_host_and_its_title_when_the_screen_has_room(coventry):
    """Sarah's Law quotes 101 in its definition: the screen names the page it was published
    on, with the title the pack gives that page."""
    answer = coventry.answer_entry("sarahs-law", record=False)
    assert "Apply to the police (101, online or at a police station)." in answer.summary
    assert answer.summary.splitlines()[-1] == (
        "Number as published on west-midlands.police.uk (Citizen charter), checked 2026-12-02"
    )
    assert words(answer.summary) <= 60


def test_the_gist_is_trimmed_for_the_line_never_the_numbers_or_the_step(coventry):
    """The FGM guide's first screen is over 90 words with its whole gist: the gist loses its
    last sentences; the next step, every contact and where they were published stay."""
    answer = coventry.answer_entry("omg-fgm", record=False)
    lead = answer.lead
    assert lead.text.startswith("Female genital mutilation (FGM) is any procedure")
    assert "It is child abuse" not in lead.text
    assert lead.next_step.endswith("to the police by calling 101.")
    assert [c.phone for c in lead.contacts] == ["999", "101", "024 7678 8555"]
    assert answer.summary.splitlines()[-1] == (
        "Numbers as published: 999, 024 7678 8555 on coventry.gov.uk, checked 2026-12-01; "
        "101 on west-midlands.police.uk, checked 2026-12-02"
    )
    assert words(answer.summary) <= 90


def test_a_number_without_its_page_is_never_on_a_first_screen(coventry):
    """Validate refuses such a pack; should one be served all the same, the first screen
    leaves the number out rather than show it bare."""
    contacts = dict(coventry.pack.contacts)
    contacts["mash"] = replace(contacts["mash"], published_on="")
    assistant = Assistant(replace(coventry.pack, contacts=contacts), coventry.config)
    answer = assistant.answer("can I share information without consent?")
    assert "024 7678 8555" not in answer.summary
    assert "as published" not in answer.summary
    assert check_lead(answer, assistant.pack) == []
