"""What the learned pass adds to rules that had not seen a corpus: the redactor's rules as they
were at an earlier commit, on corpora written after it, then a model learnt without those
corpora over what the rules left. Cross-validation cannot show this (the rules of today were
tuned on every development message); this can, for as long as such a commit exists.

    python -m tests.privacy.earlier [COMMIT CORPUS.yaml ...]

Without arguments: the rules at 27dd68c (before the second holdout's misses were looked at)
on holdout2.yaml and corpus9.yaml (whose changes came after it), and today's rules on
holdout3.yaml (blind until the learned pass was built). Needs git and scikit-learn.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

from tests.privacy.crossval import Tally
from tests.privacy.score import DEVELOPMENT, HERE, load_cases
from tests.privacy.train import examples, export, fit

ROOT = HERE.parent.parent
DEFAULT = (("27dd68c", ("holdout2.yaml", "corpus9.yaml")), ("HEAD", ("holdout3.yaml",)))
THRESHOLDS = (0.5, 0.6, 0.7, 0.8)
_RUN_OLD = """
import json, sys
sys.path.insert(0, sys.argv[1])
from bot.privacy import Redactor
data = json.load(sys.stdin)
redactor = Redactor(data["words"], data["phrases"])
json.dump([redactor.redact(t).text for t in data["texts"]], sys.stdout)
"""


def earlier_rules(commit: str, texts: list[str], words, phrases) -> list[str]:
    """The rules' output at `commit` (its bot/ unpacked apart, run in its own process)."""
    archive = subprocess.run(
        ["git", "archive", commit, "bot"], cwd=ROOT, capture_output=True, check=True
    ).stdout
    with tempfile.TemporaryDirectory() as folder:
        with tarfile.open(fileobj=BytesIO(archive)) as tar:
            tar.extractall(folder, filter="data")
        done = subprocess.run(
            [sys.executable, "-c", _RUN_OLD, folder],
            input=json.dumps({"words": sorted(words), "phrases": sorted(phrases), "texts": texts}),
            capture_output=True,
            text=True,
            check=True,
            cwd=folder,
        )
    return json.loads(done.stdout)


def check(commit: str, held: tuple[str, ...], redactor, words, phrases, c: float) -> list[str]:
    from bot.redact_features import Featurizer
    from bot.redact_model import LearnedPass

    cases = load_cases(*[HERE / name for name in held])
    texts = [case["text"] for case in cases]
    if commit == "HEAD":
        outs = [redactor.rules(t) for t in texts]
    else:
        outs = earlier_rules(commit, texts, words, phrases)
    training = load_cases(*[p for p in DEVELOPMENT if p.name not in held])
    vec, model = fit(examples(Featurizer(redactor.names), training), c)
    learned = LearnedPass(redactor.names, export(vec, model, 0.5))
    rules = Tally()
    for case, out in zip(cases, outs, strict=True):
        rules.add(case, out, out)
    lines = [f"{' + '.join(held)}, rules at {commit}: {rules.line()}"]
    for t in THRESHOLDS:
        tally = Tally()
        for case, out in zip(cases, outs, strict=True):
            tally.add(case, out, redactor.learned_pass(out, learned, threshold=t))
        lines.append(f"  + a model learnt without them, threshold {t}: {tally.line()}")
    return lines


def main(argv: list[str]) -> int:
    from bot.config import load_config
    from bot.loader import read_pack
    from bot.privacy import Redactor, pack_vocabulary
    from bot.redact_model import load_weights

    pack, _ = read_pack(load_config().pack_dir)
    words, phrases = pack_vocabulary(pack)
    redactor = Redactor.for_pack(pack, learned=False)
    runs = [(argv[0], tuple(Path(a).name for a in argv[1:]))] if argv else list(DEFAULT)
    c = float(load_weights()["C"])
    for commit, held in runs:
        print("\n".join(check(commit, held, redactor, words, phrases, c)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
