"""Text normalisation shared by matching, triage and safety.

Practitioners type fast: lower case, text-speak, US spellings, typos, Slack markup. Every
matcher sees the same normalised form, so the pack and the question meet half-way.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

# Slack markup: <@U123>, <!channel>, <#C123|name>, <http://x|label>, <mailto:a@b|a@b>.
_SLACK_TOKEN = re.compile(r"<([@#!])([^>|]*)(?:\|([^>]*))?>")
_SLACK_LINK = re.compile(r"<((?:https?|mailto):[^>|]*)(?:\|([^>]*))?>")
_INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_AGE = re.compile(r"(\d+)\s*(y/o|yo|yrs?|yr|mths?|wks?)\b")

# Text-speak and frequent typos -> the word meant. Keys are single normalised tokens.
SPELLING: dict[str, str] = {
    "wot": "what",
    "wat": "what",
    "wht": "what",
    "whats": "what is",
    "wats": "what is",
    "u": "you",
    "r": "are",
    "ur": "your",
    "pls": "please",
    "plz": "please",
    "cn": "can",
    "shud": "should",
    "shld": "should",
    "wud": "would",
    "cud": "could",
    "abt": "about",
    "thru": "through",
    "tho": "though",
    "bc": "because",
    "cos": "because",
    "coz": "because",
    "sw": "social worker",
    "sws": "social workers",
    "hv": "health visitor",
    "prof": "professional",
    "profs": "professionals",
    "sig": "significant",
    "ta": "teaching assistant",
    "cyp": "children and young people",
    "hols": "holidays",
    "cov": "coventry",
    "mgr": "manager",
    "pls.": "please",
    "yp": "young person",
    "b4": "before",
    "tmrw": "tomorrow",
    "tmr": "tomorrow",
    "2moro": "tomorrow",
    "2day": "today",
    "2nite": "tonight",
    "tonite": "tonight",
    "nite": "night",
    "ppl": "people",
    "wen": "when",
    "hw": "how",
    "wer": "where",
    "info": "information",
    "appt": "appointment",
    "appts": "appointments",
    "apt": "appointment",
    "apts": "appointments",
    "sch": "school",
    "skool": "school",
    "yr": "year",
    "yrs": "years",
    "yo": "year old",
    "y/o": "year old",
    "mths": "months",
    "mth": "month",
    "wks": "weeks",
    "wk": "week",
    "bf": "boyfriend",
    "gf": "girlfriend",
    "nan": "grandmother",
    "nanna": "grandmother",
    "grandad": "grandfather",
    "safegaurding": "safeguarding",
    "safegarding": "safeguarding",
    "safeguading": "safeguarding",
    "saftey": "safety",
    "refferal": "referral",
    "referal": "referral",
    "refferral": "referral",
    "reffer": "refer",
    "concent": "consent",
    "consnet": "consent",
    "threshhold": "threshold",
    "thresold": "threshold",
    "confidentality": "confidentiality",
    "neglet": "neglect",
    "explotation": "exploitation",
    "exploition": "exploitation",
    "tho'": "though",
    "dont": "do not",
    "doesnt": "does not",
    "isnt": "is not",
    "wasnt": "was not",
    "didnt": "did not",
    "hasnt": "has not",
    "havent": "have not",
    "cant": "can not",
    "cannot": "can not",
    "wont": "will not",
    "aint": "is not",
    "arent": "are not",
    "werent": "were not",
    "shouldnt": "should not",
    "wouldnt": "would not",
    "couldnt": "could not",
    "im": "i am",
    "ive": "i have",
    "hes": "he is",
    "shes": "she is",
    "theyre": "they are",
    "theres": "there is",
}

# US -> British spellings (the pack is written in British English).
BRITISH: dict[str, str] = {
    "behavior": "behaviour",
    "behaviors": "behaviours",
    "behavioral": "behavioural",
    "color": "colour",
    "center": "centre",
    "centers": "centres",
    "pediatric": "paediatric",
    "pediatrician": "paediatrician",
    "organization": "organisation",
    "organizations": "organisations",
    "counseling": "counselling",
    "counselor": "counsellor",
    "judgment": "judgement",
    "mom": "mum",
    "moms": "mums",
    "neighbor": "neighbour",
    "neighbors": "neighbours",
    "honor": "honour",
    "offense": "offence",
    "offenses": "offences",
    "defense": "defence",
    "license": "licence",
    "aging": "ageing",
    "analyze": "analyse",
    "recognize": "recognise",
    "realize": "realise",
    "apologize": "apologise",
    "criticize": "criticise",
    "labor": "labour",
    "favor": "favour",
    "program": "programme",
    "programs": "programmes",
    "enrollment": "enrolment",
    "fetal": "foetal",
    "anemia": "anaemia",
    "diarrhea": "diarrhoea",
    "gynecology": "gynaecology",
    "practise": "practice",
    "stabbed": "stabbed",
    "jewelry": "jewellery",
    "traveling": "travelling",
}

NUMBERS = {
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "first": "1",
    "second": "2",
    "third": "3",
    "fourth": "4",
    "fifth": "5",
    "i": "i",
    "iv": "4",
    "ii": "2",
    "iii": "3",
}

STOPWORDS = frozenset(
    """
