"""What the synthetic log (`python -m bot demo-log`) asks, who asks it, and how often.

Plain data, read by bot.demolog. Nothing here names a person, place or service: questions
about the pack's own content are built from its entries and indicators; these are the
templates, the recurring questions the pack cannot answer, and the partnership's mix.
"""

from __future__ import annotations

# Relative weights of partner agencies in a typical partnership's safeguarding questions.
AGENCY_WEIGHTS = {
    "education-primary": 14, "education-secondary": 12, "police": 8, "la-early-help": 7,
    "education-early-years": 7, "health-visiting": 7, "health-acute": 6, "health-gp": 6,
    "la-childrens-services": 6, "voluntary-community": 5, "health-school-nursing": 4,
    "education-fe": 3, "health-midwifery": 3, "health-mental-health": 3, "probation": 2,
    "health-community": 2, "education-independent": 2, "la-housing": 2, "faith": 2, "other": 1,
}  # fmt: skip
UNKNOWN_AGENCY_WEIGHT = 3

# What each sector (and some agencies) asks about more than average: topic or area ids.
AFFINITY = {
    "health": {"pre-birth": 3, "injuries": 2.5, "disability-health": 3, "health": 3,
               "parental-mental-health": 2, "mental-health": 2, "information-sharing": 1.5},
    "education": {"education": 4, "online-harm": 2.5, "online-safety": 3, "thresholds": 1.6,
                  "child-mental-health": 2, "extra-familial-harm": 1.5, "early-help": 1.5},
    "police": {"domestic-abuse": 3, "cce": 3, "cse": 2.5, "missing": 3, "exploitation": 3,
               "extra-familial-harm": 2.5, "contextual-safeguarding": 2, "legal": 2},
    "probation": {"domestic-abuse": 3, "substance-misuse": 2, "information-sharing": 2},
    "local-authority": {"process": 2, "early-help": 2.5, "child-protection": 2, "housing": 2},
    "voluntary": {"thresholds": 1.5, "information-sharing": 1.8, "allegations": 2, "roles": 2},
    "health-midwifery": {"pre-birth": 6}, "la-housing": {"housing": 8},
    "health-visiting": {"neglect": 2.5, "injuries": 2}, "faith": {"allegations": 3},
    "health-school-nursing": {"child-mental-health": 3}, "education-secondary": {"cce": 2},
}  # fmt: skip

# Agencies whose practitioners disagree with a suggested level more often than others.
DISAGREEMENT = {"police": 2.0, "education-primary": 1.7, "education-secondary": 1.6,
                "health-gp": 1.4, "voluntary-community": 1.3}  # fmt: skip

# Share of each kind of question: threshold questions, questions about an entry, vague ones
# answered with low confidence, recurring unanswered ones, off-topic one-offs, emergencies.
KIND_MIX = {"triage": 0.33, "entry": 0.475, "vague": 0.035, "gap": 0.08, "noise": 0.01,
            "emergency": 0.012, "help": 0.013}  # fmt: skip
# How often each kind of pack entry is asked about, relative to a glossary term.
KIND_WEIGHT = {"glossary": 1.0, "guidance": 2.5, "guide": 1.5, "level": 5.0}
SURFACES = (("dm", 50), ("slash", 25), ("mention", 20), ("console", 5))
FEEDBACK_RATE = 0.08  # share of answers that get a 👍 or 👎

TRIAGE_TEMPLATES = (
    "what level is this: {t}", "{t} - what level?", "{t}. early help or mash?",
    "is this level 3 or 4? {t}", "what rhrt level would {t} be",
    "{t}, does that need a referral", "worried: {t}. which level",
    "re [NAME]: {t} - what level?",
)  # fmt: skip
# Half-remembered questions the bot answers, but only just.
VAGUE_TEMPLATES = ("something about {}?", "the {} thing", "{} - where is that", "{} again?",
                   "that {} one")  # fmt: skip

