"""Redact identifying details before anything is stored.

Structured identifiers go first (Slack mentions, URLs, emails, NHS numbers, phone numbers,
dates, postcodes, street addresses), then names. Names use cue words ("called", "Mr",
"pupil"), possessives before relations ("Tyler's mum"), capitalised words the pack does
not know, and a first-name list (Faker's per-locale lists) weighed against how common the
word is in English (wordfreq), so "Grace" after "called" goes but "grace period" stays.
The answer itself never sees redacted text: this guards only what is written down.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import phonenumbers
from wordfreq import zipf_frequency

LABELS = (
    "NAME",
    "POSTCODE",
    "PHONE",
    "EMAIL",
    "NHS_NUMBER",
    "DATE",
    "ADDRESS",
    "SLACK_USER",
    "URL",
)
PLACEHOLDER = re.compile(r"\[(?:" + "|".join(LABELS) + r")\]")

_SLACK_USER = re.compile(r"<@[UW][A-Z0-9]+(?:\|[^>]*)?>")
_SLACK_MAILTO = re.compile(r"<mailto:[^>]*>")
_SLACK_URL = re.compile(r"<(?:https?|ftp)://[^>]*>")
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"]+[^\s<>\".,;:!?)\]]")
_EMAIL = re.compile(r"\b[\w.+'-]+@[\w-]+(?:\.[\w-]+)+\b")
_NHS = re.compile(r"(?<![\d+])(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?![\d])")
_PHONE = re.compile(
    r"(?<![\w+])(?:\+44\s?\(0\)\s?|\+44\s?|0044\s?|\(0|0)[\d][\d\s\-()]{7,14}\d"
    r"(?![\d])"
)
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DATES = (
    re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b"),
    re.compile(r"\b\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})\b"),
    re.compile(
        rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\b\.?(?:,?\s+(?:\d{{4}}|"
        r"'?\d{2}\b))?",
        re.I,
    ),
    re.compile(rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?\b", re.I),
    re.compile(r"(?<![\d/])(?:[12]\d|3[01]|0?[1-9])/(?:1[0-2]|0?[1-9])(?![\d/])"),
)
_POSTCODE = re.compile(r"\b[A-Za-z]{1,2}\d[A-Za-z\d]?\s?\d[ABD-HJLNP-UW-Zabd-hjlnp-uw-z]{2}\b")
_STREET = (
    r"(?:road|rd|street|st|avenue|ave|lane|ln|close|drive|dr|way|grove|gardens|gdns|"
    r"crescent|cres|court|ct|place|pl|terrace|walk|hill|row|square|sq|mews|rise|green|"
    r"parade|croft|fields|boulevard|view)"
)
_ADDRESS = re.compile(
    rf"\b(?:(?:flat|apartment|apt|unit)\s*\d+[a-z]?,?\s+)?\d{{1,4}}[a-z]?,?\s+"
    rf"(?:[A-Za-z][\w'’.-]*\s+){{1,3}}{_STREET}\b\.?",
    re.I,
)
_WORD = re.compile(r"[^\W\d_](?:[\w'’\-]*[^\W\d_])?(?:['’]s?)?")

STRONG_CUES = {"called", "named", "name", "aka", "calls", "nicknamed"}
TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "master"}
RELATIONS = {
    "mum",
    "mother",
    "mom",
    "dad",
    "father",
    "stepdad",
    "stepmum",
    "step-dad",
    "step-mum",
    "brother",
    "sister",
    "son",
    "daughter",
    "baby",
    "child",
    "pupil",
    "student",
    "client",
    "patient",
    "boy",
    "girl",
    "nan",
    "nana",
    "nanna",
    "grandad",
    "granddad",
    "grandma",
    "grandmother",
    "grandfather",
    "uncle",
    "aunt",
    "auntie",
    "aunty",
    "cousin",
    "partner",
    "boyfriend",
    "girlfriend",
    "friend",
    "sibling",
    "carer",
    "bf",
    "gf",
    "lad",
    "stepson",
    "stepdaughter",
    "twin",
    "sis",
    "bro",
    "toddler",
    "teen",
    "yp",
    "nephew",
    "niece",
    "wife",
    "husband",
    "ex",
    "baba",
    "mama",
    "papa",
    "abba",
    "abbu",
    "ammi",
    "amma",
    "appa",
    "nani",
    "dada",
    "dadi",
    "mummy",
    "daddy",
    "mam",
}
# Words that never continue a name ("jayden yr 7", "Aisha hid in the toilets").
NOT_SURNAMES = frozenset(
    """
