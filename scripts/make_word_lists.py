"""Make the English word lists the bot reads at run time, bot/data/common-english.txt and
bot/data/english-zipf.txt, from wordfreq (run again when wordfreq changes; commit the files):

    .venv/bin/python scripts/make_word_lists.py           # write them
    .venv/bin/python scripts/make_word_lists.py --check   # exit 1 if they differ

Reading wordfreq's whole English list for two word lists and a frequency look-up cost about
0.6 s and 40 MiB at the start of every `ask`; these files hold just what the bot asks:
- common-english.txt: the 7,000 most frequent English words, most frequent first
  (`wordfreq.top_n_list("en", 7000)`);
- english-zipf.txt: every plain lower-case word (a-z only) at least ZIPF_FLOOR common, one line
  per zipf value: "4.01 contractors creativity …" (`wordfreq.zipf_frequency(word, "en")`).
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.redact_words import (  # noqa: E402
    COMMON_ENGLISH_FILE,
    COMMON_ENGLISH_SIZE,
    ENGLISH_ZIPF_FILE,
    ZIPF_FLOOR,
)

PLAIN = re.compile(r"[a-z]+")


def common_english_words() -> list[str]:
    from wordfreq import top_n_list

    return list(top_n_list("en", COMMON_ENGLISH_SIZE))


def english_zipf() -> dict[str, float]:
    """Every plain word whose zipf_frequency is at least ZIPF_FLOOR, with it."""
    from wordfreq import get_frequency_dict, zipf_frequency

    out = {}
    for word, freq in get_frequency_dict("en").items():
        # The dictionary's own frequency first (cheap); zipf_frequency rounds it, so look a
        # little below the floor and let wordfreq decide.
        if freq > 0 and math.log10(freq) + 9 >= ZIPF_FLOOR - 0.1 and PLAIN.fullmatch(word):
            value = zipf_frequency(word, "en")
            if value >= ZIPF_FLOOR:
                out[word] = value
    return out


def _head(what: str) -> str:
    import wordfreq

    version = getattr(wordfreq, "__version__", None)
    if version is None:
        from importlib.metadata import version as dist_version

        version = dist_version("wordfreq")
    return (
        f"# {what}: made by scripts/make_word_lists.py from wordfreq {version}; "
        "do not edit (re-run the script).\n"
    )


def render_common(words: list[str]) -> str:
    return _head(f"the {len(words):,} most frequent English words, most frequent first") + (
        "".join(f"{w}\n" for w in words)
    )


def render_zipf(table: dict[str, float]) -> str:
    by_value: dict[float, list[str]] = defaultdict(list)
    for word, value in table.items():
        by_value[value].append(word)
    lines = [f"{value:.2f} {' '.join(sorted(words))}\n" for value, words in by_value.items()]
    what = f"English words (a-z) at least zipf {ZIPF_FLOOR} common, by zipf value"
    return _head(what) + "".join(sorted(lines, key=lambda line: -float(line.split()[0])))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="scripts/make_word_lists.py", description=__doc__)
    p.add_argument("--check", action="store_true", help="exit 1 if the files are not current")
    args = p.parse_args(argv)
    wanted = {
        COMMON_ENGLISH_FILE: render_common(common_english_words()),
        ENGLISH_ZIPF_FILE: render_zipf(english_zipf()),
    }
    stale = [
        path
        for path, text in wanted.items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]
    if args.check:
        for path in stale:
            print(f"{path.relative_to(ROOT)}: not current", file=sys.stderr)
        return 1 if stale else 0
    for path, text in wanted.items():
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