# Recurring questions the pack cannot answer, each phrased several ways: (weight, months
# before the end of the log that it starts being asked (99: always), phrasings).
GAP_CLUSTERS = (
    (9, 99, ("what support is there for a family with no recourse to public funds",
             "nrpf family - can children's services help?",
             "family have no recourse to public funds and are being evicted, what do i do",
             "who helps families with no recourse to public funds")),
    (7, 99, ("how long should we keep safeguarding records",
             "how long do i keep child protection records",
             "retention period for safeguarding records",
             "how long can we keep old safeguarding records")),
    (6, 99, ("parent wants to home educate, is that a safeguarding concern",
             "child being taken out of school for elective home education, who do i tell",
             "elective home education and safeguarding - what are the rules",
             "parents deregistering child for elective home education, what should school do")),
    (5, 99, ("what do i do with an unaccompanied asylum seeking child",
             "unaccompanied asylum seeking child arrived at school, who is responsible",
             "who do i contact about an unaccompanied child seeking asylum")),
    (5, 99, ("can a parent without parental responsibility collect a child from school",
             "dad has no parental responsibility but wants to collect, what do we do",
             "parent without parental responsibility asking for school reports")),
    (4, 99, ("family moving to another local authority, how do i transfer concerns",
             "child moved to another local authority, which mash do i contact",
             "how do i make a referral to another local authority")),
    (4, 99, ("do we need an interpreter for a team around the family meeting",
             "parents do not speak english, how do i get an interpreter for the taf",
             "who pays for an interpreter at a strategy meeting")),
    (8, 3, ("is vaping at school a safeguarding issue",
            "year 7 pupil selling vapes at school, what level",
            "child vaping and selling vapes - safeguarding or behaviour")),
    (6, 99, ("can i give a child a lift home in my car",
             "is it ok to drive a pupil home after a late club",
             "giving a young person a lift in my own car - allowed?")),
    (4, 99, ("do volunteers at our food bank need a dbs check",
             "which dbs check do volunteers need",
             "does a volunteer driver need a dbs check")),
    (5, 99, ("what age can a child be left at home alone",
             "is a 10 year old old enough to be left home alone",
             "how old does a child have to be to be left alone at home")),
    (3, 6, ("a former pupil sent me a friend request on social media, can i accept",
            "is it ok to accept a friend request from a pupil's parent",
            "can staff follow pupils on social media")),
    (3, 99, ("is there safeguarding supervision for dsls",
             "where can a dsl get safeguarding supervision",
             "who gives the designated safeguarding lead supervision")),
)  # fmt: skip
GAP_PREFIXES = ("", "", "quick question - ", "hi, ", "can you tell me ", "please help: ")
GAP_SUFFIXES = ("", "", "", "?", " thanks", " in coventry", " please")

# Off-topic one-offs: many subjects, so none recurs often enough to count as a gap.
NOISE = (
    ("where do i find", "who do i ask about", "is there guidance on", "what about"),
    ("the new", "our", "the local", "a"),
    ("staff rota", "parking permit", "training room booking", "laptop login", "minibus",
     "trip consent form", "uniform grant", "lunch menu", "holiday club", "sports day",
     "expenses claim", "lanyard colours", "visitor badge", "car share scheme", "printers",
     "fire drill", "first aid kit", "staff survey", "pay slips", "annual leave form",
     "wifi password", "team photo", "christmas party", "desk moves", "recycling bins",
     "cycle to work scheme", "payroll", "id badge photo", "intranet", "pension form",
     "coffee machine", "meeting room screen", "staff newsletter", "key safe code",
     "lost property", "stationery order", "mileage rates", "office plants",
     "vending machine", "timesheet"),
)  # fmt: skip

EMERGENCY_TEXTS = (
    "child has just told me dad hit her and she is scared to go home tonight",
    "baby has a bruise on the face and mum cannot explain it, they are leaving now",
    "young person says they will kill themselves tonight",
    "child disclosed an adult at home touched them, they are with me now",
    "teenager missing since last night and seen getting into cars with older men",
)
HELP_TEXTS = ("help", "what can you do", "how does this work", "hello", "?")

# Why a 👎: the reasons an unhelpful rating draws from, by the kind of answer.
REASONS = {
    "threshold": (("wrong_level", 6), ("unclear", 2), ("other", 1)),
    "out_of_date": (("out_of_date", 6), ("unclear", 1)),
    "unclear": (("unclear", 6), ("other", 1)),
    "not_my_area": (("not_my_area", 6),),
    "general": (("unclear", 3), ("not_my_area", 2), ("out_of_date", 1), ("other", 2)),
}
COMMENTS = {
    "wrong_level": "felt higher than the level suggested given what was described",
    "out_of_date": "this mentions rhrt but i thought it had been replaced",
    "unclear": "too long, i needed the one thing to do next",
    "not_my_area": "not relevant to health settings",
    "other": "did not answer my question",
}
