"""Rank knowledge-pack entries for a question.

Two stages keep it fast as a pack grows: a field-weighted BM25 over an inverted index picks
candidates (cost grows with the postings of the query's words, not the pack), then
rapidfuzz compares the question with each candidate's names and example questions.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz

from .pack import Entry
from .redact_words import first_names, surnames, zipf
from .text import STOPWORDS, Speller, content_stems, name_variants, normalise, stem, tokens

# How much a word counts by where it appears in an entry.
FIELD_WEIGHTS = {"name": 3.0, "question": 1.5, "text": 1.0}
CANDIDATES = 40
# Words that come with the identifying details practitioners type: not out-of-scope signs.
IDENTIFIER_CUES = frozenset(
    "dob born aged age postcode address nhs tel phone mob mobile email "
    "ref reference re called named".split()
)
BM25_K1, BM25_B = 1.2, 0.75

# Phrases that frame a question but are not its subject ("what does X mean").
_FRAMES = re.compile(
    r"^(?:.{0,40}? )?(?:(?:can|could) (?:you|someone) )?(?:please )?(?:"
    r"what is meant by |what (?:is|are) (?:an? |the )?|what does |what do |what s |whats |"
    r"define |definition of |meaning of |explain |tell me about |who (?:is|are) (?:the |an? )?|"
    r"what (?:does|do) (?:the )?(?:term |acronym |abbreviation )?|"
    r"whats? (?:the )?(?:meaning of |definition of )?)"
)
_FRAME_TAIL = re.compile(
    r"(?: (?:mean|means|meaning|stand for|stands for|short for|abbreviation|acronym|"
    r"definition|mean in safeguarding|in safeguarding|please|pls|mean please))+$"
)


@dataclass(frozen=True)
class Hit:
    entry: Entry
    score: float  # 0-1: the evidence, used for confidence
    name_score: float
    question_score: float
    coverage: float
    rank: float = 0.0  # the score weighted by the route's preference, for ordering


@dataclass(frozen=True)
class Ranking:
    """An `Index.top` result: the best entries by BM25, and every entry's score."""

    ranked: list[int]
    scores: dict[int, float]

    def score(self, doc: int) -> float:
        """The entry's BM25 score (0.0 if it has none of the words)."""
        return self.scores.get(doc, 0.0)


def subject_of(norm: str) -> str:
    """The thing a definition question asks about: "what does nfa mean" -> "nfa", and
    "im a school nurse whats a core group" -> "core group" (the frame may come late)."""
    s = _FRAMES.sub("", norm).strip()
    s = _FRAME_TAIL.sub("", s).strip()
    return s or norm


