"""Redaction against the synthetic practitioner corpus, with the issue's targets."""

import pytest

from tests.conftest import logged_bytes
from tests.privacy.score import (
    CORPUS2,
    CORPUS3,
    CORPUS4,
    CORPUS5,
    CORPUS6,
    CORPUS7,
    CORPUS8,
    CORPUS9,
    DEVELOPMENT,
    FUZZY,
    HOLDOUT,
    HOLDOUT2,
    STRUCTURED,
    check_corpus,
    load_cases,
    score,
)


@pytest.fixture(scope="module")
def result(redactor):
    return score(redactor)


def test_the_corpus_is_big_enough():
    cases = load_cases()
    assert len(cases) >= 250
    assert sum(len(c.get("identifiers") or []) for c in cases) >= 250


def test_structured_identifiers_all_removed(result):
    assert result.rate(STRUCTURED) == 1.0, result.misses


def test_names_and_addresses_at_least_98_percent_removed(result):
    assert result.rate(FUZZY) >= 0.98, result.misses


def test_at_most_1_percent_of_safeguarding_terms_lost(result):
    assert result.keep_rate_lost <= 0.01, result.lost


@pytest.fixture(scope="module")
def result2(redactor):
    return score(redactor, load_cases(CORPUS2))


def test_the_second_corpus_covers_initials_schools_nicknames_and_references():
    cases = load_cases(CORPUS2)
    assert check_corpus(cases) == [] and check_corpus(load_cases(HOLDOUT)) == []
    kinds = [i.get("kind") or i["type"] for c in cases for i in c.get("identifiers") or []]
    for shape in ("initials", "nickname", "straddle", "SCHOOL", "POLICE_REF", "ADDRESS"):
        assert kinds.count(shape) >= 5, shape


def test_second_corpus_structured_identifiers_all_removed(result2):
    assert result2.rate(STRUCTURED) == 1.0, result2.misses


def test_second_corpus_names_initials_schools_and_addresses_at_least_98_percent(result2):
    assert result2.rate(FUZZY) >= 0.98, result2.misses


def test_second_corpus_at_most_1_percent_of_safeguarding_terms_lost(result2):
    assert result2.keep_rate_lost <= 0.01, result2.lost


@pytest.mark.parametrize(
    "text, expected",
    [
        ("is a bruise on baby K a level 4", "is a bruise on baby [NAME] a level 4"),
        ("KM told her teacher she is scared", "[NAME] told her teacher she is scared"),
        ("J.B. keeps running away from home", "[NAME] keeps running away from home"),
        ("Kai J is 15 and carrying a knife", "[NAME] is 15 and carrying a knife"),
        ("she goes to Holy Family Catholic Primary", "she goes to [SCHOOL]"),
        ("a Year 10 at Whitley Academy", "a Year 10 at [SCHOOL]"),
        ("Stoke Park School have asked for advice", "[SCHOOL] have asked for advice"),
        ("the toddler they call Bubbles has bruises", "the toddler they call [NAME] has bruises"),
        ("they live at 17 Sewall Highway", "they live at [ADDRESS]"),
        ("Precious Adeyemi was left alone", "[NAME] was left alone"),
        ("Precious [NAME] was left alone", "[NAME] was left alone"),
        ("[NAME] Bell said his dad hit him", "[NAME] said his dad hit him"),
        (
            "police incident 20231103-0456 and crime ref CR/12345/24",
            "police incident [POLICE_REF] and crime ref [POLICE_REF]",
        ),
    ],
)
def test_what_practitioners_really_type_is_redacted(redactor, text, expected):
    assert redactor.redact(text).text == expected


@pytest.mark.parametrize(
    "text",
    [
        "what does the Children Act 1989 say about this",
        "KCSIE 2025 changes for filtering",
        "in 2019 the family moved away",
        "when do we use the Philomena Protocol",
        "can I refer to the Hope project",
        "Roma families new to Foleshill",
        "young people at Pool Meadow at night",
        "is Jade's Law in the Victims and Prisoners Act 2024",
    ],
)
def test_years_protocols_projects_places_and_communities_keep_their_meaning(redactor, text):
    assert redactor.redact(text).text == text


@pytest.mark.parametrize(
    "text, expected",
    [
        ("DOB 03/04/2015", "DOB [DATE]"),
        ("born 3rd April 2015", "born [DATE]"),
        ("lives at 14 Acacia Road cv12ab", "lives at [ADDRESS] [POSTCODE]"),
        ("ring mum on +44 7700 900123 or 07700900123", "ring mum on [PHONE] or [PHONE]"),
        ("NHS no 943 476 5919", "NHS no [NHS_NUMBER]"),
        ("ask <@U024BE7LH> or jo@example.org", "ask [SLACK_USER] or [EMAIL]"),
        (
            "a boy called liam, Tyler's mum and Mrs Begum",
            "a boy called [NAME], [NAME]'s mum and Mrs [NAME]",
        ),
    ],
)
def test_typed_placeholders(redactor, text, expected):
    assert redactor.redact(text).text == expected


