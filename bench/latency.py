"""Section 2: how long an answer takes, with and without the query log, as the pack grows;
how long the bundled pack takes to load and index; and the console's cold start."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bot.askers import Asker
from bot.assistant import Assistant
from bot.config import Config, load_config
from bot.loader import load_pack
from bot.querylog import QueryLog

from .synthetic import grow_pack

WARMUP = 20
BENCH_KEY = b"bench-key-not-secret"


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    ordered = sorted(samples_ms)
    n = len(ordered)
    if not n:
        return {"p50": float("nan"), "p99": float("nan"), "max": float("nan"), "n": 0}
    return {
        "p50": ordered[n // 2],
        "p99": ordered[min(n - 1, int(n * 0.99))],
        "max": ordered[-1],
        "mean": sum(ordered) / n,
        "n": n,
    }


def askers(n: int = 20) -> list[Asker]:
    """Practitioners as the log sees them: half have chosen an agency, half have not (so
    the log looks their agency up, as it does for a new Slack user)."""
    out = []
    for i in range(n):
        chosen = i % 2 == 0
        out.append(
            Asker(
                "TBENCH",
                f"U{i:05d}",
                "health-gp" if chosen else None,
                "chosen" if chosen else "unknown",
            )
        )
    return out


def time_answers(
    assistant: Assistant, questions: list[str], cpu: list[float] | None = None
) -> list[float]:
    """Each answer's wall time in ms; with `cpu`, each one's CPU time (this thread's) too:
    on a shared machine the wall time also holds the wait for a core, the CPU time not."""
    samples = []
    clock, cpu_clock = time.perf_counter, time.thread_time
    for q in questions:
        started, used = clock(), cpu_clock()
        assistant.answer(q)
        samples.append((clock() - started) * 1000)
        if cpu is not None:
            cpu.append((cpu_clock() - used) * 1000)
    return samples


def time_asks(
    assistant: Assistant,
    questions: list[str],
    people: list[Asker],
    cpu: list[float] | None = None,
) -> list[float]:
    """As time_answers, for `ask` (the log's writer thread works beside it)."""
    samples = []
    clock, cpu_clock = time.perf_counter, time.thread_time
    for i, q in enumerate(questions):
        asker = people[i % len(people)]
        started, used = clock(), cpu_clock()
        assistant.ask(q, asker=asker, surface="dm")
        samples.append((clock() - started) * 1000)
        if cpu is not None:
            cpu.append((cpu_clock() - used) * 1000)
    return samples


BLOCKS = 10  # the questions go in this many blocks, every pack answering each in turn


def _rotations(n_blocks: int, n_packs: int):
    """Pack order for each block: each pack goes first equally often."""
    for i in range(n_blocks):
        yield [(i + j) % n_packs for j in range(n_packs)]


def measure_packs(
    packs: list[tuple[int, object, float]],
    config: Config,
    questions: list[str],
    workdir: Path,
    hook=None,
) -> list[dict]:
    """Index build and first answer per pack; then answer() and ask()-with-logging over
    `questions`, every pack taking the same block of questions in turn (1×, 10×, 100×, then
    the next block), so a load spike on the shared machine falls on all packs alike and the
    ratios between them hold. `packs`: (factor, pack, seconds it took to grow)."""
    built = []
    for factor, pack, grow_s in packs:
        started = time.perf_counter()
        assistant = Assistant(pack, config)
        index_s = time.perf_counter() - started
        started = time.perf_counter()
        assistant.answer(questions[0])
        first_ms = (time.perf_counter() - started) * 1000
        time_answers(assistant, questions[1:WARMUP])
        built.append(
            {
                "factor": factor,
                "assistant": assistant,
                "result": {
                    "factor": factor,
                    "entries": len(pack.entries),
                    "indicators": len(pack.indicators),
                    "grow_s": grow_s,
                    "index_s": index_s,
                    "first_ms": first_ms,
                },
            }
        )
    size = max(1, -(-len(questions) // BLOCKS))
    blocks = [questions[i : i + size] for i in range(0, len(questions), size)]
    answers: list[list[float]] = [[] for _ in built]
    answers_cpu: list[list[float]] = [[] for _ in built]
    for i, order in enumerate(_rotations(len(blocks), len(built))):
        for j in order:
            answers[j] += time_answers(built[j]["assistant"], blocks[i], answers_cpu[j])

    people = askers()
    logs = []
    for b in built:
        log = QueryLog(workdir / f"latency-x{b['factor']}.db", BENCH_KEY, config)
        b["assistant"].log = log  # the same assistant, index already warm, now logging
        time_asks(b["assistant"], questions[:WARMUP], people)  # builds the redactor
        log.flush(timeout=120)
        logs.append(log)
    asks: list[list[float]] = [[] for _ in built]
    asks_cpu: list[list[float]] = [[] for _ in built]
    for i, order in enumerate(_rotations(len(blocks), len(built))):
        for j in order:
            asks[j] += time_asks(built[j]["assistant"], blocks[i], people, asks_cpu[j])
            logs[j].flush(timeout=120)  # its writer's backlog never lands on the next pack

    out = []
    for b, answer, ask, log, answer_cpu, ask_cpu in zip(
        built, answers, asks, logs, answers_cpu, asks_cpu, strict=True
    ):
        rows = log._db().execute("select count(*) from queries").fetchone()[0]
        if hook is not None:
            hook(b["factor"], b["assistant"], questions, people)  # e.g. the profiler
        log.close()
        out.append(
            {
                **b["result"],
                "answer": percentiles(answer),
                "ask": percentiles(ask),
                "answer_cpu": percentiles(answer_cpu),
                "ask_cpu": percentiles(ask_cpu),
                "logged_rows": rows,
                "expected_rows": len(questions) + WARMUP,
            }
        )
    return out


def measure_load(config: Config, repeats: int = 3) -> dict:
    """Pack load (YAML, validation) and index build for the bundled pack."""
    loads, indexes, cpus = [], [], []
    for _ in range(repeats):
        started, used = time.perf_counter(), time.process_time()
        pack = load_pack(
            config.pack_dir,
            review_after_days=config.review_after_days,
            contact_overrides=config.contacts,
        )
        loaded = time.perf_counter()
        Assistant(pack, config)
        loads.append(loaded - started)
        indexes.append(time.perf_counter() - loaded)
        cpus.append(time.process_time() - used)
    totals = [a + b for a, b in zip(loads, indexes, strict=True)]
    return {
        "load_s": statistics.median(loads),
        "index_s": statistics.median(indexes),
        "total_s": statistics.median(totals),
        "total_cpu_s": statistics.median(cpus),
        "first_total_s": totals[0],
        "repeats": repeats,
    }


# A small launcher process starts each command: a child's peak RSS (ru_maxrss) counts the
# memory of the process it was forked from, so forking from this (large) benchmark would
# report the benchmark's size. The launcher is bare Python, so its floor is `python -c pass`.
# Its CPU time (user + system) is the child's too: on a shared machine a short process's wall
# time swells with the queue for a core far more than a long one's, CPU time much less.
_LAUNCH = """
import resource, subprocess, sys, time
t = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
wall = time.perf_counter() - t
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(wall, code, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime)
"""


def _run_once(cmd: list[str], env: dict, cwd: Path | None) -> tuple[float, int, float, float]:
    """(wall s, exit code, peak RSS MiB, CPU s) of one fresh process."""
    proc = subprocess.run(
        [sys.executable, "-c", _LAUNCH, *cmd],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    wall, code, rss, cpu = proc.stdout.split()
    return float(wall), int(code), float(rss), float(cpu)


def _wall(cmd: list[str], env: dict, repeats: int, cwd: Path | None = None) -> tuple[float, int]:
    wall, code, _ = _wall_rss(cmd, env, repeats, cwd)
    return wall, code


def _wall_rss(
    cmd: list[str], env: dict, repeats: int, cwd: Path | None = None
) -> tuple[float, int, float]:
    """Median wall time, first non-zero exit code, median peak RSS (MiB) over `repeats`."""
    times, rss, code = [], [], 0
    for _ in range(repeats):
        wall, rc, peak, _ = _run_once(cmd, env, cwd)
        times.append(wall)
        rss.append(peak)
        code = code or rc
    return statistics.median(times), code, statistics.median(rss)


# Run in a fresh interpreter: where the console's start-up time goes, step by step, as
# `python -m bot ask` spends it (bot/cli.py: the pack for life, then the answer, then its row).
_STAGES = """
import json, resource, time
def peak():
    # This process's own high-water mark (VmHWM): ru_maxrss would count the benchmark's
    # memory too, the process this one was forked from.
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
t0 = time.perf_counter()
from bot.askers import Asker
from bot.assistant import Assistant
from bot.config import load_config
from bot.packcache import built_pack
from bot.querylog import QueryLog
t1, m1 = time.perf_counter(), peak()
config = load_config()
pack, index, assessor = built_pack(config, for_life=True)
assistant = Assistant(pack, config, index=index, assessor=assessor)
t2, m2 = time.perf_counter(), peak()
answer = assistant.answer("what does nfa mean")
t3, m3 = time.perf_counter(), peak()
assistant.answer("what does lado mean")
t4 = time.perf_counter()
log = QueryLog.open(config)
log.record("what does nfa mean", answer, asker=Asker.console(), surface="console", pack=pack)
log.close()
t5, m5 = time.perf_counter(), peak()
print(json.dumps({"import_s": t1 - t0, "load_index_s": t2 - t1, "first_answer_s": t3 - t2,
                  "second_answer_s": t4 - t3, "log_s": t5 - t4, "import_mib": m1,
                  "pack_mib": m2, "answer_mib": m3, "log_mib": m5}))
"""


def cold_stages(env: dict, cwd: Path, repeats: int) -> dict[str, float]:
    import json

    runs = []
    for _ in range(repeats):
        proc = subprocess.run(
            [sys.executable, "-c", _STAGES],
            env=env,
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if proc.returncode == 0:
            runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    if not runs:
        return {}
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]}


FLOOR_IMPORTS = "import sqlite3, yaml"  # what any start of the bot needs before its own code
# The floor of one logged answer: Python, the modules that answer and log it, and one row
# written to a SQLite file in the log's journal mode (no pack, no question, no redaction).
FLOOR_ONE_ROW = (
    "import sqlite3, sys; "
    "import bot.assistant, bot.console, bot.packcache, bot.querylog; "
    "db = sqlite3.connect(sys.argv[1], isolation_level=None); "
    "db.execute('pragma journal_mode = wal'); "
    "db.execute('create table if not exists q (question text)'); "
    "db.execute('insert into q values (?)', ['what does nfa mean']); "
    "db.close()"
)


def measure_cold_start(root: Path, workdir: Path, repeats: int = 5) -> dict:
    """A fresh `ask` in the default mode (logging to a real log file), against bare
    `python -c pass` measured in the same run, interleaved so load on the shared machine
    falls on both alike; `--no-log` alongside to show what logging costs at start-up.

    As on any machine after its first question: the log file, its key, the built-pack cache
    (`RHRT_CACHE_DIR`) and Python's bytecode exist (this machine's shell sets
    PYTHONDONTWRITEBYTECODE=1, so bytecode goes to a folder of the run's own). Alongside:
    the first start (an empty cache: build, then write it), a start without the bot's
    bytecode (every module compiled from source, as under PYTHONDONTWRITEBYTECODE=1 with no
    __pycache__), and two floors: Python importing the libraries every start needs, and
    Python importing the bot's modules that answer and log a question, then writing one row
    to a SQLite file (what no logged answer can do without; the pack, the question and its
    redaction come on top)."""
    env = {
        **os.environ,
        "RHRT_DB": str(workdir / "coldstart.db"),
        "RHRT_CACHE_DIR": str(workdir / "cache"),
        "PYTHONPYCACHEPREFIX": str(workdir / "bytecode"),
    }
    env.pop("PYTHONPROFILEIMPORTTIME", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    question = "what does nfa mean"
    ask = [sys.executable, "-m", "bot", "ask", question]
    # The log file, its key, the cache and the bytecode are made once, as on any machine.
    _run_once(ask, env, root)
    _run_once([sys.executable, "-c", FLOOR_IMPORTS], env, root)
    _run_once([sys.executable, "-c", FLOOR_ONE_ROW, str(workdir / "one-row.db")], env, root)
    no_bytecode = {**env, "PYTHONDONTWRITEBYTECODE": "1"}
    no_bytecode.pop("PYTHONPYCACHEPREFIX")
    commands = {
        "python": ([sys.executable, "-c", "pass"], env),
        "ask": (ask, env),
        "no_log": ([sys.executable, "-m", "bot", "ask", "--no-log", question], env),
        "import": ([sys.executable, "-c", "import bot.assistant"], env),
        "one_row": ([sys.executable, "-c", FLOOR_ONE_ROW, str(workdir / "one-row.db")], env),
        "floor": ([sys.executable, "-c", FLOOR_IMPORTS], env),
        "no_bytecode": (ask, no_bytecode),
    }
    runs: dict[str, list[tuple[float, int, float, float]]] = {k: [] for k in [*commands, "first"]}
    for i in range(repeats):
        for name, (cmd, cmd_env) in commands.items():
            runs[name].append(_run_once(cmd, cmd_env, root))
        fresh = {**env, "RHRT_CACHE_DIR": str(workdir / f"empty-cache-{i}")}
        runs["first"].append(_run_once(ask, fresh, root))

    def median(name: str, i: int) -> float:
        return statistics.median(r[i] for r in runs[name])

    stages = cold_stages(env, root, repeats)
    out = {
        "stages": stages,
        "command": f'python -m bot ask "{question}"',
        "no_log_command": f'python -m bot ask --no-log "{question}"',
        "floor_command": f'python -c "{FLOOR_IMPORTS}"',
        "one_row_command": 'python -c "import bot.assistant, bot.console, bot.packcache, '
        'bot.querylog" + one row written to a SQLite file (WAL)',
        "exit_code": next((r[1] for n in ("ask", "no_log", "first") for r in runs[n] if r[1]), 0),
        "repeats": repeats,
        "cwd": str(root),
    }
    for name in runs:
        key = "python" if name == "python" else name
        out[f"{key}_s"] = median(name, 0)
        out[f"{key}_rss_mib"] = median(name, 2)
        out[f"{key}_cpu_s"] = median(name, 3)
    return out


def measure(
    questions: list[str],
    factors: tuple[int, ...],
    root: Path,
    cold_repeats: int,
    seed: int,
    hook=None,
    load_repeats: int = 3,
) -> dict:
    config = load_config()
    pack = load_pack(
        config.pack_dir,
        review_after_days=config.review_after_days,
        contact_overrides=config.contacts,
    )
    out: dict = {"questions": len(questions), "packs": []}
    with tempfile.TemporaryDirectory(prefix="rhrt-bench-") as tmp:
        workdir = Path(tmp)
        out["load"] = measure_load(config, load_repeats)
        grown = []
        for factor in factors:
            started = time.perf_counter()
            bigger = grow_pack(pack, factor, seed=seed)
            grown.append((factor, bigger, time.perf_counter() - started))
        out["packs"] = measure_packs(grown, config, questions, workdir, hook)
        out["cold"] = measure_cold_start(root, workdir, cold_repeats)
    return out
