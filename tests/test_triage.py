"""Triage against the mini pack, whose indicators the tests can see."""


def test_describes_a_level_3_situation(mini):
    answer = mini.ask("mum drinking most evenings and the children are late to school")
    assert answer.kind == "triage"
    assert answer.level == 3
    assert any(i.id == "sm-l3" for i in answer.indicators)
    assert "Level 3" in answer.text and "professional judgement" in answer.text


def test_the_highest_matched_level_wins_and_says_why(mini):
    answer = mini.ask("what level: dirty house and dad hits mum")
    assert answer.level == 4
    levels = {i.level for i in answer.indicators}
    assert levels == {3, 4}
    assert "more than one level" in answer.text


def test_negated_concerns_do_not_trigger(mini):
    answer = mini.ask(
        "what level is this - not a dirty house, no drugs within reach of child, "
        "child well cared for"
    )
    assert answer.level == 1
    assert {i.id for i in answer.indicators} == {"ne-l1"}


def test_hypotheticals_do_not_trigger_when_there_are_facts(mini):
    answer = mini.ask("what level: dirty house, if dad hits mum again we would call police")
    assert answer.level == 3


def test_borderline_pairs_show_the_distinguishing_question(mini):
    answer = mini.ask("what level? drugs within reach of child")
    assert answer.level == 4
    assert "Is the child safe now?" in answer.text


def test_nothing_matched_says_so_and_does_not_guess(mini):
    answer = mini.ask("what level is this: he likes football")
    assert answer.kind == "no_answer"
    assert answer.level is None
    assert "not guess" in answer.text


def test_modal_areas_route_to_triage(mini):
    answer = mini.ask("parents arguing a lot", areas=("domestic-abuse",))
    assert answer.kind == "triage" and answer.level == 3
