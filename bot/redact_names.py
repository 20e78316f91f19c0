"""Names of people in free text: first names, surnames, initials and nicknames.

Names use cue words ("called", "Mr", "pupil"), possessives before relations ("Tyler's mum"),
capitalised words the pack does not know, and a first-name list (Faker's per-locale lists)
weighed against how common the word is in English (wordfreq), so "Grace" after "called" goes
but "grace period" stays. Initials go when they stand where a person does ("KM disclosed",
"baby K", "Kai J", "J.B."); nicknames after the words that introduce one ("known as Peanut").
Names of things stay: protocols, projects, laws and places ("Philomena Protocol", "Hope
project", "Jade's Law", "Pool Meadow").
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from functools import lru_cache

from .redact_words import (
    WORD_NAMES,
    PhraseSet,
    all_surnames,
    first_names,
    lists,
    popular_first_names,
    surnames,
    very_common_english,
    zipf,
)

Span = tuple[int, int]
COMMON_ZIPF = 4.0  # words at least this common in English are not taken for names alone
_WORD = re.compile(r"[^\W\d_](?:[\w'’\-]*[^\W\d_])?(?:['’]s?)?")
_DOTTED = re.compile(r"(?<![\w.])(?:[A-Z]\.\s?){1,3}[A-Z]\.?(?![\w])|(?<![\w.])[A-Z]\.(?=['’]s\b)")
_PLACEHOLDER = re.compile(r"\[[A-Z_]+\]")
_AGED = re.compile(
    r"\s+(?:is|was|aged)\s+\d{1,2}\b(?!\s*(?:%|percent|hours?|hrs|mins?|minutes|days|weeks|"
    r"wks|miles|pm|am|o'clock|[:.]\d))|\s*\(\s*\d{1,2}\s*\)",
    re.I,
)
_APPOSITION = re.compile(r",\s+(?:a|an|who|aged|age)\s", re.I)  # "S, a year 9 girl"
_AGE_AFTER = re.compile(r"\s*\(\s*(?:\d|yr|y\d|year|age|aged|twins?|\w+,\s*\d)", re.I)
# Verbs that put an all-capitals word in a person's place ("KM disclosed", "SJ says").
PERSON_VERBS = frozenset(
    """
says said disclosed discloses told tells came comes went goes keeps kept wants wanted lives
lived hits hit seems seemed cried cries ran refused refuses admitted admits alleged alleges
stayed stays slept sleeps wet wets hid hides
""".split()
)
NEVER_SURNAMES = frozenset(
    """
year yr level reception nursery school primary academy college police team plan hub mash dsl
and or but the a an at in on to for of with from by is was has had are were be been
""".split()
)
# Words after a name that say it is a person doing or being something ("Precious won't eat",
# "Ruby was born", "Sunny said"): with these an everyday word that is a name is one.
AFTER_PERSON = PERSON_VERBS | frozenset(
    """
is was has had does did doesn't didn't won't wont can't cant isn't wasn't hasn't hadn't
will would could should needs needed gets got keeps refuses refused told tells asked asks
""".split()
)
MONTHS_AND_DAYS = frozenset(
    """
