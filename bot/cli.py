"""Command line: python -m bot <command>. Errors a user can cause are one line, not a trace."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from .config import Config, ConfigError, load_config
from .loader import PackError, Problem, read_pack

EXIT_USAGE, EXIT_INVALID = 2, 1


class UserError(Exception):
    """Something the user can fix; printed as one line."""


def _config(args: argparse.Namespace) -> Config:
    return load_config(
        getattr(args, "config", None),
        pack_dir=getattr(args, "pack", None),
        cache_dir=getattr(args, "cache_dir", None),
    )


def _assistant(args: argparse.Namespace, *, with_log: bool = True):
    from .assistant import Assistant
    from .packcache import built_pack

    config = _config(args)
    log = _open_log(config) if with_log and not getattr(args, "no_log", False) else None
    # `ask` and `chat` keep their pack until they exit (no reload): out of the collector.
    pack, index, assessor = built_pack(config, for_life=True)
    return Assistant(pack, config, log, index=index, assessor=assessor)


def _open_log(config: Config):
    """The query log, or None if it cannot be opened (answers never wait on the log)."""
    try:
        from .logkey import LogKeyError
        from .querylog import QueryLog
    except ImportError:
        return None
    try:
        return QueryLog.open(config)
    except LogKeyError:
        raise  # a lost or weak key is the operator's to fix, not a reason to log nothing
    except Exception as exc:  # noqa: BLE001 - the bot answers without a log
        print(
            f"rhrt-bot: query log unavailable ({exc}); answering without logging", file=sys.stderr
        )
        return None


def _asker(args: argparse.Namespace, config: Config | None = None):
    agency = getattr(args, "agency", None)
    if agency is not None:
        known = [a["id"] for a in (config or _config(args)).agencies]
        if agency not in known:
            raise UserError(
                f"unknown agency `{agency}`: use an id from config.yaml `agencies`: "
                + (", ".join(known) or "(none configured)")
            )
    try:
        from .askers import Asker
    except ImportError:
        return None
    return Asker.console(agency=agency)


# ---- commands --------------------------------------------------------------------------
ASK_HINT = "(Add --more for the full answer and all its sources.)"


def cmd_ask(args: argparse.Namespace) -> int:
    from .console import render_text

    asker = _asker(args)
    assistant = _assistant(args)
    if args.batch:
        path = Path(args.batch)
        try:
            lines = (
                path.read_text(encoding="utf-8", errors="replace").splitlines()
                if args.batch != "-"
                else sys.stdin.read().splitlines()
            )
        except OSError as exc:
            raise UserError(f"{path}: cannot read batch file ({exc.strerror})") from exc
        out = sys.stdout
        for line in lines:
            if not line.strip():
                continue
            answer = assistant.ask(line, asker=asker, surface="console")
            if args.json:
                out.write(json.dumps(answer.to_dict(), ensure_ascii=False) + "\n")
            else:
                out.write(f"Q: {line}\n{render_text(answer, more=args.more, hint=ASK_HINT)}\n\n")
        return 0
    question = " ".join(args.question)
    if not question and not sys.stdin.isatty():
        question = sys.stdin.read()
    answer = assistant.ask(question, asker=asker, surface="console")
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False))
    else:
        print(render_text(answer, more=args.more, hint=ASK_HINT))
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    from .console import chat

    asker = _asker(args)
    return chat(_assistant(args), asker=asker)


def cmd_validate(args: argparse.Namespace) -> int:
    config = _config(args)
    folder = Path(args.dir) if args.dir else config.pack_dir
    pack, problems = read_pack(
        folder, review_after_days=config.review_after_days, contact_overrides=config.contacts
    )
    from .drafts import check_drafts

    draft_problems, drafts = check_drafts(folder, pack)  # checked, never served
    problems = [*problems, *draft_problems, *_redaction_model_problems()]
    for problem in problems:
        print(problem)
    errors = [p for p in problems if p.severity == "error"]
    warnings = len([p for p in problems if p.severity == "warning"])
    if pack is not None:
        counts = ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in pack.counts().items())
        print(
            f"{pack.id} {pack.version}: {counts}"
            + (f"; {drafts} draft(s), not served" if drafts else "")
        )
    print(f"{'INVALID' if errors else 'OK'}: {len(errors)} error(s), {warnings} warning(s)")
    return EXIT_INVALID if errors else 0


def _redaction_model_problems() -> list[Problem]:
    """The redactor's learned weights, when the corpora they are learnt from are here (a
    source checkout): stale if a corpus, a word list or the features changed since."""
    from .redact_model import MODEL_FILE, staleness

    why = staleness()
    return [Problem(f"bot/data/{MODEL_FILE.name}", 1, why)] if why else []


# With no folder, `eval` reports the blind held-out situations first: the honest figure.
DEFAULT_EVAL = (
    ("headline: blind held-out situations (never tuned on)", "tests/situations-v19"),
    ("earlier blind sets (used for decisions since, so no longer blind)", "tests/situations-v18"),
    ("", "tests/situations-v17"),
    ("", "tests/situations-v16"),
    ("", "tests/situations-v15"),
    ("", "tests/situations-v14"),
    ("", "tests/situations-v13"),
    ("", "tests/situations-v12"),
    ("", "tests/situations-v11"),
    ("", "tests/situations-v10"),
    ("", "tests/situations-v9"),
    ("", "tests/situations-v8"),
    ("", "tests/situations-v7"),
    ("", "tests/situations-v6"),
    ("", "tests/situations-v5"),
    ("", "tests/situations-v4"),
    ("", "tests/situations-v3"),
    ("", "tests/situations-v2"),
    ("", "tests/situations"),
    ("development set (tuned on)", "tests/golden"),
)


def cmd_eval(args: argparse.Namespace) -> int:
    from .assistant import Assistant
    from .evaluate import load_cases, report, run, summarise

    config = _config(args)
    sets = [("", args.folder)] if args.folder else list(DEFAULT_EVAL)
    all_passed = True
    for title, name in sets:
        folder = Path(name)
        if not folder.is_dir():
            if args.folder:
                raise UserError(f"{folder}: no such folder of question sets")
            continue
        if title:
            print(f"### {title}")
        groups = [d for d in sorted(folder.iterdir()) if d.is_dir() and any(d.glob("*.yaml"))]
        for group in groups or [folder]:
            pack_dir = config.pack_dir if group == folder else config.pack_dir.parent / group.name
            started = time.perf_counter()
            assistant = Assistant.from_config(
                load_config(args.config, pack_dir=str(pack_dir), cache_dir=args.cache_dir)
            )
            cases = load_cases(group)
            top = max(lv.rank for lv in assistant.pack.levels.values())
            summary = summarise(run(assistant, cases), top_rank=top)
            elapsed = time.perf_counter() - started
            text, passed = report(summary, verbose=args.verbose)
            print(
                f"== {group} against pack {assistant.pack.id} "
                f"({len(cases)} questions, {elapsed:.1f}s)"
            )
            print(text)
            all_passed &= passed
    return 0 if all_passed else EXIT_INVALID


def cmd_train(args: argparse.Namespace) -> int:
    try:
        from .train import train, write
    except ImportError as exc:  # scikit-learn is a training-time tool only
        raise UserError(
            f"training needs the training tools ({exc.name}): .venv/bin/pip install -e '.[train]'"
        ) from None
    folder = Path(args.dir) if args.dir else _config(args).pack_dir
    model, report = train(folder)
    print(report)
    if args.check:
        current = folder / "level-model.json"
        same = current.exists() and json.loads(current.read_text()) == model
        print("the shipped model is up to date" if same else "the shipped model differs")
        return 0 if same else EXIT_INVALID
    print(f"wrote {write(folder, model)}")
    return 0


# ---- parser ----------------------------------------------------------------------------
CORE_COMMANDS = ("ask", "chat", "validate", "eval", "train")
GLOBAL_OPTIONS_WITH_VALUE = ("--config", "--pack", "--cache-dir")


def build_parser(extensions: bool = True) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description=(
            "rhrt-bot: answers safeguarding practitioners' questions about levels of need, "
            "terminology and information sharing from a curated knowledge pack."
        ),
    )
    parser.add_argument("--config", help="config file (default: RHRT_CONFIG or config.yaml)")
    parser.add_argument(
        "--pack", help="knowledge pack folder (default: RHRT_KNOWLEDGE or the config's pack)"
    )
    parser.add_argument(
        "--cache-dir",
        help="where the built pack is cached between runs (default: RHRT_CACHE_DIR or "
        "~/.cache/rhrt-bot; `off`: no cache)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("ask", help="answer one question (or a batch file)")
    p.add_argument("question", nargs="*", help="the question")
    p.add_argument("--json", action="store_true", help="print the answer contract as JSON")
    p.add_argument(
        "--more", action="store_true", help="print the whole answer, not just its first screen"
    )
    p.add_argument(
        "--batch",
        metavar="FILE",
        help="one question per line; JSON Lines out with --json ('-' reads stdin)",
    )
    p.add_argument("--agency", help="your agency id (see config.yaml `agencies`)")
    p.add_argument("--no-log", action="store_true", help="do not record the question")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("chat", help="interactive console")
    p.add_argument("--agency", help="your agency id (see config.yaml `agencies`)")
    p.add_argument("--no-log", action="store_true", help="do not record questions")
    p.set_defaults(func=cmd_chat)

    p = sub.add_parser("validate", help="check a knowledge pack; file:line: message per problem")
    p.add_argument("dir", nargs="?", help="pack folder (default: the configured pack)")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser(
        "eval", help="score the bot: the blind held-out situations, then the development set"
    )
    p.add_argument("folder", nargs="?", help="one folder of question sets instead")
    p.add_argument("--verbose", "-v", action="store_true", help="list every failure")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("train", help="fit the level model from the pack's worked examples")
    p.add_argument("dir", nargs="?", help="pack folder (default: the configured pack)")
    p.add_argument("--check", action="store_true", help="only check the shipped model is current")
    p.set_defaults(func=cmd_train)

    for register in _extensions() if extensions else ():
        register(sub)
    return parser


def _command(argv: list[str]) -> str | None:
    """The command word in `argv` (after any global options), or None."""
    words = iter(argv)
    for word in words:
        if word in GLOBAL_OPTIONS_WITH_VALUE:
            next(words, None)
        elif not word.startswith("-"):
            return word
        elif word in ("-h", "--help"):
            return None
    return None


def _extensions():
    """Commands that live in their own modules (serve, purge, log, report, demo-log,
    draft-entry, teams-package)."""
    found = []
    modules = ("bot.logcli", "bot.reportcli", "bot.draftcli", "handlers.serve")
    for module in (*modules, "handlers.teams.package"):
        try:
            found.append(__import__(module, fromlist=["register"]).register)
        except ImportError:
            continue
    return found


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    # The commands in their own modules (serve, report…) are imported only when one of them,
    # or the list of all commands, is asked for: `ask` starts without them.
    parser = build_parser(extensions=_command(argv) not in CORE_COMMANDS)
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return args.func(args)
    except (ConfigError, UserError) as exc:
        print(f"rhrt-bot: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except PackError as exc:
        errors = [p for p in exc.problems if p.severity == "error"]
        print(
            f"rhrt-bot: the knowledge pack has {len(errors)} error(s) and was not loaded; "
            f"first: {errors[0] if errors else exc} — run `python -m bot validate` for all",
            file=sys.stderr,
        )
        return EXIT_USAGE
    except ModuleNotFoundError as exc:
        print(
            f"rhrt-bot: the package `{exc.name}` is not installed — run ./run (it sets up "
            "the environment) or `pip install -e .`",
            file=sys.stderr,
        )
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
