"""Named cues: find the pieces of evidence a described situation holds.

The lexicon is data (`knowledge/shared/cues.yaml`, or a pack's own `cues.yaml`). Each cue is
a few short phrases in a tiny pattern language, compiled once to one regular expression over
the normalised text. A cue inside a negation ("no bruises seen") does not count; one in a
clause about the past ("CP plan 5 years ago, closed") counts only as history; one about the
recent past ("slapped her last week") is history for the safety net (it is not happening now)
but present for the level's floor (last week's harm is current harm); one after an "if" counts
only as a hypothetical. The level model and the safety net read the same result.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .text import clean, normalise

PRESENT, NEGATED, PAST, HYPOTHETICAL = "present", "negated", "past", "hypothetical"
RECENT = "recent"  # alongside PAST: told about the recent past (last week)
# Sentences end at these; hypotheticals reach to the end of their sentence.
_SENTENCE = re.compile(r"[.!?\n;]+")
# Clauses: commas, brackets, dashes and turning words. Negation and the past stay inside one.
_CLAUSE = re.compile(r"[,:()\[\]]+|\s[-–—]\s|\b(?:but|however|although|though|whereas|yet)\b")


# "they'll" and "she'd" would otherwise become "theyll" and "shed".
_CONTRACTION = re.compile(r"(\w)['’](ll|d)\b")
_EXPANDED = {"ll": " will", "d": " would"}
_DECIMAL = re.compile(r"(\d)\.(\d)")


class LexiconError(ValueError):
    """A phrase that cannot be compiled; the message names it."""


def _number_range(low: int, high: int) -> str:
    """Whole numbers from low to high (0-99) as a compact expression: 13-99 is
    1[3-9]|[2-9][0-9], not 87 alternatives (compiling the lexicon is start-up time)."""
    parts = []
    if low <= 9:
        parts.append(f"[{low}-{min(high, 9)}]")
    for tens in range(max(1, low // 10), high // 10 + 1):
        a = low % 10 if tens == low // 10 else 0
        b = high % 10 if tens == high // 10 else 9
        parts.append(f"{tens}[{a}-{b}]")
    # Longest first, so "15" is not taken as "1" followed by a stray "5".
    return "(?:" + "|".join(reversed(parts)) + ")"


@lru_cache(maxsize=4096)
def _word(alt: str) -> str:
    """One alternative of one phrase token as a regular expression."""
    if alt == "#":
        return r"\d+"
    if re.fullmatch(r"#\d+-\d+", alt):
        low, high = (int(n) for n in alt[1:].split("-"))
        return _number_range(low, high)
    if alt.startswith("#<"):
        return _number_range(0, int(alt[2:]) - 1)
    if alt.startswith("#>"):
        return _number_range(int(alt[2:]) + 1, 99)
    if alt == "_":
        return r"\S+"
    if alt.endswith("*"):
        stem = normalise(alt[:-1]) or alt[:-1]
        return re.escape(stem) + r"\S*"
    # "at+the+moment": the words of a multi-word alternative. The pack and the question
    # meet half-way: "nan" is "grandmother" on both sides.
    alt = alt.replace("+", " ")
    return r"\s".join(re.escape(w) for w in (normalise(alt) or alt).split())


def compile_phrase(phrase: str) -> str:
    """A phrase of the lexicon's pattern language as a regular expression (no groups)."""
    phrase = str(phrase).strip()
    if phrase.startswith("re:"):
        body = phrase[3:].strip()
        try:
            re.compile(body)
        except re.error as exc:
            raise LexiconError(f"bad regular expression {body!r}: {exc}") from None
        return body
    parts: list[str] = []
    tokens = phrase.lower().split()
    if not tokens or tokens[-1] in ("_?", "..."):
        raise LexiconError(f"phrase {phrase!r} is empty or ends with a gap")
    for token in tokens:
        if token == "_?":
            parts.append(r"(?:\S+\s)?")
        elif token == "...":
            parts.append(r"(?:\S+\s){0,3}")
        else:
            alts = [a for a in token.split("|") if a]
            if not alts:
                raise LexiconError(f"phrase {phrase!r} has an empty alternative")
            parts.append("(?:" + "|".join(_word(a) for a in alts) + r")\s")
    body = "".join(parts)
    return r"(?<!\S)" + body[: -len(r"\s")] + r"(?!\S)"


_START = r"(?<!\S)"