monday tuesday wednesday thursday friday saturday sunday january february march april may june
july august september october november december
""".split()
)
_THING_LINKS = {"and", "of", "the", "for", "&", "on", "in"}


class NameFinder:
    """Spans of people's names in a text; built once per pack (see Redactor.for_pack)."""

    def __init__(self, safe_words: Iterable[str] = (), safe_phrases: Iterable[str] = ()):
        words = lists()
        self.relations = words.relations
        self.strong_cues = words.strong_cues
        self.titles = words.titles
        # Unions asked about on every word, made once.
        self._cues_titles = self.strong_cues | self.titles
        self.greetings = words.greetings
        self.ranks = words.ranks
        self._very_common = very_common_english()
        self._cue_words = (
            self.strong_cues | self.titles | self.relations | self.ranks | self.greetings
        )
        self._before_person = self.relations | self.titles | self.strong_cues
        self.names = first_names()
        self.popular = popular_first_names()
        self.not_surnames = words.not_surnames | NEVER_SURNAMES
        vocabulary = (
            {w.lower() for w in safe_words} | words.safe_words | words.relations | words.communities
        )
        # A first name the pack mentions (Clare's Law, Fraser) stays safe unless a cue says
        # it is a person; other vocabulary is always safe.
        # Everyday words that are names too ("Will", "Hope") are weakly safe the same way.
        named = self.names | (WORD_NAMES - MONTHS_AND_DAYS)
        self.safe = vocabulary - named
        self.weak_safe = vocabulary & named
        self.acronyms = words.acronyms | {w.lower() for w in safe_words if w.isupper()}
        self.phrases = PhraseSet([*safe_phrases, *words.safe_phrases])
        cues = sorted(words.nickname_cues, key=len, reverse=True)
        self._nickname = re.compile(
            r"\b(?:" + "|".join(re.escape(c).replace(r"\ ", r"\s+") for c in cues) + r")"
            r"\s+(?:the\s+(?:baby|child|kid|boy|girl)\s+)?['\"‘“]?(?P<name>(?-i:[A-Z])[\w'’-]*)",
            re.I,
        )
        self._thing = re.compile(
            r"\b(?:" + "|".join(sorted(words.thing_words, key=len, reverse=True)) + r")\b", re.I
        )

    def thing_follows(self, text: str, at: int) -> bool:
        """Whether a thing word comes right after `at` ("Hope project", "Clare's Law")."""
        return bool(self._thing.match(text, at + 1)) if text[at : at + 1] == " " else False

    # ---- the whole text ------------------------------------------------------------------
    def spans(self, text: str) -> list[Span]:
        letters = [c for c in _PLACEHOLDER.sub("", text) if c.isalpha()]
        shouting = len(letters) >= 12 and sum(c.isupper() for c in letters) / len(letters) > 0.6
        # A message typed in capitals says nothing by its capitals: read it in lower case
        # (same length, so the spans still fit the original).
        read = text.lower() if shouting else text
        protected = self._protected(read)
        spans = self._word_spans(read, protected)
        if not shouting:
            spans += self._dotted(read, protected)
            spans += self._nicknames(read, protected)
        spans += self._repeats(read, spans, protected)
        spans += _quoted_around(read, spans)
        return _merge(spans)

    def _repeats(self, text: str, spans: list[Span], protected: list[Span]) -> list[Span]:
        """A name or initials found once are a name wherever else they stand in the message
        ("baby M ... M is 9 weeks", "pupil AB ... AB is being controlled"); never an everyday
        word found as a name ("pupil Will ... Will it")."""
        exact, any_case = set(), set()
        for start, end in spans:
            for m in _WORD.finditer(text, start, end):
                word = _bare(m.group(0))
                lower = word.lower()
                if word.isupper() and len(word) <= 3:
                    if word not in lists().single_letters_not_initials:
                        exact.add(word)
                elif len(word) >= 3 and lower not in WORD_NAMES and lower not in self.safe:
                    if zipf(lower) < 3.5 or (lower in self.popular and zipf(lower) < 4.0):
                        any_case.add(lower)
        if not exact and not any_case:
            return []
        alternatives = [re.escape(w) for w in exact]
        alternatives += [f"(?i:{re.escape(w)})" for w in any_case]
        pattern = re.compile(r"(?<![\w\[.&/-])(?:" + "|".join(alternatives) + r")(?![\w\]&/.-])")
        merged = _merge(spans + protected)
        out = []
        for m in pattern.finditer(text):
            if not _inside_any(m.start(), merged) and not _inside_placeholder(m, text):
                out.append(m.span())
        return out

    def _protected(self, text: str) -> list[Span]:
        """Spans that are names of things, never of people."""
        out = self.phrases.spans(text)
        for m in self._thing.finditer(text):
            start = self._thing_start(text, m)
            if start is not None:
                out.append((start, m.end()))
        return out

    def _thing_start(self, text: str, thing: re.Match[str]) -> int | None:
        """ "Philomena Protocol", "Hope project", "Victims and Prisoners Act", "Jade's Law":
        where the capitalised name before a thing word starts (None if there is none)."""
        words = list(_WORD.finditer(text[max(0, thing.start() - 80) : thing.start()]))
        offset = max(0, thing.start() - 80)
        start, position, capitals = None, thing.start(), 0
        for m in reversed(words):
            token = m.group(0)
            if not re.fullmatch(r"\s{1,2}|\s*,\s*", text[offset + m.end() : position]):
                break
            if token[:1].isupper() and not _PLACEHOLDER.fullmatch(f"[{token}]"):
                if _possessive(token) and thing.group(0).lower() != "law":
                    break  # "Kai's team" is Kai's
                capitals += 1
                start = position = offset + m.start()
            elif token.lower() in _THING_LINKS and capitals:
                position = offset + m.start()
            else:
                break
        if start is None:
            return None
        before = text[max(0, start - 20) : start].split()
        if before and _bare(before[-1]).lower() in self._before_person:
            return None  # "baby Noah hospital": a person
        return start

    def _word_spans(self, text: str, protected: list[Span]) -> list[Span]:
        words = [
            m for m in _WORD.finditer(text) if not _inside_placeholder(m, text)
        ]  # "[NAME]" is never a cue word
        # Words of a protected phrase are never names, but may be cues ("bruise on baby K").
        merged = _merge(protected)
        fixed = {i for i, m in enumerate(words) if _inside_any(m.start(), merged)}
        spans: list[Span] = []
        i = 0
        while i < len(words):
            if i in fixed:
                i += 1
            elif self._is_name(words, i, text) or self._is_initials(words, i, text):
                start, end = words[i].start(), _end_without_possessive(words[i])
                j = i + 1
                while (
                    j < len(words)
                    and j not in fixed
                    and self._continues_name(words, j, text, words[j - 1])
                ):
                    end = _end_without_possessive(words[j])
                    j += 1
                spans.append((start, end))
                i = j
            else:
                i += 1
        return spans

    # ---- one word --------------------------------------------------------------------------
    def _is_name(self, words: list[re.Match[str]], i: int, text: str) -> bool:
        token = words[i].group(0)
        bare = _bare(token).lower().replace("’", "'")  # "O’Brien" is "o'brien" in the lists
        if _inside_placeholder(words[i], text) or len(bare) < 2 or bare in self.strong_cues:
            return False
        if token[:2].isalpha() and token[:2].isupper():
            return False  # "SATs", "GCSEs", "KM": acronyms (initials are tried apart)
        if (
            any(c.isdigit() for c in token)
            or text[words[i].start() - 1 : words[i].start()].isdigit()
        ):
            return False  # "Y10s", "HoY8", "HbA1c", "18mo": year groups, codes and units
        prev = _bare(words[i - 1].group(0)).lower() if i else ""
        capital = token[:1].isupper()
        if not capital and bare in self._very_common and prev not in self._cue_words:
            return False  # "the", "said", "because": most words, answered at once
        adjacent = i and _gap(words[i - 1], words[i], text)
        nxt = _bare(words[i + 1].group(0)).lower() if i + 1 < len(words) else ""
        known_name = self._known_name(bare)
        frequency = zipf(bare)
        common = frequency >= COMMON_ZIPF or bare in WORD_NAMES
        if adjacent and prev in self._cues_titles:
            return capital or known_name or (not common and bare not in self.safe)
        if adjacent and prev in self.ranks and capital and not token.isupper():
            return bare not in self.safe or known_name or bare in all_surnames()  # "DC Khan"
        if adjacent and prev in self.greetings and capital and (prev != "morning" or i == 1):
            # "Hi Sarah,", "Thanks Jo" (not "Hi all", "Thanks Team"): whom the message is to
            return bare not in self.safe and bare not in self.relations and frequency < 5.0
        if adjacent and prev in self.relations and capital and (known_name or bare in WORD_NAMES):
            return True  # "pupil Will", "baby Noah"
        if capital and i and prev in self.relations and self._named_after_relation(words, i, text):
            return True  # "her brother Ace", "the child, Rain,", "baby (Blue)"
        if bare in self.safe:
            return False
        weakly_safe = bare in self.weak_safe
        possessive = _possessive(token) and nxt in self.relations
        if possessive and (capital or known_name) and not (common and not capital):
            return True
        if (
            adjacent
            and prev in self.relations
            and (capital or (known_name and frequency < 4.6 and bare not in WORD_NAMES))
        ):
            return not weakly_safe or capital
        if capital and adjacent and prev == "the" and self._family(bare, nxt):
            return True  # "the Hussain family", "the Kowalskis"
        if capital and nxt in lists().family_words and bare not in lists().communities:
            if bare in all_surnames() or frequency < 3.0 or _IRISH_SURNAME.match(bare):
                return True  # "O'Brien family moved", "Smith kids"
        if weakly_safe and bare in MONTHS_AND_DAYS:
            return capital and self._surname_follows(words, i, text)  # "April Jones"
        if weakly_safe and bare not in self.relations:
            # "April Jones", "Georgia (13) said": a first name that is a word or a place too,
            # with a surname, an age or something a person does after it.
            return capital and (
                self._person_follows(words, i, text) or bool(_AGE_AFTER.match(text, words[i].end()))
            )
        if weakly_safe:
            return False  # "child said Nan hits her": a relation
        sentence_start = _sentence_start(words, i, text)
        if token.isupper() and len(bare) <= 5:
            return False  # an acronym, not a shouted name
        if (
            capital
            and "-" in bare
            and all(p in self.names or p in WORD_NAMES for p in bare.split("-"))
        ):
            return True  # "Harmony-Rose", "Summer-Lily"
        if not known_name and bare not in all_surnames() and _verb_or_adverb(bare):
            return False  # "Summarising", "Attending", "Denies": a word, not a name
        if capital and not sentence_start:
            if known_name or frequency < 3.0:
                return True
            if bare in WORD_NAMES:  # "carer says Precious won't eat"
                return self._person_follows(words, i, text)
            return bare in surnames() and frequency < 3.6  # "spoke to Hussain"
        if capital and sentence_start:
            if bare in WORD_NAMES:
                # "Ruby Smith", "Sunny said", not "Grace period" or "Will you"
                return self._person_follows(words, i, text)
            if known_name:
                return frequency < 4.8
            return frequency < 3.0 or (frequency < 4.0 and self._surname_follows(words, i, text))
        # Lower case: a name people are given ("spoke to maisie"), or a rare one ("oliwia");
        # not a word some locale's list holds ("meds", "mat").
        if bare in WORD_NAMES or frequency >= 4.4:
            return False
        return bare in self.popular or (known_name and (frequency < 3.0 or "-" in bare))

    def _is_initials(self, words: list[re.Match[str]], i: int, text: str) -> bool:
        """Initials standing where a person does: "baby K", "child R", "the D family",
        "KM disclosed", "TW's mum", "pupil LB (yr 10)", "SJ and RJ (twins, 8)"."""
        token = words[i].group(0)
        bare = _bare(token)
        if len(bare) == 2 and bare.isalpha() and bare.islower():
            return self._lower_initials(words, i, text)
        if not (1 <= len(bare) <= 3 and bare.isupper() and bare.isalpha()):
            return False
        if len(bare) == 1 and bare in lists().single_letters_not_initials:
            return False
        if len(bare) > 1 and bare.lower() in self.acronyms:
            # An acronym is never so many years old: "TB is 15", "FH (13)" are initials.
            return len(bare) == 2 and bool(_AGED.match(text, words[i].end()))
        end = words[i].end()
        after = text[end : end + 1]
        if after in ("&", "/") or after.isalnum():
            return False  # "A&E", "N/A", "Y5"
        if after == "." and (len(bare) == 1 or text[end + 1 : end + 2].isalnum()):
            return False  # dotted initials are found apart ("J.B."); "re: AJ." ends a sentence
        prev = _bare(words[i - 1].group(0)).lower() if i else ""
        adjacent = bool(i) and _gap(words[i - 1], words[i], text)
        nxt = words[i + 1].group(0).lower() if i + 1 < len(words) else ""
        next_adjacent = i + 1 < len(words) and _gap(words[i], words[i + 1], text)
        if adjacent and prev in self.relations | self.titles | self.strong_cues | {"re"}:
            return True
        if prev == "re" and re.fullmatch(r"\s*:\s*", text[words[i - 1].end() : words[i].start()]):
            return True  # "re: AJ"
        if prev == "the" and nxt in ("family", "family's", "children", "kids"):
            return True
        if _possessive(token) and len(bare) <= 3:
            return True
        if _AGE_AFTER.match(text, words[i].end()) or _APPOSITION.match(text, words[i].end()):
            return True  # "child X (5)", "worried about S, a year 9 girl"
        if len(bare) == 1:
            return False  # a lone capital needs one of the cues above
        if len(bare) == 2 and bare.lower() not in lists().two_letter_words:
            return True  # two capitals that are no acronym we know: "FH is 13", "on AO:"
        if len(bare) == 3:
            return False  # three capitals doing something are an acronym ("EWO said")
        if next_adjacent and nxt in PERSON_VERBS:
            return True
        if nxt == "and" and i + 2 < len(words):
            other = _bare(words[i + 2].group(0))
            pair = other.isupper() and 2 <= len(other) <= 3
            return pair and self._is_initials(words, i + 2, text)
        return False

    def _named_after_relation(self, words: list[re.Match[str]], i: int, text: str) -> bool:
        """A capitalised word right after a relation, or set off after one by a comma or a
        bracket, is the person's name, whatever else the word means ("her brother Ace",
        "the child, Rain, says", "Mum's baby (Blue)"); not a people or a month."""
        bare = _bare(words[i].group(0)).lower()
        if bare in lists().communities or bare in MONTHS_AND_DAYS or bare in self.relations:
            return False
        if bare in self.strong_cues or bare in self.titles or bare in _THING_LINKS:
            return False
        gap = text[words[i - 1].end() : words[i].start()]
        bracketed = "(" in gap and text[words[i].end() : words[i].end() + 1] == ")"
        common = bare in very_common_english() and bare not in WORD_NAMES
        if common and not bracketed and not self._known_name(bare):
            return False  # "with mum, I'm sat in my car", not "baby (Blue)"
        return bool(re.fullmatch(r" |,\s*|\s*\(\s*", gap))

    def _person_follows(self, words: list[re.Match[str]], i: int, text: str) -> bool:
        """A surname or a verb a person does after word i ("Ruby Smith", "Sunny said")."""
        if self._surname_follows(words, i, text):
            return True
        if i + 1 >= len(words) or not _gap(words[i], words[i + 1], text, strict=True):
            return False
        return words[i + 1].group(0).lower() in AFTER_PERSON

    def _family(self, bare: str, nxt: str) -> bool:
        """After "the": a family's surname ("the Hussain family", "the Singh children") or
        a surname made plural ("the Kowalskis", "the Browns'"); never a community ("the
        Roma family", "the Afghans")."""
        words = lists()
        if nxt in words.family_words:
            return bare not in words.communities
        for stem in (bare[:-2], bare[:-1]) if bare.endswith("es") else (bare[:-1],):
            if not bare.endswith("s") or len(stem) < 3 or stem in words.communities:
                continue
            if stem in self.safe and stem not in all_surnames():
                continue
            if (stem in all_surnames() or stem in self.names) and zipf(bare) < 4.0:
                return True
        return bare.endswith("s") and zipf(bare) < 2.0 and bare[:-1] not in self.safe

    def _lower_initials(self, words: list[re.Match[str]], i: int, text: str) -> bool:
        """Initials typed in lower case, only where a person does something: "jb said his
        dad...", "km's mum" (never "ok", "sw said", "gf is")."""
        bare = _bare(words[i].group(0))
        words_ = lists()
        if bare in self.acronyms or bare in words_.two_letter_words or bare in self.relations:
            return False
        if (
            zipf(bare) >= 4.5
            or bare in self.safe
            or text[words[i].start() - 1 : words[i].start()].isdigit()
        ):
            return False  # "18mo"
        if _possessive(words[i].group(0)):
            nxt = _bare(words[i + 1].group(0)).lower() if i + 1 < len(words) else ""
            return nxt in self.relations
        if i + 1 >= len(words) or not _gap(words[i], words[i + 1], text, strict=True):
            return False
        return words[i + 1].group(0).lower() in AFTER_PERSON

    def _known_name(self, bare: str) -> bool:
        if bare in self.names or (bare in self.popular and zipf(bare) < 3.5):
            return True
        parts = bare.split("-")
        # "lily-mae", "keira-leigh": a hyphenated first name made of first names.
        return len(parts) > 1 and any(p in self.names and p not in WORD_NAMES for p in parts)

    def _surname_follows(self, words: list[re.Match[str]], i: int, text: str) -> bool:
        if i + 1 >= len(words) or not _gap(words[i], words[i + 1], text, strict=True):
            return False
        token = words[i + 1].group(0)
        bare = _bare(token).lower()
        if len(bare) == 1 and _bare(token) in lists().single_letters_not_initials:
            return False  # "May I"
        return (
            token[:1].isupper()
            and (bare not in self.safe or bare in all_surnames())
            and bare not in self.not_surnames | MONTHS_AND_DAYS | self.relations
        )

    def _continues_name(
        self, words: list[re.Match[str]], j: int, text: str, prev: re.Match[str]
    ) -> bool:
        """A surname or initial after a first name: "jayden smith", "Amelia Smith-Jones",
        "Lee Bell", "Kai J"."""
        if _possessive(prev.group(0)) or not _gap(prev, words[j], text, strict=True):
            return False
        token = words[j].group(0)
        bare = _bare(token).lower()
        if bare in self.relations or bare in self.strong_cues or bare in self.not_surnames:
            return False
        if len(token) <= 2 and token[:1].isupper() and token.rstrip("'’s").isalpha():
            # "Kai J", "Ellie W's": a surname's initial ("I" and "A" are words).
            return _bare(token) not in lists().single_letters_not_initials
        if token[:1].isupper():
            if token.isupper() and len(bare) <= 5 or bare in MONTHS_AND_DAYS:
                return False
            return bare not in self.safe or bare in all_surnames()
        if bare in self.safe:
            return False
        if bare in surnames() or _IRISH_SURNAME.match(bare.replace("’", "'")):
            return True  # "jayden smith", "ethan o'brien"
        # "jayden okafor", "sofia rossi", not "Jerome locks him out"
        if bare.endswith(("ing", "ed")) or bare.endswith("s") and zipf(bare[:-1]) >= 3.0:
            return False
        return zipf(bare) < 3.5

    # ---- shapes beyond words -------------------------------------------------------------
    def _dotted(self, text: str, protected: list[Span]) -> list[Span]:
        """ "J.B.", "A.H.", "M.P." (not "e.g." or "U.K.")."""
        out = []
        for m in _DOTTED.finditer(text):
            if m.group(0).lower().replace(" ", "") in lists().dotted_not_initials:
                continue
            if not any(a <= m.start() < b for a, b in protected):
                out.append(m.span())
        return out

    def _nicknames(self, text: str, protected: list[Span]) -> list[Span]:
        """ "known as Peanut", "his mates call him Tiny", "they call Bubbles"."""
        out = []
        for m in self._nickname.finditer(text):
            name = m.group("name")
            lower = name.lower()
            if lower in self.relations or lower in self.acronyms or lower in ("i", "a"):
                continue
            if name.isupper() and len(name) > 3:
                continue
            if not any(a <= m.start("name") < b for a, b in protected):
                out.append(m.span("name"))
        return out


