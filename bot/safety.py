"""The safety net: spot a child at immediate risk before anything else happens.

It errs towards flagging: a false alarm costs a practitioner one extra line to read, a miss
could cost a child. Each rule needs two things together (who + what is happening now), and
explicit reassurance ("no immediate risk") or framing ("what would I do if…") stands it down.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import normalise

_CHILD = (
    r"(?:child|children|kid|kids|baby|babies|toddler|infant|newborn|boy|girl|son|"
    r"daughter|pupil|student|teen|teenager|\d+ ?(?:year|month|week|yo|y)s?(?: old)?|"
    r"year \d+|yp|young person|sibling|siblings|she|he|they)"
)
_NOW = (
    r"(?:now|right now|at the moment|currently|tonight|today|this morning|this afternoon|"
    r"this evening|just|just now|still|immediately|asap|urgent|urgently|all night)"
)
_HURT = (
    r"(?:hit|hits|hitting|hurt|hurts|hurting|beat|beats|beaten|beating|punch\w*|kick\w*|"
    r"slap\w*|abus\w*|touch\w*|rap\w*|sexually assault\w*|strangl\w*|chok\w*|burn\w*|"
    r"molest\w*|threaten\w*)"
)


@dataclass(frozen=True)
class Rule:
    name: str
    patterns: tuple[re.Pattern[str], ...]  # any one of them fires the rule


def _rule(name: str, *patterns: str) -> Rule:
    return Rule(name, tuple(re.compile(p) for p in patterns))


RULES: tuple[Rule, ...] = (
    _rule(
        "child alone now",
        rf"\b{_CHILD}\b.{{0,40}}\b(?:left (?:alone|unattended|in the (?:car|house|flat))|home "
        rf"alone|on (?:his|her|their) own|by (?:him|her|them)sel(?:f|ves)|alone|unsupervised)\b"
        rf".{{0,40}}\b{_NOW}\b",
        rf"\b{_NOW}\b.{{0,30}}\b(?:left |home )?alone\b",
        r"\b(?:left|home) alone\b.{0,30}\b(?:baby|toddler|infant|newborn|\d+ (?:year|month) old)",
        r"\b(?:baby|toddler|infant|newborn)\b.{0,30}\b(?:left|home) alone\b",
        r"\bno (?:adult|one|1|parent)s? (?:at home|in the house|home|with (?:him|her|them))\b",
        r"\b(?:[1-9]|1[0-2]) (?:year|month|week)s? old\b.{0,30}\b(?:on (?:his|her|their) own|"
        r"alone|by (?:him|her)self)\b",
        r"\b(?:baby|toddler|infant|newborn)\b.{0,30}\b(?:on (?:his|her|their) own|alone)\b",
    ),
    _rule(
        "going home to the abuser",
        rf"\b{_HURT}\b.{{0,80}}\b(?:going home|goes home|go home|home tonight|back home|"
        r"home with|pick(?:ing)? (?:him|her|them) up|collect\w*|back to (?:him|her|them))\b",
        r"\b(?:scared|frightened|afraid|terrified|does not want|refus\w+) (?:to go|of going) "
        r"home\b",
        r"\b(?:going|goes|go|sent) (?:back )?home\b.{0,40}\b(?:to|with)\b.{0,30}"
        rf"\b(?:who|that|which)\b.{{0,20}}\b{_HURT}",
    ),
    _rule(
        "suicide with a plan",
        r"\b(?:suicid\w*|kill (?:him|her|them|my)sel\w*|end (?:his|her|their|my) (?:own )?"
        r"life|take (?:his|her|their|my) own life|want\w* to die|overdos\w*|hang (?:him|her)"
        r"self)\b.{0,80}\b(?:plan\w*|tonight|today|tablets|pills|rope|bridge|method|note|"
        r"goodbye|ligature|stockpil\w*|has (?:the|got)|razor|now|after school|weekend)\b",
        r"\b(?:plan\w*|tonight|tablets|pills|rope|bridge|ligature)\b.{0,60}\b(?:suicid\w*|"
        r"kill (?:him|her|them|my)sel\w*|end (?:his|her|their|my) life|overdos\w*)\b",
        r"\b(?:has|have|had) (?:taken|swallowed) (?:an )?(?:overdose|tablets|pills|"
        r"paracetamol)\b",
        r"\b(?:took|taken|swallowed) (?:\d+|loads of|a lot of|lots of|a load of|an?|some) ?"
        r"(?:overdose|tablets|pills|paracetamol|ibuprofen|co codamol)\b",
        r"\b(?:going to|gonna|wants to|threatening to|threatened to|will) (?:jump|kill "
        r"(?:him|her|them|my)sel\w*|end it)\b",
    ),
    _rule(
        "missing now",
        rf"\bmissing\b(?! (?:school|lessons?|education|appointments?|class|sch|days|meals|"
        rf"out|the bus)).{{0,60}}\b(?:{_NOW}|since|last seen|"
        rf"hours|overnight|not come home|"
        r"not returned|phone off)\b",
        rf"\b(?:not (?:come|came|returned) home|has not come back|run away|ran away)\b.{{0,60}}"
        rf"\b(?:{_NOW}|last night|since|hours|overnight|with (?:an )?(?:older|adult|man|men))\b",
        rf"\b{_NOW}\b.{{0,40}}\bmissing\b",
        r"\b(?:can not|cant|could not) find (?:him|her|them|the child|my child)\b",
        r"\b(?:wandered off|gone missing|went missing|lost a child|child is lost)\b",
    ),
    _rule(
        "serious injury",
        r"\b(?:serious|severe|bad|head|major) (?:injur\w+|burn\w*|bleed\w*|wound\w*)\b",
        r"\b(?:unconscious|not breathing|unresponsive|fitting|seizure|bleeding heavily|"
        r"fractur\w+|broken (?:arm|leg|bone|ribs?|skull)|skull fracture|head injury|"
        r"scald\w*|stab wound|stabbed|shot|floppy|limp and|shook the baby|shaken|"
        r"bleeding (?:loads|lots|a lot|badly)|cutting deep|deep cuts?)\b",
    ),
    _rule(
        "injury to a non-mobile baby",
        r"\b(?:bruis\w*|mark\w*|injur\w*|burn\w*|fractur\w*|red mark|bite|bleed\w*)\b.{0,60}"
        r"\b(?:baby|babies|newborn|infant|non mobile|not mobile|immobile|not crawling|"
        r"not yet crawling|\d+ ?(?:week|wk|month|mth)s? old|\d+ ?(?:weeks?|wks?|months?|mths?))\b",
        r"\b(?:baby|newborn|infant|\d+ ?(?:week|month)s? old)\b.{0,40}\b(?:swollen|swelling|"
        r"will not move|wont move|not moving (?:his|her) (?:arm|leg))\b",
        r"\b(?:baby|babies|newborn|infant|non mobile|not mobile|immobile|not crawling|"
        r"\d+ ?(?:week|wk|month|mth)s? old)\b.{0,60}\b(?:bruis\w*|injur\w*|burn\w*|"
        r"fractur\w*|red mark|marks?|bite)\b",
    ),
    _rule(
        "threats of violence",
        r"\b(?:threaten\w*|threat\w*) (?:to )?(?:kill|stab|hurt|shoot|attack|burn|harm)\b",
        rf"\b(?:knife|knives|gun|machete|weapon|blade)\b.{{0,50}}\b(?:{_NOW}|outside|here|in "
        r"school|at the gate|in class|on site|in reception|car park)\b",
        rf"\b(?:{_NOW}|outside|here|in school)\b.{{0,40}}\b(?:has|with|got|carrying) (?:a )?"
        r"(?:knife|gun|machete|weapon|blade)\b",
        r"\b(?:going to|gonna|will) (?:kill|stab|shoot|hurt) \w+",
        r"\bthreaten\w*\b.{0,60}\b(?:weapon|knife|gun|taking the (?:kids|children))\b",
        r"\b(?:strangl\w*|chok\w*)\b.{0,80}\b(?:now|back (?:at|in) the house|tonight|"
        r"still there)\b",
        r"\b(?:held|being held|locked in|kept|trapped) (?:in|at) (?:a|the|an) (?:flat|house|"
        r"room|car)\b",
    ),
    _rule(
        "sexual assault just happened",
        r"\b(?:raped|rape|sexually assaulted|sexual assault)\b.{0,40}\b(?:just|today|last night|"
        r"this morning|now|earlier|yesterday)\b",
        r"\b(?:just|today|last night|this morning|earlier)\b.{0,40}\b(?:raped|sexually "
        r"assaulted)\b",
    ),
    _rule(
        "FGM about to happen",
        r"\b(?:fgm|cut|cutting|circumcis\w*|special procedure|initiation)\b.{0,80}"
        r"\b(?:abroad|holiday|trip|next week|this summer|flying|flight|taken (?:to|back)|"
        r"going (?:back )?to|half term|summer holiday)\b",
        r"\b(?:getting|being|be|to be|get) cut\b.{0,50}\b(?:this weekend|tomorrow|tonight|next "
        r"week|soon|at (?:their|her|his|our) house|ceremony|party|holiday)\b",
        r"\b(?:abroad|holiday|trip|flying|flight|taken to)\b.{0,80}\b(?:fgm|be cut|get cut|"
        r"circumcis\w*|special procedure)\b",
    ),
    _rule(
        # A child telling of sexual abuse by someone they live with or will see tonight goes
        # back to them unless someone acts today.
        "disclosure of sexual abuse",
        r"\b(?:touch\w*|fondl\w*|grop\w*|rub\w*)\b.{0,30}\b(?:private parts|privates|private "
        r"area|vagina|penis|genitals?|down below)\b",
        r"\b(?:dad|step ?dad|stepfather|uncle|brother|boyfriend|partner|grandad|granddad|cousin|"
        r"babysitter|lodger|man|men|older boy)\b.{0,40}\b(?:touch\w* (?:her|him|them|me)|"
        r"fondl\w*|grop\w*|sexually abus\w*|raped?|comes? (?:in|into) (?:her|his|their) "
        r"(?:room|bed) at night)\b",
    ),
    _rule(
        "being hurt right now",
        rf"\b(?:can hear|i can hear|hearing|can see|i can see|watching|happening now|going on now)"
        rf"\b.{{0,60}}\b{_HURT}",
        rf"\b{_HURT}\b.{{0,60}}\b(?:i am outside|im outside|outside now|right now|happening now|"
        r"as we speak)\b",
    ),
    _rule(
        "meeting an online stranger now",
        r"\bonline\b.{0,80}\b(?:picking (?:her|him|them) up|pick (?:her|him|them) up|meet(?:ing)? "
        r"(?:her|him|them|up)|collect\w* (?:her|him|them)|coming to get)\b.{0,50}\b(?:now|today|"
        r"tonight|in \d+ ?(?:mins?|minutes)|after school|this evening|later)\b",
    ),
    _rule(
        "armed adult on site",
        r"\b(?:turned up|turns up|arrived|here|outside|at (?:the )?(?:school|nursery|gate|door|"
        r"reception|house))\b.{0,60}\b(?:knife|knives|gun|machete|weapon|blade)\b",
        r"\b(?:knife|gun|machete|weapon|blade)\b.{0,60}\b(?:demanding|trying to take|taking "
        r"(?:the|his|her) (?:kids|children|child|son|daughter))\b",
    ),
    _rule(
        "forced marriage imminent",
        r"\b(?:marry|married|marriage|wedding)\b.{0,60}\b(?:tomorrow|tonight|next week|this "
        r"week|flying|flight|abroad|taken to)\b",
        r"\b(?:flying|flight|flown|taken|sent|going|travel\w*) to \w+\b.{0,40}\b(?:to marry|to "
        r"be married|to get married|for (?:a|her|his) wedding)\b",
        r"\b(?:get|be|getting|being) married\b.{0,40}\b(?:tomorrow|tonight|this weekend|next "
        r"week|soon|flight|abroad)\b",
    ),
    _rule(
        "carer unfit to care now",
        r"\b(?:drunk|intoxicated|high|off (?:his|her|their) face|under the influence|"
        r"smell\w* of (?:alcohol|drink)|stink\w* of (?:alcohol|drink)|stoned|wasted|passed "
        r"out|collapsed|barely stand|can not stand)\b.{0,60}\b(?:collect\w*|"
        r"pick\w* up|pickup|driv\w*|car|take (?:him|her|them|the \w+) home|take (?:his|her|"
        r"their) (?:son|daughter|child|kids|children))\b",
        r"\b(?:collect\w*|pick\w* up|pickup|here to collect)\b.{0,60}\b(?:drunk|intoxicated|"
        r"high|under the influence|smell\w* of (?:alcohol|drink)|stink\w* of|stoned|wasted|"
        r"off (?:his|her|their) face)\b",
        r"\b(?:parent|mum|dad|carer|mother|father)\b.{0,30}\b(?:passed out|unconscious|"
        r"collapsed)\b.{0,40}\b(?:baby|child|kids|children|toddler)\b",
    ),
    _rule(
        "immediate danger in words",
        r"\b(?:immediate (?:danger|risk)|in danger (?:now|right now)|at risk (?:now|right now|"
        r"tonight)|life (?:is )?at risk|emergency|not safe (?:to go home|tonight|now|at home "
        r"tonight))\b",
    ),
)

# Reassurance or framing that stands the net down for the whole question.
STAND_DOWN = re.compile(
    r"\b(?:no|not|not at|not in|isn t in|is not in|without) (?:any )?(?:immediate|current|"
    r"imminent) (?:risk|danger|concern\w*|threat)\b|"
    r"\b(?:not|no longer) in (?:any )?(?:immediate )?danger\b|"
    r"\bno (?:risk|danger) (?:now|at the moment|currently|tonight)\b|"
    r"\b(?:found safe|safe and well|returned safely|back home safe|no plan|no intent|"
    r"dealt with at the time|last term|last year|months ago)\b|"
    r"\bwhat (?:does|do|is) (?:the )?\w+(?: \w+){0,3} mean\b|"
    r"\b(?:historic\w*|historical|years ago|in the past|when (?:she|he|they) (?:was|were) "
    r"(?:little|younger|small))\b.{0,80}\b(?:now safe|safe now|no longer|not in contact)\b|"
    r"\b(?:what (?:do|would|should) i do if|what if|if a child (?:ever )?(?:tells|told|"
    r"discloses)|training|scenario|hypothetical\w*|what counts as (?:an )?emergency|"
    r"how do i know if|when should i call 999|is it an emergency if)\b"
)


@dataclass(frozen=True)
class SafetyCheck:
    emergency: bool
    reasons: tuple[str, ...] = ()


_NEGATED = re.compile(r"\b(?:no|not|never|without|nor)\s+(?:\w+\s+)?$")


def _fires(rule: Rule, text: str) -> bool:
    """A rule fires unless every match it has is negated ("no missing", "not alone")."""
    for pattern in rule.patterns:
        for m in pattern.finditer(text):
            if not _NEGATED.search(text[max(0, m.start() - 16) : m.start()]):
                return True
    return False


def check(question: str) -> SafetyCheck:
    """Does this question describe a child at immediate risk?"""
    text = normalise(question)
    if not text:
        return SafetyCheck(False)
    reasons = tuple(rule.name for rule in RULES if _fires(rule, text))
    if reasons and STAND_DOWN.search(text):
        # Reassurance stands down soft signals but never a non-mobile baby's injury or a
        # plan to take a life: those always lead with emergency advice.
        hard = {"injury to a non-mobile baby", "suicide with a plan"}
        reasons = tuple(r for r in reasons if r in hard and not _framed(text))
    return SafetyCheck(bool(reasons), reasons)


def _framed(text: str) -> bool:
    return bool(
        re.search(
            r"\b(?:what (?:do|would|should) i do if|training|what counts as|"
            r"how do i know if|is it an emergency if|what if|in the past|years "
            r"ago|historic\w*)\b",
            text,
        )
    )
