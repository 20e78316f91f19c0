"""Synthetic query-log traffic, so a new user can see a real report in one command.

`python -m bot demo-log --rows N` writes N questions (plus feedback and askers) spread over
months: agencies weighted like a real partnership, questions drawn from the pack's own entry
questions and indicator triggers, recurring unanswered questions phrased several ways,
borderline threshold questions that draw disagreement, emergencies and help requests. Every
asker is a random pseudonym and no text holds a real-looking identifier. Synthetic rows carry
an `event_id` starting `demo:` and the command refuses to write into a log with real rows.
"""

from __future__ import annotations

import json
import random
import sqlite3
import sys
from bisect import bisect
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from pathlib import Path

import sqlite_utils

from .config import Config
from .pack import Pack
from .schema import migrate

DEMO_TAG = "demo:"
# Relative weights of partner agencies in a typical partnership's safeguarding questions.
AGENCY_WEIGHTS = {
    "education-primary": 14,
    "education-secondary": 12,
    "police": 8,
    "la-early-help": 7,
    "education-early-years": 7,
    "health-visiting": 7,
    "health-acute": 6,
    "health-gp": 6,
    "la-childrens-services": 6,
    "voluntary-community": 5,
    "health-school-nursing": 4,
    "education-fe": 3,
    "health-midwifery": 3,
    "health-mental-health": 3,
    "probation": 2,
    "health-community": 2,
    "education-independent": 2,
    "la-housing": 2,
    "faith": 2,
    "other": 1,
}
UNKNOWN_AGENCY_WEIGHT = 3
# What each sector (and some agencies) asks about more than average: topic or area ids.
AFFINITY = {
    "health": {
        "pre-birth": 3,
        "injuries": 2.5,
        "disability-health": 3,
        "health": 3,
        "parental-mental-health": 2,
        "mental-health": 2,
        "information-sharing": 1.5,
    },
    "education": {
        "education": 4,
        "online-harm": 2.5,
        "online-safety": 3,
        "thresholds": 1.6,
        "child-mental-health": 2,
        "extra-familial-harm": 1.5,
        "early-help": 1.5,
    },
    "police": {
        "domestic-abuse": 3,
        "cce": 3,
        "cse": 2.5,
        "missing": 3,
        "exploitation": 3,
        "extra-familial-harm": 2.5,
        "contextual-safeguarding": 2,
        "legal": 2,
    },
    "probation": {"domestic-abuse": 3, "substance-misuse": 2, "information-sharing": 2},
    "local-authority": {"process": 2, "early-help": 2.5, "child-protection": 2, "housing": 2},
    "voluntary": {"thresholds": 1.5, "information-sharing": 1.8, "allegations": 2, "roles": 2},
    "health-midwifery": {"pre-birth": 6},
    "la-housing": {"housing": 8},
    "health-visiting": {"neglect": 2.5, "injuries": 2},
    "faith": {"allegations": 3},
    "health-school-nursing": {"child-mental-health": 3},
    "education-secondary": {"cce": 2},
}
# Agencies whose practitioners disagree with a suggested level more often.
DISAGREEMENT = {
    "police": 2.0,
    "education-primary": 1.7,
    "education-secondary": 1.6,
    "health-gp": 1.4,
    "voluntary-community": 1.3,
}
KIND_MIX = {
    "triage": 0.33,
    "entry": 0.44,
    "vague": 0.06,
    "gap": 0.075,
    "noise": 0.03,
    "emergency": 0.012,
    "help": 0.013,
}
# How often each kind of pack entry is asked about, relative to a glossary term.
KIND_WEIGHT = {"glossary": 1.0, "guidance": 2.5, "guide": 1.5, "level": 5.0}
SURFACES = (("dm", 50), ("slash", 25), ("mention", 20), ("console", 5))
TRIAGE_TEMPLATES = (
    "what level is this: {t}",
    "{t} - what level?",
    "{t}. early help or mash?",
    "is this level 3 or 4? {t}",
    "what rhrt level would {t} be",
    "{t}, does that need a referral",
    "worried: {t}. which level",
    "re [NAME]: {t} - what level?",
)
# Recurring questions the pack cannot answer, each phrased several ways. The first number is
# a weight; the second the month (from the end, 0 = this month) a cluster starts appearing.
GAP_CLUSTERS = (
    (
        9,
        99,
        (
            "what support is there for a family with no recourse to public funds",
            "nrpf family - can children's services help?",
            "family have no recourse to public funds and are being evicted, what do i do",
            "who helps families with no recourse to public funds",
        ),
    ),
    (
        7,
        99,
        (
            "how long should we keep safeguarding records",
            "how long do i keep child protection files",
            "retention period for safeguarding records",
            "when can we destroy old safeguarding files",
        ),
    ),
    (
        6,
        99,
        (
            "parent wants to home educate, is that a safeguarding concern",
            "child being taken out of school for elective home education, who do i tell",
            "elective home education and safeguarding - what are the rules",
            "parents deregistering child to home educate, what should school do",
        ),
    ),
    (
        5,
        99,
        (
            "what do i do with an unaccompanied asylum seeking child",
            "unaccompanied asylum seeking child arrived at school, who is responsible",
            "who do i contact about an unaccompanied child seeking asylum",
        ),
    ),
    (
        5,
        99,
        (
            "can a parent without parental responsibility collect a child from school",
            "dad has no parental responsibility but wants to collect, what do we do",
            "parent without parental responsibility asking for school reports",
        ),
    ),
    (
        4,
        99,
        (
            "family moving to another local authority, how do i transfer concerns",
            "child moved out of area, which mash do i contact",
            "how do i make a cross border referral to another council",
        ),
    ),
    (
        4,
        99,
        (
            "do we need an interpreter for a team around the family meeting",
            "parents do not speak english, how do i get an interpreter for the taf",
            "who pays for an interpreter at a strategy meeting",
        ),
    ),
    (
        8,
        3,
        (
            "is vaping at school a safeguarding issue",
            "year 7 pupil selling vapes at school, what level",
            "child vaping and selling vapes - safeguarding or behaviour",
        ),
    ),
    (
        3,
        99,
        (
            "is there safeguarding supervision for dsls",
            "where can i get supervision after a difficult disclosure",
            "who supervises the designated safeguarding lead",
        ),
    ),
)
GAP_PREFIXES = ("", "", "", "", "quick question - ", "hi, ", "can you tell me ", "please help: ")
GAP_SUFFIXES = ("", "", "", "?", " thanks", " in coventry", " please")
NOISE = (
    ("where do i find", "who do i ask about", "is there guidance on", "what about"),
    ("the new", "our", "the local", "a"),
    (
        "staff rota",
        "parking permit",
        "training room booking",
        "laptop login",
        "minibus policy",
        "trip consent form",
        "uniform grant",
        "lunch menu",
        "holiday club",
        "sports day",
        "room booking",
        "expenses claim",
        "lanyard colours",
        "visitor badge",
        "car share scheme",
        "printer codes",
    ),
)
EMERGENCY_TEXTS = (
    "child has just told me dad hit her and she is scared to go home tonight",
    "baby has a bruise on the face and mum cannot explain it, they are leaving now",
    "young person says they will kill themselves tonight",
    "child disclosed an adult at home touched them, they are with me now",
    "teenager missing since last night and seen getting into cars with older men",
)
HELP_TEXTS = ("help", "what can you do", "how does this work", "hello", "?")
REASONS = {
    "threshold": (("wrong_level", 6), ("unclear", 2), ("other", 1)),
    "out_of_date": (("out_of_date", 6), ("unclear", 1)),
    "unclear": (("unclear", 6), ("other", 1)),
    "not_my_area": (("not_my_area", 6),),
    "general": (("unclear", 3), ("not_my_area", 2), ("out_of_date", 1), ("other", 2)),
}
COMMENTS = {
    "wrong_level": "felt higher than the level suggested given what was described",
    "out_of_date": "this mentions rhrt but i thought it had been replaced",
    "unclear": "too long, i needed the one thing to do next",
    "not_my_area": "not relevant to health settings",
    "other": "did not answer my question",
}
QUERY_COLUMNS = (
    "id",
    "ts",
    "day",
    "surface",
    "asker",
    "agency",
    "sector",
    "question",
    "redactions",
    "kind",
    "entry_id",
    "level",
    "emergency",
    "confidence",
    "answered",
    "alternatives",
    "latency_ms",
    "pack_id",
    "pack_version",
    "purged",
    "topic",
    "areas",
    "agency_source",
    "event_id",
)
FEEDBACK_COLUMNS = ("id", "query_id", "ts", "asker", "helpful", "reason", "comment", "purged")