_QUOTED = re.compile(
    r"(?<![\w'’])['‘\"“](?P<q>[A-Z][\w'’-]*(?: [A-Z][\w'’-]*){0,2})['’\"”](?![\w])"
)


def _quoted_around(text: str, spans: list[Span]) -> list[Span]:
    """A quoted name is one name: "partner 'Big Mick'" (Mick found) loses "Big" too."""
    out = []
    for m in _QUOTED.finditer(text):
        start, end = m.span("q")
        if any(a < end and start < b for a, b in spans):
            out.append((start, end))
    return out


# ---- placeholders next to names ----------------------------------------------------------
_BEFORE = re.compile(r"(?<![\w'’])(?P<word>[A-Z][a-z][\w'’-]*) (?=\[NAME\])")
_AFTER = re.compile(r"(?<=\[NAME\]) (?P<word>[A-Z](?:[\w'’-]*[^\W\d_])?)(?![\w'’-])")


_BETWEEN = re.compile(r"\[NAME\] (?P<word>[A-Z][a-z][\w'’-]*) \[NAME\]")
_LOWER_AFTER = re.compile(r"(?<=\[NAME\]\)) (?P<word>[a-z][\w'’-]*[a-z])(?![\w'’-])")
_AND_BEFORE = re.compile(r"(?<![\w'’])(?P<word>[A-Z][a-z][\w'’-]*)(?= (?:and|&) \[NAME\])")
_AND_AFTER = re.compile(
    r"(?:(?<=\[NAME\] and )|(?<=\[NAME\] & ))(?P<word>[A-Z][a-z][\w'’-]*)(?![\w'’-])"
)


