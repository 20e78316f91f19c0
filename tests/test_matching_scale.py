"""Matching in a large pack takes the same answers in fewer steps (issue 16, item 8):

- triage tries only the triggers a clause can still match (`bot.triage._Filing`), and finds
  exactly the matches of trying every trigger filed under a word of the clause;
- the speller compares an unknown word only with the words that could be close enough
  (`Speller._near`), and corrects it exactly as comparing it with every word would;
- search takes the top BM25 candidates without sorting every scored entry.

Each is checked against the plain way on the bundled pack and on a grown one."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz, process

from bench.synthetic import fresh_stream, grow_pack
from bot.evaluate import load_cases
from bot.search import CANDIDATES
from bot.text import STOPWORDS, Speller, stem
from bot.triage import Match, Triage
from tests.conftest import ROOT


def _every_filed_trigger(self, clause, best, factor, threshold, window=None):
    """`Triage._match_clause` as it was: every trigger filed under a word of the clause."""
    present_terms = clause.terms
    slots = {s for term in present_terms for s in self.by_term.get(term, ())}
    for slot in slots:
        terms, negated, members = self.triggers[slot]
        if negated and not clause.has_negator:
            continue
        need, weighted = self.compiled[slot]
        have, missing_concept = 0.0, False
        for t, w in weighted:
            if t == "NOT":
                have += w
                continue
            present = present_terms.get(t)
            if present is not None and present[0] != negated:
                have += w
            elif t in self.concepts.names:
                missing_concept = True
        score = have / need
        if score < (0.99 if len(terms) <= 2 else threshold):
            continue
        if score < 0.99 and missing_concept:
            continue
        if window is not None and not clause.close_together(terms - {"NOT"}, window):
            continue
        value = round(score * factor, 3)
        for indicator, trigger in members:
            current = best.get(indicator.id)
            if current is None or (value, -clause.hypothetical) > (
                current.score,
                -current.hypothetical,
            ):
                best[indicator.id] = Match(indicator, value, trigger, clause.hypothetical)


def _questions() -> list[str]:
    cases = [
        c.question
        for folder in ("golden", "holdout", "situations-v9", "situations-v8")
        for c in load_cases(ROOT / "tests" / folder / "coventry")
    ]
    return cases + fresh_stream(cases, len(cases) + 400, seed=5)[len(cases) :]


def _matches(triage: Triage, question: str):
    return [(m.indicator.id, m.score, m.hypothetical) for m in triage.match(question)]


@pytest.fixture(scope="module")
def grown(coventry):
    return grow_pack(coventry.pack, 4, seed=3)


@pytest.mark.parametrize("which", ["bundled", "grown 4×"])
def test_triage_finds_what_trying_every_filed_trigger_finds(coventry, grown, which):
    pack = coventry.pack if which == "bundled" else grown
    triage = Triage(pack, coventry.assessor.triage.concepts)
    plain = Triage(pack, coventry.assessor.triage.concepts)
    plain._match_clause = _every_filed_trigger.__get__(plain)
    questions = _questions()
    found = 0
    for question in questions:
        expected = _matches(plain, question)
        assert _matches(triage, question) == expected, question
        found += bool(expected)
    assert found > len(questions) // 3  # the questions do match indicators


def _plain_correction(speller: Speller, word: str) -> str:
    """`Speller.word` comparing the word with every word of the vocabulary."""
    if len(word) < 5 or word in speller._known or word in STOPWORDS or stem(word) in speller._stems:
        return word
    best = process.extractOne(word, speller.vocab, scorer=fuzz.ratio, score_cutoff=speller.cutoff)
    return best[0] if best else word


@pytest.fixture(scope="module")
def large_vocabulary(grown) -> list[str]:
    """Over Speller.INDEX_ABOVE words: a grown pack's words, typos and all."""
    from bot.search import Index

    words = sorted(Index(grown.entries.values()).speller.vocab)
    assert len(words) > Speller.INDEX_ABOVE
    return words


def _typos(words: list[str], n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        word = rng.choice(words)
        i = rng.randrange(len(word))
        letter = rng.choice("abcdefghijklmnopqrstuvwxyz")
        out.append(
            [
                word[:i] + letter + word[i + 1 :],
                word[:i] + word[i + 1 :],
                word[:i] + letter + word[i:],
            ][rng.randrange(3)]
        )
    return out


@pytest.mark.parametrize("cutoff", [84, 86])  # search's and triage's
def test_speller_corrects_as_comparing_every_word_would(large_vocabulary, cutoff):
    speller = Speller(set(large_vocabulary), cutoff=cutoff)
    assert speller._grams is not None  # the large-vocabulary path is the one under test
    words = _typos(large_vocabulary, 600, seed=cutoff)
    corrected = 0
    for word in words:
        expected = _plain_correction(speller, word)
        assert speller.word(word) == expected, word
        corrected += expected != word
    assert corrected > 100  # typos do get corrected


@pytest.fixture(scope="module")
def speller_84(large_vocabulary) -> Speller:
    return Speller(set(large_vocabulary), cutoff=84)


@settings(max_examples=150, deadline=None)
@given(word=st.text(alphabet="aeinorstlcdhumpgy", min_size=5, max_size=16))
def test_speller_on_any_word_matches_the_plain_way(speller_84, word):
    assert speller_84.word(word) == _plain_correction(speller_84, word)


def test_search_candidates_are_the_top_of_every_scored_entry(coventry, grown):
    from bot.search import Index
    from bot.text import content_stems, tokens

    for index in (coventry.index, Index(grown.entries.values())):
        for question in _questions()[::7]:
            stems = content_stems(index.speller.correct(tokens(question)))
            scores = index.bm25(stems)
            every = sorted(scores, key=scores.get, reverse=True)[:CANDIDATES]
            assert set(index.top(stems).ranked) == set(every)