a an the and or but if then so of to in on at by for with from as is are was were be been
being am do does did doing have has had having i me my we our you your he him his she her
it its they them their this that these those there here what which who whom whose when
where why how can could would should will shall may might must not no yes please hi hello
thanks thank just also about into over under again very really any some all more most
other such only own same than too s t re ll ve d m o y get got let know tell mean means
meaning like want need one would say said does anyone someone something thing things
""".split()
)


def neutralise_slack(text: str) -> str:
    """Turn Slack markup into plain words so it can never act as markup again."""

    def token(match: re.Match[str]) -> str:
        kind, label = match.group(1), match.group(3)
        if kind == "@":
            return " "  # a mention carries no meaning for the question
        if kind == "#":
            return f"#{label or 'channel'}"
        return " "  # <!channel>, <!here>, <!everyone>, <!subteam^…>

    text = _SLACK_TOKEN.sub(token, text)
    return _SLACK_LINK.sub(lambda m: m.group(2) or m.group(1), text)


def clean(text: str) -> str:
    """Unicode-normalise and strip invisible and control characters; keep the words."""
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


@lru_cache(maxsize=65536)
def _fix(token: str) -> str:
    token = SPELLING.get(token, token)
    token = BRITISH.get(token, token)
    return NUMBERS.get(token, token)


def tokens(text: str) -> list[str]:
    """Lower-case words with typos, text-speak and US spellings fixed."""
    lowered = clean(text).lower().replace("’", "'").replace("‘", "'")
    # "14yo", "14y/o", "3yrs" -> "14 yo": the age survives as its own token.
    lowered = _AGE.sub(r"\1 \2", lowered)
    lowered = lowered.replace("y/o", " yo ").replace("d.o.b", "dob").replace("a&e", " ae ")
    out: list[str] = []
    for word in _WORD.findall(lowered):
        if word.endswith(("'s", "'d")):
            word = word[:-2]  # "tyler's", "nfa'd"
        word = word.replace("'", "")
        out.extend(_fix(word).split())
    return out


def normalise(text: str) -> str:
    """The canonical string form used for fuzzy comparison."""
    return " ".join(tokens(text))


# Stems worked out before: a cached built pack (bot.packcache) brings its own words' stems,
# so a fresh process stems a question in the pack's words without loading the stemmer (its
# package loads every language's: ~0.1 s). `_recorded`, while a pack is built, collects them.
_known_stems: dict[str, str] = {}
_recorded: dict[str, str] | None = None


@lru_cache(maxsize=65536)
def stem(token: str) -> str:
    found = _known_stems.get(token)
    if found is None:
        found = _stemmer().stemWord(token)
    if _recorded is not None:
        _recorded[token] = found
    return found


def record_stems() -> dict[str, str]:
    """Start collecting every stem asked for from now on (and stop any earlier record);
    returns the dict they go into. Stems this process already knows are asked for afresh,
    so none is missed for being answered from `stem`'s cache."""
    global _recorded
    _recorded = {}
    stem.cache_clear()
    return _recorded


def stop_recording_stems() -> None:
    global _recorded
    _recorded = None


def remember_stems(stems: dict[str, str]) -> None:
    """Stems to use instead of working them out again (from the stemmer of the same
    version: the built-pack cache's key says so)."""
    _known_stems.update(stems)


@lru_cache(maxsize=1)
def _stemmer():
    # Imported on first use: `validate` needs only the standard library and PyYAML.
    import snowballstemmer

    return snowballstemmer.stemmer("english")


def content_stems(words: list[str]) -> list[str]:
    """Stems of the words that carry meaning (stopwords dropped)."""
    return [stem(w) for w in words if w not in STOPWORDS]


