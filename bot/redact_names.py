"""Names of people in free text: first names, surnames, initials and nicknames.

Names use cue words ("called", "Mr", "pupil"), possessives before relations ("Tyler's mum"),
capitalised words the pack does not know, and a first-name list (Faker's per-locale lists)
weighed against how common the word is in English (wordfreq), so "Grace" after "called" goes
but "grace period" stays. Initials (bot/redact_initials.py) go when they stand where a person
does; surnames (bot/redact_surnames.py) after a first name or as a family's; nicknames after
the words that introduce one (bot/redact_nicknames.py). Whether one word is a name is
bot/redact_name_word.py's question; this module finds the spans. Names of things stay
(bot/redact_things.py): protocols, projects, laws and places.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .redact_initials import dotted_initials, is_initials
from .redact_name_word import is_name
from .redact_nicknames import Nicknames, quoted_around
from .redact_surnames import continues_name
from .redact_things import Things
from .redact_tokens import (
    MONTHS_AND_DAYS,
    NEVER_SURNAMES,
    PLACEHOLDER,
    WORD,
    Span,
    end_without_possessive,
    inside_any,
    inside_placeholder,
    merge,
    strip_possessive,
)
from .redact_words import (
    WORD_NAMES,
    PhraseSet,
    first_names,
    lists,
    popular_first_names,
    very_common_english,
    zipf,
)


class NameFinder:
    """Spans of people's names in a text; built once per pack (see Redactor.for_pack)."""

    def __init__(self, safe_words: Iterable[str] = (), safe_phrases: Iterable[str] = ()):
        words = lists()
        self.relations = words.relations
        self.strong_cues = words.strong_cues
        self.titles = words.titles
        # Unions asked about on every word, made once.
        self.cues_titles = self.strong_cues | self.titles
        self.greetings = words.greetings
        self.ranks = words.ranks
        self.very_common = very_common_english()
        self.cue_words = (
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
        # "little T", "lil J": a word of endearment stands before a child's initial too
        self.before_initials = self._before_person | words.roles | {"re", "little", "lil", "wee"}
        # "the twins (Bean and Sprout)", "her sons Jack and Harry": a relation in the plural.
        self.relations_plural = frozenset(r + "s" for r in self.relations) - self.relations
        self.phrases = PhraseSet([*safe_phrases, *words.safe_phrases])
        self.things = Things(
            self.phrases, words.thing_words, self._before_person, words.numbered_places
        )
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
            elif is_name(self, words, i, text) or is_initials(self, words, i, text):
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
