"""Two matchers a team would otherwise ship, answering in the shape `bot.evaluate` scores.

(A) `FuzzyBaseline`: rapidfuzz WRatio of the question against every entry's title, aliases,
example questions and text; the entry with the best single score wins.
(B) `BM25Baseline`: Okapi BM25 (rank-bm25) over each entry's full text — title, aliases,
example questions and answer text — lower-cased, stop words dropped, Snowball-stemmed.

Both see the text the bot sees, normalised by the bot's own functions (`Normaliser`):
typos corrected against the pack's vocabulary, text-speak and US spellings fixed, and for a
question that is not a vignette the frame stripped ("what does NFA mean" -> "nfa").

For a vignette ("what level is this: …") both match the level indicators instead (text plus
trigger phrases) and answer with the best indicator's level. They are told which questions
are vignettes — routing the bot has to work out for itself. Each refuses below a score
threshold tuned on the very set it is scored on (`tune_threshold`), and flags an emergency
only when its answer is the pack's `emergency` entry. Every one of these choices is
generous to the baselines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import snowballstemmer
from rank_bm25 import BM25Okapi
from rapidfuzz import fuzz, process, utils

from bot.evaluate import Case, Result
from bot.pack import Pack
from bot.search import subject_of
from bot.text import Speller, normalise, tokens

EMERGENCY_ENTRY = "emergency"
# A common English stop-word list (the short one most BM25 tutorials use).
ENGLISH_STOPWORDS = frozenset(
    """
a about above after again against all am an and any are as at be because been before being
below between both but by can did do does doing down during each few for from further had
has have having he her here hers herself him himself his how i if in into is it its itself
just me more most my myself no nor not now of off on once only or other our ours ourselves
out over own same she should so some such than that the their theirs them themselves then
there these they this those through to too under until up very was we were what when where
which while who whom why will with you your yours yourself yourselves
""".split()
)
_WORD = re.compile(r"[a-z0-9]+")
_STEMMER = snowballstemmer.stemmer("english")


@dataclass(frozen=True)
class Alt:
    entry_id: str
    title: str = ""
    score: float = 0.0


@dataclass(frozen=True)
class BaselineAnswer:
    """The fields of `bot.answer.Answer` that the scorer reads."""

    kind: str
    entry_id: str | None = None
    level: int | None = None
    emergency: bool = False
    confidence: float = 0.0
    alternatives: tuple[Alt, ...] = ()


@dataclass
class Ranked:
    """A baseline's raw ranking for one question, before a refusal threshold is applied."""

    vignette: bool
    ids: list[str]  # best first (entry ids, or indicator ids for a vignette)
    scores: list[float]
    extra: dict = field(default_factory=dict)


class Normaliser:
    """The bot's own question normalisation (bot.text and bot.search), for the baselines: the
    same spelling, text-speak and question-frame handling, so the comparison is of matching
    alone."""

    def __init__(self, speller: Speller):
        self.speller = speller

    def question(self, text: str, vignette: bool) -> str:
        norm = " ".join(self.speller.correct(tokens(text)))
        return norm if vignette else subject_of(norm)

    @staticmethod
    def document(text: str) -> str:
        return normalise(text)


def is_vignette(case: Case) -> bool:
    return case.level is not None or case.kind == "triage"


def bm25_tokens(text: str) -> list[str]:
    return _STEMMER.stemWords(
        [w for w in _WORD.findall(text.lower()) if w not in ENGLISH_STOPWORDS]
    )


class _Baseline:
    name = "baseline"

    def __init__(self, pack: Pack, normaliser: Normaliser):
        self.pack = pack
        self.norm = normaliser
        self.entries = list(pack.entries.values())
        self.indicators = list(pack.indicators.values())
        self.threshold = 0.0

    # subclasses: score every entry / indicator for a question (numpy arrays)
    def entry_scores(self, question: str) -> np.ndarray:
        raise NotImplementedError

    def indicator_scores(self, question: str) -> np.ndarray:
        raise NotImplementedError

    def rank(self, question: str, vignette: bool, k: int = 3) -> Ranked:
        items = self.indicators if vignette else self.entries
        question = self.norm.question(question, vignette)
        scores = self.indicator_scores(question) if vignette else self.entry_scores(question)
        if not len(items):
            return Ranked(vignette, [], [])
        top = np.argsort(-scores, kind="stable")[:k]
        return Ranked(vignette, [items[i].id for i in top], [float(scores[i]) for i in top])

    def decide(self, ranked: Ranked, threshold: float | None = None) -> BaselineAnswer:
        """Turn a ranking into an answer; entries below the threshold are refused."""
        threshold = self.threshold if threshold is None else threshold
        if not ranked.ids:
            return BaselineAnswer("no_answer")
        if ranked.vignette:
            ind = self.pack.indicators[ranked.ids[0]]
            level = self.pack.levels[ind.level]
            return BaselineAnswer("triage", level.id, level.rank, False, ranked.scores[0])
        alts = tuple(
            Alt(i, self.pack.entries[i].title, s)
            for i, s in zip(ranked.ids[1:], ranked.scores[1:], strict=True)
        )
        if ranked.scores[0] < threshold:
            return BaselineAnswer("no_answer", None, None, False, ranked.scores[0], alts)
        best = self.pack.entries[ranked.ids[0]]
        level = self.pack.levels[best.id].rank if best.id in self.pack.levels else None
        return BaselineAnswer(
            best.kind, best.id, level, best.id == EMERGENCY_ENTRY, ranked.scores[0], alts
        )

    def results(
        self, cases: list[Case], ranked: list[Ranked], threshold: float | None = None
    ) -> list[Result]:
        out = []
        for case, r in zip(cases, ranked, strict=True):
            answer = self.decide(r, threshold)
            # Top-3 is a ranking figure: the three best entries, refused or not.
            top3 = list(r.ids[:3]) if not r.vignette else [answer.entry_id]
            out.append(Result(case, answer, top3))
        return out


