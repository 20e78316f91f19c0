"""The safety net, through the assistant: emergencies lead, reassurance and history stand down."""

import pytest


@pytest.fixture(scope="module")
def check(coventry):
    def run(question):
        return coventry.assessor.check_safety(question)

    return run


EMERGENCIES = [
    "toddler left alone at home right now, mum gone out",
    "child just told me dad hits her and she has to go home to him tonight",
    "yr 10 girl says she plans to kill herself tonight, has saved up tablets",
    "8 month old baby has a bruise on her cheek, not crawling yet",
    "15yo missing since last night, phone off, seen with older men",
    "dad is outside the school gate with a knife now",
    "mum has turned up to collect drunk and wants to drive them home",
    "girl says she is being taken abroad next week to be cut",
]
CALM = [
    "no immediate risk but worried about neglect",
    "what do i do if a child ever tells me they are being hurt",
    "training question: what counts as an emergency",
    "what does NFA mean",
    "mum drinking most evenings, missed appointments, wants help",
]


@pytest.mark.parametrize("question", EMERGENCIES)
def test_immediate_danger_is_flagged(check, question):
    assert check(question).emergency, question


@pytest.mark.parametrize("question", CALM)
def test_reassurance_and_framing_are_not_flagged(check, question):
    assert not check(question).emergency, question


def test_a_non_mobile_baby_bruise_is_flagged_even_with_reassurance(check):
    result = check("no immediate risk, parents lovely, but 6 week old has a bruise on his leg")
    assert result.emergency
    assert "a fresh injury on a non-mobile baby" in result.reasons


@pytest.mark.parametrize(
    "question, expected",
    [
        ("she told me her uncle touches her private parts when he babysits", True),
        ("mums boyfriend comes into her room at night and touches her", True),
        ("mum asked if it is ok to touch the baby's bottom when changing him", False),
        ("dad helps him touch type on the laptop", False),
        ("yr 8 missing school on fridays, attendance 85%", False),
        ("no missing episodes, still attending school", False),
    ],
)
def test_disclosures_and_look_alikes(check, question, expected):
    assert check(question).emergency is expected, question


# Described indirectly: no "emergency", no "immediate danger" (issue 13).
INDIRECT = [
    "Y8 lad has been stockpiling his nan's pills and gave his mate his PS5, says he won't need "
    "it after the weekend",
    "toddler and baby on their own in the flat since lunchtime, mum not answering",
    "mum's booked flights for the summer holidays so our 8yo can 'become a woman' like her "
    "sister did",
    "Y9 girl going back tonight to her stepdad who hit her with a belt yesterday",
    "12yo arranged to meet a 20-something man from snapchat after school today",
    "14yo has a fat lip, says her dad did it and she is not going home",
]
STOOD_DOWN = [
    "no bruises or marks seen on the baby, parents engaging well",
    "Y10 self-harmed last year, currently stable, under CAMHS, no thoughts of suicide",
    "CP plan 5 years ago, closed, family doing well now",
    "what would I do if a child told me they had been hurt at home?",
]


@pytest.mark.parametrize("question", INDIRECT)
def test_indirect_emergencies_are_heard(check, question):
    assert check(question).emergency, question


@pytest.mark.parametrize("question", STOOD_DOWN)
def test_negation_history_and_framing_stand_it_down(check, question):
    assert not check(question).emergency, question


def test_an_emergency_about_a_child_also_carries_the_top_level(coventry):
    answer = coventry.answer("toddler and baby on their own in the flat since lunchtime")
    assert answer.emergency and answer.level == 4
    assert answer.text and "IMMEDIATE RISK" in answer.emergency_text


def test_an_emergency_carries_the_top_level_even_when_not_read_as_a_situation(coventry):
    # Not a described situation to the router (no "what level"), but an emergency about a child.
    answer = coventry.answer("yp just been stabbed outside the youth club")
    assert answer.emergency and answer.level == 4


# The guide's stand-downs and their limits, in the words of follow-up messages.
FOLLOW_UPS = [
    # Help on the way is not help arrived: still an emergency until it comes.
    (
        "8 yr old says dad punched her and she wont go home, mum on her way to get her from school",
        True,
    ),
    # Still missing now, even though earlier episodes ended with her coming home.
    (
        "13yo in foster care didn't come home last night, carer rang police, still not back this "
        "morning, seen getting into a car with an older man. she came back the last two times",
        True,
    ),
    # A carer at the police station does not make the missing child safe.
    (
        "14yo missing since 10pm, seen with older lads in a car, phone off. carer is at the police "
        "station now",
        True,
    ),
    # A placement ending with none found: nowhere to sleep tonight.
    (
        "supported lodgings ended the placement today, 16yo sat in our office with her bags, no "
        "other placement found yet and it's nearly 5",
        True,
    ),
    # The abuser has no access for now: level 4, not an emergency (the guide's past abuse).
    (
        "y3 boy says dad hit him with a slipper on sunday, no marks, dad works away on the rigs "
        "till next thurs, mum at home",
        False,
    ),
    (
        "mum and the kids went into a refuge on monday after he strangled her, he's been charged "
        "and remanded, kids settled",
        False,
    ),
]