def join_names(text: str, finder: NameFinder) -> str:
    """A name split by a placeholder is one name: "Precious [NAME]", "[NAME] Bell" and
    "[NAME] May [NAME]" become "[NAME]"; "[NAME] ([NAME]) thompson" loses its surname; and a
    first name beside a name is one too ("Precious and [NAME]", "[NAME] and Hope said")
    (whether the placeholder is new or was there already)."""
    while True:
        changed = _AFTER.sub(lambda m: "" if _surname_like(m["word"], finder) else m[0], text)
        changed = _BEFORE.sub(
            lambda m: "" if _first_name_like(m["word"], finder) else m[0], changed
        )
        changed = _BETWEEN.sub(
            lambda m: "[NAME]" if _middle_name_like(m["word"], finder) else m[0], changed
        )
        changed = _LOWER_AFTER.sub(lambda m: "" if m["word"] in surnames() else m[0], changed)
        for pattern in (_AND_BEFORE, _AND_AFTER):
            changed = pattern.sub(
                lambda m: "[NAME]" if _coordinated_name(m, finder) else m[0], changed
            )
        if changed == text:
            return text
        text = changed


def _middle_name_like(word: str, finder: NameFinder) -> bool:
    lower = _bare(word).lower()
    return lower not in finder.relations | finder.strong_cues | finder.titles | _THING_LINKS | {
        "or",
        "but",
        "then",
    }