class DemoLogError(Exception):
    """The demo log cannot be written (the message says why)."""


@dataclass(frozen=True)
class Archetype:
    """One kind of question: what the bot answers, and the range of its confidence."""

    group: str
    text: str
    kind: str
    entry_id: str | None = None
    topic: str | None = None
    areas: str = "[]"
    level: int | None = None
    low: float = 0.6
    high: float = 0.95
    alternatives: tuple[str, ...] = ()
    feedback: str = "general"  # which REASONS profile an unhelpful rating draws from
    helpful: float = 0.85
    weight: float = 1.0
    start: int = 99  # months before the end of the log when this question starts appearing
    redactions: int = 0

    @property
    def keys(self) -> set[str]:
        return {self.topic or "", *json.loads(self.areas)}


def _pairs_that_compete(pack: Pack, rng: random.Random) -> dict[str, str]:
    """Entries paired with a same-topic neighbour they are often confused with."""
    from rapidfuzz import fuzz

    twins: dict[str, str] = {}
    entries = [e for e in pack.entries.values() if e.kind != "level"]
    scored = sorted(
        (
            (fuzz.token_set_ratio(a.title, b.title), a.id, b.id)
            for i, a in enumerate(entries)
            for b in entries[i + 1 :]
            if a.topic and a.topic == b.topic
        ),
        reverse=True,
    )
    for _, a, b in scored[: max(2, len(entries) // 8)]:
        if a not in twins and b not in twins:
            twins[a], twins[b] = b, a
    return twins


def build_archetypes(pack: Pack, rng: random.Random) -> list[Archetype]:
    """Every question the demo log can ask, built from the pack's own content."""
    top = max(pack.levels.values(), key=lambda lvl: lvl.rank)
    ranks = {lvl.id: lvl.rank for lvl in pack.levels.values()}
    borderline = {i.id for i in pack.indicators.values() if i.distinguish}
    borderline |= {i.distinguish.with_id for i in pack.indicators.values() if i.distinguish}
    twins = _pairs_that_compete(pack, rng)
    entries = sorted(pack.entries.values(), key=lambda e: e.id)
    ordinary = [e for e in entries if e.kind != "level"]
    dormant = set(rng.sample([e.id for e in ordinary], len(ordinary) // 10))
    problems = dict(
        zip(
            rng.sample(
                [e.id for e in ordinary if e.id not in dormant],
                min(3, len(ordinary) - len(dormant)),
            ),
            ("out_of_date", "unclear", "not_my_area"),
            strict=False,
        )
    )
    out: list[Archetype] = []
    for ind in sorted(pack.indicators.values(), key=lambda i: i.id):
        edge = ind.id in borderline
        for trigger in ind.triggers[:4]:
            template = rng.choice(TRIAGE_TEMPLATES)
            out.append(
                Archetype(
                    "triage",
                    template.format(t=trigger),
                    "triage",
                    ind.level,
                    "thresholds",
                    json.dumps([ind.area]),
                    ranks.get(ind.level),
                    0.45 if edge else 0.58,
                    0.8 if edge else 0.95,
                    feedback="threshold",
                    helpful=0.62 if edge else 0.85,
                    weight=1.6 if edge else 1.0,
                    redactions=int("[NAME]" in template),
                )
            )
    for entry in entries:
        if entry.id in dormant:
            continue
        level = ranks.get(entry.id) if entry.kind == "level" else None
        alts = (twins[entry.id],) if entry.id in twins else ()
        texts = list(entry.questions) or [f"what is {entry.title.lower()}"]
        texts += [f"what does {alias} mean" for alias in entry.aliases[:2]]
        weight = KIND_WEIGHT.get(entry.kind, 1.0) / len(texts) * (2.5 if entry.id in twins else 1.0)
        for text in texts:
            out.append(
                Archetype(
                    "entry",
                    text,
                    entry.kind,
                    entry.id,
                    entry.topic or None,
                    json.dumps(list(entry.areas)),
                    level,
                    0.6 if alts else 0.7,
                    0.9 if alts else 0.99,
                    alts,
                    problems.get(entry.id, "general"),
                    0.45 if entry.id in problems else 0.86,
                    weight,
                )
            )
        vague = texts[0].split()[-2:]
        out.append(
            Archetype(
                "vague",
                " ".join(vague) + "?",
                entry.kind,
                entry.id,
                entry.topic or None,
                json.dumps(list(entry.areas)),
                level,
                0.55,
                0.6,
                alts or tuple(e.id for e in rng.sample(ordinary, 1)),
                "unclear",
                0.5,
            )
        )
    for weight, start, phrasings in GAP_CLUSTERS:
        near = (rng.choice(ordinary).id,) if ordinary else ()
        for text in phrasings:
            for prefix in GAP_PREFIXES[3:] + ("",):
                for suffix in GAP_SUFFIXES:
                    out.append(
                        Archetype(
                            "gap",
                            prefix + text + suffix,
                            "no_answer",
                            low=0.1,
                            high=0.5,
                            alternatives=near,
                            weight=weight / 8,
                            start=start,
                        )
                    )
    injuries = json.dumps(["injuries"] if "injuries" in pack.areas else [])
    for text in EMERGENCY_TEXTS:
        out.append(
            Archetype(
                "emergency",
                text,
                "emergency",
                top.id,
                "thresholds",
                injuries,
                top.rank,
                0.9,
                1.0,
                helpful=0.9,
            )
        )
    for text in HELP_TEXTS:
        out.append(Archetype("help", text, "help", low=1.0, high=1.0))
    out.append(Archetype("noise", "", "no_answer", low=0.0, high=0.3))  # text made per row
    return out


def _agency_weights(
    archetypes: list[Archetype], agency: str, sector: str, month_from_end: int
) -> list[float]:
    """Cumulative weights of each archetype for one agency in one month."""
    boosts = {**AFFINITY.get(sector, {}), **AFFINITY.get(agency, {})}
    weights = []
    for a in archetypes:
        if a.start < month_from_end:
            weights.append(0.0)
            continue
        w = a.weight
        for key in a.keys:
            w *= boosts.get(key, 1.0)
        weights.append(w)
    # Normalise within each group so KIND_MIX holds whatever the pack's size.
    totals: dict[str, float] = defaultdict(float)
    for a, w in zip(archetypes, weights, strict=True):
        totals[a.group] += w
    norm = [
        w / totals[a.group] * KIND_MIX[a.group] if totals[a.group] else 0.0
        for a, w in zip(archetypes, weights, strict=True)
    ]
    return list(accumulate(norm))


def _days(months: int, end: date) -> list[tuple[date, float]]:
    """Working days dominate; August and Christmas are quiet; traffic grows over time."""
    start = end - timedelta(days=round(months * 30.44) - 1)
    span = max((end - start).days, 1)
    out = []
    for offset in range(span + 1):
        day = start + timedelta(days=offset)
        w = (1.0, 1.0, 1.0, 1.0, 0.9, 0.12, 0.07)[day.weekday()]
        w *= 0.55 if day.month == 8 else 0.35 if (day.month, day.day) >= (12, 22) else 1.0
        out.append((day, w * (0.7 + 0.3 * offset / span)))
    return out


def _month_from_end(day: date, end: date) -> int:
    return (end.year - day.year) * 12 + end.month - day.month


def generate(
    pack: Pack,
    config: Config,
    rows: int,
    *,
    months: int = 12,
    seed: int = 1,
    end: date | None = None,
):
    """Yield (query rows, feedback rows) chunks, oldest first, one chunk per month."""
    rng = random.Random(seed)
    end = end or datetime.now(UTC).date()
    archetypes = build_archetypes(pack, rng)
    agencies = [a["id"] for a in config.agencies] + ["unknown"]
    sectors = {a: config.agency_sector(a) for a in agencies}
    weights = [
        AGENCY_WEIGHTS.get(a, 2) if a != "unknown" else UNKNOWN_AGENCY_WEIGHT for a in agencies
    ]
    agency_cw = list(accumulate(weights))
    pools = {
        a: [
            f"{rng.getrandbits(128):032x}"
            for _ in range(max(6, min(1500, round(rows * w / agency_cw[-1] / 30))))
        ]
        for a, w in zip(agencies, weights, strict=True)
    }
    pool_cw = {
        a: list(accumulate(1 / (i + 1) ** 0.7 for i in range(len(p)))) for a, p in pools.items()
    }
    surface_cw = list(accumulate(w for _, w in SURFACES))
    days = _days(months, end)
    per_day = Counter(rng.choices([d for d, _ in days], [w for _, w in days], k=rows))
    by_month: dict[int, list[date]] = defaultdict(list)
    for day, _ in days:
        by_month[_month_from_end(day, end)].append(day)
    purge_before = (end - timedelta(days=config.retention_days)).isoformat()
    hour_cw = list(
        accumulate(
            (
                0,
                0,
                0,
                0,
                0,
                0,
                0.1,
                0.5,
                2,
                4,
                4,
                3.5,
                3,
                3.5,
                4,
                3.5,
                2.5,
                1.2,
                0.5,
                0.4,
                0.3,
                0.2,
                0.1,
                0,
            )
        )
    )
    serial = 0
    for month in sorted(by_month, reverse=True):
        stamps = []
        for day in by_month[month]:
            moments = sorted(
                (
                    bisect(hour_cw, rng.random() * hour_cw[-1]),
                    rng.randrange(60),
                    rng.randrange(60),
                    rng.randrange(10**6),
                )
                for _ in range(per_day[day])
            )
            stamps += [(day.isoformat(), m) for m in moments]
        if not stamps:
            continue
        chosen = rng.choices(agencies, cum_weights=agency_cw, k=len(stamps))
        need = Counter(chosen)
        picks = {
            a: iter(
                rng.choices(
                    archetypes, cum_weights=_agency_weights(archetypes, a, sectors[a], month), k=n
                )
            )
            for a, n in need.items()
        }
        people = {
            a: iter(rng.choices(pools[a], cum_weights=pool_cw[a], k=n)) for a, n in need.items()
        }
        surfaces = rng.choices([s for s, _ in SURFACES], cum_weights=surface_cw, k=len(stamps))
        queries, feedback = [], []
        for (day, (h, m, s, us)), agency, surface in zip(stamps, chosen, surfaces, strict=True):
            serial += 1
            a = next(picks[agency])
            asker = next(people[agency])
            ts = f"{day}T{h:02d}:{m:02d}:{s:02d}.{us:06d}Z"
            old = day < purge_before
            text = a.text if a.group != "noise" else " ".join(rng.choice(p) for p in NOISE)
            qid = f"{rng.getrandbits(128):032x}"
            confidence = round(a.low + (a.high - a.low) * rng.random(), 3)
            alternatives = (
                json.dumps(list(a.alternatives))
                if a.alternatives and (a.group != "entry" or rng.random() < 0.6)
                else "[]"
            )
            queries.append(
                (
                    qid,
                    ts,
                    day,
                    surface,
                    asker,
                    agency,
                    sectors[agency],
                    None if old else text,
                    a.redactions,
                    a.kind,
                    a.entry_id,
                    a.level,
                    int(a.kind == "emergency"),
                    confidence,
                    int(a.kind not in ("no_answer", "help")),
                    alternatives,
                    round(4 + rng.random() * 60, 3),
                    pack.id,
                    pack.version,
                    int(old),
                    a.topic,
                    a.areas,
                    "chosen" if rng.random() < 0.9 else "email",
                    f"{DEMO_TAG}{serial}",
                )
            )
            if a.kind not in ("no_answer", "help") and rng.random() < 0.08:
                feedback.append(_feedback(rng, a, qid, ts, asker, agency, old))
        yield queries, feedback


def _feedback(
    rng: random.Random, a: Archetype, qid: str, ts: str, asker: str, agency: str, old: bool
) -> tuple:
    unhelpful = 1 - a.helpful
    if a.feedback == "threshold":
        unhelpful = min(0.9, unhelpful * DISAGREEMENT.get(agency, 1.0))
    helpful = rng.random() >= unhelpful
    reason = comment = None
    if not helpful:
        options = REASONS[a.feedback]
        reason = rng.choices([r for r, _ in options], [w for _, w in options])[0]
        comment = COMMENTS[reason] if rng.random() < 0.3 and not old else None
    later = ts[:17] + f"{min(59, int(ts[17:19]) + 20):02d}" + ts[19:]
    return (
        f"{rng.getrandbits(128):032x}",
        qid,
        later,
        asker,
        int(helpful),
        reason,
        comment,
        int(old),
    )


def _is_demo_only(db: sqlite_utils.Database) -> bool:
    if "queries" not in db.table_names():
        return True
    real = db.execute(
        "select 1 from queries where event_id is null or event_id not like ? limit 1",
        [DEMO_TAG + "%"],
    ).fetchone()
    return real is None


def write_demo_log(
    path: Path,
    pack: Pack,
    config: Config,
    rows: int,
    *,
    months: int = 12,
    seed: int = 1,
    progress: Callable[[str], None] | None = None,
) -> dict:
    """Replace the synthetic log at `path` with a fresh one; refuse if it holds real rows."""
    path = Path(path)
    if path.exists():
        existing = sqlite_utils.Database(path)
        try:
            safe = _is_demo_only(existing)
        finally:
            existing.close()
        if not safe:
            raise DemoLogError(
                f"{path} already holds real logged questions; demo-log only "
                "writes to a new file or one it filled itself (use --db)"
            )
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)
    db = sqlite_utils.Database(conn)
    migrate(db)
    indexes = [
        r[0]
        for r in conn.execute(
            "select sql from sqlite_master where type = 'index' and sql is not null and "
            "tbl_name in ('queries', 'feedback')"
        )
    ]
    for (name,) in conn.execute(
        "select name from sqlite_master where type = 'index' and "
        "sql is not null and tbl_name in ('queries', 'feedback')"
    ).fetchall():
        conn.execute(f'drop index "{name}"')
    conn.execute("pragma synchronous = off")
    q_sql = (
        f"insert into queries ({', '.join(QUERY_COLUMNS)}) values "
        f"({', '.join('?' * len(QUERY_COLUMNS))})"
    )
    f_sql = (
        f"insert into feedback ({', '.join(FEEDBACK_COLUMNS)}) values "
        f"({', '.join('?' * len(FEEDBACK_COLUMNS))})"
    )
    counts = Counter()
    conn.execute("begin")
    for queries, feedback in generate(pack, config, rows, months=months, seed=seed):
        conn.executemany(q_sql, queries)
        conn.executemany(f_sql, feedback)
        counts["queries"] += len(queries)
        counts["feedback"] += len(feedback)
        if progress:
            progress(f"demo-log: {counts['queries']:,} of {rows:,} questions written")
    conn.execute(
        "insert or replace into askers (pseudonym, agency, sector, role, agency_source, "
        "first_seen, last_seen) select asker, agency, sector, null, "
        "min(agency_source), min(ts), max(ts) from queries group by asker"
    )
    conn.execute("commit")
    if progress:
        progress("demo-log: building indexes")
    for sql in indexes:
        conn.execute(sql)
    conn.execute("pragma journal_mode = wal")
    counts["askers"] = conn.execute("select count(*) from askers").fetchone()[0]
    conn.close()
    return dict(counts)


def stderr_progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