class Speller:
    """Corrects words a vocabulary has never seen to its closest word, when close enough."""

    # Above this many words (a large pack), an unknown word is compared only with the words
    # that could be close enough (`_near`), not with every word.
    INDEX_ABOVE = 5000
    GRAMS = (2, 3, 4)  # lengths of the letter runs the index holds

    def __init__(self, words: set[str], cutoff: float = 84):
        self.vocab = sorted(w for w in words if len(w) > 3 and not w.isdigit())
        self._known = set(self.vocab)
        self._stems = {stem(w) for w in self.vocab}
        self.cutoff = cutoff
        # letter run -> the words holding it (only for a large vocabulary)
        self._grams: dict[str, tuple[str, ...]] | None = None
        if len(self.vocab) > self.INDEX_ABOVE and float(cutoff).is_integer():
            self._grams = _gram_index(self.vocab, self.GRAMS)

    @lru_cache(maxsize=32768)  # noqa: B019 - one speller per pack, bounded cache
    def word(self, w: str) -> str:
        if len(w) < 5 or w in self._known or w in STOPWORDS or stem(w) in self._stems:
            return w
        from rapidfuzz import fuzz, process

        near = self._near(w) if self._grams is not None else None
        if near is None:
            best = process.extractOne(w, self.vocab, scorer=fuzz.ratio, score_cutoff=self.cutoff)
            return best[0] if best else w
        close = process.extract(w, near, scorer=fuzz.ratio, score_cutoff=self.cutoff, limit=None)
        if not close:
            return w
        # As extractOne over the whole (sorted) vocabulary: the best score, the first word.
        top = max(score for _, score, _ in close)
        return min(word for word, score, _ in close if score == top)

    def _near(self, w: str) -> list[str] | None:
        """The words that could score `cutoff` against `w` (None: all of them might).

        fuzz.ratio is 100 × (1 − insertions and deletions / both lengths), so a word close
        enough is at most k insertions and deletions away; cut `w` into k + 1 pieces and one
        of them stands whole in that word, with every letter run of it. So a word holding
        no chosen run of any piece cannot be close enough; the pieces are cut where their
        runs are rarest."""
        cutoff = int(self.cutoff)
        n = len(w)
        longest = n * (200 - cutoff) // cutoff  # the part in common is at most the shorter
        k = (100 - cutoff) * (n + longest) // 100
        pieces = k + 1
        if n < 2 * pieces:
            return None
        grams = self._grams or {}
        # rarest[i][j]: the letter run of w[i:j] held by the fewest words.
        rarest: dict[tuple[int, int], tuple[int, str]] = {}
        for i in range(n):
            for j in range(i + 2, n + 1):
                runs = (w[a : a + q] for q in self.GRAMS for a in range(i, j - q + 1))
                rarest[i, j] = min((len(grams.get(r, ())), r) for r in runs)
        # Cheapest cut into `pieces` pieces of two letters or more (by the words to try).
        best: dict[tuple[int, int], tuple[int, tuple[str, ...]]] = {(0, 0): (0, ())}
        for p in range(1, pieces + 1):
            for j in range(2 * p, n - 2 * (pieces - p) + 1):
                options = [
                    (best[p - 1, i][0] + rarest[i, j][0], (*best[p - 1, i][1], rarest[i, j][1]))
                    for i in range(2 * (p - 1), j - 1)
                    if (p - 1, i) in best
                ]
                if options:
                    best[p, j] = min(options)
        found: set[str] = set()
        for run in best[pieces, n][1]:
            found.update(grams.get(run, ()))
        return list(found)

    def correct(self, words: list[str]) -> list[str]:
        return [self.word(w) for w in words]


def _gram_index(vocab: list[str], sizes: tuple[int, ...]) -> dict[str, tuple[str, ...]]:
    """Letter run (of each size) -> the words holding it."""
    index: dict[str, list[str]] = {}
    for word in vocab:
        for run in {word[j : j + q] for q in sizes for j in range(len(word) - q + 1)}:
            index.setdefault(run, []).append(word)
    return {run: tuple(words) for run, words in index.items()}


_TITLE_PARTS = re.compile(r"\s*(?:\(|\)|\s/\s|\s[—–-]\s|:\s)\s*")


def name_variants(terms: Iterable[str]) -> list[str]:
    """A title and its parts: "DSL (designated safeguarding lead)" also names "DSL"."""
    out = []
    for term in terms:
        out.append(term)
        parts = [p for p in _TITLE_PARTS.split(term) if p.strip()]
        if len(parts) > 1:
            out.extend(parts)
    return out
