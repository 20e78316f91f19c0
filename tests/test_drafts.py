"""`python -m bot draft-entry`: gaps asked by k or more different people become YAML stubs in
the pack's drafts/ folder; `validate` checks them; the bot never serves them."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
import sqlite_utils
import yaml

from bot.assistant import Assistant
from bot.config import load_config
from tests.conftest import ROOT, run_cli
from tests.reports.conftest import NRPF, LogBuilder

DAY = datetime.now(UTC).date() - timedelta(days=2)
PERIOD = ("--from", (DAY - timedelta(days=5)).isoformat(), "--to", DAY.isoformat())
SECRET = "my client tyler smith wants to know about the bus pass scheme"


@pytest.fixture
def gaps_log(tmp_path):
    """Six people asked about no recourse to public funds (a gap that may be drafted); one
    person asked about a bus pass ten times (never quoted)."""
    config = load_config(ROOT / "config.yaml")
    db = tmp_path / "gaps.db"
    log = LogBuilder(db, config)
    ids = log.add(
        12,
        day=DAY,
        agency="health-gp",
        askers=6,
        kind="no_answer",
        confidence=0.2,
        question=NRPF,
    )
    log.add(
        10, day=DAY, agency="police", askers=1, kind="no_answer", confidence=0.1, question=SECRET
    )
    log.rate(ids[:3], helpful=False, reason="unclear")
    log.save()
    return db, ids


def draft_cli(pack_dir, db, *args):
    return run_cli("--pack", str(pack_dir), "draft-entry", "--db", str(db), *PERIOD, *args)


def test_only_gaps_that_k_people_asked_are_listed(mini_dir, gaps_log):
    db, _ = gaps_log
    listed = draft_cli(mini_dir, db)
    assert listed.returncode == 0, listed.stderr
    assert "recourse to public funds" in listed.stdout
    assert "12 questions from 6 people" in listed.stdout
    assert "bus pass" not in listed.stdout and "tyler" not in listed.stdout.lower()


def test_draft_entry_writes_a_stub_that_validate_accepts_and_the_bot_never_serves(
    mini_dir, gaps_log
):
    db, _ = gaps_log
    made = draft_cli(mini_dir, db, "--cluster", "1")
    assert made.returncode == 0, made.stderr
    [path] = (mini_dir / "drafts").glob("*.yaml")
    stub = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert stub["id"] == path.stem and "recourse-public-funds" in stub["id"]
    assert stub["kind"] == "guidance"
    assert stub["draft"]["gap"] == {
        "questions": 12,
        "people": 6,
        "unanswered": 12,
        "low_confidence": 0,
        "agencies": 1,
    }
    assert stub["draft"]["not_helpful_reasons"] == {"unclear": 3}
    assert set(stub["questions"]) <= set(NRPF) and len(stub["questions"]) >= 3
    assert "bus pass" not in path.read_text(encoding="utf-8")

    checked = run_cli("validate", str(mini_dir))
    assert checked.returncode == 0, checked.stdout
    assert "1 draft(s), not served" in checked.stdout
    assert f"drafts/{path.name}:" in checked.stdout and "needs: text, sources, reviewed" in (
        checked.stdout
    )

    bot = Assistant.from_config(load_config(ROOT / "config.yaml", pack_dir=str(mini_dir)))
    assert stub["id"] not in bot.pack.entries
    answer = bot.answer(stub["title"])
    assert answer.entry_id != stub["id"]


def test_an_advisers_reply_is_the_starting_text(mini_dir, gaps_log):
    db, ids = gaps_log
    data = sqlite_utils.Database(db)
    question = data["queries"].get(ids[0])["question"]
    data["escalations"].insert(
        {
            "id": "e1",
            "query_id": ids[0],
            "ts": f"{DAY}T12:00:00Z",
            "day": DAY.isoformat(),
            "question": question,
            "status": "replied",
            "purged": 0,
        }
    )
    data["escalation_replies"].insert(
        {
            "id": "r1",
            "escalation_id": "e1",
            "ts": f"{DAY}T13:00:00Z",
            "text": "Children's services can assess under section 17 whatever the status.",
            "purged": 0,
        }
    )
    data.conn.close()
    made = draft_cli(mini_dir, db, "--cluster", "1", "--id", "nrpf-support", "--kind", "guidance")
    assert made.returncode == 0, made.stderr
    stub = yaml.safe_load((mini_dir / "drafts" / "nrpf-support.yaml").read_text())
    assert stub["text"].startswith("Children's services can assess under section 17")
    assert stub["draft"]["adviser_replies"] == 1


def test_bad_requests_get_one_line_and_write_nothing(mini_dir, gaps_log):
    db, _ = gaps_log
    missing = draft_cli(mini_dir, db, "--cluster", "2")
    assert missing.returncode == 2 and "no gap number 2" in missing.stderr
    assert len(missing.stderr.strip().splitlines()) == 1
    taken = draft_cli(mini_dir, db, "--cluster", "1", "--id", "nfa")
    assert taken.returncode == 2 and "already used" in taken.stderr
    assert not (mini_dir / "drafts").exists()
    again = [draft_cli(mini_dir, db, "--cluster", "1") for _ in range(2)]
    assert again[0].returncode == 0 and again[1].returncode == 2
    assert "use --force" in again[1].stderr


def test_validate_reports_a_broken_draft_as_file_line(mini_dir):
    drafts = mini_dir / "drafts"
    drafts.mkdir()
    (drafts / "bad.yaml").write_text("id: NFA\nkind: essay\ntitle: ''\nquestions: x\n")
    (drafts / "clash.yaml").write_text(
        "draft: {}\nid: nfa\nkind: glossary\ntitle: NFA\nquestions: []\n"
    )
    checked = run_cli("validate", str(mini_dir))
    assert checked.returncode == 1
    out = checked.stdout
    assert "mini/drafts/bad.yaml:1: draft `NFA`: id must be lower-case" in out
    assert "`kind` must be one of glossary, guidance" in out
    assert "mini/drafts/clash.yaml:1: draft `nfa`: the pack already has an entry" in out
    # A broken draft never stops the live pack from loading.
    bot = Assistant.from_config(replace(load_config(ROOT / "config.yaml", pack_dir=str(mini_dir))))
    assert bot.answer("what does NFA mean").entry_id == "nfa"
