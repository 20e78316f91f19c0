"""Identifiers with a shape: Slack mentions, links, emails, police references, NHS numbers,
dates, phone numbers and postcodes (street addresses: bot/redact_addresses.py; schools:
bot/redact_schools.py).

Each finder takes the text and returns the (start, end) spans to replace; the pipeline in
bot/privacy.py runs them in order on text in which earlier finds are already placeholders.
"""

from __future__ import annotations

import re

from .redact_words import first_names, lists, zipf

Span = tuple[int, int]

SLACK_USER = re.compile(r"<@[UW][A-Z0-9]+(?:\|[^>]*)?>")
SLACK_MAILTO = re.compile(r"<mailto:[^>]*>")
SLACK_URL = re.compile(r"<(?:https?|ftp)://[^>]*>")
URL = re.compile(r"\b(?i:https?://|www\.)[^\s<>\"]+[^\s<>\".,;:!?)\]]")
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
    # "05-Jun-2014", "5/June/14", "05.jun.14"
    re.compile(rf"\b\d{{1,2}}[-/.]{_MONTH}[-/.](?:\d{{4}}|\d{{2}})\b", re.I),
)
NOT_DATES = ("24/7", "50/50")
POSTCODE = re.compile(r"\b[A-Za-z]{1,2}\d[A-Za-z\d]?\s?\d[ABD-HJLNP-UW-Zabd-hjlnp-uw-z]{2}\b")

# Police crime, incident and log references: the shapes forces use, and any number after a
# word that says it is one ("crime ref 4455").
POLICE_REFS = (
    re.compile(r"\b\d{8}-\d{3,5}\b"),  # 20231103-0456: the day, then the log number
    re.compile(r"\b[A-Za-z]{1,4}/\d{3,8}/\d{2,4}\b"),  # CR/12345/24
    re.compile(r"\b\d{2}/\d{4,8}/\d{2,4}\b"),  # 23/88516/24
    re.compile(r"\b[A-Za-z]{2,5}-\d{2,4}-\d{4,8}\b"),  # WMP-2025-118204, WM-25-0913377
    re.compile(r"\b\d{2}[A-Za-z]{2}\d{5,9}\b"),  # 20WM0912345
    # WMP/C/445120/25, 12/345678A/24: three or more parts, one of them a long number
    re.compile(
        r"\b[A-Za-z0-9]{1,6}(?:/[A-Za-z0-9]{1,10}){2,4}\b(?<=\d{4}/\d{2})|"
        r"\b[A-Za-z]{1,6}(?:/[A-Za-z]{1,4})*(?:/\d{4,10}[A-Za-z]?)(?:/\d{2,4})\b"
    ),
)
# A number after a word that says it is one ("crime ref 4455", "log 345 of 12/03", "URN:
# 20AB1234567", "crime no. WMP/C/445120/25", "our ref is COV-2025-0412").
_REF_CUE = re.compile(
    r"\b(?P<cue>crime|incident|occurrence|occ|log|ref|reference|urn|cad|case|pnc|niche|crn|"
    r"collar|warrant|serial|report)"
    r"(?P<named>\s+ref(?:erence)?\.?)?(?P<number>\s+(?:no\.?|number|num|nr|id)|\s*#)?"
    r"(?P<verb>\s+(?:is|was))?"
    r"\s*[:#\-–]?\s*"
    r"(?P<ref>(?=[A-Za-z0-9/\-]*\d)[A-Za-z0-9]+(?:[/\-][A-Za-z0-9]+)*)",
    re.I,
)
# Cues that name a force's log, numbered afresh each day: "log 412 of 3 March" is one
# reference, the word and the day with it.
_REF_WORDS = frozenset(("ref", "reference", "urn", "crn", "pnc"))  # "our ref is …"
_LOGGED = frozenset(("log", "incident", "cad", "occurrence", "occ", "serial"))
_BARE_CUE = re.compile(r"\s*[:#]?\s*")  # "log 412", "CAD: 1187", not "log no. 412"
_POLICE_BEFORE = re.compile(r"\bpolice\s+$", re.I)  # "police log 0412": the words stay
_OF = re.compile(r"\s+of\s+(?:the\s+)?", re.I)
_DAY_WORD = re.compile(r"(?:today|yesterday|last\s+night)\b", re.I)
# "MISPER report 0455 of 21/11", "1290 of the 4th April": a log number and its day, no cue.
_NUMBER_OF_DAY = re.compile(r"(?<![\w£$.,/:-])\d{3,5}(?=\s+of\s)")
_ORDINAL = re.compile(r"\d{1,2}(?:st|nd|rd|th)\b", re.I)  # "of the 15th"
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
        cue = m.group("cue").lower()
        logged = cue in _LOGGED
        day_end = _day_after(text, m.end()) if ref.isdigit() else None
        dated = logged and digits >= 2 and day_end is not None
        if _TIME_AFTER.match(text, m.end()) or _YEAR.fullmatch(ref) and not dated:
            continue  # "incident 2215 hrs", "report 2023" (not "log 2011 of 30/11")
        if cue == "report" and not (m.group("named") or m.group("number")):
            continue  # "report 2023", "report 3 times": "report number 25-00123" is one
        if m.group("verb") and not (cue in _REF_WORDS or m.group("named") or m.group("number")):
            continue  # "the incident was 12/03": a day, not a reference
        if any(p.fullmatch(ref) for p in DATES):
            continue
        bare = _BARE_CUE.fullmatch(text, m.end("cue"), m.start("ref")) is not None
        short_log = cue in ("log", "cad", "serial") and bare and ref.isdigit() and digits >= 3
        if digits < 4 and not dated and not short_log and not (digits >= 2 and len(ref) >= 6):
            continue  # "case 12": no reference
        start, end = m.span("ref")
        if logged and bare and not _POLICE_BEFORE.search(text, 0, m.start()):
            start = m.start()  # "log 412 of 3 March", "CAD 1187"; "police log 0412" stays
        spans.append((start, day_end if day_end is not None else end))
    for m in _NUMBER_OF_DAY.finditer(text):
        day_end = _day_after(text, m.end(), ordinal=False)  # "250 of the 4th cohort" stays
        if day_end is not None and not (_YEAR.fullmatch(m.group(0))):
            spans.append((m.start(), day_end))
    return spans


