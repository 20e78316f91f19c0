"""Log commands: purge (retention) and export (CSV for the board office)."""

from __future__ import annotations

import argparse
import csv
import sys
from datetime import date

from .config import load_config

EXPORT_COLUMNS = (
    "ts",
    "surface",
    "agency",
    "sector",
    "question",
    "kind",
    "entry_id",
    "topic",
    "level",
    "emergency",
    "confidence",
    "answered",
    "pack_version",
)


def _open(args: argparse.Namespace):
    from .querylog import QueryLog

    return QueryLog.open(load_config(args.config, pack_dir=args.pack))


def cmd_purge(args: argparse.Namespace) -> int:
    log = _open(args)
    counts = log.purge()
    print(
        f"Purged text older than {log.config.retention_days} days: {counts['queries']} "
        f"question(s), {counts['feedback']} comment(s). Counts are kept."
    )
    return 0


def _day(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date: {value} (use YYYY-MM-DD)") from exc


def cmd_export(args: argparse.Namespace) -> int:
    log = _open(args)
    log.flush()
    where, params = [], []
    if args.date_from:
        where.append("day >= ?")
        params.append(args.date_from)
    if args.date_to:
        where.append("day <= ?")
        params.append(args.date_to)
    sql = f"select {', '.join(EXPORT_COLUMNS)} from queries"
    if where:
        sql += " where " + " and ".join(where)
    rows = log._db().execute(sql + " order by ts", params).fetchall()
    out = sys.stdout if args.csv == "-" else open(args.csv, "w", newline="", encoding="utf-8")
    try:
        writer = csv.writer(out)
        writer.writerow(EXPORT_COLUMNS)
        writer.writerows(rows)
    finally:
        if out is not sys.stdout:
            out.close()
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
    e.set_defaults(func=cmd_export)
