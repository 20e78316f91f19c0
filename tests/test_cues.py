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
