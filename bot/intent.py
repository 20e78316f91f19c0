"""What is the practitioner asking for? Route before searching.

Routes: help · level (explain a level) · scenario (what level is this situation?) ·
definition · sharing (information sharing / consent) · guide · general.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import normalise

HELP = re.compile(
    r"^(?:help|\?+|h|menu|commands|start|hi|hello|hey|hiya|morning|"
    r"what can you do|how do i use (?:this|you|the bot)|what do you do|"
    r"who are you|how does this work|what is this bot|usage)(?: please)?$"
)
SCENARIO = re.compile(
    r"\b(?:what|which|wht|wat) (?:level|lvl|threshold|rhrt|tier|stage)\b|"
    r"\blevel (?:is|would|should|do|does|for) (?:this|it|that|they|he|she|we)\b|"
    r"\b(?:is|would) (?:this|it|that) (?:be )?(?:a )?(?:level|rhrt|tier|stage) ?\d?\b|"
    r"\b(?:does|would|will) (?:this|it|that) (?:meet|reach|hit) (?:the )?(?:threshold|level)\b|"
    r"\b(?:meet|meets|reach|reaches|above|below) (?:the )?threshold\b|"
    r"\bshould i (?:refer|ring the mash|call the mash|contact the mash|make a referral)\b|"
    r"\b(?:mash|social care|social services) (?:referral|worthy)\b.*\?$|"
    r"\b(?:level|lvl|threshold)\??$|\blevel of need\b.*\b(?:this|he|she|they|family)\b|"
    r"\b(?:do i need to|should i|do we need to) (?:level|refer|log|report|do anything)\b|"
    r"\bwhat (?:support|help) (?:does|do|would) (?:this|the) (?:child|family)\b|"
    # "lvl 1 yeah?", "level 1 i assume?", "would that be lvl 4?", "thats lvl 3 isnt it"
    r"\b(?:level|lvl) [1-9] (?:yeah|yes|right|i assume|i think|surely|isnt it|is it|then|or)\b|"
    r"\b(?:be|is|thats|that s|its|it s) (?:a )?(?:level|lvl) [1-9]\b|"
    r"\b(?:need|needs) (?:a|any) (?:level|lvl)\b|"
    r"\banything (?:to|i should|we should|i need to|we need to) "
    r"(?:record|log|report|pass on|do)\b|"
    r"\b(?:do|should) (?:i|we) (?:still )?(?:need to )?(?:record|log|report|pass) "
    r"(?:it|this|that|anything)\b|"
    r"\b(?:is|was) (?:that|this|it) (?:ok|okay|fine|normal) or (?:do|should) (?:i|we)\b"
)
GUIDE = re.compile(
    r"\b(?:1|one) ?min(?:ute)? (?:guide|briefing)s?\b|\bomg\b|"
    r"(?<!girl )\bguides?\b(?! (?:leader|leaders|unit|group|camp|meeting|hut|troop))|"
    r"\b7 ?min(?:ute)? briefing\b|\bquick guide\b|\bcheat ?sheet\b|"
    r"\bone pager\b|\b(?:brief |quick )?overview of\b|\bsummary (?:of|on)\b|"
    r"\bstaff briefing\b|\bkey messages\b|\bwhy it matters\b|"
    r"\bsigns of .{3,40} what (?:to|do i|should i) do\b"
)
SHARING = re.compile(
    r"\b(?:shar\w*|consent\w*|gdpr|data protection|dpa|confidential\w*|"
    r"disclos\w*|pass (?:on|info\w*)|tell (?:the )?(?:parents?|school|mash|"
    r"police)|caldicott|information governance|lawful basis|permission)\b"
)
DEFINITION = re.compile(
    r"^(?:what (?:is|are|does|do) |what is meant by |define |definition of |meaning of |"
    r"explain |who (?:is|are) |tell me about |remind me what |how many )|"
    r"\b(?:stand|stands) for\b|\bmean\??$|\bwhat is it\??$|\bdefinition\??$|"
    r"\bmeaning\??$|\bacronym\b|\babbreviation\b"
)
LEVEL_REF = re.compile(r"\b(?:level|lvl|rhrt|tier|stage|l)\s*(\d)\b")
# A description of a child's situation, even without "what level".
SITUATION = re.compile(
    r"\b(?:mum|dad|mother|father|parent|parents|carer|stepdad|step dad|child|children|kid|kids|"
    r"son|daughter|boy|girl|baby|toddler|pupil|student|teen|teenager|sibling|siblings|sibs|"
    r"family|he|she|they|his|her|their|yp|lad|lads|\d+ ?(?:year|month|week)s? old|year \d+|"
    r"yo|nursery|pregnant|partner|mums|dads|kids|child s)\b"
)


@dataclass(frozen=True)
class Intent:
    route: str
    level_rank: int | None = None
    explicit: bool = False  # the practitioner asked in so many words
    situation: bool = False  # it describes a child's circumstances


def classify(question: str) -> Intent:
    norm = normalise(question)
    if not norm or HELP.match(norm):
        return Intent("help", explicit=True)
    words = norm.split()
    level_ref = LEVEL_REF.search(norm)
    situation = bool(SITUATION.search(norm)) and len(words) >= 5
    if SCENARIO.search(norm) and not _asks_about_level_itself(norm):
        return Intent("scenario", explicit=True)
    if level_ref and _asks_about_level_itself(norm):
        return Intent("level", level_rank=int(level_ref.group(1)), explicit=True)
    if GUIDE.search(norm):
        return Intent("guide", explicit=True)
    if DEFINITION.search(norm) and len(words) <= 9:
        return Intent("definition", explicit=True)
    if SHARING.search(norm):
        return Intent("sharing", situation=situation and not _asks_how(norm))
    if _asks_how(norm) and len(words) >= 4:
        return Intent("process")
    if len(words) <= 3:
        return Intent("definition")
    if situation and not _asks_how(norm):
        return Intent("scenario")
    return Intent("general", situation=situation)


_WHAT_IS = re.compile(
    r"\b(?:what (?:is|are|does|do) (?:it|that|this|they|an?|the)?\b|what s|meaning of|stand for)"
)


def asks_what_something_is(question: str) -> bool:
    """ "…what is that exactly", "is that kinship care, what is it": a term, not a level."""
    return bool(_WHAT_IS.search(normalise(question)))


def _asks_how(norm: str) -> bool:
    """A process question ("how do I refer", "can I share", "who do I ring")."""
    starts = re.match(
        r"^(?:how|can|could|should|do|does|who|where|when|is it ok|am i|"
        r"what (?:do|should|happens|if)|why|whose)\b",
        norm,
    )
    asks = re.search(
        r"\b(?:how do i|what do i do|do i (?:need|have to|leave it|tell|share|ask)|who do i|"
        r"whose consent|what now|what next|is that (?:right|allowed|ok))\b",
        norm,
    )
    return bool(starts or asks)


def _asks_about_level_itself(norm: str) -> bool:
    """ "what is level 3", "explain rhrt 4", "level 2 meaning" — not "what level is this"."""
    if not LEVEL_REF.search(norm):
        return False
    words = norm.split()
    framed = re.search(
        r"^(?:what (?:is|are|does|s)|explain|define|describe|tell me about|"
        r"meaning of|whats|who (?:responds|deals)|what happens at)\b",
        norm,
    )
    short = len(words) <= 5
    return bool(framed and len(words) <= 10) or (short and not SCENARIO.search(norm))


_GUIDE_WORDS = re.compile(
    r"\b(?:(?:a |the )?(?:1|one) ?min(?:ute)? (?:guide|briefing)s?|omg|7 ?min(?:ute)? briefing|"
    r"quick guide|cheat ?sheet|one pager|guide|(?:brief |quick )?overview of|summary (?:of|on)|"
    r"(?:for )?(?:a )?staff briefing|key messages(?: for \w+)?|why it matters|tell me about|"
    r"and what (?:to|do i|should i) do(?: about it)?|what it means for my practice)"
    r"(?: (?:on|to|for|about|re))?\b"
)


def strip_guide_words(question: str) -> str:
    """ "one minute guide on neglect" -> "neglect": the topic is what identifies the guide."""
    stripped = _GUIDE_WORDS.sub(" ", normalise(question)).strip()
    return stripped or question
