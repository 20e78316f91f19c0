"""`python -m bot train`: fit the level model from the pack's worked examples.

Three yes/no logistic models ("level ≥ 2", "≥ 3", "≥ 4") and an emergency model over the
features in bot/features.py, with regularisation and the top-level threshold chosen by
grouped cross-validation (contrast pairs stay in one fold). The result is plain JSON in the
pack (level-model.json) with the hash of everything it was trained from, so `validate` can
tell when it is stale. scikit-learn is needed here only, never at run time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path

from . import neighbours
from .levelmodel import LevelModel, _below
from .loader import read_pack
from .neighbours import Neighbours
from .rules import firing
from .situation import Assessor
from .situation_data import MODEL_FILE, hash_inputs

C_GRID = (0.1, 0.25, 0.5, 1.0)
TOP_GRID = (0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5)
EMERGENCY_GRID = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
GATE_GRID = (0.0, 0.1, 0.2, 0.3, 0.4)
UNDER_CALL_COST = 15  # a top-level child answered lower costs this many ordinary errors
FAR_COST = 2  # an answer two levels out costs this much more than one level out
MISSED_EMERGENCY_COST = 10
# The bound on false alarms (non-emergencies flagged). Within it, the settings that miss
# the fewest emergencies win: the whole budget is spent on catching children at risk now.
FALSE_ALARM_BUDGET = 0.05
MIN_WORD_COUNT = 2
FOLDS = 5


@dataclass
class Prepared:
    feats: list[dict[str, float]]
    ranks: list[int]
    emergency: list[bool]
    floors: list[bool]  # the level-4 floor fires
    rules_flag: list[bool]  # the emergency rules flag it whatever the model says
    model_may: list[bool]  # the emergency model is allowed to flag it (rules.yaml)
    groups: list[str]


def prepare(pack) -> Prepared:
    data = pack.situations
    assessor = Assessor(pack, replace(data, model=None))
    out = Prepared([], [], [], [], [], [], [])
    for i, ex in enumerate(data.examples):
        ev = assessor.read_evidence(ex.text)
        out.feats.append(ev.features)
        out.ranks.append(ex.rank)
        out.emergency.append(ex.emergency)
        out.floors.append(bool(firing(data.floor_rules, ev.found.with_recent())))
        # What flags it whatever the model says: the emergency rules over cues.
        out.rules_flag.append(
            not ev.hypothetical
            and assessor.safety.check(ex.text, ev.found, probability=0.0).emergency
        )
        out.model_may.append(assessor.safety.model_may_flag(ev.found))
        out.groups.append(f"{ex.file}:{ex.pair}" if ex.pair else f"{ex.file}:{i}")
    return out


def _vocabulary(feats: list[dict[str, float]]) -> set[str]:
    counts: dict[str, int] = {}
    for f in feats:
        for name in f:
            counts[name] = counts.get(name, 0) + 1
    return {n for n, c in counts.items() if not n.startswith("w:") or c >= MIN_WORD_COUNT}


def _with_neighbours(prep: Prepared, rows, nb: Neighbours | None, own: bool):
    """Each row's features plus its nearest examples' levels (never counting itself)."""
    out = []
    for j, i in enumerate(rows):
        f = dict(prep.feats[i])
        if nb is not None:
            f.update(nb.features(prep.feats[i], exclude=j if own else None))
        out.append(f)
    return out


def _fold_matrices(prep: Prepared, train, test):
    from sklearn.feature_extraction import DictVectorizer

    nb = Neighbours(
        neighbours.build([prep.feats[i] for i in train], [prep.ranks[i] for i in train])
    )
    vocab = _vocabulary([prep.feats[i] for i in train]) | {f for f in nb.features({})}
    vec = DictVectorizer()
    x_train = vec.fit_transform(
        [
            {k: v for k, v in f.items() if k in vocab}
            for f in _with_neighbours(prep, train, nb, True)
        ]
    )
    x_test = vec.transform(_with_neighbours(prep, test, nb, False))
    return x_train, x_test


def _fit(x, y, c: float):
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=c, max_iter=5000, class_weight="balanced")
    model.fit(x, y)
    return model


def _cross_validated(prep: Prepared, steps: list[int], c: float):
    """Out-of-fold P(level ≥ k) for every step, and P(emergency)."""
    import numpy as np
    from sklearn.model_selection import GroupKFold

    n = len(prep.ranks)
    probs = {k: np.zeros(n) for k in steps}
    p_em = np.zeros(n)
    ranks = np.array(prep.ranks)
    em = np.array(prep.emergency)
    for train, test in GroupKFold(n_splits=FOLDS).split(np.zeros(n), groups=prep.groups):
        x_train, x_test = _fold_matrices(prep, train, test)
        for k in steps:
            probs[k][test] = _fit(x_train, ranks[train] >= k, c).predict_proba(x_test)[:, 1]
        if em[train].any():
            p_em[test] = _fit(x_train, em[train], c).predict_proba(x_test)[:, 1]
    return probs, p_em


def _decide(probs, i, steps, thresholds, bottom, gate):
    """As LevelModel.decide, over the cross-validated probabilities."""
    rank, top = bottom, steps[-1]
    below = _below({k: probs[k][i] for k in steps}, top, True)
    for k in steps:
        if probs[k][i] >= thresholds[k] and (k < top or below >= gate):
            rank = k
    return rank


def _score(prep, probs, p_em, steps, t_top, t_em, gate):
    top, bottom = steps[-1], steps[0] - 1
    thresholds = {k: 0.5 for k in steps} | {top: t_top}
    errors = under = missed = false_alarms = far = 0
    for i, want in enumerate(prep.ranks):
        flagged = prep.rules_flag[i] or (prep.model_may[i] and p_em[i] >= t_em)
        got = _decide(probs, i, steps, thresholds, bottom, gate)
        if prep.floors[i] or flagged:
            got = top
        errors += got != want
        far += abs(got - want) > 1
        under += want == top and got < top
        missed += prep.emergency[i] and not flagged
        false_alarms += (not prep.emergency[i]) and flagged
    return errors, under, missed, false_alarms, far


def train(pack_dir: str | Path) -> tuple[dict, str]:
    """Fit and return (model JSON, a report of the cross-validated figures)."""
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer

    pack, problems = read_pack(pack_dir)
    errors = [
        p
        for p in problems
        if p.severity == "error" and "stale" not in p.message and "level model" not in p.message
    ]
    if pack is None or errors:
        raise SystemExit("the pack has errors; run `python -m bot validate` first")
    prep = prepare(pack)
    if len(set(prep.ranks)) < 2:
        raise SystemExit("too few worked examples to train a level model")
    ranks = sorted(lvl.rank for lvl in pack.levels.values())
    steps = ranks[1:]
    n = len(prep.ranks)
    best = None
    calm = max(1, sum(not e for e in prep.emergency))
    for c in C_GRID:
        probs, p_em = _cross_validated(prep, steps, c)
        for t_top in TOP_GRID:
            for t_em in EMERGENCY_GRID:
                for gate in GATE_GRID:
                    err, under, missed, fa, far = _score(
                        prep, probs, p_em, steps, t_top, t_em, gate
                    )
                    cost = (
                        err
                        + (UNDER_CALL_COST - 1) * under
                        + MISSED_EMERGENCY_COST * missed
                        + fa
                        + FAR_COST * far
                    )
                    key = (fa / calm > FALSE_ALARM_BUDGET, missed, cost)
                    if best is None or key < best[0]:
                        best = (key, c, t_top, t_em, gate, err, under, missed, fa, far)
    _, c, t_top, t_em, gate = best[:5]
    err, under, missed, fa, far = (int(v) for v in best[5:])
    rows = list(range(n))
    nb_data = neighbours.build(prep.feats, prep.ranks)
    nb = Neighbours(nb_data)
    vocab = _vocabulary(prep.feats) | set(nb.features({}))
    vec = DictVectorizer()
    x = vec.fit_transform(
        [{k: v for k, v in f.items() if k in vocab} for f in _with_neighbours(prep, rows, nb, True)]
    )
    names = vec.get_feature_names_out()
    y = np.array(prep.ranks)

    def export(model, threshold):
        w = model.coef_[0]
        return {
            "bias": round(float(model.intercept_[0]), 5),
            "threshold": threshold,
            "weights": {
                str(names[j]): round(float(w[j]), 5) for j in np.argsort(names) if abs(w[j]) >= 1e-4
            },
        }

    top = steps[-1]
    model = {
        "about": "Trained by `python -m bot train` from the pack's worked examples; do not edit.",
        "inputs_hash": hash_inputs(Path(pack_dir)),
        "examples": n,
        "C": c,
        "close_margin": 0.12,
        "top_gate": gate,
        "top_gate_on": "next-step",
        "neighbours": nb_data,
        "steps": {str(k): export(_fit(x, y >= k, c), t_top if k == top else 0.5) for k in steps},
        "emergency": export(_fit(x, np.array(prep.emergency), c), t_em)
        if any(prep.emergency)
        else None,
        "cross_validation": {
            "folds": FOLDS,
            "level_accuracy": round(1 - err / n, 4),
            "top_level_under_called": under,
            "two_or_more_levels_out": far,
            "emergencies_missed": missed,
            "false_emergencies": fa,
        },
    }
    LevelModel(model)  # it loads
    emergencies = sum(prep.emergency)
    report = (
        f"{n} worked examples; {FOLDS}-fold cross-validation (pairs kept together): "
        f"level accuracy {100 * (1 - err / n):.1f}%, within one {100 * (1 - far / n):.1f}%, "
        f"level-{top} under-called {under}, "
        f"emergencies missed {missed}/{emergencies}, false alarms {fa}/{n - emergencies} "
        f"(C={c}, level-{top} threshold {t_top}, gate {gate}, emergency threshold {t_em})"
    )
    return model, report


def write(pack_dir: str | Path, model: dict) -> Path:
    path = Path(pack_dir) / MODEL_FILE
    path.write_text(json.dumps(model, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return path
