"""Draft entries from gaps: the help-desk loop (unanswered → a person's answer → new content).

A draft is a YAML stub in the pack's `drafts/` folder, made from a cluster of similar
unanswered or low-confidence questions that k or more different people asked: its redacted
example questions, the 👎 reasons given on them, an adviser's (redacted) reply as a starting
text, a suggested id and kind, and the gap's size. `validate` checks drafts; the bot never
serves them (the loader does not read `drafts/`) until an officer moves the entry into the
pack with its text, sources and review date.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from .loader import ID_PATTERN, Problem, _LineLoader
from .text import tokens

KINDS = ("glossary", "guidance")
DRAFTS = "drafts"
EXAMPLES = 8
_GLOSSARY_ASK = re.compile(r"^(?:what(?:'s| is| does)|define|meaning of|who is|what are)\b", re.I)


@dataclass(frozen=True)
class DraftSource:
    """What a draft is made from: the period, the cluster, and its rank among those shown."""

    date_from: date
    date_to: date
    rank: int
    asked: Any  # reports.gap_askers.AskedCluster


def gap_context(config: Any, pack: Any, *, date_from, date_to, db_path, today):
    """A report context for the period (the same reading of the log as `report`)."""
    from .reports.builder import _context
    from .reports.scope import make_scope

    scope = make_scope(config, date_from=date_from, date_to=date_to, today=today)
    return _context(config, pack, scope, Path(db_path), today, None, with_previous=False)


def candidates(ctx: Any) -> list[Any]:
    """The gap clusters that may become drafts: k or more different people asked."""
    from .reports.gap_askers import asker_clusters, shown

    return shown(ctx, asker_clusters(ctx))


def suggest_kind(label: str) -> str:
    """A glossary term for "what does X mean"-style questions of a few words; else guidance."""
    return (
        "glossary" if _GLOSSARY_ASK.match(label.strip()) and len(label.split()) <= 8 else "guidance"
    )


_STOP = frozenset(
    "a an and any are be can do does for from how i in is it my of on or our should the "
    "there to we what when where which who why with you your".split()
)


def suggest_id(label: str, taken: set[str]) -> str:
    """An id from the question's words (lower-case, '-'), unused in the pack and drafts."""
    words = [w for w in tokens(label) if w.isascii() and w.isalnum()]
    keep = [w for w in words if w not in _STOP][:6] or ["draft"]
    base = re.sub(r"[^a-z0-9-]+", "-", "-".join(keep).lower()).strip("-")[:60] or "draft"
    found, n = base, 2
    while found in taken:
        found, n = f"{base}-{n}", n + 1
    return found


def adviser_replies(ctx: Any, asked: Any) -> list[str]:
    """Redacted adviser replies to escalated questions in this cluster, newest first."""
    if ctx.db_path is None:
        return []
    from .reports import data
    from .reports.clusters import Normaliser

    texts = {w[0] for w in asked.cluster.wordings}
    normalise = Normaliser(ctx.pack)
    conn = data.connect(ctx.db_path)
    try:
        rows = conn.execute(
            "select e.question, r.text from escalation_replies r join escalations e on "
            "e.id = r.escalation_id where e.day between ? and ? and r.text is not null "
            "order by r.ts desc",
            [ctx.scope.date_from.isoformat(), ctx.scope.date_to.isoformat()],
        ).fetchall()
    except sqlite3.Error:  # a log from before escalations: nothing to add
        rows = []
    finally:
        conn.close()
    return [
        reply
        for question, reply in rows
        if question and (question in texts or normalise(question) in asked.keys)
    ]


