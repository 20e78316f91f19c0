"""Section 3: many writers logging into one SQLite file — rows per second and rows lost.

Each writer calls `QueryLog.record` exactly as `Assistant.ask` does (redaction, pseudonym,
agency look-up, queue), with answers computed beforehand so the figure is the log's, not the
matcher's. Three set-ups against one database file each:
- threads, one shared log: the bot as it runs (one process, Bolt's worker threads);
- threads, a log each: eight connections and writer threads contending for SQLite's lock;
- processes: eight bot processes, each with its own log, opening the same fresh file at
  once (a failure to open is retried once and reported) and then writing together.
A writer is done when its log has flushed; rows lost = rows recorded - rows in the table.

Two more figures, each a ratio measured in one run:
- `writer_floor`: one writer thread's insert rate, the batched prepared `executemany` the
  log uses (`bot.logrows.insert_rows`) against sqlite-utils' per-row `insert` (the writer
  before issue 16), on the same prepared rows, alternating in blocks;
- `ask_vs_no_log`: `Assistant.ask` with the query log against the same assistant with no
  log (what `--no-log` does) over the same distinct questions, alternating in blocks, the
  logged time running until the log has flushed.
"""

from __future__ import annotations

import multiprocessing as mp
import tempfile
import threading
import time
from pathlib import Path

from bot.askers import Asker
from bot.assistant import Assistant
from bot.config import load_config
from bot.querylog import QueryLog

from .latency import BENCH_KEY, percentiles

FLUSH_PATIENCE_S = 300


def _flush(log: QueryLog) -> bool:
    deadline = time.monotonic() + FLUSH_PATIENCE_S
    while time.monotonic() < deadline:
        if log.flush(timeout=30):
            return True
    return False


def _prepare(questions: list[str], assistant: Assistant | None = None):
    assistant = assistant or Assistant.from_config(load_config())
    answers = [(q, assistant.answer(q)) for q in questions]
    return assistant.config, assistant.pack, answers


def _write(log: QueryLog, pack, answers, writer: int, count: int) -> list[float]:
    """Record `count` rows as writer `writer`; returns each record() call's time in ms."""
    samples = []
    clock = time.perf_counter
    for i in range(count):
        question, answer = answers[(i * 7 + writer) % len(answers)]
        asker = Asker(
            "TBENCH",
            f"W{writer}U{i % 25:02d}",
            "police" if i % 2 else None,
            "chosen" if i % 2 else "unknown",
        )
        started = clock()
        log.record(question, answer, asker=asker, surface="dm", latency_ms=1.0, pack=pack)
        samples.append((clock() - started) * 1000)
    return samples


def _count(db_path: Path) -> int:
    import sqlite3

    with sqlite3.connect(db_path) as conn:
        return conn.execute("select count(*) from queries").fetchone()[0]


def _spooled(db_path: Path) -> int:
    spool = db_path.with_name(db_path.name + ".spool.jsonl")
    return len(spool.read_text().splitlines()) if spool.exists() else 0


def run_threads(prepared, db_path: Path, writers: int, count: int, shared: bool) -> dict:
    config, pack, answers = prepared
    logs = [QueryLog(db_path, BENCH_KEY, config)]
    if not shared:
        logs += [QueryLog(db_path, BENCH_KEY, config) for _ in range(writers - 1)]
    for log in logs:  # build each log's redactor before the clock starts
        log.redactor(pack)
    barrier = threading.Barrier(writers + 1)
    samples: list[list[float]] = [[] for _ in range(writers)]

    def work(n: int) -> None:
        barrier.wait()
        samples[n] = _write(logs[n % len(logs)], pack, answers, n, count)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(writers)]
    for t in threads:
        t.start()
    barrier.wait()
    started = time.perf_counter()
    for t in threads:
        t.join()
    flushed = all(_flush(log) for log in logs)
    elapsed = time.perf_counter() - started
    for log in logs:
        log.close()
    return _result(db_path, writers, count, elapsed, flushed, [s for per in samples for s in per])


def _open_log(db_path: Path, config) -> tuple[QueryLog, str | None]:
    """Open the log; if that fails (several processes creating a fresh database at once),
    note why and try once more a moment later."""
    try:
        return QueryLog(db_path, BENCH_KEY, config), None
    except Exception as exc:  # noqa: BLE001 - the failure is a finding, reported in the table
        time.sleep(0.5)
        return QueryLog(db_path, BENCH_KEY, config), f"{type(exc).__name__}: {exc}"


