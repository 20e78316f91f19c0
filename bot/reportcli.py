"""Board-office commands: `report` (HTML + CSVs from the query log) and `demo-log`."""

from __future__ import annotations

import argparse
import gc
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

from .config import Config, load_config


def _user_error(message: str) -> Exception:
    from .cli import UserError  # imported late: cli imports this module

    return UserError(message)


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date: {value} (use YYYY-MM-DD)") from exc


def _positive(value: str) -> int:
    try:
        number = int(value.replace("_", "").replace(",", ""))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a whole number: {value}") from exc
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {value}")
    return number


def _config(args: argparse.Namespace) -> Config:
    return load_config(
        getattr(args, "config", None),
        pack_dir=getattr(args, "pack", None),
        cache_dir=getattr(args, "cache_dir", None),
    )


def _pack(config: Config):
    """The pack, even one with errors: a report should not fail on a half-written glossary.

    A valid pack comes from the built-pack cache (bot/packcache.py: ~0.05 s, where reading
    and checking the YAML took ~0.7 s of a report's CPU, competing with its queries for the
    interpreter); one with errors is read as far as it goes."""
    from .loader import PackError, read_pack
    from .packcache import built_pack

    try:
        return built_pack(config)[0]
    except PackError:
        pass
    pack, problems = read_pack(
        config.pack_dir,
        review_after_days=config.review_after_days,
        contact_overrides=config.contacts,
        with_examples=False,  # what serving reads: the examples are for training
    )
    if pack is None:
        raise _user_error(f"{config.pack_dir}: knowledge pack not found")
    errors = sum(1 for p in problems if p.severity == "error")
    if errors:
        print(
            f"rhrt-bot: the knowledge pack has {errors} error(s); using the entries it could "
            "read (run `python -m bot validate`)",
            file=sys.stderr,
        )
    return pack


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def cmd_report(args: argparse.Namespace) -> int:
    from .reports import ReportError, build_report

    config = _config(args)
    db_path = Path(args.db) if args.db else config.db_path
    if not db_path.exists():
        raise _user_error(
            f"{db_path}: no query log yet — try `python -m bot demo-log --rows 50000` "
            "for a synthetic one"
        )
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=1) as pool:  # read the pack while the database works
        pack = pool.submit(_pack, config)
        try:
            result = build_report(
                config,
                pack.result,
                date_from=args.date_from,
                date_to=args.date_to,
                agency=args.agency,
                out_dir=Path(args.out),
                db_path=db_path,
                progress=_say,
                use_rollup=not args.no_rollup,
            )
        except ReportError as exc:
            raise _user_error(str(exc)) from exc
    print(result.summary_text)
    print(
        f"\nWrote {result.html_path}, the one-page board summary "
        f"({', '.join(p.name for p in result.board_paths)}) and {len(result.csv_paths)} CSV "
        f"file(s) in {time.perf_counter() - started:.1f}s"
    )
    # Written: the report's objects (millions, some in cycles) are left for the process's end
    # instead of one last collection walking them on the way out (0.2-0.4 s over a big log).
    gc.freeze()
    return 0


def cmd_demo_log(args: argparse.Namespace) -> int:
    from .demolog import DemoLogError, write_demo_log

    config = _config(args)
    db_path = Path(args.db) if args.db else demo_path(config.db_path)
    pack = _pack(config)
    started = time.perf_counter()
    try:
        counts = write_demo_log(
            db_path,
            pack,
            config,
            args.rows,
            months=args.months,
            seed=args.seed,
            progress=_say if args.rows >= 100_000 else None,
        )
    except DemoLogError as exc:
        raise _user_error(str(exc)) from exc
    print(
        f"Wrote {counts['queries']:,} synthetic questions, {counts['feedback']:,} ratings and "
        f"{counts['askers']:,} pseudonymous askers to {db_path} in "
        f"{time.perf_counter() - started:.1f}s (the report's rollup {counts['rollup_s']:.1f}s). "
        f"Try: python -m bot report --db {db_path} --out out/"
    )
    return 0


def demo_path(db_path: Path) -> Path:
    """The demo log's own file beside the real one (rhrt.db -> rhrt-demo.db), so demo-log
    works after normal use and never competes with the real log."""
    return db_path.with_name(f"{db_path.stem}-demo{db_path.suffix or '.db'}")


def register(sub) -> None:
    p = sub.add_parser("report", help="board-office report: HTML + CSVs from the query log")
    p.add_argument("--out", required=True, metavar="DIR", help="folder for report.html and CSVs")
    p.add_argument(
        "--from",
        dest="date_from",
        type=_day,
        metavar="DATE",
        help="first day (default: config report.default_period, the last full quarter; "
        "with only --to, 30 days before it)",
    )
    p.add_argument(
        "--to", dest="date_to", type=_day, metavar="DATE", help="last day (default: see --from)"
    )
    p.add_argument(
        "--agency",
        metavar="ID",
        help="only this agency (an id from config.yaml `agencies`) or sector (e.g. health)",
    )
    p.add_argument("--db", metavar="FILE", help="query log (default: RHRT_DB or db_path)")
    p.add_argument(
        "--no-rollup",
        action="store_true",
        help="read every question from the log rather than its daily rollup (the same "
        "report, slower: for checking and benchmarking)",
    )
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("demo-log", help="fill a query log with synthetic traffic to try reports")
    p.add_argument("--rows", type=_positive, default=50_000, help="questions (default 50000)")
    p.add_argument(
        "--db",
        metavar="FILE",
        help="log to write (default: the demo log beside the real one, e.g. rhrt-demo.db)",
    )
    p.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    p.add_argument("--months", type=_positive, default=12, help="months of traffic (default 12)")
    p.set_defaults(func=cmd_demo_log)
