"""What the learned redaction pass (bot/redact_model.py) knows about a word the rules left:
its shape, how common it is in English (wordfreq), the name and word lists it is on, its
ending, where it stands in its sentence and line, and the words, punctuation and
placeholders around it. The same code makes the features for training
(tests/privacy/train.py) and at run time, so the two cannot drift apart."""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

from .redact_tokens import MONTHS_AND_DAYS, inside_any, merge, strip_possessive, verb_or_adverb
from .redact_words import (
    WORD_NAMES,
    all_surnames,
    first_names,
    lists,
    popular_first_names,
    surnames,
    very_common_english,
    zipf,
)

if TYPE_CHECKING:
    from .redact_names import NameFinder

# Bump when the features change: weights learnt on other features are stale.
FEATURE_VERSION = 1
# A placeholder, or a word (letters, digits, inner hyphens and apostrophes, a possessive).
TOKEN = re.compile(r"\[[A-Z_]+\]|[^\W_](?:[\w'’\-]*[^\W_])?(?:['’]s?)?")
_PLACEHOLDER = re.compile(r"\[[A-Z_]+\]")
_SENTENCE_END = re.compile(r"[.!?;\n]|\s[-–]\s")
_CACHE_SIZE = 50_000


def _shape(token: str) -> str:
    """ "Xx", "X", "XX", "x", "dX", "X'Xx": each kind of character once per run."""
    out = []
    for c in token:
        kind = "X" if c.isupper() else "x" if c.islower() else "d" if c.isdigit() else c
        if not out or out[-1] != kind or (kind == "X" and len(out) < 2):
            out.append(kind)
    return "".join(out[:6])