def _day_after(text: str, at: int, ordinal: bool = True) -> int | None:
    """Where " of <a day>" after `at` ends ("of 3 March", "of the 4th", "of 14/02/2025",
    "of today"), or None when no day follows."""
    of = _OF.match(text, at)
    if of is None:
        return None
    day = _DAY_WORD.match(text, of.end())
    if day:
        return day.end()
    ends = [m.end() for pattern in DATES if (m := pattern.match(text, of.end()))]
    day = _ORDINAL.match(text, of.end()) if ordinal else None
    if day:
        ends.append(day.end())  # "log 56 of the 15th"
    return max(ends) if ends else None


def dates(text: str) -> list[Span]:
    spans = []
    for pattern in DATES:
        spans += [m.span() for m in pattern.finditer(text) if m.group(0) not in NOT_DATES]
    return spans


def phones(text: str) -> list[Span]:
    """UK phone numbers: libphonenumber finds them, so a run of digits is never half-cut;
    a match needs a real number's length, so "KCSIE 2025" and "Act 1989" stay."""
    if sum(map(str.isdigit, text)) < PHONE_DIGITS:
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
    # The district alone right after an address or the word ("[ADDRESS] cv3", "postcode
    # CV6"): the rest of a postcode, where nothing else could be meant.
    out += [m.span("district") for m in _DISTRICT.finditer(text)]
    return out


_DISTRICT = re.compile(
    r"(?:\[ADDRESS\],?\s+|\bpost\s*code\s*(?:is\s+)?[:\-]?\s*)"
    r"(?P<district>[A-Za-z]{1,2}\d{1,2}[A-Za-z]?)\b(?!\s*\d[A-Za-z]{2}\b)",
    re.I,
)
# A social media handle: "@jaydenxx_2010" (Slack mentions and emails are gone by now); an
# everyday word after "@" is no handle ("@school today").
HANDLE = re.compile(
    r"(?<![\w@./<])@(?P<handle>[A-Za-z0-9_][A-Za-z0-9_.]{1,28}[A-Za-z0-9_])(?![\w@])"
)
# A link without its scheme: "tiktok.com/@lilmaisie", "bit.ly/3abc".
BARE_URL = re.compile(
    r"\b(?:[a-z0-9-]+\.)+(?:com|co\.uk|org|org\.uk|net|me|io|ly|gg|tv|app)/[^\s<>\"]*[^\s<>\".,;:!?)\]]",
    re.I,
)


def handles(text: str) -> list[Span]:
    out = []
    for m in HANDLE.finditer(text):
        handle = m.group("handle")
        lower = handle.lower()
        if handle.isalpha() and (handle.isupper() or lower in lists().acronyms):
            continue  # "@DSL", "@SW": a role called by its name
        plain = handle.isalpha() and zipf(lower) >= 3.0 and lower not in first_names()
        if not plain:
            out.append(m.span())  # "@jaydenxx_2010", "@Sarah"; not "@here", "@school"
    return out
