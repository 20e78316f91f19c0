"""Redaction against the synthetic practitioner corpus, with the issue's targets."""

import pytest

from bot.loader import load_pack
from bot.privacy import Redactor
from tests.conftest import ROOT
from tests.privacy.score import FUZZY, STRUCTURED, load_cases, score


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


def test_structured_identifiers_at_least_99_percent_removed(result):
    assert result.rate(STRUCTURED) >= 0.99, result.misses


def test_names_and_addresses_at_least_95_percent_removed(result):
    assert result.rate(FUZZY) >= 0.95, result.misses


def test_at_most_2_percent_of_safeguarding_terms_lost(result):
    assert result.keep_lost / result.keep_total <= 0.02, result.lost


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
    for case in load_cases():
        once = redactor.redact(case["text"]).text
        twice = redactor.redact(once)
        assert twice.text == once, case["text"]
        assert twice.total == 0
