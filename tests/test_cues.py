"""The cue lexicon: what counts as present, negated, in the past or hypothetical."""

import re

import pytest

from bot.cues import HYPOTHETICAL, NEGATED, PAST, PRESENT, Lexicon, LexiconError, compile_phrase


@pytest.fixture(scope="module")
def lexicon(coventry):
    return coventry.assessor.data.lexicon


def states(lexicon, text, cue):
    return lexicon.find(text).states.get(cue, set())


@pytest.mark.parametrize(
    "text, cue, state",
    [
        ("6 week old baby has a bruise on his cheek", "non-mobile-baby", PRESENT),
        ("no bruises or marks seen on the baby", "injury", NEGATED),
        ("CP plan 5 years ago, closed", "open-to-social-care", PAST),
        ("what if a child told me her dad hits her", "physical-harm", HYPOTHETICAL),
        ("he says he won't need it after the weekend", "suicidal", PRESENT),
        ("mum not answering her phone since lunchtime", "for-hours", PRESENT),
        ("no bruises but mum was drunk at pick up", "intoxicated-carer", PRESENT),
        ("nan's tablets hidden in his room", "suicide-means", PRESENT),
    ],
)
def test_cue_states(lexicon, text, cue, state):
    assert state in states(lexicon, text, cue), lexicon.find(text).states


def test_a_negation_does_not_reach_past_a_turn(lexicon):
    found = lexicon.find("no marks seen, but she says dad hit her")
    assert found.present("physical-harm") and not found.present("injury")


@pytest.mark.parametrize(
    "phrase, hits, misses",
    [
        ("#<7 month* old", ["5 months old", "6 month old"], ["7 months old", "18 month old"]),
        ("#>17 year old", ["18 year old", "34 year old"], ["17 year old", "9 year old"]),
        ("hit*|punch* mum", ["hitting mum", "punched mum"], ["kicked mum", "hit dad"]),
        ("gave _? away", ["gave it away", "gave away"], ["gave him it away"]),
        ("grandmother", ["his nan said"], ["grandma"]),
        # alternatives are one word each; + joins the words of one alternative
        ("at home now|at+the+moment", ["at home at the moment"], ["at home the moment"]),
        ("to collect|pick up", ["to pick up", "to collect up"], ["to collect the kids"]),
    ],
)
def test_phrase_language(phrase, hits, misses):
    from bot.text import normalise

    pattern = re.compile(compile_phrase(phrase))
    for text in hits:
        assert pattern.search(normalise(text)), (phrase, text)
    for text in misses:
        assert not pattern.search(normalise(text)), (phrase, text)


@pytest.mark.parametrize("bad", ["re: (unclosed", "gave _?", "   "])
def test_a_bad_phrase_is_a_clear_error(bad):
    with pytest.raises(LexiconError):
        Lexicon({"cues": [{"id": "x", "phrases": [bad]}]})


def test_unquoted_yes_no_in_yaml_is_refused():
    # YAML reads a bare `no` as False: a lexicon must say so rather than drop the word.
    with pytest.raises(LexiconError):
        Lexicon({"negators": [False], "cues": []})


@pytest.mark.parametrize(
    "text, cue, counted",
    [
        # `not_of`: the parent's condition is not the child's, and a service's plan not the
        # child's; the child's own still counts.
        ("dad uses a wheelchair so he can't go out looking", "disabled-child", False),
        ("mum has an autistic son, 9", "disabled-child", True),
        ("her son is autistic and non verbal", "disabled-child", True),
        ("mum had severe postnatal depression with her first", "child-mental-health", False),
        ("mum's low mood is worse this week", "child-mental-health", False),
        ("14yo says she has had low mood since christmas", "child-mental-health", True),
        ("the behaviour plan for this term has not changed it", "suicide-plan", False),
        ("he says he has a plan for tonight", "suicide-plan", True),
        # a pregnant parent or partner, not a pregnant child
        ("the 4yo's dad's partner is pregnant", "parent-pregnant", True),
        ("15yo says his girlfriend is pregnant, she is 14", "parent-pregnant", False),
        # an age, not weeks or minutes
        ("mum is 20 wks pregnant", "adult-involved", False),
        ("her new boyfriend is 19", "adult-involved", True),
    ],
)
def test_whose_it_is(lexicon, text, cue, counted):
    assert (PRESENT in states(lexicon, text, cue)) is counted, lexicon.find(text).states


def test_not_of_is_checked_like_phrases():
    with pytest.raises(LexiconError):
        Lexicon({"cues": [{"id": "x", "phrases": ["a"], "not_of": [3]}]})
