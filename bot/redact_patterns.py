"""Identifiers with a shape: Slack mentions, links, emails, police references, NHS numbers,
dates, phone numbers, postcodes and named schools (street addresses: bot/redact_addresses.py).

Each finder takes the text and returns the (start, end) spans to replace; the pipeline in
bot/privacy.py runs them in order on text in which earlier finds are already placeholders.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .redact_words import first_names, lists, surnames, zipf

Span = tuple[int, int]

SLACK_USER = re.compile(r"<@[UW][A-Z0-9]+(?:\|[^>]*)?>")
SLACK_MAILTO = re.compile(r"<mailto:[^>]*>")
SLACK_URL = re.compile(r"<(?:https?|ftp)://[^>]*>")
URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"]+[^\s<>\".,;:!?)\]]")
EMAIL = re.compile(r"\b[\w.+'-]+@[\w-]+(?:\.[\w-]+)+\b")
NHS = re.compile(r"(?<![\d+])(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?![\d])")
PHONE = re.compile(
    r"(?<![\w+])(?:\+44\s?\(0\)\s?|\+44\s?|0044\s?|\(0|0)[\d][\d\s\-()]{7,14}\d"
    r"(?![\d])"
)
PHONE_DIGITS = 10  # a UK number someone can be rung on has 10 or 11 digits (with the 0)
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
DATES = (
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
NOT_DATES = ("24/7", "50/50")
POSTCODE = re.compile(r"\b[A-Za-z]{1,2}\d[A-Za-z\d]?\s?\d[ABD-HJLNP-UW-Zabd-hjlnp-uw-z]{2}\b")

# Police crime, incident and log references: the shapes forces use, and any number after a
# word that says it is one ("crime ref 4455").
POLICE_REFS = (
    re.compile(r"\b\d{8}-\d{3,5}\b"),  # 20231103-0456: the day, then the log number
    re.compile(r"\b[A-Za-z]{1,4}/\d{3,8}/\d{2,4}\b"),  # CR/12345/24
    re.compile(r"\b\d{2}/\d{4,8}/\d{2,4}\b"),  # 23/88516/24
    re.compile(r"\b[A-Za-z]{2,5}-\d{4}-\d{4,8}\b"),  # WMP-2025-118204
    re.compile(r"\b\d{2}[A-Za-z]{2}\d{5,9}\b"),  # 20WM0912345
    # WMP/C/445120/25, 12/345678A/24: three or more parts, one of them a long number
    re.compile(
        r"\b[A-Za-z0-9]{1,6}(?:/[A-Za-z0-9]{1,10}){2,4}\b(?<=\d{4}/\d{2})|"
        r"\b[A-Za-z]{1,6}(?:/[A-Za-z]{1,4})*(?:/\d{4,10}[A-Za-z]?)(?:/\d{2,4})\b"
    ),
)
# A number after a word that says it is one ("crime ref 4455", "log 345 of 12/03", "URN:
# 20AB1234567", "crime no. WMP/C/445120/25").
_REF_CUE = re.compile(
    r"\b(?P<cue>crime|incident|occurrence|occ|log|ref|reference|urn|cad|case|pnc|niche|crn|"
    r"collar|warrant)"
    r"(?:\s+ref(?:erence)?\.?)?(?:\s+(?:no\.?|number|num|nr|id)|\s*#)?\s*[:#\-–]?\s*"
    r"(?P<ref>(?=[A-Za-z0-9/\-]*\d)[A-Za-z0-9]+(?:[/\-][A-Za-z0-9]+)*)",
    re.I,
)
_OF_DATE = re.compile(r"\s+of\s+(?:\d|the\s+\d)", re.I)  # "log 345 of 12/03"
_TIME_AFTER = re.compile(r"\s*(?:hrs|hours|h|am|pm)\b", re.I)  # "incident 2215 hrs"
_YEAR = re.compile(r"(?:19|20)\d{2}")


# ---- finders ---------------------------------------------------------------------------
def nhs_valid(digits: str) -> bool:
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def nhs_numbers(text: str) -> list[Span]:
    out = []
    for m in NHS.finditer(text):
        before = text[max(0, m.start() - 16) : m.start()].lower()
        if nhs_valid("".join(m.groups())) or "nhs" in before:
            out.append(m.span())
    return out


def police_refs(text: str) -> list[Span]:
    spans = [m.span() for pattern in POLICE_REFS for m in pattern.finditer(text)]
    for m in _REF_CUE.finditer(text):
        ref = m.group("ref")
        digits = sum(c.isdigit() for c in ref)
        logged = m.group("cue").lower() in ("log", "incident", "cad", "occurrence", "occ")
        dated = logged and digits >= 2 and _OF_DATE.match(text, m.end())
        if _TIME_AFTER.match(text, m.end()) or _YEAR.fullmatch(ref) and not dated:
            continue  # "incident 2215 hrs", "report 2023" (not "log 2011 of 30/11")
        if digits < 4 and not dated and not (digits >= 2 and len(ref) >= 6):
            continue  # "case 12": no reference
        spans.append(m.span("ref"))
    return spans


def dates(text: str) -> list[Span]:
    spans = []
    for pattern in DATES:
        spans += [m.span() for m in pattern.finditer(text) if m.group(0) not in NOT_DATES]
    return spans


def phones(text: str) -> list[Span]:
    """UK phone numbers: libphonenumber finds them, so a run of digits is never half-cut;
    a match needs a real number's length, so "KCSIE 2025" and "Act 1989" stay."""
    if sum(c.isdigit() for c in text) < PHONE_DIGITS:
        return []  # no number to ring, so no need to load libphonenumber (~40 ms at start)
    import phonenumbers

    spans = []
    for match in phonenumbers.PhoneNumberMatcher(
        text, "GB", leniency=phonenumbers.Leniency.POSSIBLE
    ):
        if sum(c.isdigit() for c in match.raw_string) >= PHONE_DIGITS:
            spans.append((match.start, match.end))
    for m in PHONE.finditer(text):  # spacings libphonenumber does not group
        if _is_phone(m.group(0)):
            spans.append(m.span())
    return spans