def test_invalid_nhs_check_digit_is_not_taken_for_an_nhs_number(redactor):
    assert "[NHS_NUMBER]" not in redactor.redact("ref 943 476 5918").text


def test_vocabulary_survives(redactor):
    text = (
        "Is this Level 3 under RHRT? MASH said NFA, DSL wants Early Help, Gillick or "
        "Fraser, Clare's Law, Signs of Safety, Family Hub in Foleshill"
    )
    assert redactor.redact(text).text == text


def test_redaction_is_idempotent(redactor):
    for case in load_cases(*DEVELOPMENT):
        once = redactor.redact(case["text"]).text
        twice = redactor.redact(once)
        assert twice.text == once, case["text"]
        assert twice.total == 0


# ---- the shapes the third and fourth corpora and the first holdout's misses showed ------------
# Each: what a practitioner types, what the log keeps, and the identifying words that must
# never reach the database file.
NEW_SHAPES = [
    # initials where a person stands, and again wherever they stand after
    (
        "RK has told two staff that her mum's boyfriend filmed her",
        "[NAME] has told two staff that her mum's boyfriend filmed her",
        ["RK"],
    ),
    (
        "baby M has a spiral fracture. M is 9 weeks",
        "baby [NAME] has a spiral fracture. [NAME] is 9 weeks",
        [],
    ),
    (
        "pupil AB (yr 8) and pupil CD (yr 9) are together and AB is being controlled",
        "pupil [NAME] (yr 8) and pupil [NAME] (yr 9) are together and [NAME] is being controlled",
        ["AB", "CD"],
    ),
    (
        "re: AJ. Mum says AJ's dad is outside",
        "re: [NAME]. Mum says [NAME]'s dad is outside",
        ["AJ"],
    ),
    ("TB is 15 and pregnant", "[NAME] is 15 and pregnant", []),  # an acronym is never 15
    # families by their surname
    (
        "the Hussain family have asked us not to tell dad",
        "the [NAME] family have asked us not to tell dad",
        ["Hussain"],
    ),
    ("the Kowalskis have moved again", "the [NAME] have moved again", ["Kowalskis"]),
    (
        "The Browns have three kids at Earlsdon Primary",
        "The [NAME] have three kids at [SCHOOL]",
        ["Browns", "Earlsdon Primary"],
    ),
    # everyday words and lower-case names used as names
    ("grandson Junior is living with nan", "grandson [NAME] is living with nan", ["Junior"]),
    ("foster carer says Precious won't eat", "foster carer says [NAME] won't eat", ["Precious"]),
    (
        "spoke to kayden and his little sister maisie",
        "spoke to [NAME] and his little sister [NAME]",
        ["kayden", "maisie"],
    ),
    ("Jada May Osei told her teacher", "[NAME] told her teacher", ["Jada", "Osei"]),
    (
        "Precious and Zara Okafor, sisters, 14 and 16",
        "[NAME] and [NAME], sisters, 14 and 16",
        ["Precious", "Okafor"],
    ),
    ("mum's partner 'Big Mick' hits him", "mum's partner '[NAME]' hits him", ["Big Mick"]),
    # schools by every ending, a church school by its church or its saint
    ("Our Lady of Lourdes RC Primary School want to know", "[SCHOOL] want to know", ["Lourdes"]),
    ("is St Catherine's RC the right school", "is [SCHOOL] the right school", ["Catherine"]),
    ("St B's have flagged the same family", "[SCHOOL] have flagged the same family", ["St B's"]),
    ("i'm the dsl at st aidans", "i'm the dsl at [SCHOOL]", ["aidans"]),
    (
        "she moved from Heathcote Primary to St Jude's CE Junior",
        "she moved from [SCHOOL] to [SCHOOL]",
        ["Heathcote", "Jude"],
    ),
    ("he's in year 12 at Westbrook Sixth Form", "he's in year 12 at [SCHOOL]", ["Westbrook"]),
    ("Acorn Tree Pre-school have a little boy", "[SCHOOL] have a little boy", ["Acorn Tree"]),
    (
        "Christ Church C of E Academy have asked for a TAF",
        "[SCHOOL] have asked for a TAF",
        ["Christ Church"],
    ),
    # addresses: a flat in a building, a compass point, a street alone, a house's name
    (
        "flat 4, Swift House, 90 Harnall Lane East - mum and baby",
        "[ADDRESS] - mum and baby",
        ["Swift House", "Harnall", "East"],
    ),
    ("Flat 3, Kestrel House, Tower Street - mum", "[ADDRESS] - mum", ["Kestrel", "Tower Street"]),
    (
        "young people in and out of the flats on Jardine Road",
        "young people in and out of [ADDRESS]",
        ["Jardine"],
    ),
    (
        "family now living at Rose Cottage, Mill Lane",
        "family now living at [ADDRESS]",
        ["Rose Cottage", "Mill Lane"],
    ),
    (
        "the Old Rectory on Church Lane is a children's home",
        "[ADDRESS] is a children's home",
        ["Rectory", "Church Lane"],
    ),
    ("lives at 35 Brookside with mum", "lives at [ADDRESS] with mum", ["Brookside"]),
    # whom a message greets, ranks, names typed with a curly apostrophe, a single initial
    ("Hi Sarah, can you advise on a Y6 girl", "Hi [NAME], can you advise on a Y6 girl", ["Sarah"]),
    ("OIC is DC Khan, he wants the DSL", "OIC is DC [NAME], he wants the DSL", ["Khan"]),
    (
        "O’Brien family moved, Siobhán is 12",
        "[NAME] family moved, [NAME] is 12",
        ["Brien", "Siobh"],
    ),
    ("I think Will is being groomed", "I think [NAME] is being groomed", []),
    ("worried about S, a year 9 girl", "worried about [NAME], a year 9 girl", []),
    ("All Saints C of E Primary: mum disclosed", "[SCHOOL]: mum disclosed", ["All Saints"]),
    ("The Coach House, 3 Mill Lane - dad has a gun", "[ADDRESS] - dad has a gun", ["Coach House"]),
    ("flat 6 at Godiva House - drugs in the room", "[ADDRESS] - drugs in the room", ["Godiva"]),
    # a word that is something else, set off after a relation
    ("her brother Ace sells weed", "her brother [NAME] sells weed", []),
    ("the child, Rain, says mum sleeps all day", "the child, [NAME], says mum sleeps all day", []),
    ("Mum's baby (Blue) is poorly", "Mum's baby ([NAME]) is poorly", []),
    # police references in more shapes
    (
        "crime ref WMP/C/445120/25, log 345 of 12/03/2025, URN 20WM0456123, PNC ID 12/345678A",
        "crime ref [POLICE_REF], [POLICE_REF], URN [POLICE_REF], PNC ID [POLICE_REF]",
        ["WMP/C/445120/25", "345", "20WM0456123", "12/345678A"],
    ),
    (
        "crime ref no: 23000987654, log 2011 of 30/11, MARAC ref M-2025-0412",
        "crime ref no: [POLICE_REF], [POLICE_REF], MARAC ref [POLICE_REF]",
        ["23000987654", "2011", "M-2025-0412"],
    ),
]