yr yrs y year doc hid ran went came said told got left took saw made gave fell hit cut kept
sat slept woke wet threw swore lost bit broke stole sent says seems is was has had and or
""".split()
)
# Words that stay whatever their case: local places, services and calendar words.
BUILTIN_SAFE = (
    set(
        """
coventry warwickshire birmingham solihull west midlands england uk britain foleshill earlsdon
hillfields tile hill canley willenhall wood end bell green radford holbrook holbrooks stoke
binley wyken allesley cheylesmore whitley longford bedworth nuneaton rugby leamington
warwick kenilworth walsgrave tollbar stivichall finham styvechale henley sherbourne
monday tuesday wednesday thursday friday saturday sunday january february march april may
june july august september october november december christmas easter ramadan eid diwali
nspcc barnardo barnardo's childline ofsted cafcass cgl cgl's camhs mash dsl lado nhs gp
teams zoom outlook slack whatsapp snapchat instagram tiktok facebook youtube google
police council school academy college nursery hospital a&e mum dad nan kooth brum hinckley
leicester wolverhampton walsall dudley sandwell london manchester red amber green
""".split()
    )
    | RELATIONS
)
COMMON_ZIPF = 4.0  # words at least this common in English are not taken for names alone
# First names that are also everyday words: only a cue ("called Hope", "Mr Brown") makes
# them a name.
WORD_NAMES = frozenset(
    """