def _is_phone(raw: str) -> bool:
    digits = re.sub(r"\D", "", raw)
    if digits.startswith("0044"):
        digits = digits[2:]
    if digits.startswith("44"):
        digits = "0" + digits[2:].lstrip("0") if not digits.startswith("440") else "0" + digits[3:]
    if not 10 <= len(digits) <= 11:
        return False
    import phonenumbers

    try:
        return phonenumbers.is_possible_number(phonenumbers.parse(digits, "GB"))
    except phonenumbers.NumberParseException:
        return False


def postcodes(text: str) -> list[Span]:
    out = []
    for m in POSTCODE.finditer(text):
        value = m.group(0).replace(" ", "")
        # "yr10 2nd"-style accidents: a real postcode's outward code starts with 1–2 letters
        # then a digit, and the whole thing is 5–7 characters.
        if 5 <= len(value) <= 7 and not value.lower().startswith(("yr", "no")):
            out.append(m.span())
    return out


# ---- schools -----------------------------------------------------------------------------
_TOKEN = re.compile(r"(?<![\w'’])(?:[^\W\d_][\w'’.\-]*[^\W_.]|[^\W\d_]|\d+)(?![\w])")
# "St B's", "St JB's": a church school by its initial (a church or hospital says so).
# "St B's", "st aidans", "St Bede's": a saint's school, known by the saint alone (a church,
# hospital or street says otherwise).
_SAINT_INITIAL = re.compile(
    r"\b(?:St|ST|st)(?:\.\s*|\s+)(?:[A-Z]{1,2}['’]s|[A-Za-z][a-z]{2,}(?:['’]s|s))\b"
    r"(?!\s+(?i:church|chapel|hospital|hospice|cathedral|road|rd|street|lane|avenue|close|"
    r"drive|way|place|square|walk|court|house|centre|day|church's))"
)
_LINK = {"of", "the", "and", "&", "st", "st.", "rc", "r.c.", "ce", "c.e.", "cofe", "c", "e"}


@lru_cache(maxsize=1)
def _school_ending() -> re.Pattern[str]:
    words = lists().school_words | set(lists().school_endings)
    alternatives = sorted((re.escape(w).replace(r"\ ", r"\s+") for w in words), key=len)
    return re.compile(r"\b(?:" + "|".join(reversed(alternatives)) + r")\b", re.I)


@lru_cache(maxsize=1)
def _school_names() -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    """Known school names: (any case, capitals only)."""

    def pattern(names: list[str], flags: int) -> re.Pattern[str] | None:
        if not names:
            return None
        alternatives = []
        for name in sorted(names, key=len, reverse=True):
            words = [re.escape(w) for w in name.split()]
            if flags == 0:
                words = [w[:1].upper() + w[1:] for w in words]
            alternatives.append(r"\s+".join(words).replace("'", "['’]?"))
        return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", flags)

    plain = [n for n, cased in lists().school_names if not cased]
    cased = [n for n, cased in lists().school_names if cased]
    return pattern(plain, re.I), pattern(cased, 0)


def schools(text: str, protected: list[Span], acronyms: frozenset[str] = frozenset()) -> list[Span]:
    """Named schools, academies, colleges and nurseries: a name before a school word
    ("Whitley Academy", "pearl hyde primary", "Busy Bees nursery"), or a name the list of
    local schools knows ("moved from Caludon Castle to Lyng Hall")."""
    spans = []
    for m in _school_ending().finditer(text):
        if any(a <= m.start() < b for a, b in protected):
            continue
        start = _school_name_start(
            text, m.start(), m.group(0)[:1].isupper(), acronyms | lists().acronyms
        )
        if start is None:
            continue
        end = _school_end(text, m.end())
        if not m.group(0)[:1].isupper() and text[start : start + 1].isupper():
            end = m.start() - 1  # "Busy Bees nursery": the name, not the word for it
        spans.append((start, end))
    for m in _SAINT_INITIAL.finditer(text):
        if not any(a <= m.start() < b for a, b in protected):
            spans.append((m.start(), _school_end(text, m.end())))
    for pattern in _school_names():
        if pattern is None:
            continue
        for m in pattern.finditer(text):
            if not any(a <= m.start() < b for a, b in protected):
                spans.append((m.start(), _school_end(text, m.end())))
    return spans


