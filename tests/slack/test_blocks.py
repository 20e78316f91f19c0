"""The pure Block Kit builders: limits, escaping, emergency first, feedback values."""

import json
from datetime import date

import pytest
from slack_sdk.models.blocks import Block

from bot.answer import Alternative, Answer, MatchedIndicator, SourceCitation
from handlers import constants as c
from handlers.blocks import (
    MAX_BLOCKS,
    SECTION_LIMIT,
    acknowledge_feedback,
    answer_fallback_text,
    escape,
    guide_list_blocks,
    render_answer_blocks,
    split_text,
)
from handlers.home_view import home_view
from handlers.modals import agency_modal, feedback_modal, level_modal, level_question
from handlers.stats import Headlines


def dicts(blocks: list[Block]) -> list[dict]:
    """to_dict() runs slack_sdk's own validation of every Block Kit limit."""
    return [b.to_dict() for b in blocks]


def section_texts(blocks: list[dict]) -> list[str]:
    return [b["text"]["text"] for b in blocks if b["type"] == "section" and "text" in b]


def test_typed_mentions_and_channel_pings_are_escaped_everywhere():
    typed = "<!channel> <!here> <@U123ABC> <#C1|general> <https://evil.example|click> a & b"
    answer = Answer(
        kind="no_answer",
        text=typed,
        title=typed,
        notes=(typed,),
        emergency_text=typed,
        query_id="q1",
        alternatives=(Alternative("nfa", typed, 0.4),),
        sources=(SourceCitation(typed, None, typed),),
    )
    blocks = dicts(render_answer_blocks(answer, share_value=typed))
    shown = json.dumps(blocks).replace(json.dumps(typed), "")  # button values are not shown
    rendered = shown + answer_fallback_text(answer)
    for markup in ("<!channel>", "<!here>", "<@U123ABC>", "<#C1|general>", "<https://evil"):
        assert markup not in rendered
    assert "&lt;!channel&gt;" in rendered and "a &amp; b" in rendered


def test_escape_covers_exactly_slacks_three_characters():
    assert escape("a & <b> 'c' \"d\" *e*") == "a &amp; &lt;b&gt; 'c' \"d\" *e*"


def test_emergency_advice_comes_first_and_stands_out():
    answer = Answer(
        kind="emergency",
        emergency=True,
        title="Emergency",
        emergency_text="IMMEDIATE RISK — call 999 now.\n• Police: 999",
        text="What to do next.",
        query_id="q1",
    )
    blocks = dicts(render_answer_blocks(answer))
    assert blocks[0]["block_id"] == "emergency"
    assert blocks[0]["text"]["text"].startswith(":rotating_light: *IMMEDIATE RISK")
    assert blocks[1]["type"] == "divider"
    assert answer_fallback_text(answer).startswith("IMMEDIATE RISK")


def test_feedback_buttons_carry_the_query_id_and_share_carries_the_question():
    answer = Answer(kind="glossary", title="NFA", text="No further action.", query_id="abc123")
    blocks = dicts(render_answer_blocks(answer, share_value="what does nfa mean"))
    [actions] = [b for b in blocks if b.get("block_id") == c.FEEDBACK_BLOCK]
    values = {e["action_id"]: e["value"] for e in actions["elements"]}
    assert values == {
        c.FEEDBACK_UP: "abc123",
        c.FEEDBACK_DOWN: "abc123",
        c.SHARE_ANSWER: "what does nfa mean",
    }


def test_no_feedback_buttons_without_a_logged_query():
    blocks = dicts(render_answer_blocks(Answer(kind="glossary", title="NFA", text="x")))
    assert not [b for b in blocks if b.get("block_id") == c.FEEDBACK_BLOCK]


def test_a_long_guide_is_split_into_sections_within_slacks_limits():
    paragraphs = [f"Paragraph {n}: " + "word " * 400 for n in range(60)]  # ~120k characters
    answer = Answer(
        kind="guide",
        title="A very long guide",
        text="\n\n".join(paragraphs),
        query_id="q1",
        sources=(SourceCitation("Guide", "https://x.test"),),
        reviewed=date(2026, 1, 1),
    )
    blocks = dicts(render_answer_blocks(answer, share_value="q", full=True))
    assert len(blocks) <= MAX_BLOCKS
    assert all(len(t) <= SECTION_LIMIT for t in section_texts(blocks))
    assert "Shortened to fit" in json.dumps(blocks)
    # sources and buttons survive the cut
    assert any(b["type"] == "context" and "Reviewed 2026-01-01" in json.dumps(b) for b in blocks)
    assert blocks[-1]["block_id"] == c.FEEDBACK_BLOCK


def test_split_text_keeps_paragraphs_whole_when_they_fit():
    text = "First paragraph.\n\nSecond paragraph.\nwith a second line."
    assert split_text(text) == [text]
    chunks = split_text("a" * 10 + "\n\n" + "b" * 10, limit=15)
    assert chunks == ["a" * 10, "b" * 10]


def test_split_text_never_breaks_an_escaped_entity():
    text = escape("&" * 5000)
    chunks = split_text(text, limit=3000)
    assert "".join(chunks) == text
    assert all(chunk.endswith("&amp;") for chunk in chunks)


