"""Make the redactor's name lists, bot/data/first-names.txt and bot/data/surnames.txt, from
Faker's per-locale person providers (run once, and again when Faker or the choice of
languages changes; commit the files):

    .venv/bin/python scripts/make_name_lists.py           # write them
    .venv/bin/python scripts/make_name_lists.py --check   # exit 1 if they differ

The bot reads the files at run time: importing some thirty Faker locale modules for two
word lists cost ~0.6 s and ~38 MiB at every start, and Faker is not a run-time dependency.
Needs Faker (in the test tools: `./run test` installs it) and wordfreq.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.redact_words import (  # noqa: E402
    FIRST_NAMES_FILE,
    NAME_LANGUAGES,
    SURNAMES_FILE,
    common_english,
)

# Locales whose whole list is taken; other locales give only their uncommon words.
CORE_LOCALES = {"en_GB", "en_US", "en_IE", "en_NZ", "en_IN", "en_PK", "en_NG", "en_KE"}
SURNAME_LOCALES = ("en_GB", "en_US", "en_IE", "en_IN", "en_PK", "en_NG", "pl_PL")


def faker_first_names() -> set[str]:
    """First names from Faker's person providers of the Latin-script NAME_LANGUAGES."""
    import faker.providers.person as person

    names: set[str] = set()
    for module in pkgutil.iter_modules(person.__path__):
        if module.name.split("_")[0] not in NAME_LANGUAGES:
            continue
        try:
            provider = importlib.import_module(f"{person.__name__}.{module.name}").Provider
        except (ImportError, AttributeError):
            continue
        for attr in ("first_names", "first_names_male", "first_names_female"):
            values = getattr(provider, attr, None)
            if not isinstance(values, (dict, list, tuple)):
                continue
            for name in values.keys() if isinstance(values, dict) else values:
                lowered = name.lower()
                if not all(c.isalpha() or c in "-'" for c in lowered):
                    continue
                # Other locales' lists hold words that are everyday English ("burns",
                # "doc"): take only their uncommon ones.
                if module.name in CORE_LOCALES or lowered not in common_english():
                    names.add(lowered)
    return names


def faker_surnames() -> set[str]:
    """Surnames from Faker's English-speaking (and Polish) locales, everyday words included."""
    found: set[str] = set()
    for locale in SURNAME_LOCALES:
        try:
            provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        except (ImportError, AttributeError):
            continue
        values = getattr(provider, "last_names", None)
        if isinstance(values, (dict, list, tuple)):
            for name in values.keys() if isinstance(values, dict) else values:
                lowered = name.lower()
                if lowered.isalpha():
                    found.add(lowered)
    return found


def render(names: set[str], what: str) -> str:
    import faker

    head = (
        f"# {what}: made by scripts/make_name_lists.py from Faker {faker.VERSION}; "
        "do not edit (re-run the script).\n"
    )
    return head + "".join(f"{n}\n" for n in sorted(names))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="scripts/make_name_lists.py", description=__doc__)
    p.add_argument("--check", action="store_true", help="exit 1 if the files are not current")
    args = p.parse_args(argv)
    wanted = {
        FIRST_NAMES_FILE: render(faker_first_names(), "first names"),
        SURNAMES_FILE: render(faker_surnames(), "surnames"),
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
        print(f"wrote {path.relative_to(ROOT)} ({text.count(chr(10)) - 1} names)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
