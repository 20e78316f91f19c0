"""`draft-entry`: list the gaps that may become draft entries, and write one as a YAML stub."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path


def _user_error(message: str) -> Exception:
    from .cli import UserError  # imported late: cli imports this module

    return UserError(message)


def cmd_draft_entry(args: argparse.Namespace) -> int:
    from .drafts import DraftSource, candidates, gap_context, make_stub, taken_ids, write_draft
    from .reportcli import _config, _pack
    from .reports import ReportError

    config = _config(args)
    db_path = Path(args.db) if args.db else config.db_path
    if not db_path.exists():
        raise _user_error(f"{db_path}: no query log yet, so there are no gaps to draft from")
    if args.kind and args.kind not in ("glossary", "guidance"):
        raise _user_error(f"--kind must be glossary or guidance, not {args.kind}")
    pack = _pack(config)
    today = datetime.now(UTC).date()
    try:
        ctx = gap_context(
            config,
            pack,
            date_from=args.date_from,
            date_to=args.date_to,
            db_path=db_path,
            today=today,
        )
    except ReportError as exc:
        raise _user_error(str(exc)) from exc
    found = candidates(ctx)
    period = ctx.scope.label()
    if args.cluster is None:
        if not found:
            print(
                f"No gap in {period} was asked by {ctx.k} or more different people, so there "
                "is nothing to draft from (smaller groups are never quoted)."
            )
            return 0
        print(f"Gaps in {period} that may become draft entries ({ctx.k}+ different people):")
        for rank, asked in enumerate(found, 1):
            print(
                f"{rank:>3}. “{asked.label}” — {asked.n:,} questions from {asked.people:,} people"
            )
        print("Write one with: python -m bot draft-entry --cluster N [--id ID] [--kind KIND]")
        return 0
    if not 1 <= args.cluster <= len(found):
        raise _user_error(
            f"no gap number {args.cluster} in {period}: there are {len(found)} "
            "(run `python -m bot draft-entry` to list them)"
        )
    if args.id and (args.id in taken_ids(pack, config.pack_dir) and not args.force):
        raise _user_error(f"the id `{args.id}` is already used in the pack or its drafts")
    stub = make_stub(
        ctx,
        DraftSource(ctx.scope.date_from, ctx.scope.date_to, args.cluster, found[args.cluster - 1]),
        entry_id=args.id,
        kind=args.kind,
        taken=set(pack.entries),  # a draft of the same gap again is refused, not renamed
        today=today,
    )
    try:
        path = write_draft(config.pack_dir, stub, force=args.force)
    except FileExistsError as exc:
        raise _user_error(
            f"{exc}: a draft with this id exists (use --force to replace it)"
        ) from exc
    except OSError as exc:
        raise _user_error(f"cannot write the draft ({exc.strerror})") from exc
    print(
        f"Wrote {path} ({stub['kind']}, “{stub['title']}”, {stub['draft']['gap']['questions']:,} "
        f"questions from {stub['draft']['gap']['people']:,} people). Check it with "
        "`python -m bot validate`; the bot does not serve it until it is moved into the pack."
    )
    return 0


def register(sub) -> None:
    from .reportcli import _day

    p = sub.add_parser(
        "draft-entry", help="turn a gap (similar unanswered questions) into a draft pack entry"
    )
    p.add_argument("--cluster", type=int, metavar="N", help="the gap to draft (see the list)")
    p.add_argument("--id", metavar="ID", help="the draft's entry id (default: suggested)")
    p.add_argument("--kind", metavar="KIND", help="glossary or guidance (default: suggested)")
    p.add_argument("--from", dest="date_from", type=_day, metavar="DATE", help="first day")
    p.add_argument("--to", dest="date_to", type=_day, metavar="DATE", help="last day")
    p.add_argument("--db", metavar="FILE", help="query log (default: RHRT_DB or db_path)")
    p.add_argument("--force", action="store_true", help="replace a draft with the same id")
    p.set_defaults(func=cmd_draft_entry)