class Index:
    """An index over entries; build once per pack, query many times."""

    def __init__(self, entries: Iterable[Entry]):
        self.entries: list[Entry] = list(entries)
        self.exact: dict[str, set[int]] = defaultdict(set)
        self.names: list[list[str]] = []
        # Per name: is it specific (a phrase, or a word rarer than everyday English)?
        self.specific: list[list[bool]] = []
        self.questions: list[list[str]] = []
        postings: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
        lengths: list[float] = []
        vocab: set[str] = set()
        # A title part shared by many entries ("one-minute guide") names none of them.
        owners: dict[str, set[int]] = defaultdict(set)
        for i, entry in enumerate(self.entries):
            for n in name_variants(entry.match_terms):
                owners[normalise(n)].add(i)
        glossary_names = {
            n: i for n, owned in owners.items() for i in owned if self.entries[i].kind == "glossary"
        }
        for i, entry in enumerate(self.entries):
            names = [normalise(n) for n in name_variants(entry.match_terms)]
            if entry.kind == "guide":
                # A guide answers to its topic's other names too: "omg dv" finds the guide
                # on domestic abuse through the glossary's aliases for it.
                for n in list(names):
                    term = glossary_names.get(n)
                    if term is not None:
                        names += [normalise(x) for x in self.entries[term].match_terms]
            names = list(dict.fromkeys(n for n in names if n and len(owners[n]) < 3))
            questions = [normalise(q) for q in entry.questions]
            self.names.append(names)
            self.specific.append([_specific(n) for n in names])
            self.questions.append([_content(q) for q in questions if _content(q)])
            for name in names:
                self.exact[name].add(i)
            length = 0.0
            fields = (("name", names), ("question", questions), ("text", [normalise(entry.text)]))
            for field, texts in fields:
                weight = FIELD_WEIGHTS[field]
                for text in texts:
                    words = text.split()
                    vocab.update(words)
                    for s in content_stems(words):
                        postings[s][i] += weight
                        length += weight
            lengths.append(length)
        n = max(len(self.entries), 1)
        self.avg_length = (sum(lengths) / n) or 1.0
        self.lengths = lengths
        self.idf = {
            k: math.log(1 + (n - len(v) + 0.5) / (len(v) + 0.5)) for k, v in postings.items()
        }
        # Stem -> {entry: the stem's BM25 score in that entry}, worked out once (a question
        # then adds them up: one addition per posting).
        self.postings = {
            k: {doc: self._bm25_term(self.idf[k], tf, doc) for doc, tf in v.items()}
            for k, v in postings.items()
        }
        self.max_idf = math.log(1 + (n - 0.5) / 1.5) if n > 1 else 1.0
        self.speller = Speller(vocab)

    def _bm25_term(self, idf: float, tf: float, doc: int) -> float:
        norm = tf + BM25_K1 * (1 - BM25_B + BM25_B * self.lengths[doc] / self.avg_length)
        return idf * tf * (BM25_K1 + 1) / norm

    def known_share(self, words: list[str]) -> float:
        """Share of the question's content words the pack uses anywhere. Words it has never
        used ("wifi", "payday") are the surest sign of an out-of-scope question; numbers and
        people's names (practitioners include them) are left out of the count."""
        first, last = first_names(), surnames()  # two look-ups, not a 22,000-name union
        counted = [
            w
            for w in words
            if w not in STOPWORDS
            and not w.isdigit()
            and w not in first
            and w not in last
            and len(w) > 1
            and w not in IDENTIFIER_CUES
        ]
        if not counted:
            return 1.0
        return sum(1 for w in counted if stem(w) in self.postings) / len(counted)

    def ranking_stems(self, stems: list[str]) -> list[str]:
        """The stems BM25 ranks on, in the order their scores are added."""
        unique = set(stems)
        # In a large pack a word found in thousands of entries says little and costs most:
        # rank on the telling words, and on the common ones only if there is nothing else.
        common = max(200, len(self.entries) // 20)
        telling = {s for s in unique if len(self.postings.get(s, ())) <= common}
        return [s for s in telling or unique if self.postings.get(s)]

    def bm25(self, stems: list[str]) -> dict[int, float]:
        """Every entry's BM25 score for the question's stems (entries with none left out)."""
        scores: dict[int, float] = defaultdict(float)
        for s in self.ranking_stems(stems):
            for doc, score in self.postings[s].items():
                scores[doc] += score
        return scores

    def top(self, stems: list[str], k: int = CANDIDATES) -> Ranking:
        """The k entries with the highest BM25 scores, best first (ties: the entry met
        first), without sorting every entry that shares a word with the question."""
        scores = self.bm25(stems)
        return Ranking(heapq.nlargest(k, scores, key=scores.get), scores)

    def coverage(self, stems: list[str], doc: int) -> float:
        """Share of the question's information (IDF mass) that the entry contains."""
        total = matched = 0.0
        for s in set(stems):
            idf = self.idf.get(s, self.max_idf)
            total += idf
            if doc in self.postings.get(s, ()):
                matched += idf
        return matched / total if total else 0.0

    def search(
        self,
        question: str,
        *,
        boosts: dict[str, float] | None = None,
        only: set[str] | None = None,
        limit: int = 5,
    ) -> list[Hit]:
        words = self.speller.correct(tokens(question))
        norm = " ".join(words)
        if not norm:
            return []
        subject = subject_of(norm)
        stems = content_stems(words)
        content = _content(norm)
        known = self.known_share(words)
        bm25 = self.top(stems)
        candidates = set(bm25.ranked)
        candidates |= self.exact.get(subject, set()) | self.exact.get(norm, set())
        top_bm25 = (bm25.score(bm25.ranked[0]) if bm25.ranked else 1.0) or 1.0
        hits = []
        for i in candidates:
            entry = self.entries[i]
            if only and entry.kind not in only:
                continue
            name_score, specific = _name_score(subject, norm, self.names[i], self.specific[i])
            question_score = (
                max((fuzz.token_sort_ratio(content, q) for q in self.questions[i]), default=0.0)
                / 100
            )
            cover = self.coverage(stems, i) if stems else 0.0
            lexical = 0.6 * cover + 0.4 * bm25.score(i) / top_bm25
            # Curated names and example questions lead; shared words support.
            score = 0.6 * max(name_score, 0.9 * question_score) + 0.4 * lexical
            if name_score >= 1.0:
                pass  # an entry named outright needs no other evidence
            elif name_score >= 0.8 and specific:  # "what does a lado do legally": named
                score *= 0.6 + 0.4 * known * known
            else:
                score *= 0.25 + 0.75 * known * known
            # The route's preference orders the hits but does not add evidence.
            rank = score * (boosts or {}).get(entry.kind, 1.0)
            hits.append(Hit(entry, min(score, 1.0), name_score, question_score, cover, rank))
        hits.sort(key=lambda h: (-h.rank, h.entry.id))
        return hits[:limit]


_TITLE_PARTS = re.compile(r"\s*(?:\(|\)|\s/\s|\s[—–-]\s|:\s)\s*")


def _content(norm: str) -> str:
    return " ".join(w for w in norm.split() if w not in STOPWORDS)


def _specific(name: str) -> bool:
    """An acronym or a phrase, not an everyday word like "threshold" that turns up in
    questions about the heating (worked out once, when the index is built)."""
    return " " in name or zipf(name) < 4.0


def _name_score(
    subject: str, norm: str, names: list[str], specific_names: list[bool]
) -> tuple[float, bool]:
    """How well the question names the entry (exact, fuzzy, or named inside it), and whether
    the name that did it is specific (see `_specific`)."""
    best, specific = 0.0, False
    padded = f" {norm} "
    for name, name_is_specific in zip(names, specific_names, strict=True):
        if name == subject or name == norm:
            return 1.0, True
        score = fuzz.ratio(subject, name) / 100 * (0.95 if len(name) > 4 else 0.8)
        if len(name) >= 3 and f" {name} " in padded:
            # The name appears whole inside a longer question: strong, weaker if it is short.
            share = len(name) / max(len(subject), 1)
            score = max(score, 0.8 + 0.15 * min(share, 1.0))
        if score > best:
            best = score
            specific = name_is_specific
    return best, specific
