"""Redaction against the synthetic practitioner corpus, with the issue's targets."""

import pytest

from bot.loader import load_pack
from bot.privacy import Redactor
from tests.conftest import ROOT
from tests.privacy.score import (
    CORPUS2,
    DEVELOPMENT,
    FUZZY,
    HOLDOUT,
    STRUCTURED,
    check_corpus,
    load_cases,
    score,
)


@pytest.fixture(scope="module")
def redactor():
    return Redactor.for_pack(load_pack(ROOT / "knowledge" / "coventry"))


@pytest.fixture(scope="module")
def result(redactor):
    return score(redactor)


def test_the_corpus_is_big_enough():
    cases = load_cases()
    assert len(cases) >= 250
    assert sum(len(c.get("identifiers") or []) for c in cases) >= 250


def test_structured_identifiers_all_removed(result):
    assert result.rate(STRUCTURED) == 1.0, result.misses


def test_names_and_addresses_at_least_98_percent_removed(result):
    assert result.rate(FUZZY) >= 0.98, result.misses


def test_at_most_1_percent_of_safeguarding_terms_lost(result):
    assert result.keep_rate_lost <= 0.01, result.lost


@pytest.fixture(scope="module")
def result2(redactor):
    return score(redactor, load_cases(CORPUS2))


def test_the_second_corpus_covers_initials_schools_nicknames_and_references():
    cases = load_cases(CORPUS2)
    assert check_corpus(cases) == [] and check_corpus(load_cases(HOLDOUT)) == []
    kinds = [i.get("kind") or i["type"] for c in cases for i in c.get("identifiers") or []]
    for shape in ("initials", "nickname", "straddle", "SCHOOL", "POLICE_REF", "ADDRESS"):
        assert kinds.count(shape) >= 5, shape


def test_second_corpus_structured_identifiers_all_removed(result2):
    assert result2.rate(STRUCTURED) == 1.0, result2.misses


def test_second_corpus_names_initials_schools_and_addresses_at_least_98_percent(result2):
    assert result2.rate(FUZZY) >= 0.98, result2.misses


def test_second_corpus_at_most_1_percent_of_safeguarding_terms_lost(result2):
    assert result2.keep_rate_lost <= 0.01, result2.lost


@pytest.mark.parametrize(
    "text, expected",
    [
        ("is a bruise on baby K a level 4", "is a bruise on baby [NAME] a level 4"),
        ("KM told her teacher she is scared", "[NAME] told her teacher she is scared"),
        ("J.B. keeps running away from home", "[NAME] keeps running away from home"),
        ("Kai J is 15 and carrying a knife", "[NAME] is 15 and carrying a knife"),
        ("she goes to Holy Family Catholic Primary", "she goes to [SCHOOL]"),
        ("a Year 10 at Whitley Academy", "a Year 10 at [SCHOOL]"),
        ("Stoke Park School have asked for advice", "[SCHOOL] have asked for advice"),
        ("the toddler they call Bubbles has bruises", "the toddler they call [NAME] has bruises"),
        ("they live at 17 Sewall Highway", "they live at [ADDRESS]"),
        ("Precious Adeyemi was left alone", "[NAME] was left alone"),
        ("Precious [NAME] was left alone", "[NAME] was left alone"),
        ("[NAME] Bell said his dad hit him", "[NAME] said his dad hit him"),
        (
            "police incident 20231103-0456 and crime ref CR/12345/24",
            "police incident [POLICE_REF] and crime ref [POLICE_REF]",
        ),
    ],
)
def test_what_practitioners_really_type_is_redacted(redactor, text, expected):
    assert redactor.redact(text).text == expected


@pytest.mark.parametrize(
    "text",
    [
        "what does the Children Act 1989 say about this",
        "KCSIE 2025 changes for filtering",
        "in 2019 the family moved away",
        "when do we use the Philomena Protocol",
        "can I refer to the Hope project",
        "Roma families new to Foleshill",
        "young people at Pool Meadow at night",
        "is Jade's Law in the Victims and Prisoners Act 2024",
    ],
)
def test_years_protocols_projects_places_and_communities_keep_their_meaning(redactor, text):
    assert redactor.redact(text).text == text


@pytest.mark.parametrize(
    "text, expected",
    [
        ("DOB 03/04/2015", "DOB [DATE]"),
        ("born 3rd April 2015", "born [DATE]"),
        ("lives at 14 Acacia Road cv12ab", "lives at [ADDRESS] [POSTCODE]"),
        ("ring mum on +44 7700 900123 or 07700900123", "ring mum on [PHONE] or [PHONE]"),
        ("NHS no 943 476 5919", "NHS no [NHS_NUMBER]"),
        ("ask <@U024BE7LH> or jo@example.org", "ask [SLACK_USER] or [EMAIL]"),
        (
            "a boy called liam, Tyler's mum and Mrs Begum",
            "a boy called [NAME], [NAME]'s mum and Mrs [NAME]",
        ),
    ],
)
def test_typed_placeholders(redactor, text, expected):
    assert redactor.redact(text).text == expected


def test_invalid_nhs_check_digit_is_not_taken_for_an_nhs_number(redactor):
    assert "[NHS_NUMBER]" not in redactor.redact("ref 943 476 5918").text


def test_vocabulary_survives(redactor):
    text = (
        "Is this Level 3 under RHRT? MASH said NFA, DSL wants Early Help, Gillick or "
        "Fraser, Clare's Law, Signs of Safety, Family Hub in Foleshill"
    )
    assert redactor.redact(text).text == text


def test_redaction_is_idempotent(redactor):
    for case in load_cases(*DEVELOPMENT):
        once = redactor.redact(case["text"]).text
        twice = redactor.redact(once)
        assert twice.text == once, case["text"]
        assert twice.total == 0
