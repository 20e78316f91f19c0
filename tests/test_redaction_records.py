"""Issue 14, fifth round: what health notes and case records type (new example strings
written for these tests, none from a corpus). A surname in capitals beside a name the rules
found goes with it, as records write it ("ZIELINSKI, Wojciech", "Mr Wojciech ZIELINSKI");
medicines, clinics, tests and conditions written with a capital stay ("Citalopram 20mg",
"DNA at Audiology"), even a medicine no list holds, by its ending ("Vortioxetine")."""

import pytest

from tests.conftest import logged_bytes

# What a practitioner types, what the log keeps, and the words that must not reach it.
CAPITALS = [
    (
        "Re: HARGREAVES, Tilly-Mae (Y5) - attendance 61%, EHE request",
        "Re: [NAME] (Y5) - attendance 61%, EHE request",
        ["HARGREAVES", "Tilly-Mae"],
    ),
    (
        "Perpetrator: Mr Wojciech ZIELINSKI, 29, bailed to his mother's",
        "Perpetrator: Mr [NAME], 29, bailed to his mother's",
        ["Wojciech", "ZIELINSKI"],
    ),
    (
        "Patient: Esmeralda QUINTERO-BAYLISS  Ward 3  admitted overnight",
        "Patient: [NAME]  Ward 3  admitted overnight",
        ["Esmeralda", "QUINTERO-BAYLISS"],
    ),
    (
        "Siblings: MCALLISTER, Rhys (9) and MCALLISTER, Caitlin (4)",
        "Siblings: [NAME] (9) and [NAME] (4)",
        ["MCALLISTER", "Rhys", "Caitlin"],
    ),
]


@pytest.mark.parametrize("text, expected, identifiers", CAPITALS)
def test_a_surname_in_capitals_goes_with_the_name_beside_it(redactor, text, expected, identifiers):
    out = redactor.redact(text).text
    assert out == expected
    assert not any(i in out for i in identifiers)


@pytest.mark.parametrize("text, expected, identifiers", CAPITALS)
def test_the_rules_alone_take_the_surname_in_capitals(rules, text, expected, identifiers):
    assert rules.redact(text).text == expected


@pytest.mark.parametrize(
    "text",
    [
        "Kayla [NAME] ADHD assessment booked; [NAME] DOB unknown; [NAME] NFA; [NAME] SAID NO",
        "[NAME] MASH referral made, [NAME] CAMHS letter, [NAME] EHCP draft",
    ],
)
def test_acronyms_and_words_in_capitals_beside_a_name_stay(rules, text):
    out = rules.redact(text).text
    for word in ("ADHD", "DOB", "NFA", "SAID", "MASH", "CAMHS", "EHCP"):
        assert word in out or word not in text


CLINICAL = [
    "Mum prescribed Citalopram 20mg and Zopiclone, Dad on Buprenorphine since the summer",
    "DNA at Ophthalmology and Audiology twice this term, Obs normal at the last visit",
    "overdose of Paracetamol and Ibuprofen at 2am, Naloxone not needed, Sats 97%",
    "Vortioxetine 10mg started by the GP and Lurasidone stopped by the psychiatrist",
    "non-attendance at Physiotherapy, Keppra levels low, Melatonin given nightly",
    "Skeletal Survey and CT head both clear; Epilepsy and Autism diagnosed at 4",
]


@pytest.mark.parametrize("text", CLINICAL)
def test_medicines_clinics_and_conditions_keep_their_meaning(redactor, text):
    assert redactor.redact(text).text == text


# The learned pass takes no letter, day, everyday word or pair of everyday words alone: the
# rules take those where a cue says they are a person ("baby K").
ALONE = [
    "RISK: Medium\nPLAN: Safety Plan with Mum, review in Bay 4 on Thursdays",
    "Vitamin D drops not given; the family are in a B&B; the clinic runs on Mondays",
    "Child is non-verbal (Autism, ADHD) and uses a tablet to talk",
]


