"""'What level is this?' on the Coventry pack: the model, the floor, the explanation, and
guided questions when two levels are close."""

import json
import shutil

import pytest

from bot.loader import read_pack
from tests.conftest import ROOT, run_cli


def test_the_readme_example_gets_a_level_with_its_reasons(coventry):
    answer = coventry.ask(
        "what level is this: mum drinking most evenings, missed baby's appointments, wants help"
    )
    assert answer.kind == "triage" and answer.level == 3
    assert "Why this level:" in answer.text
    assert "Why not RHRT level 4:" in answer.text
    assert "professional judgement" in answer.text


def test_ordinary_life_is_level_1_with_what_universal_services_do(coventry):
    answer = coventry.ask(
        "what level - 7yo doing well at school, mum just asked about holiday clubs, no concerns"
    )
    assert answer.level == 1
    assert "What to do at RHRT level 1" in answer.text


@pytest.mark.parametrize(
    "question",
    [
        "what level: 8 week old baby has a small bruise on his ear, mum says the toddler did it",
        "what level: dad punched mum last night, kids were upstairs",
        "what level: mum's partner wants the 9yo cut when they visit family, she's worried",
        "what level: 13yo girl sending nudes to a man she met online, he's 30",
    ],
)
def test_the_level_4_floor_holds_whatever_else_is_said(coventry, question):
    answer = coventry.ask(question)
    assert answer.level == 4, answer.text[:300]


def test_negated_concerns_do_not_raise_the_level(coventry):
    answer = coventry.ask(
        "what level: no bruises or marks seen, no drugs in the home, kids "
        "well cared for, mum just wants parenting tips"
    )
    assert answer.level == 1 and not answer.emergency


QUESTION = "what level: 7yo always hungry, clothes dirty, mum says money is tight"


def test_two_close_levels_offer_the_guides_questions_and_answers_decide(undecided_pack_dir):
    from bot.assistant import Assistant
    from bot.config import load_config

    bot = Assistant.from_config(load_config(ROOT / "config.yaml", pack_dir=str(undecided_pack_dir)))
    first = bot.ask(QUESTION)
    guided = first.extras.get("guided")
    assert guided and guided["between"] == [3, 4]
    ids = [q["id"] for q in guided["questions"]]
    assert "safe-adult" in ids and "This sits between RHRT level 3 and RHRT level 4" in first.text
    # Any answer pointing higher decides the higher level; all pointing lower, the lower.
    assert bot.refine(QUESTION, {"safe-adult": False}).level == 4
    lower = bot.refine(QUESTION, {"safe-adult": True, "harm-happened": False})
    assert lower.level == 3 and "With your answers" in lower.text


def test_console_refine_asks_the_questions(undecided_pack_dir):
    result = run_cli(
        "--pack",
        str(undecided_pack_dir),
        "chat",
        "--no-log",
        stdin=f"{QUESTION}\nrefine\ny\nn\n\nquit\n",
    )
    assert result.returncode == 0, result.stderr
    assert "Type 'refine'" in result.stdout
    assert "Is there a capable, sober adult keeping the child safe right now?" in result.stdout
    refined = result.stdout.split("With your answers")[-1]
    assert "Suggested level: RHRT level 3" in refined


def test_json_contract_is_unchanged_for_a_triage():
    result = run_cli("ask", "--json", "--no-log", "what level: dad drinks, kids late to school")
    data = json.loads(result.stdout)
    assert data["kind"] == "triage" and data["level"] in (2, 3, 4)
    assert set(data) >= {"kind", "entry_id", "level", "emergency", "confidence", "text"}


def test_the_shipped_model_is_current():
    """A changed example, cue, rule or indicator needs `python -m bot train`."""
    _, problems = read_pack(ROOT / "knowledge" / "coventry")
    assert not [p for p in problems if "level model" in p.message]


