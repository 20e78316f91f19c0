"""A hand-built query log with known numbers, the real schema, and a small pack with courses.

The period is the four full weeks from Monday 2 March to Sunday 29 March 2026; the period
before it (2 Feb - 1 Mar) holds 20 questions. k (min_cell_count) is 5.
"""

from __future__ import annotations

import csv
import json
import shutil
import uuid
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
import sqlite_utils

from bot.config import load_config
from bot.loader import load_pack
from bot.schema import migrate
from tests.conftest import MINI, ROOT

FROM, TO = date(2026, 3, 2), date(2026, 3, 29)
TODAY = date(2026, 3, 30)
COURSES = """courses:
  - {id: course-thresholds, title: Thresholds training, areas: [substance-misuse],
     topics: [thresholds], entries: [level-3]}
  - {id: course-sharing, title: Information sharing and consent, areas: [],
     topics: [information-sharing], entries: [share-without-consent]}
  - {id: course-da, title: Domestic abuse awareness, areas: [domestic-abuse], topics: [],
     entries: []}
"""
NRPF = (
    "what support is there for a family with no recourse to public funds",
    "who helps a family with no recourse to public funds",
    "family has no recourse to public funds, what support can they get",
    "no recourse to public funds family - what support is there?",
    "hi, what support is there for a family with no recourse to public funds",
)
RECORDS = (
    "how long should we keep safeguarding records",
    "how long do we keep safeguarding records for",
    "how long to keep old safeguarding records",
    "safeguarding records - how long should we keep them",
    "how long must a school keep safeguarding records",
    "how long should we keep safeguarding records?",
)


class LogBuilder:
    """Rows in the real schema with sensible defaults; `add` returns the new query ids."""

    def __init__(self, path: Path, config):
        self.db = sqlite_utils.Database(path)
        migrate(self.db)
        self.config = config
        self.queries: list[dict] = []
        self.feedback: list[dict] = []

    def add(
        self,
        n: int,
        *,
        day: date,
        agency: str,
        askers: int = 1,
        kind: str = "glossary",
        entry_id: str | None = None,
        topic: str | None = None,
        areas=(),
        level: int | None = None,
        confidence: float = 0.9,
        alternatives=(),
        question: str | tuple[str, ...] = "a question",
    ) -> list[str]:
        ids = []
        for i in range(n):
            qid = uuid.uuid4().hex
            text = question[i % len(question)] if isinstance(question, tuple) else question
            self.queries.append(
                {
                    "id": qid,
                    "ts": f"{day.isoformat()}T10:{i % 60:02d}:00.000000Z",
                    "day": day.isoformat(),
                    "surface": "dm",
                    "asker": f"{agency}-{i % askers}",
                    "agency": agency,
                    "sector": self.config.agency_sector(agency),
                    "question": text,
                    "redactions": 0,
                    "kind": kind,
                    "entry_id": entry_id,
                    "level": level,
                    "emergency": int(kind == "emergency"),
                    "confidence": confidence,
                    "answered": int(kind not in ("no_answer", "help")),
                    "alternatives": json.dumps(list(alternatives)),
                    "latency_ms": 5.0,
                    "pack_id": "mini",
                    "pack_version": "1.0",
                    "purged": 0,
                    "topic": topic,
                    "areas": json.dumps(list(areas)),
                    "agency_source": "chosen",
                    "event_id": None,
                }
            )
            ids.append(qid)
        return ids

    def rate(self, query_ids: list[str], *, helpful: bool, reason: str | None = None) -> None:
        for qid in query_ids:
            row = next(q for q in self.queries if q["id"] == qid)
            self.feedback.append(
                {
                    "id": uuid.uuid4().hex,
                    "query_id": qid,
                    "ts": row["ts"].replace("T10", "T11"),
                    "asker": row["asker"],
                    "helpful": int(helpful),
                    "reason": reason,
                    "comment": None,
                    "purged": 0,
                }
            )

    def save(self) -> None:
        self.db["queries"].insert_all(self.queries)
        if self.feedback:
            self.db["feedback"].insert_all(self.feedback)
        self.db.close()


@pytest.fixture(scope="session")
def pack_dir(tmp_path_factory) -> Path:
    """The mini pack with three courses of our own."""
    target = tmp_path_factory.mktemp("reports") / "pack"
    shutil.copytree(MINI, target)
    (target / "training.yaml").write_text(COURSES, encoding="utf-8")
    return target


