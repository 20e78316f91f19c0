"""Issue 14, sixth round: a name found once goes wherever it stands again in the message
("Hope (Y9) … Hope also said"), and an initial after a word of endearment is a child's
("little R"); new example strings written for these tests, none from a corpus."""

import pytest


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Hope (Y9) told her tutor she is scared to go home. Hope also said he hits her",
            "[NAME] (Y9) told her tutor she is scared to go home. [NAME] also said he hits her",
        ),
        (
            "our U12s keeper, Rocky Fennimore, missed training; coach says Rocky had a black eye",
            "our U12s keeper, [NAME], missed training; coach says [NAME] had a black eye",
        ),
        (
            "nursery say baby (little R) came in with a burn on her hand",
            "nursery say baby (little [NAME]) came in with a burn on her hand",
        ),
        (
            "the twins, lil J and lil M, were left alone overnight",
            "the twins, lil [NAME] and lil [NAME], were left alone overnight",
        ),
    ],
)
def test_a_name_found_once_goes_wherever_it_stands(redactor, text, expected):
    assert redactor.redact(text).text == expected


@pytest.mark.parametrize(
    "text",
    [
        "May (yr 4) said in May mum went away for a week",
        "she is a little A level obsessed and a wee bit anxious",
    ],
)
def test_months_and_words_after_little_keep_their_meaning(redactor, text):
    out = redactor.redact(text).text
    assert "in May mum" in out or "little A level" in out
