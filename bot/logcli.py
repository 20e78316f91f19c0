"""Log commands: purge (retention), export (CSV for the board office) and repair (after the
log file was damaged)."""

from __future__ import annotations

import argparse
import sqlite3
import sys
from datetime import date

from .config import load_config


def _user_error(message: str) -> Exception:
    from .cli import UserError  # imported late: cli imports this module

    return UserError(message)


def _open(args: argparse.Namespace):
    """The log, without its key: purging, exporting and repairing read and replay rows
    but never make a pseudonym."""
    from .querylog import QueryLog

    return QueryLog.open(load_config(args.config, pack_dir=args.pack), with_key=False)


def cmd_purge(args: argparse.Namespace) -> int:
    from .querylog import LogDamaged

    log = _open(args)
    try:
        counts = log.purge()
    except LogDamaged as exc:
        raise _user_error(str(exc)) from None
    except sqlite3.Error as exc:
        raise _user_error(f"{log.path}: cannot purge the query log ({exc})") from None
    finally:
        log.close()
    print(
        f"Purged text older than {log.config.retention_days} days: {counts['queries']} "
        f"question(s), {counts['feedback']} comment(s). Counts are kept; the text is "
        "overwritten in the database file and its WAL is emptied."
    )
    kept = sorted(
        p.name
        for p in log.path.parent.glob(log.path.name + ".damaged-*")
        if not p.name.endswith(("-wal", "-shm"))
    )
    if kept:
        print(
            f"Note: {len(kept)} damaged cop{'y' if len(kept) == 1 else 'ies'} of the log "
            f"({', '.join(kept)}) still hold question text: delete them when no longer needed."
        )
    return 0


def cmd_repair(args: argparse.Namespace) -> int:
    from .logrepair import repair

    print(repair(load_config(args.config, pack_dir=args.pack)).summary())
    return 0


def _day(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date: {value} (use YYYY-MM-DD)") from exc


def cmd_export(args: argparse.Namespace) -> int:
    from .querylog import damaged

    log = _open(args)
    try:
        return _export(args, log)
    except sqlite3.DatabaseError as exc:
        if damaged(exc):
            raise _user_error(log.damage_message(exc)) from None
        raise _user_error(f"{log.path}: cannot read the query log ({exc})") from None
    finally:
        log.close()


def _export(args: argparse.Namespace, log) -> int:
    from .logexport import COLUMNS, export, record_export, write_csv
    from .reportcli import _pack

    log.flush()
    config = log.config
    try:
        pack = _pack(config)
    except Exception:  # noqa: BLE001 - without the pack, its words just count like others
        pack = None
    db = log._db()
    rows = export(
        db,
        config,
        pack,
        date_from=args.date_from,
        date_to=args.date_to,
        all_text=args.all_text,
    )
    if args.all_text:
        print(
            "rhrt-bot: exporting every question's redacted text (--all-text); this export "
            "is recorded in the log",
            file=sys.stderr,
        )
    try:
        out = sys.stdout if args.csv == "-" else open(args.csv, "w", newline="", encoding="utf-8")
    except OSError as exc:
        raise _user_error(f"{args.csv}: cannot write the export ({exc.strerror})") from None
    try:
        write_csv(out, COLUMNS, rows)
    finally:
        if out is not sys.stdout:
            out.close()
    record_export(
        db, rows=len(rows), date_from=args.date_from, date_to=args.date_to, all_text=args.all_text
    )
    if args.csv != "-":
        print(f"Wrote {len(rows)} row(s) to {args.csv}", file=sys.stderr)
    return 0


def register(sub) -> None:
    p = sub.add_parser("purge", help="remove logged text older than retention_days; keep counts")
    p.set_defaults(func=cmd_purge)
    p = sub.add_parser("log", help="query-log tools")
    log_sub = p.add_subparsers(dest="log_command", metavar="ACTION", required=True)
    e = log_sub.add_parser("export", help="export the (redacted) log as CSV")
    e.add_argument("--csv", required=True, metavar="FILE", help="output file ('-' for stdout)")
    e.add_argument("--from", dest="date_from", type=_day, metavar="DATE")
    e.add_argument("--to", dest="date_to", type=_day, metavar="DATE")
    e.add_argument(
        "--all-text",
        action="store_true",
        help="give every question's redacted text, not only wordings k or more people used "
        "(recorded in the log)",
    )
    e.set_defaults(func=cmd_export)
    r = log_sub.add_parser(
        "repair",
        help="after the log file was damaged: move it aside, start a new one, save what can "
        "be read and replay the spool",
    )
    r.set_defaults(func=cmd_repair)