@pytest.fixture(scope="session")
def config(pack_dir):
    return replace(
        load_config(ROOT / "config.yaml", pack_dir=str(pack_dir)),
        min_cell_count=5,
        confidence_threshold=0.55,
        review_after_days=365,
    )


@pytest.fixture(scope="session")
def pack(pack_dir):
    return load_pack(pack_dir)


def build_known_log(path: Path, config) -> Path:
    """The numbers every section test checks (see each test for what it expects)."""
    log = LogBuilder(path, config)
    mon, wed, mar16, mar23 = (
        date(2026, 3, 2),
        date(2026, 3, 4),
        date(2026, 3, 16),
        date(2026, 3, 23),
    )
    # Secondary schools, 6 people: threshold questions about substance misuse.
    log.add(
        12,
        day=mon,
        agency="education-secondary",
        askers=6,
        kind="triage",
        entry_id="level-3",
        topic="thresholds",
        areas=["substance-misuse"],
        level=3,
        confidence=0.8,
        question="mum drinking most evenings, what level",
    )
    low = log.add(
        6,
        day=mar16,
        agency="education-secondary",
        askers=6,
        kind="triage",
        entry_id="level-4",
        topic="thresholds",
        areas=["substance-misuse"],
        level=4,
        confidence=0.6,
        question="drugs within reach of child, what level",
    )
    log.rate(low[:5], helpful=False, reason="wrong_level")
    log.rate(low[5:], helpful=True)
    nfa = log.add(
        8,
        day=wed,
        agency="education-secondary",
        askers=6,
        entry_id="nfa",
        topic="process",
        alternatives=["mash"],
    )
    log.rate(nfa[:6], helpful=False, reason="out_of_date")
    log.rate(nfa[6:], helpful=True)
    log.add(
        5,
        day=mar23,
        agency="education-secondary",
        askers=5,
        kind="no_answer",
        confidence=0.2,
        alternatives=["share-without-consent"],
        question=NRPF,
    )
    # GPs, 5 people: information sharing, and a records question nobody can answer.
    log.add(
        10,
        day=mon,
        agency="health-gp",
        askers=5,
        kind="guidance",
        entry_id="share-without-consent",
        topic="information-sharing",
    )
    log.add(
        5,
        day=wed,
        agency="health-gp",
        askers=5,
        entry_id="mash",
        topic="process",
        alternatives=["nfa"],
    )
    log.add(
        6,
        day=mar23,
        agency="health-gp",
        askers=5,
        kind="no_answer",
        confidence=0.1,
        question=RECORDS,
    )
    log.add(
        1,
        day=mar23,
        agency="health-gp",
        kind="no_answer",
        confidence=0.1,
        question="where is the staff car park",
    )
    # Police, only 2 people (so reported with the other small agencies).
    log.add(
        7,
        day=mar16,
        agency="police",
        askers=2,
        kind="triage",
        entry_id="level-4",
        topic="thresholds",
        areas=["domestic-abuse"],
        level=4,
        confidence=0.85,
    )
    log.add(
        2,
        day=mar16,
        agency="police",
        askers=2,
        kind="emergency",
        entry_id="level-4",
        topic="thresholds",
        areas=["injuries"],
        level=4,
        confidence=0.95,
    )
    log.add(1, day=mar16, agency="police", kind="help", confidence=1.0, question="help")
    # The period before: 20 questions from 4 people, all answered, 10 rated (8 helpful).
    before = log.add(
        20, day=date(2026, 2, 10), agency="health-gp", askers=4, entry_id="nfa", topic="process"
    )
    log.rate(before[:8], helpful=True)
    log.rate(before[8:10], helpful=False, reason="unclear")
    log.save()
    return path


@pytest.fixture(scope="session")
def known_log(tmp_path_factory, config) -> Path:
    """Read-only for tests: build your own with LogBuilder to change it."""
    return build_known_log(tmp_path_factory.mktemp("log") / "known.db", config)


@pytest.fixture(scope="session")
def report(tmp_path_factory, config, pack, known_log):
    from bot.reports import build_report

    out = tmp_path_factory.mktemp("report") / "out"
    return build_report(
        config, pack, date_from=FROM, date_to=TO, out_dir=out, db_path=known_log, today=TODAY
    )


def read_csv(path: Path) -> list[dict[str, str]]:
    with Path(path).open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def row(rows: list[dict[str, str]], **match) -> dict[str, str]:
    found = [r for r in rows if all(r.get(k) == v for k, v in match.items())]
    assert len(found) == 1, f"{len(found)} rows match {match}: {rows}"
    return found[0]
