"""The word lists redaction reads: bot/data/redaction.yaml, the name lists (made from Faker's
by scripts/make_name_lists.py) and how common a word is in English (made from wordfreq's by
scripts/make_word_lists.py). Each is read once, on first use."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

DATA = Path(__file__).with_name("data") / "redaction.yaml"
FIRST_NAMES_FILE = DATA.with_name("first-names.txt")
SURNAMES_FILE = DATA.with_name("surnames.txt")
POPULAR_FIRST_NAMES_FILE = DATA.with_name("first-names-popular.txt")
COMMON_ENGLISH_FILE = DATA.with_name("common-english.txt")
ENGLISH_ZIPF_FILE = DATA.with_name("english-zipf.txt")
COMMON_ENGLISH_SIZE = 7000
VERY_COMMON_SIZE = 800
# english-zipf.txt holds plain words at least this common. Every caller of `zipf` asks only
# whether a word reaches 3.0 or more (3.0, 3.5, 4.0, 4.4, 4.5, 4.6, 4.8), so rarer words need
# no value: lower a threshold below this and re-run scripts/make_word_lists.py with it.
ZIPF_FLOOR = 3.0
_PLAIN = re.compile(r"[a-z]+")

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
izzy ibby dami seun liyah tj aj nevaeh alfie albie
kuba kasia basia gosia zosia tomek bartek wojtek maciek franek antek
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
eve junior
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
    greetings: frozenset[str]
    ranks: frozenset[str]
    school_name_starts: frozenset[str]
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
    two_letter_words: frozenset[str]
    family_words: frozenset[str]
    street_endings: tuple[str, ...]
    street_endings_cased: tuple[str, ...]
    street_names_alone: tuple[str, ...]
    building_endings: tuple[str, ...]
    house_name_endings: tuple[str, ...]
    roles: frozenset[str]
    saint_surnames: frozenset[str]
    not_school_names: frozenset[str]
    person_acronyms: frozenset[str]
    medicine_endings: tuple[str, ...]
    numbered_places: frozenset[str]
    home_units: frozenset[str]
    room_units: frozenset[str]
    lodgings: frozenset[str]
    landmarks: frozenset[str]

    def medicine(self, lower: str) -> bool:
        """A medicine by its ending ("fluoxetine"), when no name list holds the word."""
        return (
            len(lower) >= 7
            and lower.endswith(self.medicine_endings)
            and lower not in first_names()
            and lower not in all_surnames()
        )


@lru_cache(maxsize=1)
def lists() -> Lists:
    # libyaml's loader when present: the same data, a fifth of the start-up time.
    raw = yaml.load(
        DATA.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    )
    return Lists(
        strong_cues=_words(raw["strong_cues"]),
        nickname_cues=tuple(c.lower() for c in raw["nickname_cues"]),
        titles=_words(raw["titles"]),
        greetings=_words(raw["greetings"]),
        ranks=_words(raw["ranks"]),
        school_name_starts=frozenset(str(v).lower() for v in raw["school_name_starts"]),
        relations=_words(raw["relations"]),
        not_surnames=_words(raw["not_surnames"]),
        safe_words=_words(raw["safe_words"]) | _words(raw["clinical_words"]),
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
        two_letter_words=_words(raw["two_letter_words"]),
        family_words=_words(raw["family_words"]),
        # Cased lists keep their capitals: the address patterns match them as written.
        street_endings=tuple(raw["street_endings"].split()),
        street_endings_cased=tuple(raw["street_endings_cased"].split()),
        street_names_alone=tuple(raw["street_names_alone"].split()),
        building_endings=tuple(raw["building_endings"].split()),
        house_name_endings=tuple(raw["house_name_endings"].split()),
        roles=_words(raw["roles"]),
        saint_surnames=_words(raw["saint_surnames"]),
        not_school_names=_words(raw["not_school_names"]),
        person_acronyms=_words(raw["person_acronyms"]),
        medicine_endings=tuple(raw["medicine_endings"].split()),
        numbered_places=_words(raw["numbered_places"]),
        home_units=_words(raw["home_units"]),
        room_units=_words(raw["room_units"]),
        lodgings=_words(raw["lodgings"]),
        landmarks=_words(raw["landmarks"]),
    )


@lru_cache(maxsize=65536)
def zipf(word: str) -> float:
    """How common `word` is in English (zipf scale: 7 "the", 4 "grace", 1 rare): wordfreq's
    `zipf_frequency(word, "en")` at or above ZIPF_FLOOR; 0.0 for a plain word below it."""
    if _PLAIN.fullmatch(word):
        return _english_zipf().get(word, 0.0)
    # Hyphens, apostrophes, digits, accents: wordfreq splits and combines such a word, so ask
    # it (imported on first use: ~0.2 s, and ~40 MiB once its English list is read).
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en")


@lru_cache(maxsize=1)
def _english_zipf() -> dict[str, float]:
    """bot/data/english-zipf.txt: one line per zipf value, "4.01 contractors creativity …"."""
    table: dict[str, float] = {}
    for line in ENGLISH_ZIPF_FILE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            value, *words = line.split()
            table.update(dict.fromkeys(words, float(value)))
    return table


@lru_cache(maxsize=1)
def _common_english_list() -> tuple[str, ...]:
    """bot/data/common-english.txt: wordfreq's most frequent English words, in order."""
    lines = COMMON_ENGLISH_FILE.read_text(encoding="utf-8").splitlines()
    return tuple(line for line in lines if line and not line.startswith("#"))


@lru_cache(maxsize=1)
def common_english() -> frozenset[str]:
    """English words at least as common as zipf 4 (about the 7,000 most frequent): one
    list look-up instead of a frequency query per name keeps start-up fast."""
    return frozenset(_common_english_list()[:COMMON_ENGLISH_SIZE])


@lru_cache(maxsize=1)
def very_common_english() -> frozenset[str]:
    # About zipf 5.1: "young", "white", not "smith".
    return frozenset(_common_english_list()[:VERY_COMMON_SIZE])


def _name_file(path: Path) -> frozenset[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """First names (Faker's per-locale lists, shipped as data by scripts/make_name_lists.py)
    and the local names those lists miss."""
    return _name_file(FIRST_NAMES_FILE) | EXTRA_FIRST_NAMES


@lru_cache(maxsize=1)
def popular_first_names() -> frozenset[str]:
    """Names many people are really given (scripts/make_popular_names.py), and the local
    ones: a word typed in lower case is taken for a name only if it is one of these or rare
    in English ("tyler", "maisie", "oliwia"; not "meds" or "mat")."""
    return _name_file(POPULAR_FIRST_NAMES_FILE) | EXTRA_FIRST_NAMES


@lru_cache(maxsize=1)
def all_surnames() -> frozenset[str]:
    """Surnames from Faker's English-speaking (and Polish) locales, everyday words included
    ("Green", "Bell"): after a first name they are surnames."""
    return _name_file(SURNAMES_FILE)


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
        self._last: tuple[str, tuple[tuple[int, int], ...]] | None = None

    def spans(self, text: str) -> list[tuple[int, int]]:
        # The schools, the addresses and the names all ask about the same text in a row:
        # remember the last answer (one tuple, replaced whole, so threads cannot tear it).
        last = self._last
        if last is not None and last[0] == text:
            return list(last[1])
        found = self._spans(text)
        self._last = (text, tuple(found))
        return found

    def _spans(self, text: str) -> list[tuple[int, int]]:
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
