"""Transcript tests: the development question sets in tests/golden/<pack>/ against the
issue's targets. Each pack's set runs against that pack; a miss is listed in the failure."""

from pathlib import Path

import pytest

from bot.assistant import Assistant
from bot.config import load_config
from bot.evaluate import TARGETS, load_cases, report, run, summarise
from tests.conftest import ROOT

GOLDEN = ROOT / "tests" / "golden"
PACKS = sorted(p.name for p in GOLDEN.iterdir() if p.is_dir() and any(p.glob("*.yaml")))


@pytest.fixture(scope="module", params=PACKS)
def summary(request):
    pack_dir = ROOT / "knowledge" / request.param
    assistant = Assistant.from_config(load_config(ROOT / "config.yaml", pack_dir=str(pack_dir)))
    return summarise(
        run(assistant, load_cases(GOLDEN / request.param)),
        top_rank=max(lv.rank for lv in assistant.pack.levels.values()),
    )


@pytest.mark.parametrize("figure", sorted(TARGETS))
def test_target_met(summary, figure):
    text, _ = report(summary, verbose=True)
    assert summary.pct(figure) >= TARGETS[figure], text


def test_no_top_level_vignette_is_answered_below_it(summary):
    assert [r.case.question for r in summary.under_called_level4] == []


def test_every_case_names_something_to_check():
    for path in Path(GOLDEN).rglob("*.yaml"):
        for case in load_cases(path.parent):
            assert case.entry or case.kind or case.level or case.emergency is not None, case