@pytest.mark.parametrize("text, expected, identifiers", NEW_SHAPES)
def test_new_shapes_of_names_schools_addresses_and_references(
    redactor, text, expected, identifiers
):
    assert redactor.redact(text).text == expected


@pytest.mark.parametrize(
    "text",
    [
        "a Tigrinya interpreter for an Eritrean UASC and a Kurdish Sorani speaking dad",
        "incident 2215 hrs, call from a neighbour",
        "the Y10s and Y11s, the 18mo and the learning mentor",
        "the flats above the shops, anxious about school, 2 buses each way",
        "the Polish Saturday school, the Roma family, moved to Kent from Sierra Leone",
        "the Family Hub covers Henley Green; is this CE or CSE; different stories",
        "Physio says the Childminder rang",
        "child said Nan hits her with a slipper and Mum knows",
        "the Brook clinic and the Hope project and Clare's Law",
        "Hi all, the DC will call the school; June is when the plan ends; May I share it",
        "Samaritans, Childline and Papyrus for the Roma family at Little Park Street",
        "baby's in the house with mum, I'm sat in my car; DV incident 2215 hrs",
    ],
)
def test_languages_times_year_groups_roles_and_places_keep_their_meaning(redactor, text):
    assert redactor.redact(text).text == text


def test_a_lower_case_word_is_a_name_only_when_people_are_called_it(redactor):
    assert redactor.redact("Jerome locks him out").text == "[NAME] locks him out"
    assert redactor.redact("tyler and connor were seen").text == "[NAME] and [NAME] were seen"
    kept = "needs her meds on the mat at the gala"
    assert redactor.redact(kept).text == kept


@pytest.fixture(scope="module")
def logged(tmp_path_factory):
    """Every new shape asked through the bot with the query log on a real file; the raw
    bytes of the database, its WAL and spool once the log is closed."""
    return logged_bytes(tmp_path_factory.mktemp("log"), [t for t, _, _ in NEW_SHAPES])


# Short values ("AB", "2011") could turn up in any file's bytes by chance (a random row id):
# the text-out tests above cover them.
@pytest.mark.parametrize(
    "identifier",
    sorted({i for _, _, ids in NEW_SHAPES for i in ids if len(i) > 3 and not i.isdigit()}),
)
def test_no_new_shape_reaches_the_database_file(logged, identifier):
    assert identifier.encode() not in logged


def test_the_later_corpora_and_the_used_holdouts_meet_the_targets(redactor):
    for path in (CORPUS3, CORPUS4, CORPUS5, CORPUS6, CORPUS7, CORPUS8, CORPUS9, HOLDOUT, HOLDOUT2):
        cases = load_cases(path)
        assert check_corpus(cases) == [], path
        result = score(redactor, cases)
        assert result.rate(STRUCTURED) == 1.0, (path, result.misses)
        assert result.rate(FUZZY) >= 0.98, (path, result.misses)
        assert result.keep_rate_lost <= 0.01, (path, result.lost)
