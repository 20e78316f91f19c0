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
import sqlite3
import time
from bisect import bisect
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from pathlib import Path

from . import rollup
from .config import Config
from .pack import Pack
from .reports import demo_catalogue as cat
from .reports.demo_escalations import add_escalations
from .reports.demo_questions import Archetype, build_archetypes
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
        counts = _fill(
            conn, generate(pack, config, rows, months=months, seed=seed, end=end), rows, progress
        )
        # As the bot would have kept it over those months: the report's rollup, up to date.
        started = time.perf_counter()
        rollup.refresh(conn, *rollup.settings_for(config), progress=progress)
        counts["rollup_s"] = time.perf_counter() - started
        return counts
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
    counts["escalations"] = add_escalations(conn)
    conn.execute("commit")
    if progress:
        progress("demo-log: building indexes")
    for _, sql in found:
        conn.execute(sql)
    conn.execute("pragma journal_mode = wal")
    counts["askers"] = conn.execute("select count(*) from askers").fetchone()[0]
    return dict(counts)