def test_did_you_mean_buttons_when_no_answer():
    answer = Answer(
        kind="no_answer",
        text="I don't know.",
        alternatives=(Alternative("nfa", "NFA", 0.5), Alternative("mash", "MASH", 0.4)),
    )
    blocks = dicts(render_answer_blocks(answer))
    [offers] = [b for b in blocks if b.get("block_id") == "did_you_mean"]
    assert [(e["action_id"], e["value"]) for e in offers["elements"]] == [
        ("open_entry_0", "nfa"),
        ("open_entry_1", "mash"),
    ]
    assert all(c.OPEN_ENTRY_PATTERN.match(e["action_id"]) for e in offers["elements"])


def test_no_did_you_mean_for_a_confident_answer():
    answer = Answer(
        kind="glossary",
        title="MASH",
        text="Hub.",
        confidence=0.98,
        alternatives=(Alternative("nfa", "NFA", 0.5),),
    )
    assert not [
        b for b in dicts(render_answer_blocks(answer)) if b.get("block_id") == "did_you_mean"
    ]


def test_triage_indicators_render_once_as_their_own_block():
    indicator = MatchedIndicator(
        "sm-l3",
        3,
        "Level 3",
        "substance-misuse",
        "Substance misuse impacting on the child's needs.",
    )
    text = (
        "Suggested level: Level 3.\n\nWhat you described matches these indicators:\n"
        "• Level 3 · Parental substance misuse: Substance misuse impacting on the "
        "child's needs.\n\nTalk to your DSL."
    )
    answer = Answer(kind="triage", title="Level 3", text=text, level=3, indicators=(indicator,))
    blocks = dicts(
        render_answer_blocks(
            answer, area_titles={"substance-misuse": "Parental substance misuse"}, full=True
        )
    )
    rendered = json.dumps(blocks, ensure_ascii=False)
    assert rendered.count("Substance misuse impacting") == 1
    assert "*Level 3* · Parental substance misuse" in rendered


def test_redaction_adds_one_gentle_line():
    plain = dicts(render_answer_blocks(Answer(kind="glossary", title="NFA", text="x")))
    redacted = dicts(
        render_answer_blocks(Answer(kind="glossary", title="NFA", text="x", redacted=2))
    )
    assert len(redacted) == len(plain) + 1
    assert json.dumps(redacted).count("Please don't include names") == 1


def test_feedback_row_is_replaced_by_thanks():
    answer = Answer(kind="glossary", title="NFA", text="x", query_id="q1")
    posted = dicts(render_answer_blocks(answer))
    after = acknowledge_feedback(posted, "Thanks <b>")
    assert len(after) == len(posted)
    assert not [b for b in after if b.get("block_id") == c.FEEDBACK_BLOCK]
    assert "Thanks &lt;b&gt;" in json.dumps(after)


def test_guide_list_is_buttons_for_each_guide(mini):
    blocks = dicts(guide_list_blocks(mini.pack.entries_of("guide")))
    assert [e["value"] for e in blocks[1]["elements"]] == ["omg-neglect"]


@pytest.mark.parametrize("builder", ["feedback", "agency", "level"])
def test_modals_are_valid_block_kit(builder, mini):
    from bot.config import load_config
    from tests.conftest import ROOT

    config = load_config(ROOT / "config.yaml")
    view = {
        "feedback": lambda: feedback_modal("q1"),
        "agency": lambda: agency_modal(config.agencies, current="police"),
        "level": lambda: level_modal(mini.pack),
    }[builder]()
    data = view.to_dict()
    assert data["type"] == "modal" and data["callback_id"]
    if builder == "agency":
        groups = data["blocks"][1]["element"]["option_groups"]
        assert sum(len(g["options"]) for g in groups) == len(config.agencies)
        assert data["blocks"][1]["element"]["initial_option"]["value"] == "police"
    if builder == "level":
        areas = data["blocks"][2]["element"]["options"]
        assert [o["value"] for o in areas] == list(mini.pack.areas)


def test_level_question_adds_the_age_band_in_words():
    assert level_question("  dad hits mum ", "under-1") == (
        "what level is this: dad hits mum (baby under 1 year old)"
    )
    assert level_question("dad hits mum", None) == "what level is this: dad hits mum"


def test_home_view_navigator_admin_numbers_and_emergency(mini):
    headlines = Headlines("November 2026", 40, 30, 2, (("police", 12),), 3)
    view = home_view(
        mini.pack,
        is_admin=True,
        headlines=headlines,
        agency="police",
        agency_name=lambda a: {"police": "Police"}.get(a, a),
        area="neglect",
        level="level-3",
    ).to_dict()
    rendered = json.dumps(view, ensure_ascii=False)
    assert view["type"] == "home" and len(view["blocks"]) <= 100
    assert "Indicators by area" in rendered and "Home conditions poor." in rendered
    assert "Severe neglect." in rendered and "the level you chose" in rendered
    assert "Questions*\\n40" in rendered and "75%" in rendered and "Police (12)" in rendered
    assert "fewer than 5" in rendered and "immediate danger" in rendered
    assert "Your organisation: *Police*" in rendered
    plain = json.dumps(home_view(mini.pack).to_dict())
    assert "This month" not in plain and "the level you chose" not in plain


def test_many_guides_on_home_become_one_select_that_opens_the_chosen_guide():
    from types import SimpleNamespace

    from handlers.home_view import guide_blocks

    guides = [SimpleNamespace(id=f"g{n}", title=f"Guide {n}") for n in range(30)]
    [block] = dicts(guide_blocks(guides))
    select = block["accessory"]
    assert c.OPEN_ENTRY_PATTERN.match(select["action_id"])
    assert [o["value"] for o in select["options"]] == [g.id for g in guides]
