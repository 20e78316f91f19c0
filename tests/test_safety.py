import pytest

from bot.safety import check

EMERGENCIES = [
    "toddler left alone at home right now, mum gone out",
    "child just told me dad hits her and she has to go home to him tonight",
    "yr 10 girl says she plans to kill herself tonight, has saved up tablets",
    "8 month old baby has a bruise on her cheek, not crawling yet",
    "15yo missing since last night, phone off, seen with older men",
    "dad is outside the school gate with a knife now",
    "mum has turned up to collect drunk and wants to drive them home",
    "girl says she is being taken abroad next week to be cut",
]
CALM = [
    "no immediate risk but worried about neglect",
    "what do i do if a child ever tells me they are being hurt",
    "training question: what counts as an emergency",
    "what does NFA mean",
    "mum drinking most evenings, missed appointments, wants help",
]


@pytest.mark.parametrize("question", EMERGENCIES)
def test_immediate_danger_is_flagged(question):
    assert check(question).emergency, question


@pytest.mark.parametrize("question", CALM)
def test_reassurance_and_framing_are_not_flagged(question):
    assert not check(question).emergency, question


def test_a_non_mobile_baby_bruise_is_flagged_even_with_reassurance():
    result = check("no immediate risk, parents lovely, but 6 week old has a bruise on his leg")
    assert result.emergency
    assert "injury to a non-mobile baby" in result.reasons


@pytest.mark.parametrize(
    "question, expected",
    [
        ("she told me her uncle touches her private parts when he babysits", True),
        ("mums boyfriend comes into her room at night and touches her", True),
        ("mum asked if it is ok to touch the baby's bottom when changing him", False),
        ("dad helps him touch type on the laptop", False),
        ("yr 8 missing school on fridays, attendance 85%", False),
        ("no missing episodes, still attending school", False),
    ],
)
def test_disclosures_and_look_alikes(question, expected):
    assert check(question).emergency is expected, question