def _coordinated_name(m: re.Match[str], finder: NameFinder) -> bool:
    """ "Precious and [NAME]": a first name (or an everyday word that is one) beside a name,
    unless a thing follows ("[NAME] and Hope project")."""
    word = m["word"]
    if _bare(word) != word or not _first_name_like(word, finder):
        return False
    return not finder.thing_follows(m.string, m.end())


def _surname_like(word: str, finder: NameFinder) -> bool:
    lower = _bare(word).lower()
    if len(word) == 1:
        return word not in lists().single_letters_not_initials
    if word.isupper() or lower in finder.not_surnames | MONTHS_AND_DAYS:
        return False
    if lower in finder.relations | finder.strong_cues | finder.titles | finder.acronyms:
        return False
    return lower not in finder.safe or lower in all_surnames()


def _first_name_like(word: str, finder: NameFinder) -> bool:
    lower = word.lower()
    if lower in finder.relations | finder.strong_cues | finder.titles | MONTHS_AND_DAYS:
        return False
    return lower in finder.names or lower in WORD_NAMES or lower in finder.popular


# ---- helpers --------------------------------------------------------------------------------
def _merge(spans: list[Span]) -> list[Span]:
    out: list[Span] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _inside_any(position: int, merged: list[Span]) -> bool:
    """Whether `position` lies inside one of `merged` (sorted, not overlapping): a binary
    search (a scan of every span for every word was O(words x spans) per message)."""
    i = bisect_right(merged, (position, float("inf"))) - 1
    return i >= 0 and merged[i][0] <= position < merged[i][1]