@pytest.mark.parametrize(("question", "expected"), FOLLOW_UPS)
def test_where_the_child_is_now_decides_the_flag(check, question, expected):
    assert check(question).emergency is expected, question


# Words that only sound like danger: the practitioner's own message, a visitor from abroad, a
# negated list, a carer in hospital (the child still has nowhere to go).
LOOK_ALIKES = [
    (
        "so since my last message his attendance has dropped again, it is at 90% now, "
        "mum wants help",
        False,
    ),
    (
        "grandma over from abroad says FGM is a good tradition, no talk about the girls and no "
        "travel planned",
        False,
    ),
    ("Y10 lad watching far right channels, no plans or threats or talk of weapons", False),
    (
        "16yo grandson's dad threw him out tonight, he rang me from the bus station but I'm in "
        "hospital so can't have him, he's got nowhere to go",
        True,
    ),
    (
        "14yo tried to buy 3 packs of paracetamol, came back later for more, said it'll all be "
        "sorted by friday",
        True,
    ),
]


@pytest.mark.parametrize(("question", "expected"), LOOK_ALIKES)
def test_words_that_only_sound_like_danger(check, question, expected):
    assert check(question).emergency is expected, question


def test_a_disclosure_today_of_abuse_long_ago_is_level_4_not_an_emergency(coventry):
    q = (
        "the Y10 girl disclosed to me today that her uncle abused her when she was 8. he moved to "
        "Scotland years ago and she's had no contact with him since, mum is supportive"
    )
    assert coventry.assessor.assess(q, asked_level=True).rank == 4
    assert not coventry.assessor.check_safety(q).emergency


def test_everyday_cuts_and_dealing_are_not_fgm_or_exploitation(coventry):
    q = (
        "police call-out for mum and dad shouting, no violence, no one hurt. dad's hours have "
        "been cut. school and parents are dealing with it together"
    )
    found = coventry.assessor.evidence(q).found
    assert not found.present("fgm") and not found.present("exploitation")


# From the eleventh blind set's failures, in our own words.
ELEVENTH = [
    (
        "15 yr old says all his mates carry knives now for protection and he's thinking about it, "
        "he doesnt carry one himself",
        False,
    ),
    (
        "3:10pm, mum of an 8yo messaged: not picking him up, you have him. not answering calls",
        True,
    ),
    (
        "9yo messaged from the club tablet: mum says the neighbours put poison in our food and we "
        "have to hide in the bathroom till the bad men go. dad doesn't live with them",
        True,
    ),
]


@pytest.mark.parametrize(("question", "expected"), ELEVENTH)
def test_whose_plan_and_who_is_coming(check, question, expected):
    assert check(question).emergency is expected, question


@pytest.mark.parametrize(
    "question",
    [
        "midwife - mum pregnant with her 3rd, booked at 9 wks, been to every appt, "
        "older 2 (5 and 8) excited",
        "19yo pregnant with her 2nd, has a 1yo already, booked late at 22 wks, "
        "worried about coping",
    ],
)
def test_an_adults_pregnancy_is_not_a_childs_nor_a_booking_a_cutting(coventry, question):
    floors = [r.id for r in coventry.assessor.assess(question, asked_level=True).floors]
    assert not {"under-16-pregnant", "under-13-sexual", "fgm"} & set(floors), floors


# From the twelfth blind set's failures, in our own words.
TWELFTH = [
    "voicemail left on the duty line: 'I've taken all of them, I'm sorry, someone needs to get "
    "the baby, she's in her cot'. baby is 6 months, mum on her own",
    "15yo says lads from another estate are coming for him after school tomorrow and he's got a "
    "blade in his bag just in case",
    "A&E - mum in resus after an overdose, her 4yo and 6yo are asleep at home on their own",
    "7yo with type 1 diabetes been sick all morning, ketones high, mum won't take her to A&E",
    "Y9 exercise book: 'monday in assembly they'll all see, got the stuff from the garage'. "
    "drawings of the hall doors",
]


@pytest.mark.parametrize("question", TWELFTH)
def test_indirect_emergencies_from_the_twelfth_set_are_heard(check, question):
    assert check(question).emergency, question


