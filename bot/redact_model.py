"""The learned redaction pass: after the rules, each word they left is weighed by a small
logistic model (weights learnt from the privacy corpora by `python -m tests.privacy.train`,
shipped as data in bot/data/redaction-model.json), and a word likely to be part of a name,
a school or an address goes too. Rules write down what we know; the model catches the shapes
no rule was written for ("Ms Okonkwo-Reid's", "went to Brackenfield", "Wren").

At run time this is a sum of weights per class and a softmax, in plain Python: scikit-learn
is needed only to learn the weights.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from .redact_features import FEATURE_VERSION, Featurizer
from .redact_tokens import MONTHS_AND_DAYS, end_without_possessive, strip_possessive
from .redact_words import (
    COMMON_ENGLISH_FILE,
    DATA,
    ENGLISH_ZIPF_FILE,
    FIRST_NAMES_FILE,
    POPULAR_FIRST_NAMES_FILE,
    SURNAMES_FILE,
    WORD_NAMES,
    all_surnames,
    first_names,
    lists,
    zipf,
)

if TYPE_CHECKING:
    from .redact_names import NameFinder

MODEL_FILE = Path(__file__).with_name("data") / "redaction-model.json"
# Where the corpora the weights are learnt from live: a source checkout has them, an
# installed bot does not (and then cannot say whether its weights are current).
CORPORA = Path(__file__).resolve().parent.parent / "tests" / "privacy"
# The lists the features read: a word moved between them changes what the weights mean.
LIST_FILES = (
    DATA,
    FIRST_NAMES_FILE,
    POPULAR_FIRST_NAMES_FILE,
    SURNAMES_FILE,
    COMMON_ENGLISH_FILE,
    ENGLISH_ZIPF_FILE,
)
OUTSIDE = "O"  # the class of a word that identifies nobody
# Words inside a name that join its parts ("Our Lady of Lourdes", "Smith and Sons").
_LINKS = frozenset(("of", "the", "de", "la", "van", "von", "bin", "al", "st"))
_JOIN = re.compile(r"[ \t]{1,2}|[ \t]*[-.&][ \t]*|\.")  # between two words of one name


def _no_name_alone(word: str, token: str) -> bool:
    """A word the model may not take on its own: a letter ("Vitamin D", "B&B", "Plan B"), a
    day ("on Mondays"), an everyday word no name list holds ("RISK: Medium", "At") or that
    only a surname list holds, in lower case ("to chase the GP"), or everyday words joined by
    a hyphen ("non-verbal"). The rules take these where a cue says they are a person ("baby
    K", "a girl called Medium", "mr chase")."""
    if len(word) == 1 or word in MONTHS_AND_DAYS or word[:-1] in MONTHS_AND_DAYS:
        return True
    if word in first_names() or word in WORD_NAMES:
        return False
    if word in all_surnames():
        return token.islower() and zipf(word) >= 4.0
    parts = word.split("-")
    if len(parts) > 1:
        return all(len(p) > 2 and zipf(p) >= 3.0 and p not in first_names() for p in parts)
    return zipf(word) >= 4.0


class ModelError(ValueError):
    """The weights file is missing, damaged or was learnt on other features."""


@lru_cache(maxsize=4)
def load_weights(path: Path = MODEL_FILE) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot read the redaction model {path.name}: {exc}") from None
    if data.get("feature_version") != FEATURE_VERSION:
        raise ModelError(
            f"the redaction model {path.name} was learnt on other features: "
            "run `python -m tests.privacy.train`"
        )
    return data


def inputs_hash(corpora: Iterable[Path]) -> str:
    """What the weights are learnt from: the features' version, the corpora and the word
    lists the features read. Any change to one makes the shipped weights stale."""
    h = hashlib.sha256(f"features-v{FEATURE_VERSION}".encode())
    for path in [*corpora, *LIST_FILES]:
        h.update(Path(path).name.encode())
        h.update(Path(path).read_bytes())
    return h.hexdigest()[:16]


def staleness(path: Path = MODEL_FILE, corpora: Path = CORPORA) -> str | None:
    """Why the weights at `path` are stale against the corpora and word lists as they are
    now (one line), or None when they are current or the corpora are not here to say."""
    try:
        data = load_weights.__wrapped__(path)
    except ModelError as exc:
        return str(exc)
    names = data.get("inputs") or []
    if not corpora.is_dir():
        return None
    missing = [n for n in names if not (corpora / n).is_file()]
    if not names or missing:
        what = (
            f"names corpora that are gone ({', '.join(missing)})"
            if missing
            else ("does not say which corpora it was learnt from")
        )
        return f"the redaction model {path.name} {what}: run `python -m tests.privacy.train`"
    if data.get("inputs_hash") != inputs_hash(corpora / n for n in names):
        return (
            f"the redaction model {path.name} is stale (a privacy corpus, a word list or the "
            "features changed since it was learnt): run `python -m tests.privacy.train`"
        )
    return None


class LearnedPass:
    """Finds (start, end, label) spans of the words the rules left that the model takes for
    part of a name, school or address."""

    def __init__(self, finder: NameFinder, weights: dict | None = None):
        data = weights if weights is not None else load_weights()
        self.classes: list[str] = list(data["classes"])
        self.outside = self.classes.index(OUTSIDE)
        self.bias: list[float] = list(data["bias"])
        self.weights: dict[str, list[float]] = data["weights"]
        self.threshold: float = float(data["threshold"])
        self.featurizer = Featurizer(finder)
        words = lists()
        # Words that identify nobody on their own: a span of only these is dropped
        # ("School place offered", "Nursery key worker", "Far Gosford St").
        self._generic = (
            finder.weak_safe
            | finder.relations
            | finder.titles
            | words.school_words
            | words.generic_school_words
            | {e.lower() for e in words.street_endings}
        )

    def scored(self, text: str) -> tuple[list[re.Match[str]], list[tuple[int, list[float]]]]:
        """The words of `text`, and each asked-about word's probability per class."""
        tokens, rows = self.featurizer.rows(text)
        weights, bias = self.weights, self.bias
        scored = []
        for i, features in rows:
            columns = [weights[f] for f in features if f in weights]
            sums = [sum(c) for c in zip(bias, *columns, strict=True)]
            top = max(sums)
            exps = [math.exp(s - top) for s in sums]
            total = sum(exps)
            scored.append((i, [e / total for e in exps]))
        return tokens, scored

    def spans(self, text: str, threshold: float | None = None) -> list[tuple[int, int, str]]:
        """Spans to replace: words at least `threshold` likely to identify someone, those
        next to each other (or joined by "of", "and", a hyphen) taken as one."""
        threshold = self.threshold if threshold is None else threshold
        tokens, scored = self.scored(text)
        found = {i: p for i, p in scored if 1.0 - p[self.outside] >= threshold}
        return self.group(text, tokens, found)

    def group(
        self, text: str, tokens: list[re.Match[str]], found: dict[int, list[float]]
    ) -> list[tuple[int, int, str]]:
        """Words found, joined into names: (start, end, the likeliest class over them)."""
        out: list[tuple[int, int, str] | None] = []
        run: list[int] = []
        for i in sorted(found):
            if run and self._joined(text, tokens, run[-1], i):
                run.append(i)
                continue
            if run:
                out.append(self._span(tokens, run, found))
            run = [i]
        if run:
            out.append(self._span(tokens, run, found))
        return [span for span in out if span is not None]

    def _joined(self, text: str, tokens: list[re.Match[str]], a: int, b: int) -> bool:
        if b == a + 1:
            return bool(_JOIN.fullmatch(text, tokens[a].end(), tokens[b].start()))
        if b == a + 2 and tokens[a + 1].group(0).lower() in _LINKS:
            gaps = (
                text[tokens[a].end() : tokens[a + 1].start()],
                text[tokens[a + 1].end() : tokens[b].start()],
            )
            return all(_JOIN.fullmatch(g) for g in gaps)
        return False

    @staticmethod
    def _beside_placeholder(tokens: list[re.Match[str]], run: list[int]) -> bool:
        """ "[NAME] Primary School": generic words that finish a name the rules found."""
        first, last = run[0], run[-1]
        before = first > 0 and tokens[first - 1].group(0).startswith("[")
        after = last + 1 < len(tokens) and tokens[last + 1].group(0).startswith("[")
        return before or after

    def _span(
        self, tokens: list[re.Match[str]], run: list[int], found: dict[int, list[float]]
    ) -> tuple[int, int, str] | None:
        words = [strip_possessive(tokens[i].group(0)).lower() for i in run]
        if any(lists().medicine(w) for w in words):
            return None  # "Lurasidone", "Vortioxetine": a medicine by its ending
        generic = [
            w in self._generic or _no_name_alone(w, tokens[i].group(0))
            for w, i in zip(words, run, strict=True)
        ]
        if all(generic) and not self._beside_placeholder(tokens, run):
            return None
        totals = [sum(found[i][k] for i in run) for k in range(len(self.classes))]
        totals[self.outside] = -1.0
        label = self.classes[max(range(len(totals)), key=totals.__getitem__)]
        start, end = tokens[run[0]].start(), end_without_possessive(tokens[run[-1]])
        # One placeholder for one name: "[NAME] Darren" + "MCGUIGAN" is "[NAME]", not two.
        first, last, placeholder = run[0], run[-1], f"[{label}]"
        if first and tokens[first - 1].group(0) == placeholder:
            if tokens[first - 1].end() + 1 == start:
                start = tokens[first - 1].start()
        if last + 1 < len(tokens) and tokens[last + 1].group(0) == placeholder:
            if tokens[last].end() == end and end + 1 == tokens[last + 1].start():
                end = tokens[last + 1].end()
        return start, end, label
