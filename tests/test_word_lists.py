"""How common English words are ships as data (bot/data/common-english.txt and
english-zipf.txt, made from wordfreq by scripts/make_word_lists.py): redaction and matching
read them without loading wordfreq's whole English list, they say what wordfreq says for
every word a caller can tell apart, and they are what the script makes today."""

from __future__ import annotations

import subprocess
import sys

from bot.redact_words import ZIPF_FLOOR, common_english, very_common_english, zipf
from tests.conftest import ROOT


def test_shipped_word_lists_are_current():
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make_word_lists.py"), "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr


def test_zipf_is_wordfreqs_wherever_a_caller_can_tell():
    """Exact at or above ZIPF_FLOOR (every threshold the redactor and matcher use is at or
    above it); below it, only "below" matters."""
    from wordfreq import top_n_list, zipf_frequency

    words = [
        *top_n_list("en", 40_000),  # down to zipf ~2.8: across the floor
        *"jayden oliwia tyler smith grace hope xqzv mia-rose o'neill s47 2023 café".split(),
    ]
    for word in words:
        ours, theirs = zipf(word), zipf_frequency(word, "en")
        if theirs >= ZIPF_FLOOR:
            assert ours == theirs, word
        else:
            assert ours < ZIPF_FLOOR, word


def test_the_common_word_lists_are_wordfreqs_top_words():
    from wordfreq import top_n_list

    assert common_english() == frozenset(top_n_list("en", 7000))
    assert very_common_english() == frozenset(top_n_list("en", 800))
