"""The worked examples nearest a situation, as evidence for the level model.

Each example is the set of its features' names (negation-aware word stems and cues), weighted
by inverse document frequency; a situation's nearest examples (cosine similarity) say which
levels situations worded like it were given. Stored in the model file by `train`, looked up
through an inverted index at run time (no numpy).
"""

from __future__ import annotations

import heapq
import math
from array import array
from collections import defaultdict

K = 7
# Words in more than this share of the examples say little about likeness and cost the most
# time (their lists are longest), so they are left out of the index.
COMMON = 0.2
_NONE: tuple[tuple, tuple] = ((), ())  # a term with no postings (too common)


def terms(features: dict[str, float]) -> set[str]:
    """What makes two situations alike: their words and their cues."""
    return {f for f in features if f.startswith(("w:", "cue:"))}


class Neighbours:
    def __init__(self, data: dict):
        self.k = int(data.get("k", K))
        self.vocab: list[str] = list(data["terms"])
        self.idf = [float(x) for x in data["idf"]]
        self.index = {t: i for i, t in enumerate(self.vocab)}
        self.ranks: list[int] = []
        lists: dict[int, list[tuple[int, float]]] = defaultdict(list)
        n = len(data["examples"]) or 1
        floor = math.log((1 + n) / (1 + COMMON * n)) + 1  # the idf of a too-common word
        for e, (rank, ids) in enumerate(data["examples"]):
            self.ranks.append(int(rank))
            norm = math.sqrt(sum(self.idf[i] ** 2 for i in ids)) or 1.0
            for i in ids:
                if self.idf[i] > floor:
                    lists[i].append((e, self.idf[i] / norm))
        # Each term's examples and weights as two flat arrays: the same numbers as a list of
        # (example, weight) pairs in a seventh of the memory (~13 MiB less for the bundled
        # pack), and quicker to read from the built-pack cache.
        self.postings: dict[int, tuple[array, array]] = {
            i: (array("l", (e for e, _ in pairs)), array("d", (w for _, w in pairs)))
            for i, pairs in lists.items()
        }
        self.levels = sorted(set(self.ranks))

    def features(self, feats: dict[str, float], exclude: int | None = None) -> dict[str, float]:
        ids = [self.index[t] for t in terms(feats) if t in self.index]
        norm = math.sqrt(sum(self.idf[i] ** 2 for i in ids)) or 1.0
        scores: dict[int, float] = defaultdict(float)
        for i in ids:
            w = self.idf[i] / norm
            for e, we in zip(*self.postings.get(i, _NONE), strict=True):
                scores[e] += w * we
        scores.pop(exclude, None)
        # (score, -example): ties go to the earlier example, without a key function per item.
        best = [(-e, s) for s, e in heapq.nlargest(self.k, ((s, -e) for e, s in scores.items()))]
        total = sum(s for _, s in best) or 1.0
        out = {
            f"knn:{lv}": sum(s for e, s in best if self.ranks[e] == lv) / total
            for lv in self.levels
        }
        top = max(self.levels) if self.levels else 1
        out["knn:mean"] = sum(s * self.ranks[e] for e, s in best) / total / top
        out["knn:top"] = best[0][1] if best else 0.0
        return out


def build(example_features: list[dict[str, float]], ranks: list[int]) -> dict:
    """The model-file form: vocabulary, idf and each example's term ids."""
    docs = [terms(f) for f in example_features]
    df: dict[str, int] = defaultdict(int)
    for d in docs:
        for t in d:
            df[t] += 1
    vocab = sorted(df)
    index = {t: i for i, t in enumerate(vocab)}
    n = len(docs)
    idf = [round(math.log((1 + n) / (1 + df[t])) + 1, 4) for t in vocab]
    examples = [[r, sorted(index[t] for t in d)] for r, d in zip(ranks, docs, strict=True)]
    return {"k": K, "terms": vocab, "idf": idf, "examples": examples}
