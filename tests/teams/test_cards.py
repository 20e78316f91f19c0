"""The one renderer from an Answer to an Adaptive Card: emergency first, the lead and "More",
sources with their review date, limits, and literal text everywhere. The cards also parse as
the Teams SDK's own Adaptive Card model."""

from dataclasses import dataclass
from datetime import date

from microsoft_teams.cards import AdaptiveCard

from bot.answer import Alternative, Answer, SourceCitation
from handlers import constants as c
from handlers.teams import cards, forms, ids

from .conftest import actions_of, dumps, texts


def _answer(**fields) -> Answer:
    base = {"kind": "glossary", "title": "NFA", "text": "No further action.", "confidence": 0.9}
    return Answer(**{**base, **fields})


def test_emergency_advice_comes_first_and_stands_out():
    card = cards.answer_card(
        _answer(
            kind="emergency",
            emergency=True,
            emergency_text="IMMEDIATE RISK — call 999.\n• Police: 999",
        )
    )
    first = card["body"][0]
    assert first["id"] == "emergency" and first["style"] == "attention"
    assert texts(first) == "🚨 IMMEDIATE RISK — call 999.\n• Police: 999"
    assert texts(card["body"][1]) == "NFA"


@dataclass(frozen=True)
class _WithLead(Answer):
    """An Answer as issue 15 will have it: a short lead (`summary`) beside the full text."""

    summary: str = ""


def test_a_lead_shows_first_and_the_rest_is_behind_more():
    answer = _WithLead(
        kind="glossary", title="NFA", text="Long text.\n\nMore detail.", summary="In short."
    )
    card = cards.answer_card(answer)
    body_texts = [texts(b) for b in card["body"]]
    assert body_texts[:2] == ["NFA", "In short."]
    [toggle] = [a for a in actions_of(card) if a["type"] == "Action.ToggleVisibility"]
    assert toggle["title"] == "More" and toggle["targetElements"] == ["more"]
    [more] = [b for b in card["body"] if b.get("id") == "more"]
    assert more["isVisible"] is False and texts(more) == "Long text.\nMore detail."


def test_without_a_lead_the_whole_text_shows_and_there_is_no_more():
    card = cards.answer_card(_answer(text="One.\n\nTwo."))
    assert "Action.ToggleVisibility" not in dumps(card)
    assert texts(card) == "NFA\nOne.\nTwo."


def test_sources_carry_their_links_and_the_review_date():
    answer = _answer(
        sources=(SourceCitation("Working Together", "https://www.gov.uk/wt", "ch 1"),),
        reviewed=date(2026, 11, 1),
    )
    [sources] = [b for b in cards.answer_card(answer)["body"] if b.get("id") == "sources"]
    assert texts(sources) == "Sources: \nWorking Together, ch 1\n   Reviewed 2026-11-01"
    link = sources["inlines"][1]["selectAction"]
    assert link == {"type": "Action.OpenUrl", "url": "https://www.gov.uk/wt"}


def test_did_you_mean_only_when_unsure():
    offers = (Alternative("mash", "MASH", 0.5), Alternative("lado", "LADO", 0.4))
    unsure = cards.answer_card(_answer(kind="no_answer", confidence=0.3, alternatives=offers))
    assert [a["data"] for a in actions_of(unsure)] == [{"entry": "mash"}, {"entry": "lado"}]
    sure = cards.answer_card(_answer(confidence=0.95, alternatives=offers))
    assert not actions_of(sure)


def test_feedback_only_for_a_logged_answer_and_thanks_replaces_the_row():
    assert not actions_of(cards.answer_card(_answer()))
    card = cards.answer_card(_answer(query_id="q1"), reasons=c.FEEDBACK_REASONS)
    assert {a.get("verb") for a in actions_of(card)} >= {ids.FEEDBACK_UP, ids.FEEDBACK_DOWN}
    done = cards.acknowledge(card, "Thanks")
    assert ids.FEEDBACK_ROW not in [b.get("id") for b in done["body"]]
    assert texts(done).endswith("Thanks")


def test_every_text_is_literal_and_long_answers_are_cut():
    typed = "**bold** <b>x</b> [link](https://evil.example) \x07" + "word " * 5000
    card = cards.answer_card(_answer(title=typed, text="\n\n".join([typed] * 60), notes=(typed,)))
    raw = dumps(card)
    assert '"TextBlock"' not in raw and "\\u0007" not in raw
    assert cards.SHORTENED in texts(card)
    assert len(raw.encode()) < 28_000  # Teams' message size limit


def test_the_cards_parse_as_the_sdks_adaptive_card_model(mini):
    answer = mini.answer("what does NFA mean")
    emergency = mini.answer("toddler home alone right now")  # its numbers' page is a link
    assert "numbers_source" in dumps(cards.answer_card(emergency))
    for card in (
        cards.answer_card(answer, reasons=c.FEEDBACK_REASONS, extra=forms.agency_offer([])),
        cards.answer_card(emergency),
        forms.level_form(mini.pack),
        forms.help_card("Help."),
        forms.agency_card([{"id": "police", "name": "Police", "sector": "police"}], None),
    ):
        assert AdaptiveCard.model_validate(card).version == "1.5"