def make_stub(
    ctx: Any,
    source: DraftSource,
    *,
    entry_id: str | None,
    kind: str | None,
    taken: set[str],
    today: date,
) -> dict[str, Any]:
    """The draft's content (a mapping written as YAML)."""
    from .reports.gaps import action

    asked = source.asked
    c = asked.cluster
    near = c.near.most_common(1)[0][0] if c.near else None
    near_entry = ctx.pack.entries.get(near) if ctx.pack and near else None
    replies = adviser_replies(ctx, asked)
    draft_id = entry_id or suggest_id(c.label, taken)
    gap = {
        "questions": int(c.n),
        "people": asked.people,
        "unanswered": int(c.no_answer),
        "low_confidence": int(c.low),
        "agencies": len(c.agencies),
    }
    meta: dict[str, Any] = {
        "made": today.isoformat(),
        "period": f"{source.date_from.isoformat()} to {source.date_to.isoformat()}",
        "cluster": source.rank,
        "gap": gap,
        "suggested_fix": action(ctx, c),
    }
    if near:
        meta["closest_entry"] = near
    if asked.reasons:
        meta["not_helpful_reasons"] = dict(asked.reasons.most_common())
    meta["adviser_replies"] = len(replies)
    stub: dict[str, Any] = {
        "draft": meta,
        "id": draft_id,
        "kind": kind or suggest_kind(c.label),
        "title": c.label[:1].upper() + c.label[1:],
    }
    if near_entry is not None and near_entry.topic:
        stub["topic"] = near_entry.topic
    stub["aliases"] = []
    stub["questions"] = c.examples(EXAMPLES)
    stub["text"] = (
        replies[0] + "\n"
        if replies
        else "TODO: write the answer in plain words, leading with what to do.\n"
    )
    stub["sources"] = []
    stub["reviewed"] = None
    return stub


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)

HEADER = (
    "# Draft entry made by `python -m bot draft-entry` from the board report's gaps.\n"
    "# The bot does not serve drafts. To publish it: rewrite `text` in your own words from\n"
    "# public guidance, add `sources` and today's date as `reviewed`, delete the `draft:`\n"
    "# block, move the entry into glossary.yaml or guidance/*.yaml, and run\n"
    "# `python -m bot validate`. The example questions are redacted practitioners' wordings.\n"
)


def write_draft(pack_dir: Path, stub: dict[str, Any], *, force: bool = False) -> Path:
    folder = Path(pack_dir) / DRAFTS
    folder.mkdir(exist_ok=True)
    path = folder / f"{stub['id']}.yaml"
    if path.exists() and not force:
        raise FileExistsError(path)
    text = yaml.dump(stub, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=96)
    path.write_text(HEADER + text, encoding="utf-8")
    return path


def taken_ids(pack: Any, pack_dir: Path) -> set[str]:
    ids = set(pack.entries) if pack is not None else set()
    return ids | {p.stem for p in (Path(pack_dir) / DRAFTS).glob("*.yaml")}


# ---- validate ---------------------------------------------------------------------------------
def check_drafts(pack_dir: Path, pack: Any) -> tuple[list[Problem], int]:
    """Problems in `drafts/*.yaml` as file:line: message, and how many drafts there are."""
    folder = Path(pack_dir) / DRAFTS
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    count = 0
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        file = str(path.relative_to(Path(pack_dir).parent))
        try:
            raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)  # noqa: S506
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            mark = getattr(exc, "problem_mark", None)
            problems.append(Problem(file, mark.line + 1 if mark else 0, f"invalid YAML: {exc}"))
            continue
        if not isinstance(raw, dict):
            problems.append(Problem(file, 1, "a draft must be one entry (a mapping)"))
            continue
        count += 1
        line = raw.get("__line__", 1)
        draft_id = str(raw.get("id") or "")

        def problem(message: str, severity: str = "error", at: int = line, where=file) -> None:
            problems.append(Problem(where, at, message, severity))

        if not draft_id:
            problem("draft: missing required field `id`")
        elif not ID_PATTERN.match(draft_id):
            problem(f"draft `{draft_id}`: id must be lower-case letters, digits and '-'")
        elif pack is not None and draft_id in pack.entries:
            problem(f"draft `{draft_id}`: the pack already has an entry with this id")
        elif draft_id in seen:
            problem(f"draft `{draft_id}`: also drafted in {seen[draft_id]}")
        seen.setdefault(draft_id, file)
        if raw.get("kind") not in KINDS:
            problem(f"draft `{draft_id}`: `kind` must be one of {', '.join(KINDS)}")
        if not str(raw.get("title") or "").strip():
            problem(f"draft `{draft_id}`: missing required field `title`")
        questions = raw.get("questions")
        if not isinstance(questions, list) or not all(isinstance(q, str) for q in questions):
            problem(f"draft `{draft_id}`: `questions` must be a list of example questions")
        if not isinstance(raw.get("draft"), dict):
            problem(f"draft `{draft_id}`: the `draft:` block (where it came from) is missing")
        missing = [k for k in ("text", "sources", "reviewed") if not raw.get(k)]
        if "TODO" in str(raw.get("text") or ""):
            missing.insert(0, "text")
        todo = ", ".join(dict.fromkeys(missing)) or "nothing"
        problem(
            f"draft `{draft_id}`: not served; before it moves into the pack it needs: {todo}",
            "note",
        )
    return problems, count