def _school_end(text: str, end: int) -> int:
    """Take in following school words: "Holy Family Catholic Primary" + " School" (in the
    same case: "Whitley Academy nursery" is the academy's nursery class)."""
    while True:
        nxt = re.match(r"\s+", text[end:])
        gap = nxt.end() if nxt else 0
        more = _school_ending().match(text, end + gap) if gap else None
        if not more or _capitalised_before(text, end) != more.group(0)[:1].isupper():
            return end
        end = more.end()


def _capitalised_before(text: str, end: int) -> bool:
    """Whether the word that ends at `end` starts with a capital."""
    start = end
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return text[start : start + 1].isupper()


def _school_name_start(
    text: str, at: int, capital_word: bool, acronyms: frozenset[str]
) -> int | None:
    """Where the name before a school word starts, or None when no name is there."""
    words = lists()
    before = list(_TOKEN.finditer(text[max(0, at - 80) : at]))
    offset = max(0, at - 80)
    chosen: list[re.Match[str]] = []
    position = at
    for token in reversed(before):
        gap = text[offset + token.end() : position]
        word = token.group(0)
        lower = word.lower()
        dot = lower in ("st", "rc", "ce") and gap.startswith(".")
        if not re.fullmatch(r"\s{1,2}|\s*&\s*|\s*-\s*", gap[dot:]) or len(chosen) >= 6:
            break
        if any(c.isdigit() for c in word):
            break  # "Y1 and nursery", "2nd school"
        if not capital_word and not chosen and lower in _LINK - {"rc", "ce", "cofe"}:
            break  # "sib of nursery", "school and nursery"
        capital = word[:1].isupper()
        if word.isupper() and len(word) > 1 and lower in acronyms and lower not in _LINK:
            break  # "SEND school", "PRU": a kind of school, not its name ("RC" links one)
        if lower in _LINK or capital or (not capital_word and _name_like(lower)):
            chosen.append(token)
            position = offset + token.start()
            continue
        break
    # Drop generic words and links at the front ("the", "our local"), keep the name; a
    # capitalised adjective in a name written in capitals is the name's ("Good Shepherd
    # Catholic Primary", "New Horizons Academy").
    while (
        chosen
        and not _our_lady(chosen)
        and not (capital_word and _title_word(chosen))
        and (
            chosen[-1].group(0).lower() in words.generic_school_words
            or chosen[-1].group(0).lower() in _LINK - {"st", "st."}
            or chosen[-1].group(0).lower() in words.relations
        )
    ):
        chosen.pop()
    named = [
        t
        for t in chosen
        if t.group(0).lower() not in words.generic_school_words | _LINK
        and t.group(0).lower().rstrip("s'’") not in words.relations
        and t.group(0).lower() not in words.communities  # "the Polish Saturday school"
    ]
    if not named:
        return None
    if not capital_word and not any(
        t.group(0)[:1].isupper() or _name_like(t.group(0).lower()) for t in named
    ):
        return None
    return offset + chosen[-1].start()


_DETERMINERS = frozenset(
    "the a an our his her their my your its this that which what any every each all both some "
    "no one two at to in from for of and or with by on is was be local another other same "
    "next last first previous former current nearest different".split()
)


def _title_word(chosen: list[re.Match[str]]) -> bool:
    """The front word is a capitalised adjective before another capitalised word of the name
    ("Good Shepherd"), not a determiner ("The", "Our", "Local")."""
    if len(chosen) < 2:
        return False
    front, after = chosen[-1].group(0), chosen[-2].group(0)
    return (
        front[:1].isupper()
        and not front.isupper()
        and front.lower() not in _DETERMINERS
        and after[:1].isupper()
        and after.lower() not in lists().generic_school_words
    )


def _our_lady(chosen: list[re.Match[str]]) -> bool:
    """ "Our Lady of …", "All Saints …": a school's name, not "our" or "all" schools."""
    if len(chosen) < 2:
        return False
    return f"{chosen[-1].group(0)} {chosen[-2].group(0)}".lower() in lists().school_name_starts


def _name_like(lower: str) -> bool:
    """A lower-case word that could be part of a school's name: rare in English, a name,
    or a place ("westfield", "hyde", "stoke"), and no generic word."""
    words = lists()
    if (
        len(lower) < 3
        or not lower.replace("'", "").isalpha()
        or lower in words.generic_school_words
        or lower.rstrip("s'’") in words.relations
        or lower in words.school_words
    ):
        return False
    if lower in words.safe_words:
        return True  # a local place: "stoke", "hillfields"
    if lower in surnames() or lower in first_names():
        return zipf(lower) < 4.0  # "hyde primary", not "chase school"
    return zipf(lower) < 3.5 and not lower.endswith(("ing", "ed"))
