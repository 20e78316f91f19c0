"""The word lists redaction reads: bot/data/redaction.yaml, Faker's name lists and how common
a word is in English (wordfreq). Each is built once, on first use."""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from wordfreq import zipf_frequency

DATA = Path(__file__).with_name("data") / "redaction.yaml"

# Languages whose Faker name lists matter for practitioners' messages in an English city
# (Latin script; others cannot appear as typed names anyway). Fewer modules: faster start.
NAME_LANGUAGES = frozenset(
    "en pl ro lt lv ga it es pt fr de nl tr hi ur bn ta pa gu ar fa sw ha ig yo tw sq sk cs "
    "hu hr sl bg uk ru az".split()
)
# Names common in the West Midlands that the locale lists miss.
EXTRA_FIRST_NAMES = frozenset(
    """
muhammad mohammed mohammad mohamed ahmed aisha ayesha zainab fatima maryam hamza yusuf ibrahim
harpreet gurpreet manpreet jaspreet simran amrit navdeep sukhdeep oluwaseun seun chidi chidera
chioma tobi tobenna ade adebayo ayodele folake kwame kofi ama abena oliwia bartosz kacper dawid
zuzanna wiktoria jakub szymon filip maja lena natalia kayden jayden brayden kayleigh chantelle
tyler-jay mia-rose lacey-mae alfie-james reggie ronnie frankie tommy-lee leighton kai-jordan
izzy ibby dami seun liyah tj aj nevaeh
""".split()
)
# First names that are also everyday words: only a cue ("called Hope", "Mr Brown") makes
# them a name.
WORD_NAMES = frozenset(
    """
autumn spring summer winter penny honey hunter sunny brook brooke crystal amber ruby pearl
jade ivy holly daisy poppy violet angel blessing precious faith hope grace joy chance will
may june april august mark bill pat sue rob dawn rose sky storm rain river heath dale glen
miles ray chase guy frank art hazel ginger cash major king earl prince princess queen rich
star sterling victory liberty harmony melody destiny justice trinity patience charity mercy
""".split()
)


def _words(value) -> frozenset[str]:
    if isinstance(value, str):
        value = value.split()
    return frozenset(str(v).lower() for v in value or ())


@dataclass(frozen=True)
class Lists:
    """bot/data/redaction.yaml, lower-cased into sets."""

    strong_cues: frozenset[str]
    nickname_cues: tuple[str, ...]
    titles: frozenset[str]
    relations: frozenset[str]
    not_surnames: frozenset[str]
    safe_words: frozenset[str]
    communities: frozenset[str]
    safe_phrases: tuple[str, ...]
    thing_words: frozenset[str]
    school_words: frozenset[str]
    school_endings: tuple[str, ...]
    generic_school_words: frozenset[str]
    school_names: tuple[tuple[str, bool], ...]  # (name, only in capitals)
    dotted_not_initials: frozenset[str]
    single_letters_not_initials: frozenset[str]
    acronyms: frozenset[str]


@lru_cache(maxsize=1)
def lists() -> Lists:
    raw = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    return Lists(
        strong_cues=_words(raw["strong_cues"]),
        nickname_cues=tuple(c.lower() for c in raw["nickname_cues"]),
        titles=_words(raw["titles"]),
        relations=_words(raw["relations"]),
        not_surnames=_words(raw["not_surnames"]),
        safe_words=_words(raw["safe_words"]),
        communities=_words(raw["communities"]),
        safe_phrases=tuple(p.lower() for p in raw["safe_phrases"]),
        thing_words=_words(raw["thing_words"]),
        school_words=_words(raw["school_words"]),
        school_endings=tuple(e.lower() for e in raw["school_endings"]),
        generic_school_words=_words(raw["generic_school_words"]),
        school_names=tuple(
            (str(s["name"]).lower(), bool(s.get("cased"))) for s in raw["school_names"]
        ),
        dotted_not_initials=frozenset(
            d.lower().replace(" ", "") for d in raw["dotted_not_initials"]
        ),
        single_letters_not_initials=frozenset(raw["single_letters_not_initials"]),
        acronyms=_words(raw["acronyms"]),
    )


@lru_cache(maxsize=65536)
def zipf(word: str) -> float:
    """How common `word` is in English (zipf scale: 7 "the", 4 "grace", 1 rare)."""
    return zipf_frequency(word, "en")


@lru_cache(maxsize=1)
def common_english() -> frozenset[str]:
    """English words at least as common as zipf 4 (about the 7,000 most frequent): one
    list look-up instead of a frequency query per name keeps start-up fast."""
    from wordfreq import top_n_list

    return frozenset(top_n_list("en", 7000))


@lru_cache(maxsize=1)
def very_common_english() -> frozenset[str]:
    from wordfreq import top_n_list

    return frozenset(top_n_list("en", 800))  # about zipf 5.1: "young", "white", not "smith"


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """First names from Faker's per-locale person providers (Latin-script locales)."""
    import faker.providers.person as person

    core_locales = {"en_GB", "en_US", "en_IE", "en_NZ", "en_IN", "en_PK", "en_NG", "en_KE"}
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
                if module.name in core_locales or lowered not in common_english():
                    names.add(lowered)
    return frozenset(names | EXTRA_FIRST_NAMES)


@lru_cache(maxsize=1)
def all_surnames() -> frozenset[str]:
    """Surnames from Faker's English-speaking (and Polish) locales, everyday words included
    ("Green", "Bell"): after a first name they are surnames."""
    found: set[str] = set()
    for locale in ("en_GB", "en_US", "en_IE", "en_IN", "en_PK", "en_NG", "pl_PL"):
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
    return frozenset(found)


@lru_cache(maxsize=1)
def surnames() -> frozenset[str]:
    """Common surnames, less everyday words ("young"): a surname even in lower case."""
    return frozenset(s for s in all_surnames() if s not in very_common_english())


_PHRASE_TOKEN = re.compile(r"[\w'’&\-]+")


class PhraseSet:
    """Find known multi-word phrases ("Clare's Law", "Pool Meadow") by their words, case
    and punctuation aside: a dictionary look-up per word, where one regular expression of
    hundreds of alternatives would cost a millisecond a message."""

    def __init__(self, phrases: Iterable[str]):
        self._by_first: dict[str, list[tuple[str, ...]]] = {}
        for phrase in phrases:
            words = tuple(w.lower().replace("’", "'") for w in _PHRASE_TOKEN.findall(phrase))
            if len(words) > 1:
                self._by_first.setdefault(words[0], []).append(words)
        for candidates in self._by_first.values():
            candidates.sort(key=len, reverse=True)

    def spans(self, text: str) -> list[tuple[int, int]]:
        tokens = list(_PHRASE_TOKEN.finditer(text))
        words = [t.group(0).lower().replace("’", "'") for t in tokens]
        out = []
        i = 0
        while i < len(words):
            for phrase in self._by_first.get(words[i], ()):
                n = len(phrase)
                if tuple(words[i : i + n]) == phrase:
                    out.append((tokens[i].start(), tokens[i + n - 1].end()))
                    i += n - 1
                    break
            i += 1
        return out