autumn spring summer winter penny honey hunter sunny brook brooke crystal amber ruby pearl
jade ivy holly daisy poppy violet angel blessing precious faith hope grace joy chance will
may june april august mark bill pat sue rob dawn rose sky storm rain river heath dale glen
miles ray chase guy frank art hazel ginger cash major king earl prince princess queen rich
star sterling victory liberty harmony melody destiny justice trinity patience charity
""".split()
)


@lru_cache(maxsize=1)
def _common_english() -> frozenset[str]:
    """English words at least as common as zipf 4 (about the 7,000 most frequent): one
    list look-up instead of a frequency query per name keeps start-up fast."""
    from wordfreq import top_n_list

    return frozenset(top_n_list("en", 7000))


@lru_cache(maxsize=1)
def _very_common_english() -> frozenset[str]:
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
                if module.name in core_locales or lowered not in _common_english():
                    names.add(lowered)
    return frozenset(names | EXTRA_FIRST_NAMES)


@lru_cache(maxsize=1)
def surnames() -> frozenset[str]:
    """Common surnames (Faker's English-speaking locales), less everyday words ("young")."""
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
                if lowered.isalpha() and lowered not in _very_common_english():
                    found.add(lowered)
    return frozenset(found)


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
izzy ibby dami seun liyah tj aj
""".split()
)


def nhs_valid(digits: str) -> bool:
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


@dataclass(frozen=True)
class Redaction:
    text: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


class Redactor:
    """Replaces identifiers with typed placeholders; idempotent."""

    def __init__(self, safe_words: Iterable[str] = (), safe_phrases: Iterable[str] = ()):
        names = first_names()
        words = {w.lower() for w in safe_words} | BUILTIN_SAFE
        # A first name the pack mentions (Clare's Law, Fraser) stays safe unless a cue says
        # it is a person; other vocabulary is always safe.
        self.safe = words - names
        self.weak_safe = words & names
        self.names = names
        phrases = sorted(
            {p.lower() for p in safe_phrases if " " in p.strip()}, key=len, reverse=True
        )
        self._phrase = (
            re.compile(r"\b(?:" + "|".join(map(re.escape, phrases)) + r")\b", re.I)
            if phrases
            else None
        )

    @classmethod
    def for_pack(cls, pack, extra: Iterable[str] = ()) -> Redactor:
        words: set[str] = set(extra)
        phrases: set[str] = set()
        for entry in pack.entries.values():
            for term in (entry.title, *entry.aliases):
                phrases.add(term)
                words.update(_WORD.findall(term))
            words.update(w for w in _WORD.findall(entry.text) if not w[:1].isupper())
            words.update(w for w in _WORD.findall(entry.text) if w[:1].isupper() and len(w) > 1)
        for area in pack.areas.values():
            words.update(_WORD.findall(area.title))
        for level in pack.levels.values():
            words.update(_WORD.findall(f"{level.label} {level.title}"))
        words.update(_WORD.findall(f"{pack.name} {pack.scheme}"))
        return cls({_bare(w) for w in words}, phrases)

    # ---- the pipeline ------------------------------------------------------------------
    def redact(self, text: str) -> Redaction:
        counts: Counter[str] = Counter()
        text = text or ""

        def sub(pattern: re.Pattern[str], label: str, value: str, keep=None) -> str:
            def repl(m: re.Match[str]) -> str:
                if keep is not None and not keep(m):
                    return m.group(0)
                counts[label] += 1
                return f"[{label}]"

            return pattern.sub(repl, value)

        text = sub(_SLACK_USER, "SLACK_USER", text)
        text = sub(_SLACK_MAILTO, "EMAIL", text)
        text = sub(_SLACK_URL, "URL", text)
        text = sub(_URL, "URL", text)
        text = sub(_EMAIL, "EMAIL", text)
        text = sub(_NHS, "NHS_NUMBER", text, keep=lambda m: self._is_nhs(m))
        # Dates before phone numbers: "born 12/03/2015" must not feed digits to a phone match.
        for pattern in _DATES:
            text = sub(pattern, "DATE", text, keep=lambda m: m.group(0) not in ("24/7", "50/50"))
        text = self._phones(text, counts)
        text = sub(_ADDRESS, "ADDRESS", text)
        text = sub(_POSTCODE, "POSTCODE", text, keep=_is_postcode)
        text = self._names(text, counts)
        return Redaction(text, dict(counts))

    def _phones(self, text: str, counts: Counter[str]) -> str:
        """UK phone numbers: libphonenumber finds them, so a run of digits is never half-cut."""
        spans = []
        for match in phonenumbers.PhoneNumberMatcher(
            text, "GB", leniency=phonenumbers.Leniency.POSSIBLE
        ):
            spans.append((match.start, match.end))
        for m in _PHONE.finditer(text):  # spacings libphonenumber does not group
            if _is_phone(m) and not any(a < m.end() and m.start() < b for a, b in spans):
                spans.append(m.span())
        for start, end in sorted(spans, reverse=True):
            counts["PHONE"] += 1
            text = text[:start] + "[PHONE]" + text[end:]
        return text

    def _is_nhs(self, m: re.Match[str]) -> bool:
        digits = "".join(m.groups())
        if nhs_valid(digits):
            return True
        before = m.string[max(0, m.start() - 16) : m.start()].lower()
        return "nhs" in before

    # ---- names -------------------------------------------------------------------------
    def _names(self, text: str, counts: Counter[str]) -> str:
        letters = [c for c in PLACEHOLDER.sub("", text) if c.isalpha()]
        if len(letters) >= 12 and sum(c.isupper() for c in letters) / len(letters) > 0.6:
            # A message typed in capitals says nothing by its capitals: read it in lower
            # case (same length, so the spans still fit the original).
            spans = self._name_spans(text.lower())
        else:
            spans = self._name_spans(text)
        for start, end in reversed(spans):
            counts["NAME"] += 1
            text = text[:start] + "[NAME]" + text[end:]
        return text

    def _name_spans(self, text: str) -> list[tuple[int, int]]:
        protected = []
        if self._phrase:
            protected = [m.span() for m in self._phrase.finditer(text)]
        words = [
            m
            for m in _WORD.finditer(text)
            if not any(a <= m.start() < b for a, b in protected)
            and not _inside_placeholder(m, text)  # "[NAME]" is never a cue word
        ]
        spans: list[tuple[int, int]] = []
        i = 0
        while i < len(words):
            if self._is_name(words, i, text):
                start, end = words[i].start(), _end_without_possessive(words[i])
                j = i + 1
                while j < len(words) and self._continues_name(words, j, text, words[j - 1]):
                    end = _end_without_possessive(words[j])
                    j += 1
                spans.append((start, end))
                i = j
            else:
                i += 1
        return spans

    def _is_name(self, words: list[re.Match[str]], i: int, text: str) -> bool:
        token = words[i].group(0)
        bare = _bare(token).lower()
        if _inside_placeholder(words[i], text) or len(bare) < 2 or bare in STRONG_CUES:
            return False
        prev = _bare(words[i - 1].group(0)).lower() if i else ""
        adjacent = i and _gap(words[i - 1], words[i], text)
        nxt = _bare(words[i + 1].group(0)).lower() if i + 1 < len(words) else ""
        capital = token[:1].isupper()
        known_name = self._known_name(bare)
        frequency = zipf_frequency(bare, "en")
        common = frequency >= COMMON_ZIPF or bare in WORD_NAMES
        if adjacent and prev in STRONG_CUES | TITLES:
            return capital or known_name or (not common and bare not in self.safe)
        if adjacent and prev in RELATIONS and capital and known_name:
            return True
        if bare in self.safe:
            return False
        weakly_safe = bare in self.weak_safe
        possessive = _possessive(token) and nxt in RELATIONS
        if possessive and (capital or known_name) and not (common and not capital):
            return True
        if (
            adjacent
            and prev in RELATIONS
            and (capital or (known_name and frequency < 4.6 and bare not in WORD_NAMES))
        ):
            return not weakly_safe or capital
        if weakly_safe:
            return False
        sentence_start = _sentence_start(words, i, text)
        if token.isupper() and len(bare) <= 5:
            return False  # an acronym, not a shouted name
        if capital and not sentence_start:
            return known_name or frequency < 3.0
        if capital and sentence_start:
            if known_name and bare in WORD_NAMES:
                return self._surname_follows(words, i, text)  # "Ruby Smith", not "Grace period"
            if known_name:
                return frequency < 4.8
            return frequency < 3.0 or (frequency < 4.0 and self._surname_follows(words, i, text))
        return known_name and frequency < 4.4 and bare not in WORD_NAMES

    def _known_name(self, bare: str) -> bool:
        if bare in self.names:
            return True
        parts = bare.split("-")
        # "lily-mae", "keira-leigh": a hyphenated first name made of first names.
        return len(parts) > 1 and any(p in self.names and p not in WORD_NAMES for p in parts)

    def _surname_follows(self, words: list[re.Match[str]], i: int, text: str) -> bool:
        return (
            i + 1 < len(words)
            and words[i + 1].group(0)[:1].isupper()
            and _bare(words[i + 1].group(0)).lower() not in self.safe
            and _gap(words[i], words[i + 1], text, strict=True)
        )

    def _continues_name(
        self, words: list[re.Match[str]], j: int, text: str, prev: re.Match[str]
    ) -> bool:
        """A surname after a first name: "jayden smith", "Amelia Smith-Jones"."""
        if _possessive(prev.group(0)) or not _gap(prev, words[j], text, strict=True):
            return False
        token = words[j].group(0)
        bare = _bare(token).lower()
        if bare in self.safe or bare in RELATIONS or bare in STRONG_CUES or bare in NOT_SURNAMES:
            return False
        if token[:1].isupper():
            return not (token.isupper() and len(bare) <= 5)
        if bare in surnames():
            return True
        return zipf_frequency(bare, "en") < 4.5 and not bare.endswith(("ing", "ed"))


def _bare(token: str) -> str:
    return re.sub(r"['’]s?$", "", token)


def _possessive(token: str) -> bool:
    return bool(re.search(r"['’]s?$", token)) or (
        token.endswith("s") and len(token) > 3 and token[:-1].lower() in first_names()
    )


def _end_without_possessive(m: re.Match[str]) -> int:
    token = m.group(0)
    bare = _bare(token)
    if bare != token:
        return m.start() + len(bare)
    if (
        token.endswith("s")
        and token[:-1].lower() in first_names()
        and token.lower() not in first_names()
    ):
        return m.end() - 1  # "jaydens dad": the name is "jayden"
    return m.end()


def _gap(a: re.Match[str], b: re.Match[str], text: str, strict: bool = False) -> bool:
    between = text[a.end() : b.start()]
    return between in (" ", "") if strict else bool(re.fullmatch(r"\s{1,3}", between))


def _sentence_start(words: list[re.Match[str]], i: int, text: str) -> bool:
    if i == 0:
        return not text[: words[0].start()].strip(" \"'(")
    between = text[words[i - 1].end() : words[i].start()]
    return bool(re.search(r"[.!?:;\n]|\s-\s", between))


def _inside_placeholder(m: re.Match[str], text: str) -> bool:
    return m.start() > 0 and text[m.start() - 1] == "[" and text[m.end() : m.end() + 1] == "]"


def _is_phone(m: re.Match[str]) -> bool:
    raw = m.group(0)
    digits = re.sub(r"\D", "", raw)
    if digits.startswith("0044"):
        digits = digits[2:]
    if digits.startswith("44"):
        digits = "0" + digits[2:].lstrip("0") if not digits.startswith("440") else "0" + digits[3:]
    if not 10 <= len(digits) <= 11:
        return False
    try:
        return phonenumbers.is_possible_number(phonenumbers.parse(digits, "GB"))
    except phonenumbers.NumberParseException:
        return False


def _is_postcode(m: re.Match[str]) -> bool:
    value = m.group(0).replace(" ", "")
    # "yr10 2nd"-style accidents: a real postcode's outward code starts with 1–2 letters then
    # a digit, and the whole thing is 5–7 characters.
    return 5 <= len(value) <= 7 and not value.lower().startswith(("yr", "no"))