# From the thirteenth blind set's failures, in our own words: a carer's hypo heard as a
# collapse; missing someone, a club's name and a condition are not dangers of the moment.
THIRTEENTH = [
    (
        "neighbour rang: mum is type 1, she's on the bathroom floor confused and sweating, "
        "her 3yo is with her and there's nobody else in",
        True,
    ),
    ("dad having a hypo, not making sense and the baby is on his own with him", True),
    ("reception child tearful at the gate, missing her mum, fine by register", False),
    (
        "toddler got out of the back gate twice last month, a neighbour brought him back each "
        "time, dad has fitted a new lock",
        False,
    ),
    ("after school club - 10yo says year 6 boys call her names on the field, she is upset", False),
    (
        "fire crew on a safe and well visit fitting smoke alarms, 6yo and 9yo at home with mum, "
        "house tidy",
        False,
    ),
    (
        "5yo's seizure control has been worse since dad stopped giving the evening dose, "
        "epilepsy nurse involved",
        False,
    ),
    ("8yo is having a seizure in the hall and it will not stop, it has been 6 minutes", True),
    (
        "15yo came in at 10.40 instead of 10, he had texted that the bus was late, dad asks "
        "if he should report him missing",
        False,
    ),
]


def test_an_age_is_not_weeks_of_pregnancy(coventry):
    found = coventry.assessor.evidence(
        "mum is 20 wks pregnant, had low mood last time, she is engaging with the midwife"
    ).found
    assert not found.present("adult-involved")


# From the fourteenth blind set's failures, in our own words: a visit's name or a parent in
# hospital is not the child made safe; a young pregnant girl going back to where he lives.
FOURTEENTH = [
    (
        "gas engineer on a safe and well visit: 14yo showed him a drawer full of paracetamol "
        "packets and said none of it will matter after the weekend",
        True,
    ),
    (
        "dad's in hospital on the ward. mum answered the door slurring and could barely stand, "
        "she's alone with the 10 month old",
        True,
    ),
    (
        "11yo at the clinic is 16 weeks pregnant, says the baby's father is her mum's lodger "
        "and she has to go back there tonight",
        True,
    ),
    (
        "housing officer: 4yo was out on the landing alone twice last month, mum said she'll fit "
        "a catch up high and the HV is visiting next week",
        False,
    ),
]


@pytest.mark.parametrize(
    ("question", "level_4_floor"),
    [
        ("mum said her 10yo had the cutting as a baby back home", True),
        (
            "booking appointment: 30yo had FGM as a small child abroad, expecting a boy, no "
            "girls in the family",
            False,
        ),
    ],
)
def test_whose_fgm_it_is(coventry, question, level_4_floor):
    floors = coventry.assessor.assess(question, asked_level=True).floors
    assert bool(floors) is level_4_floor, [r.id for r in floors]


# From the fifteenth blind set's failures, in our own words.
FIFTEENTH = [
    (
        "year 3 boarder, 7, with ADHD, missed roll call and not seen for an hour, not in "
        "the grounds",
        True,
    ),
    (
        "parent says her 9yo watched a video about a missing child and now has nightmares, "
        "she has taken the tablet away and wants advice",
        False,
    ),
]


# From the sixteenth blind set's failures, in our own words.
SIXTEENTH = [
    (
        "999 call handler: still on the line now, a woman crying and a child shouting 'stop "
        "hurting her', then the line went dead",
        True,
    ),
    (
        "dad told the helpline his 15yo did not come back til 2am, she'd been at her cousin's, "
        "they've talked it through",
        False,
    ),
    (
        "two kids under 5 were alone in the house this evening, police came and their gran "
        "came and took them back to hers",
        False,
    ),
    (
        "the 11yo goes missing every few weeks for an afternoon, always turns up at his "
        "friend's, mum reports it each time",
        False,
    ),
    (
        "his 13yo daughter does all his personal care because she can't leave him, she has "
        "not been at school for a month",
        False,
    ),
    ("trainer q: a 13yo is meeting a man she met online tonight, what level?", False),
]


# From the seventeenth blind set's failures, in our own words.
SEVENTEENTH = [
    (
        "Y2 girl (7) set off to walk home at 3.20 and has not arrived, it's gone 5, her dad "
        "has checked the park and her friends'",
        True,
    ),
    (
        "his ex punched her last month and is on bail, now he has texted that he is coming "
        "round tonight and she and the kids will see what happens",
        True,
    ),
    (
        "for the file: dad took an overdose last night, he is on the ward now, and both "
        "children are staying with maternal grandparents",
        False,
    ),
    ("this is not hypothetical, a real 7 week old baby has a bruise on her ear", True),
    ("purely hypothetical: a 7 week old baby with a bruise on her ear?", False),
    (
        "young mum, 21, first baby, says she is worried about coping on her own since her "
        "partner went back to work away",
        False,
    ),
]