@pytest.mark.parametrize("text", ALONE)
def test_the_learned_pass_takes_no_letter_day_or_everyday_word_alone(redactor, text):
    assert redactor.redact(text).text == text


def test_a_name_beside_a_medicine_still_goes(redactor):
    text = "Ellis-Rae's Keppra was not collected; Mr Oyelaran-Pugh says the pharmacy lost it"
    assert redactor.redact(text).text == (
        "[NAME]'s Keppra was not collected; Mr [NAME] says the pharmacy lost it"
    )


# Shapes of names the fourth held-out set showed the rules missing, each with new strings: a
# name that is an everyday word before a school year, initials of a double first name, a
# lower-case name owning a relation, a nickname after "everyone calls", a surname's initial
# with its full stop, a name with its relation after it ("Frank (stepdad)"). The rules alone
# find each (the learned pass found some before).
PUPILS = [
    (
        "Faith, Yr 4 at the juniors, says her step-dad shouts at night",
        "[NAME], Yr 4 at the juniors, says her step-dad shouts at night",
        ["Faith"],
    ),
    (
        "Honey in Y1 drew her dad holding a knife",
        "[NAME] in Y1 drew her dad holding a knife",
        ["Honey"],
    ),
    (
        "A-M (year 3) has bruises on her arms again",
        "[NAME] (year 3) has bruises on her arms again",
        ["A-M"],
    ),
    (
        "saw ruby's gran today, she said ruby and her cousin stay out till midnight",
        "saw [NAME]'s gran today, she said [NAME] and her cousin stay out till midnight",
        ["ruby"],
    ),
    (
        "Frank (stepdad) would not let us in, the children were upstairs",
        "[NAME] (stepdad) would not let us in, the children were upstairs",
        ["Frank"],
    ),
    (
        "Bill the stepdad came to contact drunk again",
        "[NAME] the stepdad came to contact drunk again",
        ["Bill"],
    ),
    (
        "the eldest, who they all call Sunny, is 11 and does the shopping",
        "the eldest, who they all call [NAME], is 11 and does the shopping",
        ["Sunny"],
    ),
    (
        "Tomasz O. (Y5) moved to Leeds in the summer",
        "[NAME]. (Y5) moved to Leeds in the summer",
        ["Tomasz", "O."],
    ),
]


@pytest.mark.parametrize("text, expected, identifiers", PUPILS)
def test_names_of_pupils_and_children_in_their_shapes(redactor, text, expected, identifiers):
    out = redactor.redact(text).text
    assert out == expected
    assert not any(i in out for i in identifiers)


@pytest.mark.parametrize("text, expected, identifiers", PUPILS)
def test_the_rules_alone_find_names_of_pupils_and_children(rules, text, expected, identifiers):
    assert rules.redact(text).text == expected


@pytest.mark.parametrize(
    "text",
    [
        "Hx of overdose; Toxbase checked; ViSOR updated; Hep B vaccine given; Dx: OI ruled out",
        "Will you ring me? Grace period ends in Y2; an A-Z of services; meeting at Broadgate House",
        "family moved out to Ryton, then Dunchurch; the TB contact was traced",
        "fasting in Ramadan, child fainted in PE; Will mum be at the meeting?",
    ],
)
def test_records_systems_abbreviations_and_places_keep_their_meaning(redactor, text):
    assert redactor.redact(text).text == text


@pytest.fixture(scope="module")
def logged(tmp_path_factory):
    """Each record asked through the bot with the query log on a real file: the raw bytes of
    the database, its WAL and spool once the log is closed."""
    return logged_bytes(tmp_path_factory.mktemp("records"), [t for t, _, _ in CAPITALS])


@pytest.mark.parametrize("identifier", sorted({i for _, _, ids in CAPITALS for i in ids}))
def test_no_surname_in_capitals_reaches_the_database_file(logged, identifier):
    assert identifier.encode() not in logged
