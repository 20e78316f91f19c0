"""The data behind "what level is this?": cue lexicon, rules, emergency patterns, concepts,
worked examples, guided questions and the trained level model.

Each file is looked up in the pack's folder first, then in `knowledge/shared/` beside it, so
partnerships share the English-language lexicon but keep their own examples and model.
Problems are reported like the rest of the pack (`file:line: message`), never raised.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .cues import Lexicon, LexiconError
from .rules import Rule, read_rules

SHARED = "shared"
MODEL_FILE = "level-model.json"
EXAMPLES_DIR = "examples"
# Bump when features change: a model trained on other features is stale.
FEATURE_VERSION = 4
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Example:
    text: str
    rank: int
    emergency: bool
    indicators: tuple[str, ...] = ()
    variant: str = "plain"
    pair: str | None = None
    second: tuple[int, bool] | None = None  # a blind second labeller's (rank, emergency)
    file: str = ""


@dataclass(frozen=True)
class GuidedQuestion:
    id: str
    text: str
    yes: tuple[str, ...] = ()  # cues a "yes" adds
    no: tuple[str, ...] = ()
    between: tuple[int, int] = (3, 4)
    areas: tuple[str, ...] = ()
    higher_if: bool = True  # the answer that puts the situation at the higher level

    def points_higher(self, yes: bool) -> bool:
        return yes == self.higher_if


@dataclass
class SituationData:
    lexicon: Lexicon
    concepts: dict[str, Any]  # concepts.yaml as read (bot/triage.py Concepts)
    emergency_rules: list[Rule]
    floor_rules: list[Rule]
    model_ignores: frozenset[str]  # cues that alone never let the emergency model flag
    model_stands_down: frozenset[str]  # cues that stop the emergency model flagging
    patterns: dict[str, Any]
    examples: list[Example] = field(default_factory=list)
    guided: list[GuidedQuestion] = field(default_factory=list)
    guide_path: Path | None = None
    model: dict[str, Any] | None = None
    inputs_hash: str = ""
    _guide: dict[str, Any] | None = None

    @property
    def guide(self) -> dict[str, Any]:
        """The labelling guide, read when first needed (the "why not" lines of an answer)."""
        if self._guide is None:
            self._guide = _yaml(self.guide_path, lambda *a, **k: None)
        return self._guide


# The project's own shared lexicon, for a pack kept somewhere else.
BUNDLED = Path(__file__).resolve().parent.parent / "knowledge" / SHARED


def locate(pack_dir: Path, name: str) -> Path | None:
    """The pack's own copy of a file, else the shared one beside it, else the bundled one."""
    for folder in (pack_dir, pack_dir.parent / SHARED, BUNDLED):
        if (folder / name).exists():
            return folder / name
    return None


