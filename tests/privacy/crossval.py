"""Cross-validation of the learned redaction pass (tests/privacy/train.py): folds by message,
the rules' output of the held-out messages weighed by a model learnt without them, against
the rules alone; and the model on its own, as a measure of what it finds without the rules.
Per type: names, schools and addresses caught (scored as tests/privacy/score.py does), the
model's finds that were right, vocabulary lost and other words taken."""

from __future__ import annotations

import random
import re
from collections import Counter

from tests.privacy.score import FUZZY, caught
from tests.privacy.train import (
    C_GRID,
    FOLDS,
    MAX_LOST,
    THRESHOLDS,
    examples,
    export,
    fit,
    view,
)

_WORD = re.compile(r"[^\W_](?:[\w'’\-]*[^\W_])?")


class Tally:
    """Recall by type, vocabulary lost and other words taken, over some messages."""

    def __init__(self):
        self.found, self.total = Counter(), Counter()
        self.flagged, self.right = Counter(), Counter()
        self.lost = self.keeps = self.taken = self.words = 0

    def add(self, case: dict, before: str, out: str) -> None:
        for ident in case.get("identifiers") or []:
            kind = ident["type"]
            if kind in FUZZY:
                self.total[kind] += 1
                self.found[kind] += caught(ident["value"], case["text"], out)
        for keep in case.get("keep") or []:
            self.keeps += 1
            self.lost += keep not in out
        named = _named(case)
        gone = Counter(_words(before)) - Counter(_words(out))
        self.taken += sum(n for w, n in gone.items() if w.lower() not in named)
        self.words += len(_words(before))

    def spans(self, case: dict, text: str, spans: list[tuple[int, int, str]]) -> None:
        """The model's finds in `text` (what the rules left): right when every word of one
        is a word of an identifier of the message."""
        named = _named(case)
        for start, end, label in spans:
            self.flagged[label] += 1
            self.right[label] += all(w.lower() in named for w in _WORD.findall(text[start:end]))

    def precision(self) -> str:
        return " ".join(
            f"{k} {self.right[k]}/{self.flagged[k]}" for k in sorted(FUZZY) if self.flagged[k]
        )

    def recall(self, kinds: tuple[str, ...] = ("ADDRESS", "NAME", "SCHOOL")) -> float:
        total = sum(self.total[k] for k in kinds)
        return sum(self.found[k] for k in kinds) / total if total else 1.0

    def line(self) -> str:
        kinds = " ".join(f"{k} {self.found[k]}/{self.total[k]}" for k in sorted(FUZZY))
        return (
            f"{kinds} = {100 * self.recall():.1f}%; vocabulary lost {self.lost}/{self.keeps} "
            f"({100 * self.lost / max(1, self.keeps):.2f}%); other words taken {self.taken} "
            f"({1000 * self.taken / max(1, self.words):.1f} per 1,000)"
        )


def _named(case: dict) -> set[str]:
    """The words of the message's identifiers, lower-cased."""
    return {w.lower() for i in case.get("identifiers") or [] for w in _WORD.findall(i["value"])}


def _words(text: str) -> list[str]:
    return [w for w in _WORD.findall(re.sub(r"\[[A-Z_]+\]", " ", text))]


def cross_validate(
    redactor,
    cases: list[dict],
    rules_out: list[str],
    verbose: bool = False,
    sources: list[str] | None = None,
):
    """For each C: {threshold: Tally} of rules + model over held-out folds, and the model's
    own Tally (no rules for names, schools or addresses) at each threshold. With `sources`
    (each case's corpus file), a fold holds whole corpora (folds_by_source)."""
    from bot.redact_features import Featurizer
    from bot.redact_model import LearnedPass

    rows = examples(Featurizer(redactor.names), cases)
    folds = folds_by_source(sources) if sources else _random_folds(len(cases))
    results = {}
    for c in C_GRID:
        combined = {t: Tally() for t in THRESHOLDS}
        alone = {t: Tally() for t in THRESHOLDS}
        for test in folds:
            vec, model = fit([r for r in rows if r[2] not in test], c)
            learned = LearnedPass(redactor.names, export(vec, model, 0.5))
            for n in sorted(test):
                case = cases[n]
                bare, _ = view(case, None)
                for t in THRESHOLDS:
                    out = redactor.learned_pass(rules_out[n], learned, threshold=t)
                    combined[t].add(case, rules_out[n], out)
                    combined[t].spans(case, rules_out[n], learned.spans(rules_out[n], t))
                    alone[t].add(case, bare, redactor.learned_pass(bare, learned, threshold=t))
        results[c] = (combined, alone)
        if verbose:
            for t in THRESHOLDS:
                print(f"C={c} t={t}: rules+model {combined[t].line()}")
                print(f"C={c} t={t}: the model's finds right {combined[t].precision()}")
                print(f"C={c} t={t}: model alone {alone[t].line()}")
    return results


def folds_by_source(sources: list[str]) -> list[set[int]]:
    """FOLDS folds of whole corpora, about the same size (the largest corpus first into the
    smallest fold). Each corpus was written by other hands at another time, so a model
    scored on corpora it never saw meets new authors' words and styles, as on blind text;
    folds of random messages let it recognise its own authors' vocabulary."""
    sizes = Counter(sources)
    folds: list[set[str]] = [set() for _ in range(FOLDS)]
    load = [0] * FOLDS
    for source, size in sorted(sizes.items(), key=lambda item: (-item[1], item[0])):
        k = min(range(FOLDS), key=load.__getitem__)
        folds[k].add(source)
        load[k] += size
    return [{n for n, s in enumerate(sources) if s in fold} for fold in folds]


def _random_folds(count: int) -> list[set[int]]:
    order = list(range(count))
    random.Random(FOLDS).shuffle(order)
    return [set(order[k::FOLDS]) for k in range(FOLDS)]


def choose(results) -> tuple[float, float]:
    """The C and threshold whose model finds the most names, schools and addresses on its
    own (the rules already find nearly all of these messages' identifiers, so only the
    model's own recall says how it will fill their gaps in new text), among those whose
    rules-and-model vocabulary lost stays within MAX_LOST; fewer other words taken breaks
    a tie."""
    best = None
    for c, (combined, alone) in results.items():
        for t, tally in combined.items():
            if tally.lost / max(1, tally.keeps) > MAX_LOST:
                continue
            key = (round(alone[t].recall(), 4), -tally.taken, t)
            if best is None or key > best[0]:
                best = (key, c, t)
    if best is None:
        raise SystemExit("no threshold keeps the vocabulary lost within the limit")
    return best[1], best[2]