def test_a_stale_model_is_an_error(tmp_path):
    pack = tmp_path / "coventry"
    shutil.copytree(ROOT / "knowledge" / "coventry", pack)
    shutil.copytree(ROOT / "knowledge" / "shared", tmp_path / "shared")
    examples = pack / "examples" / "E1.yaml"
    examples.write_text(examples.read_text() + "  - {text: a new example, level: 1}\n")
    _, problems = read_pack(pack)
    assert any("stale" in p.message and p.severity == "error" for p in problems)


def test_a_pack_without_a_model_still_triages_with_the_floor(mini):
    assert mini.pack.situations.model is None
    answer = mini.ask("what level: 6 week old baby with a bruise on his cheek")
    assert answer.level == max(lvl.rank for lvl in mini.pack.levels.values())
    assert answer.emergency


def test_examples_name_real_indicators_and_follow_the_emergency_rule(tmp_path):
    pack = tmp_path / "coventry"
    shutil.copytree(ROOT / "knowledge" / "coventry", pack)
    (pack / "examples" / "bad.yaml").write_text(
        "examples:\n"
        "  - {text: baby alone, level: 3, emergency: true}\n"
        "  - {text: something, level: 2, indicators: [no-such-indicator]}\n"
    )
    _, problems = read_pack(pack)
    messages = [p.message for p in problems if p.severity == "error"]
    assert any("an emergency is always level 4" in m for m in messages)
    assert any("unknown indicator `no-such-indicator`" in m for m in messages)


def test_a_refinement_is_logged_on_the_same_query(tmp_path, monkeypatch, undecided_pack_dir):
    """Guided triage is one query: the row takes the refined level and the yes/no answers."""
    import sqlite3

    from bot.askers import Asker
    from bot.assistant import Assistant
    from bot.config import load_config
    from bot.querylog import QueryLog

    monkeypatch.setenv("RHRT_DB", str(tmp_path / "log.db"))
    config = load_config(ROOT / "config.yaml", pack_dir=str(undecided_pack_dir))
    log = QueryLog.open(config)
    assistant = Assistant.from_config(config, log=log)
    asker = Asker(workspace="T1", user_id="U1")
    first = assistant.ask(QUESTION, asker=asker)
    assert first.level == 4 and first.query_id
    refined = assistant.refine(
        QUESTION,
        {"safe-adult": True, "harm-happened": False},
        asker=asker,
        query_id=first.query_id,
    )
    assert refined.level == 3
    log.close()
    rows = (
        sqlite3.connect(tmp_path / "log.db")
        .execute("select level, refinement from queries")
        .fetchall()
    )
    assert rows == [(3, '{"harm-happened": false, "safe-adult": true}')]


def test_level_4_needs_some_belief_in_level_3_not_only_in_level_2():
    """The top gate reads the step just below the top: a case the middle step puts firmly at
    level 2 is not lifted to level 4 by a low level-4 threshold alone."""
    from bot.levelmodel import LevelModel

    def model(gate_on):
        steps = {
            str(k): {"bias": b, "weights": {}, "threshold": t}
            for k, b, t in ((2, 2.0, 0.5), (3, -2.0, 0.5), (4, -1.0, 0.15))
        }  # P(>=2) 0.88, P(>=3) 0.12, P(>=4) 0.27
        data = {"steps": steps, "top_gate": 0.2}
        return LevelModel(data | ({"top_gate_on": gate_on} if gate_on else {}))

    assert model("next-step").decide({}).rank == 2
    assert model(None).decide({}).rank == 4  # older models: any step below may open the gate


LOOK_ALIKES = [
    "dad wants to cut down on his drinking, mum does bedtimes, kids thriving",
    "HV: mum on her own since dad left in the summer, baby won't settle, asking for help",
    "3yo touches her own private parts at bathtime, stops when distracted, mum asking if normal",
    "3 week old, mum worried about a bruise on his back, it is a mongolian blue spot noted at "
    "the newborn check, not a bruise",
]


@pytest.mark.parametrize("question", LOOK_ALIKES)
def test_ordinary_things_that_sound_like_level_4_are_not_floored(coventry, question):
    a = coventry.assessor.assess(question, asked_level=True)
    assert not a.floors, [r.id for r in a.floors]
    assert not coventry.assessor.check_safety(question).emergency