class Featurizer:
    """Features of the words of a text (one list of strings per word); built once per
    redactor, with the pack's own vocabulary as the name finder knows it."""

    def __init__(self, finder: NameFinder):
        words = lists()
        self.finder = finder
        # Words the context features name by themselves: the cue lists' and common English.
        self._cue_words = (
            finder.relations
            | finder.relations_plural
            | finder.titles
            | finder.strong_cues
            | finder.greetings
            | finder.ranks
            | words.school_words
            | words.family_words
            | words.thing_words
            | MONTHS_AND_DAYS
            | {e.lower() for e in words.street_endings}
            | {w for cue in words.nickname_cues for w in cue.split()}
        )
        self._lists = {
            "fn": first_names(),
            "pop": popular_first_names(),
            "sn": all_surnames(),
            "sn_rare": surnames(),
            "wn": WORD_NAMES,
            "safe": finder.safe,
            "weak_safe": finder.weak_safe,
            "rel": finder.relations | finder.relations_plural,
            "title": finder.titles | finder.ranks,
            "cue": finder.strong_cues | finder.greetings,
            "acr": finder.acronyms,
            "comm": words.communities,
            "school": words.school_words | words.generic_school_words,
            "street": {e.lower() for e in words.street_endings},
            "thing": words.thing_words,
            "month": MONTHS_AND_DAYS,
        }
        self._very_common = very_common_english()
        self._word_cache: dict[str, tuple[str, ...]] = {}
        self._context_cache: dict[str, str] = {}

    # ---- which words are asked about ------------------------------------------------------
    def rows(self, text: str) -> tuple[list[re.Match[str]], list[tuple[int, list[str]]]]:
        """The words of `text`, and (index, features) for each word worth asking about: not
        a placeholder, not inside a named thing or a known phrase ("Pool Meadow", "Hope
        project": bot/redact_things.py), not one of the 800 commonest English words in lower
        case ("the", "said", "because": never a name, school or street alone)."""
        tokens = list(TOKEN.finditer(text))
        protected = merge(self.finder.things.spans(text))
        message = self.message_kind(text)
        seen = Counter(strip_possessive(m.group(0)).lower() for m in tokens)
        rows = []
        for i, m in enumerate(tokens):
            token = m.group(0)
            if token.startswith("[") or inside_any(m.start(), protected):
                continue
            if token.islower() and strip_possessive(token) in self._very_common:
                continue
            features = self.features(text, tokens, i, message)
            if seen[strip_possessive(token).lower()] > 1:
                features.append("repeated")
            rows.append((i, features))
        return tokens, rows

    # ---- one word ---------------------------------------------------------------------------
    def features(self, text: str, tokens: list[re.Match[str]], i: int, message: str) -> list[str]:
        """The features of tokens[i]: the word's own, then its place and its neighbours'.
        `message` is the text's own kind ("shout" in capitals, "lower" without any)."""
        token = tokens[i].group(0)
        out = list(self._word(token))
        start = self._starts_sentence(text, tokens, i)
        before = text[tokens[i - 1].end() : tokens[i].start()] if i else text[: tokens[i].start()]
        after_end = tokens[i + 1].start() if i + 1 < len(tokens) else len(text)
        after = text[tokens[i].end() : after_end]
        prev = self._context(tokens[i - 1].group(0)) if i else "<s>"
        prev2 = self._context(tokens[i - 2].group(0)) if i > 1 else "<s>"
        nxt = self._context(tokens[i + 1].group(0)) if i + 1 < len(tokens) else "</s>"
        nxt2 = self._context(tokens[i + 2].group(0)) if i + 2 < len(tokens) else "</s>"
        shape = out[0]
        out += [
            f"start={start}",
            f"start={start}&{shape}",
            f"p={prev}",
            f"n={nxt}",
            f"p2={prev2}",
            f"n2={nxt2}",
            f"p={prev}&{shape}",
            f"n={nxt}&{shape}",
            f"p={prev}&n={nxt}",
            f"gb={_gap(before)}",
            f"ga={_gap(after)}",
            f"gb={_gap(before)}&ga={_gap(after)}&{shape}",
            f"p={prev}&gb={_gap(before)}",
            f"n={nxt}&ga={_gap(after)}",
            f"msg={message}",
            f"msg={message}&{shape}",
        ]
        if "\n" in before or not i:
            out.append("line_start")
        return out

    def message_kind(self, text: str) -> str:
        letters = [c for c in _PLACEHOLDER.sub(" ", text) if c.isalpha()]
        if not letters:
            return "none"
        upper = sum(c.isupper() for c in letters) / len(letters)
        return "shout" if upper > 0.6 and len(letters) >= 12 else "lower" if not upper else "mixed"

    def _word(self, token: str) -> tuple[str, ...]:
        cached = self._word_cache.get(token)
        if cached is not None:
            return cached
        bare = strip_possessive(token).lower().replace("’", "'")
        shape = _shape(strip_possessive(token))
        frequency = zipf(bare)
        z = f"z={min(frequency, 6.0) // 0.5 * 0.5:.1f}"
        out = [shape, z, f"{shape}&{z}", f"len={min(len(bare), 9)}"]
        out.append(f"w={bare}")
        if frequency >= 4.0 or bare in self._cue_words:
            out.append(f"w={bare}&{shape}")
        if len(bare) > 3 and bare.isalpha():
            out += [f"suf3={bare[-3:]}", f"suf2={bare[-2:]}", f"pre2={bare[:2]}"]
        for name, members in self._lists.items():
            if bare in members:
                out += [f"in={name}", f"in={name}&{shape}"]
        parts = bare.split("-")
        if len(parts) > 1:
            out.append("hyphen")
            if all(p in self._lists["fn"] for p in parts):
                out.append("hyphen_names")
        if "'" in bare:
            out.append("apostrophe")
        if strip_possessive(token) != token:
            out.append("possessive")
        if any(c.isdigit() for c in bare):
            out.append("digits" if bare.isdigit() else "alnum")
        if len(bare) > 5 and verb_or_adverb(bare):
            out.append("verb_ending")
        found = tuple(out)
        if len(self._word_cache) >= _CACHE_SIZE:
            self._word_cache.clear()
        self._word_cache[token] = found
        return found

    def _context(self, token: str) -> str:
        """A neighbour as the features see it: a placeholder, a cue or common word by
        itself, any other word by its kind ("<Cap:name>", "<low>", "<UP>", "<num>")."""
        cached = self._context_cache.get(token)
        if cached is not None:
            return cached
        if token.startswith("["):
            return token
        bare = strip_possessive(token).lower().replace("’", "'")
        if bare in self._cue_words or zipf(bare) >= 4.0:
            found = bare
        else:
            kind = (
                "num"
                if any(c.isdigit() for c in bare)
                else "UP"
                if token.isupper() and len(token) > 1
                else "Cap"
                if token[:1].isupper()
                else "low"
            )
            named = bare in self._lists["fn"] or bare in self._lists["sn"]
            found = f"<{kind}{':name' if named else ''}>"
        if len(self._context_cache) >= _CACHE_SIZE:
            self._context_cache.clear()
        self._context_cache[token] = found
        return found

    @staticmethod
    def _starts_sentence(text: str, tokens: list[re.Match[str]], i: int) -> bool:
        if not i:
            return True
        return bool(_SENTENCE_END.search(text, tokens[i - 1].end(), tokens[i].start()))


def _gap(between: str) -> str:
    """The punctuation between two words, spaces aside: "", ",", "(", "nl" (a line break)."""
    if "\n" in between:
        return "nl"
    return "".join(between.split())[:2]
