"""Admin commands in Teams: `reload` and `report [period]` for the board-office admins in
`config.yaml` (their Entra object ids); anyone else is politely refused. The reload swaps the
one shared assistant, so Slack in the same process serves the new pack too."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from handlers import constants as c
from tests.reports.conftest import NRPF, LogBuilder

from .conftest import BOB, USER, texts

ADMIN = USER


@pytest.fixture
def seeded(make_teams):
    teams = make_teams(admins=(ADMIN,))
    log = LogBuilder(teams.db_path, teams.config)
    day = datetime.now(UTC).date()
    log.add(8, day=day, agency="police", askers=4, entry_id="nfa", topic="terms")
    log.add(
        6, day=day, agency="health-gp", askers=6, kind="no_answer", confidence=0.2, question=NRPF
    )
    log.save()
    return teams


def test_an_admin_gets_the_report_summary(seeded):
    card = seeded.ask("report 7d")
    shown = texts(card)
    assert shown.startswith("Board-office report: ") and "python -m bot report" in shown
    assert "14" in shown  # the questions in the period
    assert seeded.fake.refused == []


@pytest.mark.parametrize("text", ["report", "report 7d", "reload"])
def test_anyone_else_is_refused(seeded, text):
    card = seeded.ask(text, user=BOB)
    assert texts(card) == c.ADMIN_ONLY


def test_a_practitioners_question_starting_with_report_is_answered(seeded):
    before = len(seeded.rows())
    card = seeded.ask("report a concern about a child", user=BOB)
    assert c.ADMIN_ONLY not in texts(card)
    assert len(seeded.rows()) == before + 1


def test_reload_swaps_the_shared_assistant_and_refuses_a_broken_pack(make_teams, mini_dir):
    teams = make_teams(admins=(ADMIN,), pack_dir=mini_dir)
    old = teams.services.assistant
    card = teams.ask("reload")
    assert texts(card).startswith("Reloaded ")
    assert teams.services.assistant is not old  # Slack and Teams share this one object
    (mini_dir / "glossary.yaml").write_text("- id: [broken\n", encoding="utf-8")
    current = teams.services.assistant
    refused = texts(teams.ask("reload"))
    assert refused.startswith("Pack refused:") and teams.services.assistant is current
    assert "No further action" in texts(teams.ask("what does NFA mean"))
