"""The learned redaction pass (bot/redact_model.py): what it takes that the rules alone leave
(new example strings written for these tests, none from a corpus), what it keeps, that its
shipped weights were learnt from the corpora as they are now (and `validate` says when they
are not), and that the bot uses them without scikit-learn."""

import json
import os
import shutil
import subprocess
import sys

import pytest

from bot.loader import load_pack
from bot.privacy import Redactor
from bot.redact_features import FEATURE_VERSION
from bot.redact_model import MODEL_FILE, ModelError, load_weights, staleness
from tests.conftest import ROOT, logged_bytes
from tests.privacy.score import FUZZY, HOLDOUT3, load_cases, score
from tests.privacy.train import TRAINING

# What a practitioner types, what the log keeps, and the words that must not reach it. The
# rules alone leave each of these words (a surname in capitals, a rare name in lower case, a
# nickname no cue list has).
TAKEN = [
    (
        "Suspect: Mr Darren MCGUIGAN, 34, no fixed abode",
        "Suspect: Mr [NAME], 34, no fixed abode",
        ["Darren", "MCGUIGAN"],
    ),
    ("Child: Amelia-Rose PRITCHARD (Y3)", "Child: [NAME] (Y3)", ["Amelia-Rose", "PRITCHARD"]),
    (
        "HALLORAN, Bridget and HALLORAN, Ciaran - both on CP plans",
        "[NAME] and [NAME] - both on CP plans",  # one placeholder a name (fifth round)
        ["HALLORAN", "Bridget", "Ciaran"],
    ),
    (
        "Pupil: MARTINEZ-OBI, Santiago",
        "Pupil: [NAME]",
        ["MARTINEZ-OBI", "Santiago"],
    ),
    (
        "visited tarquin and his mum at the hostel, both ok",
        "visited [NAME] and his mum at the hostel, both ok",
        ["tarquin"],
    ),
    (
        "his mates call him dibs and he runs for the olders",
        "his mates call him [NAME] and he runs for the olders",
        ["dibs"],
    ),
]


@pytest.mark.parametrize("text, expected, identifiers", TAKEN)
def test_what_the_rules_leave_the_model_takes(redactor, text, expected, identifiers):
    out = redactor.redact(text).text
    assert out == expected
    assert not any(i in out for i in identifiers)


# Words the model must leave: school and service words at the start of a line, a protocol
# named by a first name, an everyday word that is a name too, an agency, a place to stay.
KEPT = [
    "Nursery key worker wrote that he flinches at raised voices",
    "School place offered for September, family still in temporary housing",
    "Gillick / Fraser competence - can a 14 year old consent to contraception?",
    "a single rose left on the doorstep every day for a week",
    "Refugee Council referral for the UASC placed with the foster carer",
    "they stay at a B&B on the ring road, one room for the four of them",
    "Is this Level 3 under RHRT? MASH said NFA, DSL wants Early Help",
]


@pytest.mark.parametrize("text", KEPT)
def test_the_model_keeps_safeguarding_vocabulary(redactor, text):
    assert redactor.redact(text).text == text


def test_a_second_redaction_finds_nothing_new(redactor):
    for text, _, _ in TAKEN:
        once = redactor.redact(text)
        twice = redactor.redact(once.text)
        assert twice.text == once.text and twice.total == 0


@pytest.fixture(scope="module")
def logged(tmp_path_factory):
    return logged_bytes(tmp_path_factory.mktemp("model"), [t for t, _, _ in TAKEN])


@pytest.mark.parametrize(
    "identifier", sorted({i for _, _, ids in TAKEN for i in ids if len(i) > 3})
)
def test_what_the_model_takes_never_reaches_the_database_file(logged, identifier):
    assert identifier.encode() not in logged