def _union(phrases: list[str]) -> re.Pattern[str]:
    """One expression for many phrases. The word-start test is factored out of the
    alternatives: tried once per position rather than once per phrase, it halves the time
    a question spends on cues."""
    compiled = [compile_phrase(p) for p in phrases]
    words = [c[len(_START) :] for c in compiled if c.startswith(_START)]
    raw = [c for c in compiled if not c.startswith(_START)]
    parts = [_START + "(?:" + "|".join(f"(?:{w})" for w in words) + ")"] if words else []
    return re.compile("|".join(parts + [f"(?:{r})" for r in raw]))


def _strings(items, where: str) -> None:
    """YAML reads a bare yes/no/on/off as true/false: refuse it rather than lose a word."""
    for item in items or ():
        if not isinstance(item, str):
            raise LexiconError(f"{where}: {item!r} is not text (quote it in the YAML)")


def _has_negator(phrase: str, negators: frozenset[str]) -> bool:
    return any(w in negators for w in re.findall(r"[a-z]+", phrase.lower()))


class Cue:
    """One cue; its expression is compiled the first time a text could hold it (start-up
    time matters for a one-question command line)."""

    def __init__(
        self,
        cue_id: str,
        about: str,
        phrases: list[str],
        negators: frozenset[str],
        check: bool = True,
        owner: re.Pattern[str] | None = None,
    ):
        self.id = cue_id
        self.about = about
        self.phrases = phrases
        # Someone else's ("dad uses a wheelchair" is not a disabled child): see `not_of`.
        self.owner = owner
        self.proof_phrases = [p for p in phrases if _has_negator(p, negators)]
        self._pattern: re.Pattern[str] | None = None
        self._proof: re.Pattern[str] | None = None
        for phrase in phrases if check else ():  # a bad phrase is an error when validated
            compile_phrase(phrase)

    @property
    def pattern(self) -> re.Pattern[str]:
        if self._pattern is None:
            self._pattern = _union(self.phrases)
        return self._pattern

    @property
    def negation_proof(self) -> re.Pattern[str] | None:
        if self._proof is None and self.proof_phrases:
            self._proof = _union(self.proof_phrases)
        return self._proof

    def anchors(self) -> tuple[set[str], set[str]] | None:
        """Words (exact, prefixes) one of which any match must contain; None: always try."""
        exact, prefixes = set(), set()
        for phrase in self.phrases:
            if phrase.startswith("re:"):
                return None
            literal = next(
                (
                    t
                    for t in phrase.lower().split()
                    if t not in ("_", "_?", "...") and not t.startswith("#")
                ),
                None,
            )
            if literal is None:
                return None
            for alt in literal.split("|"):
                if alt.startswith("#") or alt == "_":
                    return None
                if alt.endswith("*"):
                    prefixes.add((normalise(alt[:-1]) or alt[:-1]).split()[0])
                else:
                    alt = alt.replace("+", " ")
                    exact.add((normalise(alt) or alt).split()[0])
        return exact, prefixes


@dataclass
class Found:
    """Every cue seen in a text, with how it was seen: present, negated, past, hypothetical."""

    states: dict[str, set[str]] = field(default_factory=dict)

    def add(self, cue: str, state: str) -> None:
        self.states.setdefault(cue, set()).add(state)

    def present(self, cue: str) -> bool:
        return PRESENT in self.states.get(cue, ())

    def seen(self, cue: str, state: str) -> bool:
        return state in self.states.get(cue, ())

    @property
    def present_cues(self) -> set[str]:
        return {c for c, s in self.states.items() if PRESENT in s}

    def with_recent(self) -> Found:
        """The level's view: what was told about the recent past counts as present."""
        return Found({c: s | {PRESENT} if RECENT in s else set(s) for c, s in self.states.items()})


