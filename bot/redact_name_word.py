"""Whether one word is a person's name, by the words around it: after a cue, title or rank
("called Grace", "DC Khan"), a greeting ("Hi Sarah"), a relation ("her brother Ace", "baby
(Blue)"), a possessive before a relation ("Tyler's mum"), a family word ("the Hussain
family"), or by itself, weighed against how common it is in English ("spoke to Hussain", not
"Grace period"). Used by bot/redact_names.py, which finds the spans.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .redact_initials import AGE_AFTER
from .redact_surnames import family, person_follows, surname_follows
from .redact_tokens import (
    COMMON_ZIPF,
    IRISH_SURNAME,
    MONTHS_AND_DAYS,
    THING_LINKS,
    Words,
    inside_placeholder,
    is_possessive,
    next_to,
    starts_sentence,
    strip_possessive,
    verb_or_adverb,
)
from .redact_words import (
    WORD_NAMES,
    all_surnames,
    lists,
    surnames,
    very_common_english,
    zipf,
)

if TYPE_CHECKING:
    from .redact_names import NameFinder

# Words before a relation or role that make one person of them ("foster carer").
_ROLE_PREFIXES = frozenset(("foster", "social", "key", "support", "youth", "class", "form", "step"))
# Words of endearment that stand before a child's name or nickname ("little Peanut").
_PET_WORDS = frozenset(("little", "lil", "wee"))
# Verbs after which a name that is an everyday word is a person ("I saw Faith").
_SEEING = frozenset(("saw", "seen", "met", "visited", "told", "asked", "see", "meet", "visit"))
# "spoke to ryan", "saw jack": a verb of meeting right before a lower-case name.
_MET = re.compile(
    r"\b(?:spoke|speak|speaking|talked|talking|chatted|spoken)\s+(?:to|with)\s+$|"
    r"\b(?:saw|seen|met|visited|told|asked)\s+$"
)
_AND_THEIR = re.compile(r"\s+(?:and|&)\s+(?:his|her|their)\s+(?P<relation>[a-z]+)", re.I)


def is_name(finder: NameFinder, words: Words, i: int, text: str) -> bool:
    token = words[i].group(0)
    # "O’Brien" is "o'brien" in the lists
    bare = strip_possessive(token).lower().replace("’", "'")
    if inside_placeholder(words[i], text) or len(bare) < 2 or bare in finder.strong_cues:
        return False
    if token[:2].isalpha() and token[:2].isupper():
        return False  # "SATs", "GCSEs", "KM": acronyms (initials are tried apart)
    if any(c.isdigit() for c in token) or text[words[i].start() - 1 : words[i].start()].isdigit():
        return False  # "Y10s", "HoY8", "HbA1c", "18mo": year groups, codes and units
    prev = strip_possessive(words[i - 1].group(0)).lower() if i else ""
    capital = token[:1].isupper()
    if not capital and bare in finder.very_common and prev not in finder.cue_words:
        return False  # "the", "said", "because": most words, answered at once
    adjacent = i and next_to(words[i - 1], words[i], text)
    nxt = strip_possessive(words[i + 1].group(0)).lower() if i + 1 < len(words) else ""
    known_name = is_known_name(finder, bare)
    frequency = zipf(bare)
    common = frequency >= COMMON_ZIPF or bare in WORD_NAMES
    if adjacent and prev in finder.cues_titles:
        return capital or known_name or (not common and bare not in finder.safe)
    if adjacent and prev in finder.ranks and capital and not token.isupper():
        return bare not in finder.safe or known_name or bare in all_surnames()  # "DC Khan"
    if adjacent and prev in finder.greetings and capital and (prev != "morning" or i == 1):
        # "Hi Sarah,", "Thanks Jo" (not "Hi all", "Thanks Team"): whom the message is to
        return bare not in finder.safe and bare not in finder.relations and frequency < 5.0
    relation = prev in finder.relations or prev in finder.relations_plural
    if adjacent and relation and capital and (known_name or bare in WORD_NAMES):
        return True  # "pupil Will", "baby Noah"
    # "her brother Ace", "the child, Rain,", "baby (Blue)", "the twins (Bean and …"
    in_brackets = "(" in text[words[i - 1].end() : words[i].start()] if i else False
    plural = prev in finder.relations_plural and in_brackets
    if capital and (prev in finder.relations or plural):
        if _named_after_relation(finder, words, i, text):
            return True
    if capital and adjacent and words[i - 1].group(0) in _PET_WORDS and frequency < 4.0:
        return _named_after_relation(finder, words, i, text)  # "little Peanut", "lil Bubbles"
    if bare in finder.safe or lists().medicine(bare):
        return False  # the pack's words, places, medicines ("Sertraline", "Lamotrigine")
    weakly_safe = bare in finder.weak_safe
    possessive = is_possessive(token) and _person_owned(finder, words, i, nxt)
    if possessive and (capital or known_name) and not (common and not capital):
        return True
    if not capital and _lower_name_in_place(finder, words, i, text, bare, possessive):
        return True  # "jack's mum", "spoke to ryan and his mate"
    if (
        adjacent
        and prev in finder.relations
        and (capital or (known_name and frequency < 4.6 and bare not in WORD_NAMES))
    ):
        return not weakly_safe or capital
    if capital and adjacent and prev == "the" and family(finder, bare, nxt):
        return True  # "the Hussain family", "the Kowalskis"
    if capital and nxt in lists().family_words and bare not in lists().communities:
        if bare in all_surnames() or frequency < 3.0 or IRISH_SURNAME.match(bare):
            return True  # "O'Brien family moved", "Smith kids"
    if weakly_safe and bare in MONTHS_AND_DAYS:
        return capital and surname_follows(finder, words, i, text)  # "April Jones"
    if weakly_safe and bare not in finder.relations:
        # "April Jones", "Georgia (13) said": a first name that is a word or a place too,
        # with a surname, an age or something a person does after it.
        return capital and (
            person_follows(finder, words, i, text)
            or bool(AGE_AFTER.match(text, words[i].end()))
            or prev in _SEEING
        )
    if weakly_safe:
        return False  # "child said Nan hits her": a relation
    sentence_start = starts_sentence(words, i, text)
    if token.isupper() and len(bare) <= 5:
        return False  # an acronym, not a shouted name
    if (
        capital
        and "-" in bare
        and all(p in finder.names or p in WORD_NAMES for p in bare.split("-"))
    ):
        return True  # "Harmony-Rose", "Summer-Lily"
    if not known_name and bare not in all_surnames() and verb_or_adverb(bare):
        return False  # "Summarising", "Attending", "Denies": a word, not a name
    if capital and not sentence_start:
        if known_name or frequency < 3.0:
            return True
        if bare in WORD_NAMES:  # "carer says Precious won't eat", "I saw Faith"
            return person_follows(finder, words, i, text) or prev in _SEEING

        return bare in surnames() and frequency < 3.6  # "spoke to Hussain"
    if capital and sentence_start:
        if bare in WORD_NAMES:
            # "Ruby Smith", "Sunny said", not "Grace period" or "Will you"
            return person_follows(finder, words, i, text)
        if known_name:
            return frequency < 4.8
        return frequency < 3.0 or (frequency < 4.0 and surname_follows(finder, words, i, text))
    # Lower case: a name people are given ("spoke to maisie"), or a rare one ("oliwia");
    # not a word some locale's list holds ("meds", "mat").
    if bare in WORD_NAMES or frequency >= 4.4:
        return False
    return bare in finder.popular or (known_name and (frequency < 3.0 or "-" in bare))


def _named_after_relation(finder: NameFinder, words: Words, i: int, text: str) -> bool:
    """A capitalised word right after a relation, or set off after one by a comma or a
    bracket, is the person's name, whatever else the word means ("her brother Ace",
    "the child, Rain, says", "Mum's baby (Blue)"); not a people or a month."""
    bare = strip_possessive(words[i].group(0)).lower()
    if bare in lists().communities or bare in MONTHS_AND_DAYS or bare in finder.relations:
        return False
    if bare in finder.strong_cues or bare in finder.titles or bare in THING_LINKS:
        return False
    gap = text[words[i - 1].end() : words[i].start()]
    bracketed = "(" in gap and text[words[i].end() : words[i].end() + 1] == ")"
    common = bare in very_common_english() and bare not in WORD_NAMES
    if common and not bracketed and not is_known_name(finder, bare):
        return False  # "with mum, I'm sat in my car", not "baby (Blue)"
    return bool(re.fullmatch(r" |,\s*|\s*\(\s*", gap))


def _lower_name_in_place(
    finder: NameFinder, words: Words, i: int, text: str, bare: str, possessive: bool
) -> bool:
    """A first name in lower case that is an everyday word too ("jack", "ryan"), where a
    person stands: before a relation it owns ("jack's mum"), after a verb of meeting
    ("spoke to ryan"), or before "and his mate"."""
    if bare not in finder.popular or bare in finder.very_common:
        return False
    if possessive:
        return True  # "jade's nan", "ryan's mum": only a person owns a relation
    after = _AND_THEIR.match(text, words[i].end())
    if after and after.group("relation").lower().rstrip("s") in finder.relations:
        return True  # "jade and her friend", "ryan and his mate"
    before = text[max(0, words[i].start() - 16) : words[i].start()].lower()
    return bare not in WORD_NAMES and bool(_MET.search(before))  # "spoke to ryan"


def _person_owned(finder: NameFinder, words: Words, i: int, nxt: str) -> bool:
    """Whether what follows a possessive is a person: "Tyler's mum", "Harmony's foster
    carer", "Ali's social worker"."""
    if nxt in finder.relations:
        return True
    if nxt in finder.roles:
        return True
    if nxt in _ROLE_PREFIXES and i + 2 < len(words):
        after = strip_possessive(words[i + 2].group(0)).lower()
        return after in finder.relations or after in finder.roles
    return False


def is_known_name(finder: NameFinder, bare: str) -> bool:
    if bare in finder.names or (bare in finder.popular and zipf(bare) < 3.5):
        return True
    parts = bare.split("-")
    # "lily-mae", "keira-leigh": a hyphenated first name made of first names.
    return len(parts) > 1 and any(p in finder.names and p not in WORD_NAMES for p in parts)