def _process_worker(prepared, db_path, writer, count, barrier, results) -> None:
    recorded, open_error = 0, None
    try:
        config, pack, answers = prepared
        log, open_error = _open_log(db_path, config)
        log.redactor(pack)
        barrier.wait(timeout=300)
        samples = _write(log, pack, answers, writer, count)
        recorded = len(samples)
        flushed = _flush(log)
        log.close()
        results.put((writer, recorded, flushed, percentiles(samples), open_error, None))
    except Exception as exc:  # noqa: BLE001 - reported in the table, not raised
        barrier.abort()
        results.put((writer, recorded, False, None, open_error, f"{type(exc).__name__}: {exc}"))


def run_processes(prepared, db_path: Path, writers: int, count: int) -> dict:
    """Eight processes start together on a fresh database file, then write at once."""
    # Fork when nothing else is running in this process: children start in milliseconds
    # with the bot already imported. Start-up is outside the timed part either way.
    method = (
        "fork"
        if "fork" in mp.get_all_start_methods() and threading.active_count() == 1
        else "spawn"
    )
    ctx = mp.get_context(method)
    barrier = ctx.Barrier(writers + 1)
    results = ctx.Queue()
    procs = [
        ctx.Process(target=_process_worker, args=(prepared, db_path, n, count, barrier, results))
        for n in range(writers)
    ]
    for p in procs:
        p.start()
    try:
        barrier.wait(timeout=300)
    except threading.BrokenBarrierError:
        pass  # a worker failed before the start; its error comes back on the queue
    started = time.perf_counter()
    outcomes = [results.get(timeout=FLUSH_PATIENCE_S + 300) for _ in procs]
    elapsed = time.perf_counter() - started
    for p in procs:
        p.join(timeout=60)
    recorded = sum(o[1] for o in outcomes)
    result = _result(db_path, writers, count, elapsed, all(o[2] for o in outcomes), [], recorded)
    p99s = [o[3]["p99"] for o in outcomes if o[3]]
    p50s = [o[3]["p50"] for o in outcomes if o[3]]
    result["record_ms"] = {
        "p50": max(p50s, default=float("nan")),
        "p99": max(p99s, default=float("nan")),
    }
    opened = [o[4] for o in outcomes if o[4]]
    result["errors"] = [o[5] for o in outcomes if o[5]]
    if opened:
        result["errors"].insert(
            0,
            f"{len(opened)} of {writers} processes failed to open the fresh log at first "
            f"({opened[0]}); retried",
        )
    return result


def _result(
    db_path: Path,
    writers: int,
    count: int,
    elapsed: float,
    flushed: bool,
    samples: list[float],
    recorded: int | None = None,
) -> dict:
    expected = writers * count if recorded is None else recorded
    stored = _count(db_path)
    return {
        "writers": writers,
        "per_writer": count,
        "expected": expected,
        "stored": stored,
        "lost": expected - stored,
        "spooled": _spooled(db_path),
        "seconds": elapsed,
        "rows_per_s": stored / elapsed if elapsed else float("nan"),
        "flushed": flushed,
        "record_ms": percentiles(samples) if samples else {},
        "errors": [],
    }


def _rows_for(prepared, n: int, db_path: Path) -> list[tuple[str, dict]]:
    """`n` (kind, row) pairs exactly as `QueryLog.record` queues them (redacted, a person's
    'seen' upsert with each question), captured from a real log without writing them."""
    config, pack, answers = prepared
    log = QueryLog(db_path, BENCH_KEY, config)
    captured: list[tuple[str, dict]] = []
    log._submit_all = captured.extend  # capture instead of queueing
    for i in range(n):
        question, answer = answers[i % len(answers)]
        asker = Asker("TBENCH", f"F{i % 50:02d}", "police" if i % 2 else None, "chosen")
        log.record(question, answer, asker=asker, surface="dm", latency_ms=1.0, pack=pack)
    log.close()
    return captured