class Lexicon:
    """The compiled cue lexicon; build once per pack, call `find` per question."""

    def __init__(self, data: dict, check: bool = True):
        """`check` compiles every phrase now (validate, train); serving compiles on use."""
        for key in (
            "negators",
            "negation_stops",
            "negation_continues",
            "past_markers",
            "recent_markers",
            "hypothetical_markers",
        ):
            _strings(data.get(key, ()), key)
        for raw in data.get("cues", ()):
            _strings(raw.get("phrases", ()), f"cue `{raw.get('id')}` phrases")
        self.negators = frozenset(str(w) for w in data.get("negators", ()))
        self.window = int(data.get("negation_window", 4))
        self.stops = frozenset(str(w) for w in data.get("negation_stops", ()))
        self.continues = frozenset(str(w) for w in data.get("negation_continues", ()))
        self.past = _union([str(p) for p in data.get("past_markers", ())] or ["re:(?!x)x"])
        self.recent = _union([str(p) for p in data.get("recent_markers", ())] or ["re:(?!x)x"])
        self.hypothetical = _union(
            [str(p) for p in data.get("hypothetical_markers", ())] or ["re:(?!x)x"]
        )
        links = "|".join(re.escape(str(w)) for w in data.get("owner_links", ()))
        self.cues: dict[str, Cue] = {}
        for raw in data.get("cues", ()):
            phrases = [str(p) for p in raw.get("phrases", ())]
            _strings(raw.get("not_of", ()), f"cue `{raw.get('id')}` not_of")
            owner = None
            if raw.get("not_of"):
                who = "|".join(re.escape(str(w)) for w in raw["not_of"])
                # "dad uses a wheelchair", "mum (autistic)", "deaf mum": the owner named
                # next to the match, with at most two linking words between.
                link = links or "(?!x)x"
                before = rf"(?<!\S)(?:{who})(?: (?:{link})){{0,2}} $"
                owner = re.compile(rf"(?:{before})|(?:^ (?:{who})(?!\S))")
            self.cues[raw["id"]] = Cue(
                raw["id"], str(raw.get("about", "")), phrases, self.negators, owner=owner
            )
        # Which cues a text could hold, from its words: most cues are never tried.
        self.always: list[Cue] = []
        self.by_word: dict[str, list[Cue]] = {}
        self.by_prefix: dict[str, list[Cue]] = {}
        for cue in self.cues.values():
            anchors = cue.anchors()
            if anchors is None:
                self.always.append(cue)
                continue
            for word in anchors[0]:
                self.by_word.setdefault(word, []).append(cue)
            for prefix in anchors[1]:
                self.by_prefix.setdefault(prefix, []).append(cue)

    def candidates(self, words: set[str]) -> list[Cue]:
        found = {c.id: c for c in self.always}
        for word in words:
            for cue in self.by_word.get(word, ()):
                found[cue.id] = cue
            for end in range(1, len(word) + 1):
                for cue in self.by_prefix.get(word[:end], ()):
                    found[cue.id] = cue
        return list(found.values())

    def __contains__(self, cue: str) -> bool:
        return cue in self.cues

    def find(self, text: str) -> Found:
        found = Found()
        # "48%" would lose its sign in normalising: keep it as a word.
        text = _CONTRACTION.sub(lambda m: m.group(1) + _EXPANDED[m.group(2)], clean(text).lower())
        text = _DECIMAL.sub(r"\1 \2", text)  # "90.5%" is one number, not two sentences
        sentences = [
            [normalise(part) for part in _CLAUSE.split(sentence)]
            for sentence in _SENTENCE.split(text.replace("%", " percent "))
        ]
        for clauses in sentences:
            hypothetical = False
            for clause in clauses:
                if not clause:
                    continue
                hypothetical = hypothetical or bool(self.hypothetical.search(clause))
                past = bool(self.past.search(clause))
                recent = not past and bool(self.recent.search(clause))
                negated_spans = self._negated_spans(clause)
                # A match lies inside one clause, so it needs its anchor word in that clause.
                for cue in self.candidates(set(clause.split())):
                    for m in cue.pattern.finditer(clause):
                        if cue.owner is not None and self._owned(cue.owner, clause, m):
                            continue
                        state = self._state(
                            cue, m, clause, negated_spans, past or recent, hypothetical
                        )
                        found.add(cue.id, state)
                        if recent and state == PAST:
                            found.add(cue.id, RECENT)
        return found

    @staticmethod
    def _owned(owner: re.Pattern[str], clause: str, m: re.Match[str]) -> bool:
        """Is this match someone else's: the owner just before it, or just after it?"""
        return bool(owner.search(clause[: m.start()]) or owner.match(clause[m.end() :]))

    def _negated_spans(self, clause: str) -> list[tuple[int, int]]:
        """Character spans that a negator reaches: the next `window` words, up to a stop."""
        spans = []
        words = list(re.finditer(r"\S+", clause))
        for i, w in enumerate(words):
            if w.group() not in self.negators:
                continue
            end, left = w.end(), self.window
            for nxt in words[i + 1 :]:
                if nxt.group() in self.stops or left == 0:
                    break
                end = nxt.end()
                # A negated list carries on: "no plans or threats or talk of weapons".
                left = self.window if nxt.group() in self.continues else left - 1
            spans.append((w.start(), end))
        return spans

    def _state(self, cue, m, clause, negated_spans, past, hypothetical) -> str:
        if hypothetical:
            return HYPOTHETICAL
        own_negation = cue.negation_proof is not None and cue.negation_proof.fullmatch(
            clause, m.start(), m.end()
        )
        if not own_negation and any(s <= m.start() < e for s, e in negated_spans):
            return NEGATED
        return PAST if past else PRESENT