def test_on_the_third_holdout_the_model_finds_more_and_loses_little(redactor):
    cases = load_cases(HOLDOUT3)
    rules = score(
        Redactor.for_pack(load_pack(ROOT / "knowledge" / "coventry"), learned=False), cases
    )
    both = score(redactor, cases)
    # 85.7 % -> 92.7 % when the pass came; since the fifth round's rules (a surname in
    # capitals beside a name) find 89 % alone, the model adds less on top.
    assert both.rate(FUZZY) > rules.rate(FUZZY) + 0.04
    assert both.keep_rate_lost <= 0.01, both.lost


def test_the_shipped_weights_were_learnt_from_the_corpora_as_they_are():
    weights = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    assert weights["feature_version"] == FEATURE_VERSION
    assert weights["inputs"] == [path.name for path in TRAINING]
    assert staleness() is None, staleness()


def _source_copy(tmp_path):
    """The bot's code and data and the privacy corpora, copied as a checkout holds them."""
    src = tmp_path / "src"
    shutil.copytree(ROOT / "bot", src / "bot", ignore=shutil.ignore_patterns("__pycache__"))
    (src / "tests" / "privacy").mkdir(parents=True)
    for corpus in (ROOT / "tests" / "privacy").glob("*.yaml"):
        shutil.copy(corpus, src / "tests" / "privacy" / corpus.name)
    return src


def _validate(src):
    return subprocess.run(
        [sys.executable, "-m", "bot", "validate", str(ROOT / "knowledge" / "coventry")],
        cwd=src,
        env={**os.environ, "RHRT_CONFIG": str(ROOT / "config.yaml"), "PYTHONPATH": str(src)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_validate_says_when_the_redaction_weights_are_stale(tmp_path):
    src = _source_copy(tmp_path)
    assert _validate(src).returncode == 0
    corpus = src / "tests" / "privacy" / TRAINING[-1].name
    corpus.write_text(corpus.read_text(encoding="utf-8") + "# one more line\n", encoding="utf-8")
    stale = _validate(src)
    assert stale.returncode == 1
    assert (
        "bot/data/redaction-model.json:1: the redaction model redaction-model.json is stale "
        "(a privacy corpus, a word list or the features changed since it was learnt): "
        "run `python -m tests.privacy.train`"
    ) in stale.stdout.splitlines()
    corpus.unlink()
    gone = _validate(src)
    assert gone.returncode == 1
    assert f"names corpora that are gone ({corpus.name})" in gone.stdout


def test_a_word_list_changed_makes_the_weights_stale(tmp_path):
    src = _source_copy(tmp_path)
    names = src / "bot" / "data" / "surnames.txt"
    names.write_text(names.read_text(encoding="utf-8") + "zzyzxowicz\n", encoding="utf-8")
    assert "is stale" in _validate(src).stdout


def test_an_installed_bot_without_the_corpora_does_not_ask(tmp_path):
    src = _source_copy(tmp_path)
    shutil.rmtree(src / "tests")
    done = _validate(src)
    assert done.returncode == 0 and "redaction model" not in done.stdout


def test_the_bot_redacts_with_the_model_without_scikit_learn():
    # scikit-learn made unimportable: the bot must not need it to use the weights.
    code = (
        "import sys; sys.modules['sklearn'] = None\n"
        "from bot.privacy import Redactor\n"
        "print(Redactor().redact('Suspect: Mr Darren MCGUIGAN, 34').text)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "Suspect: Mr [NAME], 34"


def test_damaged_or_stale_weights_are_refused_in_one_clear_line(tmp_path):
    damaged = tmp_path / "damaged.json"
    damaged.write_text('{"classes": [', encoding="utf-8")
    with pytest.raises(ModelError, match="cannot read the redaction model damaged.json"):
        load_weights(damaged)
    stale = tmp_path / "stale.json"
    stale.write_text(json.dumps({"feature_version": FEATURE_VERSION + 1}), encoding="utf-8")
    with pytest.raises(ModelError, match="learnt on other features.*tests.privacy.train"):
        load_weights(stale)
