"""python -m bench [--quick] [--profile] [--out DIR | --write]: measure, print results.md.

The committed bench/results.md is rewritten only with --write (a plain run must never leave
a dirty checkout); --out DIR writes there instead, and with neither the files go to a fresh
temporary folder whose path is printed. --write with --skip keeps the committed figures of
the skipped sections (bench/merge.py): one section can be measured again on its own."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMITTED = ROOT / "bench"  # where results.md and profile.txt are committed
SECTIONS = ("accuracy", "latency", "logging", "report", "slack")


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description=(
            "Benchmark rhrt-bot: accuracy against plain fuzzy and BM25 matching, latency as the "
            "pack grows, logging throughput, report time and the Slack server under load. "
            "Writes results.md."
        ),
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="CI-sized run (under a minute): fewer questions and rows, no 100x, no load test",
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--out",
        type=Path,
        default=None,
        help="folder for results.md and profile.txt (default: a new temporary folder)",
    )
    where.add_argument(
        "--write",
        action="store_true",
        help="overwrite the committed bench/results.md (and bench/profile.txt); sections "
        "left out with --skip keep their committed figures",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="profile the hot path with pyinstrument into OUT/profile.txt",
    )
    parser.add_argument(
        "--golden",
        type=Path,
        default=None,
        help="development question set (default: tests/golden/<configured pack>); the "
        "held-out sets are always scored first",
    )
    parser.add_argument("--seed", type=int, default=7, help="seed for synthetic packs/questions")
    parser.add_argument(
        "--skip",
        action="append",
        choices=SECTIONS,
        default=[],
        help="leave a section out (repeatable); it is marked as skipped",
    )
    args = parser.parse_args(argv)
    if args.write:
        args.out = COMMITTED
    elif args.out is None:
        args.out = Path(tempfile.mkdtemp(prefix="rhrt-bench-"))
    return args


def _cpu() -> float:
    """CPU seconds used so far by this process and the commands it has waited for."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _load() -> str:
    """The machine's 1-minute load average (other people's work shows in every time)."""
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except OSError:
        return "?"


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def slack_load(clients: list[int], seconds: float) -> dict:
    """bench/load.py's runs, one per client count (each its own server and log)."""
    from . import load

    runs = []
    for count in clients:
        figures = load.run_once(count, seconds)
        if figures is None:
            raise RuntimeError(f"the server did not start for the {count}-client run")
        runs.append(figures)
    return {"runs": runs}


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    from bot.assistant import Assistant
    from bot.config import load_config
    from bot.evaluate import load_cases

    from . import accuracy, latency, logging_load, profiling, report_time
    from .render import render
    from .results import machine
    from .synthetic import fresh_stream

    started = time.perf_counter()
    quick = args.quick
    # --quick is sized to finish in under a minute on the project's 2-core machine: every
    # section still runs and every ratio is still measured in one run, on fewer samples.
    plan = {
        "questions": 200 if quick else 2000,
        "factors": (1, 10) if quick else (1, 10, 100),
        "cold_repeats": 1 if quick else 3,
        "load_repeats": 1 if quick else 3,
        "writers": 8,
        "per_writer": 250 if quick else 10_000,
        "ask_questions": 300 if quick else 10_000,
        "report_sizes": [10_000] if quick else [100_000, 1_000_000],
        # The Slack server under load (bench/load.py): full runs only.
        "slack_clients": [] if quick else [20, 100],
        "slack_seconds": 30.0,
        "profile_big_questions": 200 if quick else 150,
    }
    config = load_config()
    golden = args.golden or ROOT / "tests" / "golden" / config.pack_dir.name
    # Latency and logging use held-out questions (not the set the bot was tuned on), each
    # distinct: perturbed variants, never an exact repeat that a cache would answer.
    held_out = [
        c.question
        for title, folder in accuracy.question_sets(ROOT, config.pack_dir.name, None)
        if "headline" in title
        for c in load_cases(folder)
    ]
    questions = fresh_stream(
        held_out or [c.question for c in load_cases(golden)], plan["questions"], seed=args.seed
    )
    data: dict = {
        "machine": machine(),
        "plan": plan,
        "quick": quick,
        "seed": args.seed,
        "argv": " ".join(["python -m bench", *(argv if argv is not None else sys.argv[1:])]),
        "skipped": list(args.skip),
        "timings": {},
        "cpu": {},  # CPU seconds of this process and the commands it ran, per section
        "load_before": _load(),
    }
    args.out.mkdir(parents=True, exist_ok=True)

    def section(name: str, work):
        if name in args.skip:
            say(f"bench: {name}: skipped")
            return None
        say(f"bench: {name} …")
        t, cpu = time.perf_counter(), _cpu()
        try:
            result = work()
        except Exception as exc:  # noqa: BLE001 - one broken section must not lose the rest
            import traceback

            traceback.print_exc()
            result = {"error": f"{type(exc).__name__}: {exc}"}
        data["timings"][name] = time.perf_counter() - t
        data["cpu"][name] = _cpu() - cpu
        say(
            f"bench: {name} done in {data['timings'][name]:.1f}s "
            f"(CPU {data['cpu'][name]:.1f}s, load average {_load()})"
        )
        return result

    assistant = Assistant.from_config(config)
    data["pack"] = {
        "id": assistant.pack.id,
        "version": assistant.pack.version,
        "entries": len(assistant.pack.entries),
        "indicators": len(assistant.pack.indicators),
    }
    data["accuracy"] = section(
        "accuracy",
        lambda: accuracy.measure_sets(
            assistant,
            # --quick scores the held-out sets only (the headline); a full run adds the dev set.
            [
                (title, folder)
                for title, folder in accuracy.question_sets(ROOT, config.pack_dir.name, args.golden)
                if not quick or "headline" in title or args.golden is not None
            ],
            every=2 if quick else 1,  # --quick: every second question, for all three systems
        ),
    )
    hook = (
        profiling.Hook(max(plan["factors"]), plan["profile_big_questions"])
        if args.profile
        else None
    )
    data["latency"] = section(
        "latency",
        lambda: latency.measure(
            questions,
            plan["factors"],
            ROOT,
            plan["cold_repeats"],
            args.seed,
            hook,
            plan["load_repeats"],
        ),
    )
    data["logging"] = section(
        "logging",
        lambda: logging_load.measure(
            questions,
            plan["writers"],
            plan["per_writer"],
            assistant,
            ask_questions=fresh_stream(held_out, plan["ask_questions"], seed=args.seed + 1),
            floor_rows=5_000 if quick else 20_000,
        ),
    )
    data["report"] = section(
        "report", lambda: report_time.measure(plan["report_sizes"], ROOT, quick=quick)
    )
    data["slack"] = (
        section("slack", lambda: slack_load(plan["slack_clients"], plan["slack_seconds"]))
        if plan["slack_clients"]
        else None
    )
    if hook is not None:
        data["profile"] = {"path": str(args.out / "profile.txt"), "profiles": hook.profiles}
    data["total_s"] = time.perf_counter() - started
    data["load_after"] = _load()
    text = render(data)
    committed = COMMITTED / "results.md"
    if args.write and args.skip and committed.exists():
        from .merge import keep_skipped

        text = keep_skipped(text, committed.read_text(encoding="utf-8"), list(args.skip))
    # Both files at the end, once the page is made: a failure never leaves them half new.
    if hook is not None:
        profiling.write(hook.profiles, args.out / "profile.txt")
    (args.out / "results.md").write_text(text, encoding="utf-8")
    say(f"bench: wrote {args.out / 'results.md'} in {data['total_s']:.0f}s")
    print(text.rstrip())  # the whole page; its last line is the summary, for CI logs
    return 0


if __name__ == "__main__":
    sys.exit(main())