def writer_floor(prepared, root: Path, rows: int, blocks: int = 4) -> dict:
    """One writer: batched executemany (the log's writer) vs sqlite-utils per-row insert,
    500 rows a transaction as the writer thread batches them, alternating blocks."""
    import sqlite3

    import sqlite_utils

    from bot.logrows import insert_rows
    from bot.schema import LATEST, migrate

    pairs = _rows_for(prepared, rows, root / "capture.db")
    queries = sum(1 for kind, _ in pairs if kind == "query")

    def per_row(db: sqlite_utils.Database, batch: list[tuple[str, dict]]) -> None:
        # The writer as it was: sqlite-utils' insert() per query row.
        from bot import logrows

        with db.conn:
            db.execute("begin immediate")
            for kind, row in batch:
                if kind == "query":
                    db["queries"].insert(row, ignore=True)
                else:
                    db.execute(logrows.UPSERTS[kind], row)

    # (how it writes, the schema it writes into): the writer now, the writer now into a log
    # from before the report's rollup (schema v6: no triggers marking days), the writer before.
    ways = {
        "executemany (now)": (insert_rows, None),
        "executemany, no rollup triggers": (insert_rows, 6),
        "sqlite-utils insert per row (before)": (per_row, None),
    }
    spent = dict.fromkeys(ways, 0.0)
    cpu = dict.fromkeys(ways, 0.0)  # this process's CPU: the writing without waiting for disk
    chunk = [pairs[i : i + 500] for i in range(0, len(pairs), 500)]
    for block in range(blocks):
        for way, (name, (write, schema)) in enumerate(ways.items()):
            path = root / f"floor-{block}-{way}.db"
            conn = sqlite3.connect(path, isolation_level=None)
            db = sqlite_utils.Database(conn)
            db.enable_wal()
            migrate(db, target=schema or LATEST)
            started, used = time.perf_counter(), time.process_time()
            for batch in chunk:
                write(db, batch)
            spent[name] += time.perf_counter() - started
            cpu[name] += time.process_time() - used
            assert conn.execute("select count(*) from queries").fetchone()[0] == queries
            conn.close()
    now, untriggered, before = (queries * blocks / spent[n] for n in ways)
    return {
        "rows": queries,
        "blocks": blocks,
        "rows_per_s": {"now": now, "no_triggers": untriggered, "before": before},
        "cpu_rows_per_s": queries * blocks / cpu["executemany (now)"]
        if cpu["executemany (now)"]
        else float("nan"),
        "speedup": now / before if before else float("nan"),
    }


def ask_vs_no_log(assistant: Assistant, questions: list[str], root: Path, blocks: int = 10):
    """`ask` with the log against `ask` without one (`--no-log`), alternating blocks of the
    same distinct questions; the logged side's clock stops when its rows are on disk."""
    from .latency import askers

    people = askers()
    log = QueryLog(root / "ask.db", BENCH_KEY, assistant.config)
    saved = assistant.log
    size = max(len(questions) // blocks, 1)
    spent = {"log": 0.0, "no_log": 0.0}
    # CPU of the whole process (the log's writer thread included), beside the wall time.
    cpu = {"log": 0.0, "no_log": 0.0}
    try:
        assistant.log = log
        for q in questions[:20]:  # warm-up: the redactor for this pack
            assistant.ask(q, asker=people[0], surface="dm")
        log.flush(timeout=120)
        for b in range(blocks):
            part = questions[b * size : (b + 1) * size]
            for mode in ("no_log", "log"):
                assistant.log = log if mode == "log" else None
                started, used = time.perf_counter(), time.process_time()
                for i, q in enumerate(part):
                    assistant.ask(q, asker=people[i % len(people)], surface="dm")
                if mode == "log":
                    _flush(log)
                spent[mode] += time.perf_counter() - started
                cpu[mode] += time.process_time() - used
        rows = log._db().execute("select count(*) from queries").fetchone()[0]
    finally:
        assistant.log = saved
        log.close()
    n = size * blocks
    return {
        "questions": n,
        "blocks": blocks,
        "log_s": spent["log"],
        "no_log_s": spent["no_log"],
        "ratio": spent["log"] / spent["no_log"] if spent["no_log"] else float("nan"),
        "log_cpu_s": cpu["log"],
        "no_log_cpu_s": cpu["no_log"],
        "cpu_ratio": cpu["log"] / cpu["no_log"] if cpu["no_log"] else float("nan"),
        "rows": rows - 20,
    }


def measure(
    questions: list[str],
    writers: int,
    count: int,
    assistant: Assistant | None = None,
    ask_questions: list[str] | None = None,
    floor_rows: int = 20_000,
) -> dict:
    pool = list(dict.fromkeys(questions))[:300]
    prepared = _prepare(pool, assistant)
    out = {}
    with tempfile.TemporaryDirectory(prefix="rhrt-bench-log-") as tmp:
        root = Path(tmp)
        out["threads, one shared log"] = run_threads(
            prepared, root / "shared.db", writers, count, shared=True
        )
        out["threads, a log each"] = run_threads(
            prepared, root / "each.db", writers, count, shared=False
        )
        out["processes, a log each"] = run_processes(prepared, root / "procs.db", writers, count)
        extra = {"writer_floor": writer_floor(prepared, root, floor_rows)}
        if ask_questions and assistant is not None:
            extra["ask_vs_no_log"] = ask_vs_no_log(assistant, ask_questions, root)
    return {**out, **extra}