# From the eighteenth blind set's failures, in our own words.
EIGHTEENTH = [
    (
        "youth worker: 16yo has a drawing of the synagogue on his phone and says sunday's "
        "service will not know what hit them",
        True,
    ),
    (
        "leisure centre: mum dropped her 5 and 8 year olds at reception, said someone else "
        "can have them, and drove off",
        True,
    ),
    (
        "custody: woman arrested at 9 this morning says her 3yo is at home asleep, nobody "
        "else in",
        True,
    ),
    (
        "A&E: 5yo with finger-mark bruises on his arm says uncle did it, uncle is on his way "
        "to collect him",
        True,
    ),
    (
        "court usher: 9yo witness worried that missing the morning for court will spoil her "
        "attendance award",
        False,
    ),
    (
        "park ranger: 10yo ran off after a row with his mum, we found him by the pond an "
        "hour later, back with his family now",
        False,
    ),
]


@pytest.mark.parametrize(
    ("question", "expected"),
    THIRTEENTH + FOURTEENTH + FIFTEENTH + SIXTEENTH + SEVENTEENTH + EIGHTEENTH,
)
def test_what_the_latest_blind_sets_missed_or_over_flagged(check, question, expected):
    """A carer's collapse, a pregnant child going back, a boarder missing from roll call are
    heard; a visit's name, a parent on the ward, missing someone are not dangers."""
    assert check(question).emergency is expected, question


def test_a_short_description_that_names_no_entry_is_read_as_a_situation(coventry):
    answer = coventry.ask(
        "boarder back 30 mins late on saturday, the bus broke down, he texted us. ok?"
    )
    assert (answer.kind, answer.level) == ("triage", 1)


@pytest.mark.parametrize(
    ("question", "level_4_floor"),
    [
        (
            "client's boyfriend punched her last weekend in an argument, her kids were upstairs",
            True,
        ),
        ("years ago her ex slapped her, he has been out of their lives since", False),
    ],
)
def test_last_weeks_violence_is_current_harm_for_the_level_not_history(
    coventry, question, level_4_floor
):
    """The recent past is history for the safety net but present for the level-4 floor."""
    assessment = coventry.assessor.assess(question, asked_level=True)
    assert bool(assessment.floors) is level_4_floor, [r.id for r in assessment.floors]
    assert not coventry.assessor.check_safety(question).emergency


def test_teenagers_described_in_the_plural_are_someone_not_i_dont_know(coventry):
    """'15 yr olds' names people as '15 yr old' does, and shaking hands is not violence."""
    answer = coventry.ask(
        "football coach: two of my 15 yr olds argued about politics at training, shook hands "
        "after, all fine. anything for me to do?"
    )
    assert (answer.kind, answer.level, answer.emergency) == ("triage", 1, False)


def test_same_age_sexual_comments_are_a_childs_behaviour_not_a_level_4_floor(coventry):
    """The guide: sexual harassment by a child, same age and no force, is level 3; online
    sexual contact with an under-13 would be level 4."""
    comments = coventry.assessor.assess(
        "11yo keeps making sexual comments to girls in his class, all the same age, no "
        "touching, parents told twice",
        asked_level=True,
    )
    online = coventry.assessor.assess(
        "11yo has been sent sexual messages on snapchat by someone he does not know",
        asked_level=True,
    )
    assert not comments.floors, [r.id for r in comments.floors]
    assert online.rank == 4


def test_ordinary_life_around_a_named_entry_is_a_question_about_the_entry(coventry):
    """Level 1 is never an answer to "school nurse works with kids up to what age"; a higher
    level is never traded for an entry (a named entry beside a level-4 fact stays triage)."""
    about = coventry.ask("school nurse works with kids up to what age")
    serious = coventry.ask("school nurse here, 13yo says her stepdad touches her at night")
    assert (about.kind, about.entry_id) == ("glossary", "school-nurse")
    assert serious.level == 4


@pytest.mark.parametrize(
    ("question", "level_4_floor"),
    [
        ("15yo keeps going missing, police brought her back from another city, won't say "
         "where she has been", True),
        ("12yo goes missing now and then for an hour, always found at his friend's nearby, "
         "talks about why", False),
    ],
)
def test_a_missing_child_found_far_away_is_level_4(coventry, question, level_4_floor):
    """The guide's level 4 for missing: found far away or will not say where (exploitation)."""
    floors = coventry.assessor.assess(question, asked_level=True).floors
    assert bool(floors) is level_4_floor, [r.id for r in floors]