_APOSTROPHE_S = re.compile(r"['’]s?$")


@lru_cache(maxsize=65536)
def _bare(token: str) -> str:
    return _APOSTROPHE_S.sub("", token)


@lru_cache(maxsize=65536)
def _possessive(token: str) -> bool:
    return bool(_APOSTROPHE_S.search(token)) or _s_possessive(token)


def _s_possessive(token: str) -> bool:
    """ "jaydens dad": a first name with an s, when the word is not a name itself ("Harris")."""
    lower = token.lower()
    return (
        lower.endswith("s")
        and len(lower) > 3
        and lower[:-1] in first_names()
        and lower not in first_names()
        and lower not in all_surnames()
    )


def _end_without_possessive(m: re.Match[str]) -> int:
    token = m.group(0)
    bare = _bare(token)
    if bare != token:
        return m.start() + len(bare)
    if _s_possessive(token):
        return m.end() - 1  # "jaydens dad": the name is "jayden"
    return m.end()


def _gap(a: re.Match[str], b: re.Match[str], text: str, strict: bool = False) -> bool:
    between = text[a.end() : b.start()]
    return between in (" ", "") if strict else bool(re.fullmatch(r"\s{1,3}", between))


_IRISH_SURNAME = re.compile(r"(?:o|d)'[a-z]{3,}$")  # "o'brien", "d'souza"
_VERB_ENDING = re.compile(r"(?:ing|ised|ized|ising|izing|ed|ly|ies|ness|ment|tion|sion)$")


def _verb_or_adverb(bare: str) -> bool:
    """An English word by its ending ("summarising", "attending", "denies", "slowly"), for
    words no name list knows."""
    return len(bare) > 5 and bool(_VERB_ENDING.search(bare))


def _sentence_start(words: list[re.Match[str]], i: int, text: str) -> bool:
    if i == 0:
        return not text[: words[0].start()].strip(" \"'(")
    between = text[words[i - 1].end() : words[i].start()]
    return bool(re.search(r"[.!?:;\n]|\s-\s", between))


def _inside_placeholder(m: re.Match[str], text: str) -> bool:
    return m.start() > 0 and text[m.start() - 1] == "[" and text[m.end() : m.end() + 1] == "]"
