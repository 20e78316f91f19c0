"""Learn the redaction model's weights (bot/data/redaction-model.json) from the development
corpora, and say by cross-validation what it adds to the rules before any blind score.

    python -m tests.privacy.train [--check] [-v]

Every word of every development message is an example, labelled by the corpus's own
annotations (NAME, SCHOOL, ADDRESS, or O for a word that identifies nobody). The rules
catch most identifiers before the model sees a message, so each message is shown three
ways: with every name, school and address in place, and twice with a random share of them
already replaced by their placeholders (as the rules leave a text), so the model learns
both a name's own look and a word beside "[NAME]". Structured identifiers are always
replaced (the patterns catch those). Folds keep a message's views together.

The decision threshold and the regularisation are chosen by that cross-validation: the
most recall of names, schools and addresses over the rules' output that loses at most
MAX_LOST of the safeguarding vocabulary (the corpora's `keep` phrases). `--check` learns
again and says whether the shipped weights are the same. Needs scikit-learn (the `train`
extra); the bot never does.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import sys
from collections import Counter

from tests.privacy.score import DEVELOPMENT, FUZZY, load_cases

TRAINING = DEVELOPMENT
FOLDS = 5
C_GRID = (0.1, 0.3, 1.0)
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95)
# At most 1 % of the vocabulary may be lost, and the rules alone lose 0.5-0.7 % of it on
# blind text: the model may add at most 0.3 % (measured over the rules' output, where the
# rules lose none of these messages' vocabulary, so all of it is the model's).
MAX_LOST = 0.003
REPLACED_SHARE = 0.6  # of names, schools and addresses already placeholders in a view
PARTIAL_SHARE = 0.3  # of the rest, with several words, left in part
UPPER_SHARE = 0.35  # of full names left, with the surname in capitals ("Kacper NOWAK")
VIEWS = 4
LOWER_VIEWS = (3,)  # the views typed all in lower case
MIN_COUNT = 2  # a feature seen in fewer messages in training is left out
KEEP_WEIGHT = 3.0  # a word of a `keep` phrase weighs more as a counter-example
_WORD = re.compile(r"[^\W_](?:[\w'’\-]*[^\W_])?")


# ---- examples ------------------------------------------------------------------------------
def annotate(case: dict) -> list[tuple[int, int, str]]:
    """Every occurrence of every identifier in the text, overlaps merged (the longest
    value's type wins)."""
    text, found = case["text"], []
    for ident in case.get("identifiers") or []:
        value = ident["value"]
        left = r"(?<!\w)" if value[:1].isalnum() else ""
        right = r"(?!\w)" if value[-1:].isalnum() else ""
        for m in re.finditer(left + re.escape(value) + right, text):
            found.append((m.start(), m.end(), ident["type"], len(value)))
    merged: list[list] = []
    for start, end, kind, size in sorted(found):
        if merged and start < merged[-1][1]:
            last = merged[-1]
            if size > last[3]:
                last[2], last[3] = kind, size
            last[1] = max(last[1], end)
        else:
            merged.append([start, end, kind, size])
    return [(s, e, k) for s, e, k, _ in merged]


def view(
    case: dict, rng: random.Random | None, lower: bool = False
) -> tuple[str, list[tuple[int, int, str]]]:
    """The message with its structured identifiers replaced by placeholders and, with `rng`,
    a random share of its names, schools and addresses too (some only in part, as the rules
    leave "Cheylesmore [SCHOOL]"); and where what is left of them now stands. `lower`: the
    message typed all in lower case (placeholders aside)."""
    text = _lower(case["text"]) if lower else case["text"]
    out, kept, at = [], [], 0
    for start, end, kind in annotate(case):
        out.append(text[at:start])
        position = sum(len(p) for p in out)
        value = text[start:end]
        if kind not in FUZZY or (rng is not None and rng.random() < REPLACED_SHARE):
            out.append(f"[{kind}]")
        elif rng is not None and " " in value.strip() and rng.random() < PARTIAL_SHARE:
            cut = rng.choice([m.start() for m in re.finditer(r" ", value)])
            if rng.random() < 0.5:  # the end replaced: "Cheylesmore [SCHOOL]"
                out.append(value[:cut] + f" [{kind}]")
                kept.append((position, position + cut, kind))
            else:  # the start replaced: "[NAME] Okafor", "[NAME] OKAFOR"
                rest = value[cut + 1 :]
                if kind == "NAME" and rng.random() < UPPER_SHARE:
                    rest = rest.upper()
                out.append(f"[{kind}] " + rest)
                first = position + len(kind) + 3
                kept.append((first, first + len(value) - cut - 1, kind))
        else:
            if rng is not None and kind == "NAME" and " " in value and rng.random() < UPPER_SHARE:
                head, _, last = value.rpartition(" ")
                # A surname in capitals, as records write it: "Kacper NOWAK", "NOWAK, Kacper".
                if rng.random() < 0.5:
                    value = f"{last.upper()}, {head}"
                else:
                    value = f"{head} {last.upper()}"
            out.append(value)
            kept.append((position, position + len(value), kind))
        at = end
    out.append(text[at:])
    return "".join(out), kept


def _lower(text: str) -> str:
    """Lower case, character for character (so the annotations' positions still hold)."""
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def examples(featurizer, cases: list[dict]):
    """(features, label, message, weight) for every asked-about word of every view."""
    rows = []
    for n, case in enumerate(cases):
        keep_words = {w.lower() for k in case.get("keep") or [] for w in _WORD.findall(k)}
        seed = int(hashlib.sha256(case["text"].encode()).hexdigest()[:8], 16)
        for v in range(VIEWS):
            rng = random.Random(seed + v) if v else None
            text, spans = view(case, rng, lower=v in LOWER_VIEWS)
            tokens, asked = featurizer.rows(text)
            for i, features in asked:
                m = tokens[i]
                label = next((k for s, e, k in spans if s < m.end() and m.start() < e), "O")
                keep = label == "O" and m.group(0).lower() in keep_words
                rows.append((features, label, n, KEEP_WEIGHT if keep else 1.0))
    return rows


# ---- learning ------------------------------------------------------------------------------
def fit(rows, c: float):
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    # How many messages show a feature (a message's views count once).
    counts = Counter(f for f, _ in {(f, n) for features, _, n, _ in rows for f in features})
    vec = DictVectorizer()
    x = vec.fit_transform(
        [{f: 1.0 for f in features if counts[f] >= MIN_COUNT} for features, *_ in rows]
    )
    y = np.array([label for _, label, *_ in rows])
    weights = np.array([w for *_, w in rows])
    model = LogisticRegression(C=c, max_iter=3000)
    model.fit(x, y, sample_weight=weights)
    return vec, model


def export(vec, model, threshold: float) -> dict:
    from bot.redact_features import FEATURE_VERSION

    names = vec.get_feature_names_out()
    coef = model.coef_
    weights = {}
    for j in sorted(range(len(names)), key=lambda j: names[j]):
        column = [round(float(coef[k][j]), 4) for k in range(len(model.classes_))]
        if max(abs(w) for w in column) >= 0.005:
            weights[str(names[j])] = column
    return {
        "feature_version": FEATURE_VERSION,
        "classes": [str(c) for c in model.classes_],
        "bias": [round(float(b), 4) for b in model.intercept_],
        "threshold": threshold,
        "weights": weights,
    }


def train(verbose: bool = False) -> tuple[dict, str]:
    from bot.config import load_config
    from bot.loader import read_pack
    from bot.privacy import Redactor
    from bot.redact_features import Featurizer
    from bot.redact_model import inputs_hash
    from tests.privacy.crossval import Tally, choose, cross_validate

    pack, _ = read_pack(load_config().pack_dir)
    redactor = Redactor.for_pack(pack, learned=False)
    cases, sources = [], []
    for path in TRAINING:
        found = load_cases(path)
        cases += found
        sources += [path.name] * len(found)
    rules_out = [redactor.rules(case["text"]) for case in cases]
    rules = Tally()
    for case, out in zip(cases, rules_out, strict=True):
        rules.add(case, out, out)
    results = cross_validate(redactor, cases, rules_out, verbose, sources)
    c, threshold = choose(results)
    vec, model = fit(examples(Featurizer(redactor.names), cases), c)
    weights = export(vec, model, threshold)
    combined, alone = results[c]
    weights["about"] = "Learnt by `python -m tests.privacy.train` from the corpora; do not edit."
    weights["inputs"] = [path.name for path in TRAINING]
    weights["inputs_hash"] = inputs_hash(TRAINING)
    weights["C"] = c
    weights["cross_validation"] = {
        "folds": FOLDS,
        "rules": rules.line(),
        "rules_and_model": combined[threshold].line(),
        "model_alone": alone[threshold].line(),
        "model_finds_right": combined[threshold].precision(),
    }
    report = "\n".join(
        [
            f"{len(cases)} messages, {FOLDS}-fold cross-validation by corpus "
            f"(C={c}, threshold {threshold}, {len(weights['weights'])} weights):",
            f"  rules alone      {rules.line()}",
            f"  rules and model  {combined[threshold].line()}",
            f"  model alone      {alone[threshold].line()}",
            f"  the model's finds over the rules' output, right: {combined[threshold].precision()}",
        ]
    )
    return weights, report


def dumps(weights: dict) -> str:
    """JSON with one weight per line, so a change shows in a diff as the weights it moved."""
    head = {k: v for k, v in weights.items() if k != "weights"}
    lines = [json.dumps(head, indent=1, sort_keys=True)[:-2] + ',\n "weights": {']
    items = sorted(weights["weights"].items())
    lines += [f"  {json.dumps(k)}: {json.dumps(v)}," for k, v in items]
    if items:
        lines[-1] = lines[-1][:-1]
    lines.append(" }\n}\n")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    from bot.redact_model import MODEL_FILE

    try:
        weights, report = train(verbose="-v" in argv)
    except ImportError as exc:
        print(f"training needs scikit-learn: .venv/bin/pip install -e '.[train]' ({exc.name})")
        return 2
    print(report)
    if "--check" in argv:
        same = MODEL_FILE.exists() and json.loads(MODEL_FILE.read_text()) == weights
        print("the shipped weights are up to date" if same else "the shipped weights differ")
        return 0 if same else 1
    MODEL_FILE.write_text(dumps(weights), encoding="utf-8")
    print(f"wrote {MODEL_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
