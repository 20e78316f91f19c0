"""Issue 14, sixth round: homes that are not a numbered house on a street with a street word
(new example strings written for these tests, none from a corpus). A room in a hostel, B&B or
hotel, a plot or pitch on a site, a block of a named building, a labelled address in a record,
"staying at number 12", a house's name before its street, a street given by a landmark or a
home on it, and a home described by what is beside it all go; a classroom, a plot twist and a
home named by its kind alone ("above the chippy") keep their meaning."""

import pytest

from tests.conftest import logged_bytes

# What a practitioner types, what the log keeps, and the words that must not reach it.
HOMES = [
    (
        "dad is in room 8 at the Cromwell Guest House, kids visit him there on Sundays",
        "dad is in [ADDRESS], kids visit him there on Sundays",
        ["Cromwell", "room 8"],
    ),
    (
        "resident in rm 17 at Ashdown Lodge has a girl of 14 staying over, hostel staff worried",
        "resident in [ADDRESS] has a girl of 14 staying over, hostel staff worried",
        ["Ashdown", "rm 17"],
    ),
    (
        "family of 5 put in a hotel off the M6, room 304, for a week",
        "family of 5 put in a hotel off the M6, [ADDRESS], for a week",
        ["room 304"],
    ),
    (
        "the boys are on plot 11 at Quarrymoor site and not registered with any school",
        "the boys are on [ADDRESS] and not registered with any school",
        ["Quarrymoor", "plot 11"],
    ),
    (
        "toddler in caravan 6 was left with a 10 year old all weekend",
        "toddler in [ADDRESS] was left with a 10 year old all weekend",
        ["caravan 6"],
    ),
    (
        "mum moved from Block F, Tenbury Court last spring",
        "mum moved from [ADDRESS] last spring",
        ["Tenbury", "Block F"],
    ),
    (
        "ADDRESS: 14 MARCHBANK, COVENTRY\nCONCERN: repeated DA, children present",
        "ADDRESS: [ADDRESS], COVENTRY\nCONCERN: repeated DA, children present",
        ["MARCHBANK"],
    ),
    (
        "addr 6 wrenfield, mum has a new partner who has a DV history",
        "addr [ADDRESS], mum has a new partner who has a DV history",
        ["wrenfield"],
    ),
    (
        "he says he's staying at number 40 with a man he met online",
        "he says he's staying at [ADDRESS] with a man he met online",
        ["number 40"],
    ),
    (
        "grandparents live at Penhallow, Mill Brook Lane, and have the kids most weekends",
        "grandparents live at [ADDRESS], and have the kids most weekends",
        ["Penhallow", "Mill Brook"],
    ),
    (
        "girl is staying above the barbers on Kelmscott, older lads hang round there",
        "girl is staying above the barbers on [ADDRESS], older lads hang round there",
        ["Kelmscott"],
    ),
    (
        "they moved into the flat behind the launderette on Wrexford Road in May",
        "they moved into [ADDRESS] in May",
        ["launderette", "Wrexford"],
    ),
    (
        "fire service attended flat 7 lindley house, no smoke alarm, baby in the back room",
        "fire service attended [ADDRESS], no smoke alarm, baby in the back room",
        ["lindley", "flat 7"],
    ),
    (
        "DA call to 58 Harbury Road flat C, third call this month",
        "DA call to [ADDRESS], third call this month",
        ["Harbury", "flat C"],
    ),
    (
        "they sleep in the sheds at the back of Crossfield Close most nights",
        "they sleep in [ADDRESS] most nights",
        ["sheds", "Crossfield"],
    ),
    (
        "post goes c/o 23 Radleigh to her aunt's",
        "post goes c/o [ADDRESS] to her aunt's",
        ["Radleigh"],
    ),
    (
        "girl of 15 found in flat 2 over the nail bar on Kingsford Road with two men",
        "girl of 15 found in [ADDRESS] with two men",
        ["flat 2", "nail bar", "Kingsford"],
    ),
    (
        "the family are on the Tamerton Lane site since the summer",
        "the family are on [ADDRESS] since the summer",
        ["Tamerton"],
    ),
]


@pytest.mark.parametrize("text, expected, identifiers", HOMES)
def test_homes_that_are_not_a_house_on_a_street_go(redactor, text, expected, identifiers):
    out = redactor.redact(text).text
    assert out == expected
    assert not any(identifier in out for identifier in identifiers)


@pytest.mark.parametrize("text, expected, identifiers", HOMES)
def test_the_rules_alone_find_these_homes(rules, text, expected, identifiers):
    assert rules.redact(text).text == expected


@pytest.mark.parametrize(
    "text",
    [
        "level 3 referral sent, he is in room 4 for science and the TA saw a burn",
        "plot twist: the bruises were there before the weekend",
        "she is in year 2s class now and says mummy's friend hurts her",
        "found in a trap house with £400 and two phones, NRM needed",
        "a 6yo not seen by school in 3 weeks, home visit planned",
        # named schemes, bodies and conditions are vocabulary, not names
        "coaches say the ECB guidance bans lifts, is that right for U13s",
        "she missed the Bikeability course and mum said she was ill",
        "rash turned out to be scarlet fever, 3rd time mum did not take her to the GP",
    ],
)
def test_rooms_plots_and_places_that_are_no_home_keep_their_meaning(redactor, text):
    assert redactor.redact(text).text == text


def test_a_second_redaction_finds_nothing_more(redactor):
    for _, expected, _ in HOMES:
        assert redactor.redact(expected).text == expected


@pytest.fixture(scope="module")
def logged(tmp_path_factory):
    """Each message asked through the bot with the query log on a real file: the raw bytes of
    the database, its WAL and spool once the log is closed."""
    return logged_bytes(tmp_path_factory.mktemp("homes"), [t for t, _, _ in HOMES])


@pytest.mark.parametrize("identifier", sorted({i for _, _, ids in HOMES for i in ids}))
def test_no_home_reaches_the_database_file(logged, identifier):
    assert identifier.encode() not in logged
