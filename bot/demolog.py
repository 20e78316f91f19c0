"""Synthetic query-log traffic, so a new user can see a real report in one command.

`python -m bot demo-log --rows N` writes N questions (plus ratings and askers) spread over
months: agencies weighted like a real partnership, questions drawn from the pack's own entry
questions and indicator triggers, recurring unanswered questions phrased several ways,
borderline threshold questions that draw disagreement, emergencies and help requests (the
mix is in bot/reports/demo_catalogue.py). Askers are random pseudonyms and no text holds a
real-looking identifier. Synthetic rows carry an `event_id` starting `demo:`; the command
refuses to write into a log that holds real rows.
"""

from __future__ import annotations

import json
import random
import re
import sqlite3
from bisect import bisect
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from pathlib import Path

from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process

from .config import Config
from .pack import Pack
from .reports import demo_catalogue as cat
from .schema import migrate

DEMO_TAG = "demo:"
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
# Questions by hour of the working day (UTC is close enough for a demo).
HOURS = (
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


class DemoLogError(Exception):
    """The demo log cannot be written (the message says why)."""


@dataclass(frozen=True)
class Archetype:
    """One question the demo asks, what the bot answers and how confident it is."""

    group: str  # a KIND_MIX key
    text: str
    kind: str
    entry_id: str | None = None
    topic: str | None = None
    areas: str = "[]"
    level: int | None = None
    low: float = 0.6
    high: float = 0.95
    alternatives: tuple[str, ...] = ()
    feedback: str = "general"  # the REASONS profile an unhelpful rating draws from
    helpful: float = 0.85
    weight: float = 1.0
    start: int = 99  # months before the end of the log that it starts being asked
    redactions: int = 0

    @property
    def keys(self) -> set[str]:
        return {self.topic or "", *json.loads(self.areas)}


def _competing(pack: Pack) -> dict[str, str]:
    """Same-topic entries with the most similar titles, paired: they compete for questions."""
    entries = sorted((e for e in pack.entries.values() if e.kind != "level"), key=lambda e: e.id)
    scored = sorted(
        (
            (fuzz.token_set_ratio(a.title, b.title), a.id, b.id)
            for i, a in enumerate(entries)
            for b in entries[i + 1 :]
            if a.topic and a.topic == b.topic
        ),
        reverse=True,
    )
    twins: dict[str, str] = {}
    for _, a, b in scored[: max(2, len(entries) // 8)]:
        if a not in twins and b not in twins:
            twins[a], twins[b] = b, a
    return twins


def _triage(pack: Pack, rng: random.Random) -> list[Archetype]:
    ranks = {lvl.id: lvl.rank for lvl in pack.levels.values()}
    edge = {i.id for i in pack.indicators.values() if i.distinguish}
    edge |= {i.distinguish.with_id for i in pack.indicators.values() if i.distinguish}
    out = []
    for ind in sorted(pack.indicators.values(), key=lambda i: i.id):
        hard = ind.id in edge  # borderline: lower confidence, more disagreement
        for trigger in ind.triggers[:4]:
            template = rng.choice(cat.TRIAGE_TEMPLATES)
            out.append(
                Archetype(
                    "triage",
                    template.format(t=trigger),
                    "triage",
                    ind.level,
                    "thresholds",
                    json.dumps([ind.area]),
                    ranks.get(ind.level),
                    0.45 if hard else 0.58,
                    0.8 if hard else 0.95,
                    feedback="threshold",
                    helpful=0.62 if hard else 0.85,
                    weight=1.6 if hard else 1.0,
                    redactions=int("[NAME]" in template),
                )
            )
    return out


def _entries(pack: Pack, rng: random.Random, threshold: float) -> list[Archetype]:
    """Questions about entries; a tenth are never asked, three draw many 👎. Confidence is
    never under `threshold` (below it the bot declines), and close races are less sure."""
    ranks = {lvl.id: lvl.rank for lvl in pack.levels.values()}
    twins = _competing(pack)
    ordinary = sorted(e.id for e in pack.entries.values() if e.kind != "level")
    dormant = set(rng.sample(ordinary, len(ordinary) // 10))
    live = [e for e in ordinary if e not in dormant and e not in twins]
    problems = dict(
        zip(
            rng.sample(live, min(3, len(live))),
            ("out_of_date", "unclear", "not_my_area"),
            strict=False,
        )
    )
    out = []
    for entry in sorted(pack.entries.values(), key=lambda e: e.id):
        if entry.id in dormant:
            continue
        level = ranks.get(entry.id) if entry.kind == "level" else None
        alts = (twins[entry.id],) if entry.id in twins else ()
        areas = json.dumps(list(entry.areas))
        texts = list(entry.questions) or [f"what is {entry.title.lower()}"]
        texts += [f"what does {alias} mean" for alias in entry.aliases[:2]]
        weight = cat.KIND_WEIGHT.get(entry.kind, 1.0) / len(texts) * (2.5 if alts else 1.0)
        fault = problems.get(entry.id, "general")
        for text in texts:
            out.append(
                Archetype(
                    "entry",
                    text,
                    entry.kind,
                    entry.id,
                    entry.topic or None,
                    areas,
                    level,
                    threshold if alts else threshold + 0.12,
                    threshold + 0.3 if alts else 0.99,
                    alts,
                    fault,
                    0.45 if entry.id in problems else 0.86,
                    weight,
                )
            )
        short = " ".join(re.sub(r"[^\w\s'/-]", " ", entry.title.lower()).split()[:3])
        for template in rng.sample(cat.VAGUE_TEMPLATES, 2):
            out.append(
                Archetype(
                    "vague",
                    template.format(short),
                    entry.kind,
                    entry.id,
                    entry.topic or None,
                    areas,
                    level,
                    threshold,
                    threshold + 0.08,
                    alts or (rng.choice(ordinary),),
                    "unclear",
                    0.5,
                )
            )
    return out


def _named_in(text: str, entry) -> bool:
    """Does `text` name the entry (every word of its title or an alias of 3+ words)?"""
    words = set(default_process(text).split())
    for name in (entry.title, *entry.aliases):
        needed = default_process(name).split()
        if len(needed) >= 3 and set(needed) <= words:
            return True
    return False


def _gaps(pack: Pack, threshold: float) -> list[Archetype]:
    """Recurring questions phrased several ways. One the pack plainly covers by name (it may
    have gained an entry since) is answered by that entry, thinly; the rest go unanswered,
    with the closest entry offered instead."""
    entries = {e.id: e for e in pack.entries.values() if e.kind != "level"}
    names = {i: " ".join([e.title, *e.aliases, *e.questions[:2]]).lower()
             for i, e in entries.items()}  # fmt: skip
    out = []
    for weight, start, phrasings in cat.GAP_CLUSTERS:
        best = max((process.extractOne(p, names, scorer=fuzz.token_set_ratio,
                                       processor=default_process) for p in phrasings),
                   key=lambda m: m[1] if m else 0, default=None)  # fmt: skip
        for text in phrasings:
            covered = next((e for e in entries.values() if _named_in(text, e)), None)
            for prefix in cat.GAP_PREFIXES:
                for suffix in cat.GAP_SUFFIXES:
                    if covered is None:
                        out.append(Archetype(
                            "gap", prefix + text + suffix, "no_answer", low=0.1, high=0.5,
                            alternatives=(best[2],) if best else (), weight=weight,
                            start=start))  # fmt: skip
                        continue
                    out.append(Archetype(
                        "gap", prefix + text + suffix, covered.kind, covered.id,
                        covered.topic or None, json.dumps(list(covered.areas)), None, threshold,
                        threshold + 0.08, feedback="unclear", helpful=0.4, weight=weight,
                        start=start))  # fmt: skip
    return out


def build_archetypes(pack: Pack, rng: random.Random, threshold: float = 0.55) -> list[Archetype]:
    """Every question the demo log can ask, built from the pack's own content."""
    top = max(pack.levels.values(), key=lambda lvl: lvl.rank)
    out = _triage(pack, rng) + _entries(pack, rng, threshold)
    out += _gaps(pack, threshold)
    injuries = json.dumps(["injuries"] if "injuries" in pack.areas else [])
    for text in cat.EMERGENCY_TEXTS:
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
    for text in cat.HELP_TEXTS:
        out.append(Archetype("help", text, "help", low=1.0, high=1.0))
    out.append(Archetype("noise", "", "no_answer", low=0.0, high=0.3))  # text made per row
    return out


def _weights(archetypes: list[Archetype], agency: str, sector: str, month: int) -> list[float]:
    """Cumulative weights of each archetype for one agency, `month` months before the end."""
    boosts = {**cat.AFFINITY.get(sector, {}), **cat.AFFINITY.get(agency, {})}
    weights = []
    for a in archetypes:
        w = a.weight if a.start >= month else 0.0
        for key in a.keys:
            w *= boosts.get(key, 1.0)
        weights.append(w)
    totals: dict[str, float] = defaultdict(float)
    for a, w in zip(archetypes, weights, strict=True):
        totals[a.group] += w
    # Normalised within each group, so KIND_MIX holds whatever the pack's size.
    return list(
        accumulate(
            w / totals[a.group] * cat.KIND_MIX[a.group] if totals[a.group] else 0.0
            for a, w in zip(archetypes, weights, strict=True)
        )
    )


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


class _Generator:
    """Draws rows month by month: all random choices for a month are made in bulk."""

    def __init__(self, pack: Pack, config: Config, rows: int, months: int, seed: int, end: date):
        self.rng = rng = random.Random(seed)
        self.pack, self.rows, self.end = pack, rows, end
        self.archetypes = build_archetypes(pack, rng, config.confidence_threshold)
        self.agencies = [a["id"] for a in config.agencies] + ["unknown"]
        self.sectors = {a: config.agency_sector(a) for a in self.agencies}
        weights = [
            cat.AGENCY_WEIGHTS.get(a, 2) if a != "unknown" else cat.UNKNOWN_AGENCY_WEIGHT
            for a in self.agencies
        ]
        self.agency_cw = list(accumulate(weights))
        # Askers: about one per 30 questions, a few asking much more than the rest.
        self.pools = {
            a: [
                f"{rng.getrandbits(128):032x}"
                for _ in range(max(6, min(1500, round(rows * w / self.agency_cw[-1] / 30))))
            ]
            for a, w in zip(self.agencies, weights, strict=True)
        }
        self.pool_cw = {
            a: list(accumulate(1 / (i + 1) ** 0.7 for i in range(len(p))))
            for a, p in self.pools.items()
        }
        self.days = _days(months, end)
        self.purge_before = (end - timedelta(days=config.retention_days)).isoformat()
        self.serial = 0

    def months(self) -> Iterator[tuple[list[tuple], list[tuple]]]:
        rng = self.rng
        per_day = Counter(
            rng.choices([d for d, _ in self.days], [w for _, w in self.days], k=self.rows)
        )
        by_month: dict[int, list[date]] = defaultdict(list)
        for day, _ in self.days:
            months_back = (self.end.year - day.year) * 12 + self.end.month - day.month
            by_month[months_back].append(day)
        for month in sorted(by_month, reverse=True):
            stamps = [stamp for day in by_month[month] for stamp in self._stamps(day, per_day[day])]
            if stamps:
                yield self._rows(month, stamps)

    def _stamps(self, day: date, n: int) -> list[str]:
        rng, hour_cw, iso = self.rng, list(accumulate(HOURS)), day.isoformat()
        moments = sorted(
            (
                bisect(hour_cw, rng.random() * hour_cw[-1]),
                rng.randrange(60),
                rng.randrange(60),
                rng.randrange(10**6),
            )
            for _ in range(n)
        )
        return [f"{iso}T{h:02d}:{m:02d}:{s:02d}.{us:06d}Z" for h, m, s, us in moments]

    def _rows(self, month: int, stamps: list[str]) -> tuple[list[tuple], list[tuple]]:
        rng, pack = self.rng, self.pack
        chosen = rng.choices(self.agencies, cum_weights=self.agency_cw, k=len(stamps))
        need = Counter(chosen)
        picks = {
            a: iter(
                rng.choices(
                    self.archetypes,
                    k=n,
                    cum_weights=_weights(self.archetypes, a, self.sectors[a], month),
                )
            )
            for a, n in need.items()
        }
        people = {
            a: iter(rng.choices(self.pools[a], cum_weights=self.pool_cw[a], k=n))
            for a, n in need.items()
        }
        surfaces = rng.choices(
            [s for s, _ in cat.SURFACES], [w for _, w in cat.SURFACES], k=len(stamps)
        )
        queries, feedback = [], []
        for ts, agency, surface in zip(stamps, chosen, surfaces, strict=True):
            self.serial += 1
            a, asker, day = next(picks[agency]), next(people[agency]), ts[:10]
            old = day < self.purge_before  # past retention: text purged, counts kept
            text = a.text if a.group != "noise" else " ".join(rng.choice(p) for p in cat.NOISE)
            qid = f"{rng.getrandbits(128):032x}"
            alternatives = "[]"
            if a.alternatives and (a.group != "entry" or rng.random() < 0.6):
                alternatives = json.dumps(list(a.alternatives))
            answered = int(a.kind not in ("no_answer", "help"))
            queries.append(
                (
                    qid,
                    ts,
                    day,
                    surface,
                    asker,
                    agency,
                    self.sectors[agency],
                    None if old else text,
                    a.redactions,
                    a.kind,
                    a.entry_id,
                    a.level,
                    int(a.kind == "emergency"),
                    round(a.low + (a.high - a.low) * rng.random(), 3),
                    answered,
                    alternatives,
                    round(4 + rng.random() * 60, 3),
                    pack.id,
                    pack.version,
                    int(old),
                    a.topic,
                    a.areas,
                    "chosen" if rng.random() < 0.9 else "email",
                    f"{DEMO_TAG}{self.serial}",
                )
            )
            if answered and rng.random() < cat.FEEDBACK_RATE:
                feedback.append(self._rating(a, qid, ts, asker, agency, old))
        return queries, feedback

    def _rating(self, a: Archetype, qid: str, ts: str, asker: str, agency: str, old: bool) -> tuple:
        rng = self.rng
        unhelpful = 1 - a.helpful
        if a.feedback == "threshold":
            unhelpful = min(0.9, unhelpful * cat.DISAGREEMENT.get(agency, 1.0))
        helpful = rng.random() >= unhelpful
        reason = comment = None
        if not helpful:
            options = cat.REASONS[a.feedback]
            reason = rng.choices([r for r, _ in options], [w for _, w in options])[0]
            comment = cat.COMMENTS[reason] if rng.random() < 0.3 and not old else None
        later = ts[:14] + f"{min(59, int(ts[14:16]) + 2):02d}" + ts[16:]
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


def generate(
    pack: Pack,
    config: Config,
    rows: int,
    *,
    months: int = 12,
    seed: int = 1,
    end: date | None = None,
) -> Iterator[tuple[list[tuple], list[tuple]]]:
    """(query rows, feedback rows) for each month, oldest first, in QUERY_COLUMNS order."""
    if not pack.levels:
        raise DemoLogError("the knowledge pack has no levels to build questions from")
    end = end or datetime.now(UTC).date()
    return _Generator(pack, config, rows, months, seed, end).months()


def _holds_real_rows(path: Path) -> bool:
    conn = sqlite3.connect(path)
    try:
        tables = {r[0] for r in conn.execute("select name from sqlite_master where type='table'")}
        if "queries" not in tables:
            return False
        return (
            conn.execute(
                "select 1 from queries where event_id is null or event_id not like ? limit 1",
                [DEMO_TAG + "%"],
            ).fetchone()
            is not None
        )
    except sqlite3.DatabaseError as exc:
        raise DemoLogError(f"{path} is not a query log ({exc})") from exc
    finally:
        conn.close()


def write_demo_log(
    path: str | Path,
    pack: Pack,
    config: Config,
    rows: int,
    *,
    months: int = 12,
    seed: int = 1,
    end: date | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Replace the synthetic log at `path` with a fresh one; refuse if it holds real rows."""
    path = Path(path)
    if path.exists():
        if _holds_real_rows(path):
            raise DemoLogError(
                f"{path} already holds real logged questions; demo-log only "
                "writes to a new file or one it filled itself (use --db)"
            )
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        return _fill(
            conn, generate(pack, config, rows, months=months, seed=seed, end=end), rows, progress
        )
    finally:
        conn.close()


def _fill(conn: sqlite3.Connection, chunks, rows: int, progress) -> dict[str, int]:
    """Bulk insert with the indexes dropped, then rebuild them (much faster than upkeep)."""
    import sqlite_utils

    migrate(sqlite_utils.Database(conn))
    found = conn.execute(
        "select name, sql from sqlite_master where type = 'index' and sql is "
        "not null and tbl_name in ('queries', 'feedback')"
    ).fetchall()
    for name, _ in found:
        conn.execute(f'drop index "{name}"')
    conn.execute("pragma synchronous = off")
    insert_q = (
        f"insert into queries ({', '.join(QUERY_COLUMNS)}) "
        f"values ({', '.join('?' * len(QUERY_COLUMNS))})"
    )
    insert_f = (
        f"insert into feedback ({', '.join(FEEDBACK_COLUMNS)}) "
        f"values ({', '.join('?' * len(FEEDBACK_COLUMNS))})"
    )
    counts = Counter()
    conn.execute("begin")
    for queries, feedback in chunks:
        conn.executemany(insert_q, queries)
        conn.executemany(insert_f, feedback)
        counts["queries"] += len(queries)
        counts["feedback"] += len(feedback)
        if progress:
            progress(f"demo-log: {counts['queries']:,} of {rows:,} questions written")
    conn.execute(
        "insert or replace into askers (pseudonym, agency, sector, role, agency_source, "
        "first_seen, last_seen) select asker, agency, sector, null, min(agency_source), "
        "min(ts), max(ts) from queries group by asker"
    )
    conn.execute("commit")
    if progress:
        progress("demo-log: building indexes")
    for _, sql in found:
        conn.execute(sql)
    conn.execute("pragma journal_mode = wal")
    counts["askers"] = conn.execute("select count(*) from askers").fetchone()[0]
    return dict(counts)