class FuzzyBaseline(_Baseline):
    """(A) rapidfuzz WRatio against titles, aliases, example questions and text."""

    name = "fuzzy (WRatio)"

    def __init__(self, pack: Pack, normaliser: Normaliser):
        super().__init__(pack, normaliser)
        self._entry_choices, self._entry_owner = self._flatten(
            [[e.title, *e.aliases, *e.questions, e.text] for e in self.entries]
        )
        self._ind_choices, self._ind_owner = self._flatten(
            [[i.text, *i.triggers] for i in self.indicators]
        )

    def _flatten(self, groups: list[list[str]]) -> tuple[list[str], np.ndarray]:
        choices, owner = [], []
        for n, group in enumerate(groups):
            for text in group:
                if text:
                    choices.append(utils.default_process(self.norm.document(text)))
                    owner.append(n)
        return choices, np.asarray(owner, dtype=np.int64)

    def _best_per_owner(
        self, question: str, choices: list[str], owner: np.ndarray, n: int
    ) -> np.ndarray:
        scores = process.cdist(
            [utils.default_process(question)],
            choices,
            scorer=fuzz.WRatio,
            dtype=np.float32,
            workers=1,
        )[0]
        best = np.zeros(n, dtype=np.float32)
        np.maximum.at(best, owner, scores)
        return best

    def entry_scores(self, question: str) -> np.ndarray:
        return self._best_per_owner(
            question, self._entry_choices, self._entry_owner, len(self.entries)
        )

    def indicator_scores(self, question: str) -> np.ndarray:
        return self._best_per_owner(
            question, self._ind_choices, self._ind_owner, len(self.indicators)
        )


class BM25Baseline(_Baseline):
    """(B) BM25 over each entry's full text."""

    name = "BM25 (rank-bm25)"

    def __init__(self, pack: Pack, normaliser: Normaliser):
        super().__init__(pack, normaliser)
        doc = normaliser.document
        self._entries = BM25Okapi(
            [
                bm25_tokens(doc(" ".join([e.title, *e.aliases, *e.questions, e.text]))) or ["_"]
                for e in self.entries
            ]
        )
        self._indicators = BM25Okapi(
            [bm25_tokens(doc(" ".join([i.text, *i.triggers]))) or ["_"] for i in self.indicators]
        )

    def entry_scores(self, question: str) -> np.ndarray:
        return np.asarray(self._entries.get_scores(bm25_tokens(question)))

    def indicator_scores(self, question: str) -> np.ndarray:
        return np.asarray(self._indicators.get_scores(bm25_tokens(question)))


def tune_threshold(baseline: _Baseline, cases: list[Case], ranked: list[Ranked]) -> float:
    """The refusal threshold that maximises (right top-1 answers + refused out-of-scope
    questions) on this very set: the best the baseline could possibly be set up to do."""
    points = []  # (best score, counts if answered, counts if refused)
    for result, r in zip(baseline.results(cases, ranked, float("-inf")), ranked, strict=True):
        case = result.case
        if r.vignette or not r.scores:
            continue
        if case.entry:
            points.append((r.scores[0], int(result.entry_ok and result.kind_ok), 0))
        elif case.kind == "no_answer":
            points.append((r.scores[0], 0, 1))
    best_t, best_score = 0.0, -1
    for t in sorted({0.0, *(p[0] for p in points)}):
        score = sum(a if s >= t else r for s, a, r in points)
        if score > best_score:
            best_t, best_score = t, score
    return best_t