def _rel(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def _own(pack_dir: Path, name: str) -> Path | None:
    """A file only the pack itself can hold (never shared)."""
    return pack_dir / name if (pack_dir / name).exists() else None


def _yaml(path: Path | None, problem=None) -> Any:
    """The file's YAML (a mapping), or {} after reporting why it could not be read."""
    if path is None:
        return {}
    try:
        with path.open(encoding="utf-8") as f:
            data = yaml.load(f, Loader=_Loader) or {}
    except yaml.YAMLError as exc:
        if problem is None:
            raise
        mark = getattr(exc, "problem_mark", None)
        problem(_rel(path), (mark.line + 1) if mark else 1, f"not valid YAML: {exc}")
        return {}
    if not isinstance(data, dict):
        if problem is not None:
            problem(_rel(path), 1, "must be a mapping")
        return {}
    return data


def example_files(pack_dir: Path) -> list[Path]:
    return sorted((pack_dir / EXAMPLES_DIR).glob("*.yaml"))


def hash_inputs(pack_dir: Path) -> str:
    """What the model was trained from: any change makes the shipped model stale."""
    h = hashlib.sha256(f"features-v{FEATURE_VERSION}".encode())
    names = ["cues.yaml", "rules.yaml", "concepts.yaml", "emergency-patterns.yaml", "levels.yaml"]
    paths = [locate(pack_dir, n) for n in names] + example_files(pack_dir)
    for path in paths:
        if path is not None:
            h.update(path.name.encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:16]


def _examples(pack_dir: Path, problem) -> list[Example]:
    out = []
    for path in example_files(pack_dir):
        rel = f"{pack_dir.name}/{EXAMPLES_DIR}/{path.name}"
        data = _yaml(path, problem)
        for i, raw in enumerate(data.get("examples") or ()):
            if not isinstance(raw, dict) or not str(raw.get("text", "")).strip():
                problem(rel, 1, f"example {i + 1} has no text")
                continue
            try:
                rank = int(raw["level"])
            except (KeyError, TypeError, ValueError):
                problem(rel, 1, f"example {i + 1} has no level")
                continue
            second = raw.get("second")
            out.append(
                Example(
                    str(raw["text"]).strip(),
                    rank,
                    bool(raw.get("emergency", False)),
                    tuple(raw.get("indicators") or ()),
                    str(raw.get("variant") or "plain"),
                    raw.get("pair"),
                    (int(second["level"]), bool(second.get("emergency", False)))
                    if isinstance(second, dict) and "level" in second
                    else None,
                    rel,
                )
            )
    return out


def read_situation_data(
    pack_dir: str | Path, problem, with_examples: bool = True
) -> SituationData | None:
    """Load everything; `problem(file, line, message, severity="error")` collects problems."""
    pack_dir = Path(pack_dir)
    cues_path = locate(pack_dir, "cues.yaml")
    if cues_path is None:
        problem("cues.yaml", 1, "no cue lexicon (cues.yaml in the pack or knowledge/shared)")
        return None
    try:
        lexicon = Lexicon(_yaml(cues_path, problem), check=with_examples)
    except (LexiconError, KeyError, TypeError) as exc:
        problem(_rel(cues_path), 1, f"cue lexicon: {exc}")
        return None
    rules_path = locate(pack_dir, "rules.yaml")
    rules_data = _yaml(rules_path, problem)
    emergency, floor = read_rules(rules_data.get("emergency")), read_rules(rules_data.get("floor"))
    for rule in emergency + floor:
        for cue in rule.cues:
            if cue not in lexicon:
                problem(_rel(rules_path), 1, f"rule `{rule.id}` names unknown cue `{cue}`")
    concepts_data = _yaml(locate(pack_dir, "concepts.yaml"), problem)
    guided = []
    guided_path = locate(pack_dir, "guided.yaml")
    for raw in _yaml(guided_path, problem).get("questions") or ():
        q = GuidedQuestion(
            str(raw["id"]),
            " ".join(str(raw["text"]).split()),
            tuple(raw.get("yes") or ()),
            tuple(raw.get("no") or ()),
            tuple(raw.get("between") or (3, 4)),
            tuple(raw.get("areas") or ()),
            str(raw.get("higher_if", "yes")).lower() in ("yes", "true"),
        )
        for cue in q.yes + q.no:
            if cue not in lexicon:
                problem(_rel(guided_path), 1, f"question `{q.id}` names unknown cue `{cue}`")
        guided.append(q)
    data = SituationData(
        lexicon,
        concepts_data,
        emergency,
        floor,
        frozenset(str(c) for c in rules_data.get("model_ignores") or ()),
        frozenset(str(c) for c in rules_data.get("model_stands_down") or ()),
        _yaml(locate(pack_dir, "emergency-patterns.yaml"), problem),
        _examples(pack_dir, problem) if with_examples else [],
        guided,
        _own(pack_dir, "labelling-guide.yaml"),
    )
    if with_examples and data.guide_path is not None:
        data._guide = _yaml(data.guide_path, problem)  # validate reports its errors
    model_path = pack_dir / MODEL_FILE
    if model_path.exists():
        data.model = json.loads(model_path.read_text(encoding="utf-8"))
        # Staleness is validate's question (and train's); serving trusts a validated pack.
        data.inputs_hash = hash_inputs(pack_dir) if with_examples else ""
        if with_examples and data.model.get("inputs_hash") != data.inputs_hash:
            problem(
                f"{pack_dir.name}/{MODEL_FILE}",
                1,
                "the level model is stale (its examples, cues, rules or indicators changed): "
                "run `python -m bot train`",
            )
    elif with_examples and data.examples:
        problem(
            f"{pack_dir.name}/{EXAMPLES_DIR}",
            1,
            "worked examples but no trained level model: run `python -m bot train`",
            "warning",
        )
    return data
