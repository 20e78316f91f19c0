"""Names of people in free text: first names, surnames, initials and nicknames.

Names use cue words ("called", "Mr", "pupil"), possessives before relations ("Tyler's mum"),
capitalised words the pack does not know, and a first-name list (Faker's per-locale lists)
weighed against how common the word is in English (wordfreq), so "Grace" after "called" goes
but "grace period" stays. Initials (bot/redact_initials.py) go when they stand where a person
does; surnames (bot/redact_surnames.py) after a first name or as a family's; nicknames after
the words that introduce one (bot/redact_nicknames.py). Names of things stay
(bot/redact_things.py): protocols, projects, laws and places.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .redact_initials import AGE_AFTER, dotted_initials, is_initials
from .redact_nicknames import Nicknames, quoted_around
from .redact_surnames import continues_name, family, person_follows, surname_follows
from .redact_things import Things
from .redact_tokens import (
    COMMON_ZIPF,
    IRISH_SURNAME,
    MONTHS_AND_DAYS,
    NEVER_SURNAMES,
    PLACEHOLDER,
    THING_LINKS,
    WORD,
    Span,
    Words,
    end_without_possessive,
    inside_any,
    inside_placeholder,
    is_possessive,
    merge,
    next_to,
    starts_sentence,
    strip_possessive,
    verb_or_adverb,
)
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
        pack_acronyms = {w.lower() for w in safe_words if w.isupper()}
        self.acronyms = words.acronyms | pack_acronyms
        self.person_acronyms = words.person_acronyms | pack_acronyms
        self.roles = words.roles - {"head", "lead", "chair", "officer", "manager", "worker"}
        self.before_initials = self._before_person | words.roles | {"re"}
        # "the twins (Bean and Sprout)", "her sons Jack and Harry": a relation in the plural.
        self.relations_plural = frozenset(r + "s" for r in self.relations) - self.relations
        self.phrases = PhraseSet([*safe_phrases, *words.safe_phrases])
        self.things = Things(self.phrases, words.thing_words, self._before_person)
        self.nicknames = Nicknames(words.nickname_cues)

    def thing_follows(self, text: str, at: int) -> bool:
        """Whether a thing word comes right after `at` ("Hope project", "Clare's Law")."""
        return self.things.follows(text, at)

    # ---- the whole text ------------------------------------------------------------------
    def spans(self, text: str) -> list[Span]:
        letters = [c for c in PLACEHOLDER.sub("", text) if c.isalpha()]
        shouting = len(letters) >= 12 and sum(c.isupper() for c in letters) / len(letters) > 0.6
        # A message typed in capitals says nothing by its capitals: read it in lower case
        # (same length, so the spans still fit the original).
        read = text.lower() if shouting else text
        protected = self.things.spans(read)
        spans = self._word_spans(read, protected)
        if not shouting:
            spans += dotted_initials(read, protected)
            spans += self.nicknames.spans(read, protected, self.relations, self.acronyms)
        spans += self._repeats(read, spans, protected)
        spans += quoted_around(read, spans)
        return merge(spans)

    def _repeats(self, text: str, spans: list[Span], protected: list[Span]) -> list[Span]:
        """A name or initials found once are a name wherever else they stand in the message
        ("baby M ... M is 9 weeks", "pupil AB ... AB is being controlled"); never an everyday
        word found as a name ("pupil Will ... Will it")."""
        exact, any_case = set(), set()
        for start, end in spans:
            for m in WORD.finditer(text, start, end):
                word = strip_possessive(m.group(0))
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
        merged = merge(spans + protected)
        out = []
        for m in pattern.finditer(text):
            if not inside_any(m.start(), merged) and not inside_placeholder(m, text):
                out.append(m.span())
        return out

    def _word_spans(self, text: str, protected: list[Span]) -> list[Span]:
        words = [
            m for m in WORD.finditer(text) if not inside_placeholder(m, text)
        ]  # "[NAME]" is never a cue word
        # Words of a protected phrase are never names, but may be cues ("bruise on baby K").
        merged = merge(protected)
        fixed = {i for i, m in enumerate(words) if inside_any(m.start(), merged)}
        spans: list[Span] = []
        i = 0
        while i < len(words):
            if i in fixed:
                i += 1
            elif self._is_name(words, i, text) or is_initials(self, words, i, text):
                start, end = words[i].start(), end_without_possessive(words[i])
                j = i + 1
                while (
                    j < len(words)
                    and j not in fixed
                    and continues_name(self, words, j, text, words[j - 1])
                ):
                    end = end_without_possessive(words[j])
                    j += 1
                spans.append((start, end))
                i = j
            else:
                i += 1
        return spans

    # ---- one word --------------------------------------------------------------------------
    def _is_name(self, words: Words, i: int, text: str) -> bool:
        token = words[i].group(0)
        # "O’Brien" is "o'brien" in the lists
        bare = strip_possessive(token).lower().replace("’", "'")
        if inside_placeholder(words[i], text) or len(bare) < 2 or bare in self.strong_cues:
            return False
        if token[:2].isalpha() and token[:2].isupper():
            return False  # "SATs", "GCSEs", "KM": acronyms (initials are tried apart)
        if (
            any(c.isdigit() for c in token)
            or text[words[i].start() - 1 : words[i].start()].isdigit()
        ):
            return False  # "Y10s", "HoY8", "HbA1c", "18mo": year groups, codes and units
        prev = strip_possessive(words[i - 1].group(0)).lower() if i else ""
        capital = token[:1].isupper()
        if not capital and bare in self._very_common and prev not in self._cue_words:
            return False  # "the", "said", "because": most words, answered at once
        adjacent = i and next_to(words[i - 1], words[i], text)
        nxt = strip_possessive(words[i + 1].group(0)).lower() if i + 1 < len(words) else ""
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
        relation = prev in self.relations or prev in self.relations_plural
        if adjacent and relation and capital and (known_name or bare in WORD_NAMES):
            return True  # "pupil Will", "baby Noah"
        # "her brother Ace", "the child, Rain,", "baby (Blue)", "the twins (Bean and …"
        in_brackets = "(" in text[words[i - 1].end() : words[i].start()] if i else False
        plural = prev in self.relations_plural and in_brackets
        if capital and (prev in self.relations or plural):
            if self._named_after_relation(words, i, text):
                return True
        if capital and adjacent and words[i - 1].group(0) in _PET_WORDS and frequency < 4.0:
            return self._named_after_relation(words, i, text)  # "little Peanut", "lil Bubbles"
        if bare in self.safe:
            return False
        weakly_safe = bare in self.weak_safe
        possessive = is_possessive(token) and self._person_owned(words, i, nxt)
        if possessive and (capital or known_name) and not (common and not capital):
            return True
        if not capital and self._lower_name_in_place(words, i, text, bare, possessive):
            return True  # "jack's mum", "spoke to ryan and his mate"
        if (
            adjacent
            and prev in self.relations
            and (capital or (known_name and frequency < 4.6 and bare not in WORD_NAMES))
        ):
            return not weakly_safe or capital
        if capital and adjacent and prev == "the" and family(self, bare, nxt):
            return True  # "the Hussain family", "the Kowalskis"
        if capital and nxt in lists().family_words and bare not in lists().communities:
            if bare in all_surnames() or frequency < 3.0 or IRISH_SURNAME.match(bare):
                return True  # "O'Brien family moved", "Smith kids"
        if weakly_safe and bare in MONTHS_AND_DAYS:
            return capital and surname_follows(self, words, i, text)  # "April Jones"
        if weakly_safe and bare not in self.relations:
            # "April Jones", "Georgia (13) said": a first name that is a word or a place too,
            # with a surname, an age or something a person does after it.
            return capital and (
                person_follows(self, words, i, text)
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
            and all(p in self.names or p in WORD_NAMES for p in bare.split("-"))
        ):
            return True  # "Harmony-Rose", "Summer-Lily"
        if not known_name and bare not in all_surnames() and verb_or_adverb(bare):
            return False  # "Summarising", "Attending", "Denies": a word, not a name
        if capital and not sentence_start:
            if known_name or frequency < 3.0:
                return True
            if bare in WORD_NAMES:  # "carer says Precious won't eat", "I saw Faith"
                return person_follows(self, words, i, text) or prev in _SEEING

            return bare in surnames() and frequency < 3.6  # "spoke to Hussain"
        if capital and sentence_start:
            if bare in WORD_NAMES:
                # "Ruby Smith", "Sunny said", not "Grace period" or "Will you"
                return person_follows(self, words, i, text)
            if known_name:
                return frequency < 4.8
            return frequency < 3.0 or (frequency < 4.0 and surname_follows(self, words, i, text))
        # Lower case: a name people are given ("spoke to maisie"), or a rare one ("oliwia");
        # not a word some locale's list holds ("meds", "mat").
        if bare in WORD_NAMES or frequency >= 4.4:
            return False
        return bare in self.popular or (known_name and (frequency < 3.0 or "-" in bare))

    def _named_after_relation(self, words: Words, i: int, text: str) -> bool:
        """A capitalised word right after a relation, or set off after one by a comma or a
        bracket, is the person's name, whatever else the word means ("her brother Ace",
        "the child, Rain, says", "Mum's baby (Blue)"); not a people or a month."""
        bare = strip_possessive(words[i].group(0)).lower()
        if bare in lists().communities or bare in MONTHS_AND_DAYS or bare in self.relations:
            return False
        if bare in self.strong_cues or bare in self.titles or bare in THING_LINKS:
            return False
        gap = text[words[i - 1].end() : words[i].start()]
        bracketed = "(" in gap and text[words[i].end() : words[i].end() + 1] == ")"
        common = bare in very_common_english() and bare not in WORD_NAMES
        if common and not bracketed and not self._known_name(bare):
            return False  # "with mum, I'm sat in my car", not "baby (Blue)"
        return bool(re.fullmatch(r" |,\s*|\s*\(\s*", gap))

    def _lower_name_in_place(
        self, words: Words, i: int, text: str, bare: str, possessive: bool
    ) -> bool:
        """A first name in lower case that is an everyday word too ("jack", "ryan"), where a
        person stands: before a relation it owns ("jack's mum"), after a verb of meeting
        ("spoke to ryan"), or before "and his mate"."""
        if bare not in self.popular or bare in WORD_NAMES or bare in self._very_common:
            return False
        if possessive:
            return True
        before = text[max(0, words[i].start() - 16) : words[i].start()].lower()
        if _MET.search(before):
            return True
        after = _AND_THEIR.match(text, words[i].end())
        return bool(after) and after.group("relation").lower().rstrip("s") in self.relations

    def _person_owned(self, words: Words, i: int, nxt: str) -> bool:
        """Whether what follows a possessive is a person: "Tyler's mum", "Harmony's foster
        carer", "Ali's social worker"."""
        if nxt in self.relations:
            return True
        if nxt in self.roles:
            return True
        if nxt in _ROLE_PREFIXES and i + 2 < len(words):
            after = strip_possessive(words[i + 2].group(0)).lower()
            return after in self.relations or after in self.roles
        return False

    def _known_name(self, bare: str) -> bool:
        if bare in self.names or (bare in self.popular and zipf(bare) < 3.5):
            return True
        parts = bare.split("-")
        # "lily-mae", "keira-leigh": a hyphenated first name made of first names.
        return len(parts) > 1 and any(p in self.names and p not in WORD_NAMES for p in parts)
