from bot.text import neutralise_slack, normalise, tokens


def test_text_speak_and_typos_are_normalised():
    assert normalise("wot does u mean by safegaurding") == "what does you mean by safeguarding"


def test_us_spellings_become_british():
    assert normalise("Behavior and honor based abuse") == "behaviour and honour based abuse"


def test_possessives_and_contractions():
    assert tokens("baby's mum isn't engaging") == ["baby", "mum", "is", "not", "engaging"]


def test_ages_are_split_from_their_units():
    assert tokens("14yo boy, 3yrs old") == ["14", "year", "old", "boy", "3", "years", "old"]


def test_slack_markup_is_neutralised():
    text = neutralise_slack("<!channel> <@U123ABC> see <http://x.example|this> in <#C1|general>")
    assert "<" not in text and "!channel" not in text and "U123ABC" not in text
    assert "this" in text and "#general" in text


def test_zero_width_and_control_characters_are_dropped():
    assert normalise("N\u200bF\u200dA\x07?") == "nfa"
