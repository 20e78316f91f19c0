"""Read a knowledge-pack folder into a Pack, reporting every problem as file:line: message.

Nothing here raises on bad content: problems are collected so `validate` can list them
all at once, and `load_pack` refuses a pack with any error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from .pack import (
    Area,
    Contact,
    Course,
    Distinguish,
    Entry,
    Indicator,
    LeadDefaults,
    Level,
    Pack,
    Source,
    SourceRef,
)
from .situation_data import read_situation_data

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
GUIDE_SECTIONS = (
    ("what_is_it", "What is it"),
    ("why_it_matters", "Why it matters"),
    ("what_to_look_for", "What to look for"),
    ("what_to_do", "What to do"),
    ("where_to_get_help", "Where to get help"),
)
LEVEL_DETAILS = (
    ("who_responds", "Who responds"),
    ("what_to_do", "What to do"),
    ("consent", "Consent"),
)


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        prefix = {"warning": "warning: ", "note": "note: "}.get(self.severity, "")
        return f"{self.file}:{self.line}: {prefix}{self.message}"


class PackError(Exception):
    """The pack has errors; `problems` lists them all."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"]
        super().__init__(f"{len(errors)} error(s) in knowledge pack; first: {errors[0]}")


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml: 10× faster
    """A safe loader that records each mapping's line as `__line__`."""


def _mapping_with_line(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = yaml.SafeLoader.construct_mapping(loader, node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_line)
# Dates stay text so a bad one is reported against its entry, not as a YAML crash.
_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _Reader:
    """Collects problems while turning raw YAML into dataclasses."""

    def __init__(self, root: Path):
        self.root = root
        self.problems: list[Problem] = []

    def rel(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root.parent))
        except ValueError:
            return str(path)

    def error(self, file: str, line: int, message: str, severity: str = "error") -> None:
        self.problems.append(Problem(file, line, message, severity))

    def read(self, path: Path, required: bool = True) -> Any:
        file = self.rel(path)
        if not path.exists():
            if required:
                self.error(file, 0, "file is missing")
            return None
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            self.error(file, 0, f"cannot read file: {exc}")
            return None
        try:
            return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            self.error(file, mark.line + 1 if mark else 0, f"invalid YAML: {problem}")
            return None
        except (ValueError, TypeError, RecursionError) as exc:  # e.g. unhashable keys
            self.error(file, 0, f"invalid YAML: {exc}")
            return None

    def items(self, data: Any, key: str, file: str) -> list[dict[str, Any]]:
        """The list under `key` (or the document itself if it is a list), mappings only."""
        if isinstance(data, dict):
            data = data.get(key, [])
        if data is None:
            return []
        if not isinstance(data, list):
            self.error(file, 1, f"`{key}` must be a list")
            return []
        good = []
        for item in data:
            if isinstance(item, dict):
                good.append(item)
            else:
                self.error(file, 1, f"every item of `{key}` must be a mapping, found {item!r:.40}")
        return good

    def text(self, raw: dict, key: str, file: str, required: bool = True) -> str:
        value = raw.get(key)
        line = raw.get("__line__", 0)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.error(file, line, f"{_label(raw)}missing required field `{key}`")
            return ""
        if isinstance(value, (dict, list)):
            self.error(file, line, f"{_label(raw)}`{key}` must be text")
            return ""
        return str(value).strip()

    def strings(self, raw: dict, key: str, file: str) -> tuple[str, ...]:
        value = raw.get(key) or []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.error(file, raw.get("__line__", 0), f"{_label(raw)}`{key}` must be a list")
            return ()
        return tuple(str(v).strip() for v in value if v is not None and not isinstance(v, dict))

    def ident(self, raw: dict, file: str) -> str:
        value = self.text(raw, "id", file)
        if value and not ID_PATTERN.match(value):
            self.error(
                file,
                raw.get("__line__", 0),
                f"id `{value}` must be lower-case letters, digits and '-'",
            )
        return value

    def reviewed(self, raw: dict, file: str) -> date:
        value = raw.get("reviewed")
        line = raw.get("__line__", 0)
        if isinstance(value, date):
            return value
        if value is None:
            self.error(file, line, f"{_label(raw)}missing required field `reviewed`")
        else:
            try:
                return date.fromisoformat(str(value))
            except ValueError:
                self.error(file, line, f"{_label(raw)}invalid date `{value}` (use YYYY-MM-DD)")
        return date.min

    def source_refs(self, raw: dict, file: str) -> tuple[SourceRef, ...]:
        value = raw.get("sources")
        line = raw.get("__line__", 0)
        if not value:
            self.error(file, line, f"{_label(raw)}missing required field `sources`")
            return ()
        refs = []
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict) and item.get("id"):
                refs.append(SourceRef(str(item["id"]), str(item.get("section") or "")))
            elif isinstance(item, (str, int)):
                refs.append(SourceRef(str(item)))
            else:
                self.error(file, line, f"{_label(raw)}a source must be an id or {{id, section}}")
        return tuple(refs)


def _label(raw: dict) -> str:
    ident = raw.get("id")
    return f"`{ident}`: " if isinstance(ident, str) else ""


def _entry(
    r: _Reader,
    raw: dict,
    kind: str,
    file: str,
    text: str | None = None,
    details: tuple[tuple[str, str], ...] = (),
) -> Entry:
    return Entry(
        id=r.ident(raw, file),
        kind=kind,
        title=r.text(raw, "title", file),
        text=text if text is not None else r.text(raw, "text", file),
        reviewed=r.reviewed(raw, file),
        aliases=r.strings(raw, "aliases", file),
        questions=r.strings(raw, "questions", file),
        see_also=r.strings(raw, "see_also", file),
        sources=r.source_refs(raw, file),
        topic=r.text(raw, "topic", file, required=False),
        areas=r.strings(raw, "areas", file),
        details=details,
        file=file,
        line=raw.get("__line__", 0),
        provenance=r.text(raw, "provenance", file, required=False),
        summary=r.text(raw, "summary", file, required=False),
        next_step=r.text(raw, "next_step", file, required=False),
        contacts=r.strings(raw, "contacts", file) if kind != "level" else (),
    )


def _read_entries(r: _Reader, folder: Path, kind: str) -> list[Entry]:
    entries = []
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        data, file = r.read(path), r.rel(path)
        if data is None:
            continue
        if kind == "guide" and isinstance(data, dict) and "entries" not in data:
            data = {"entries": [data]}
        for raw in r.items(data, "entries", file):
            entries.append(_guide(r, raw, file) if kind == "guide" else _entry(r, raw, kind, file))
    return entries


def _guide(r: _Reader, raw: dict, file: str) -> Entry:
    sections = raw.get("sections")
    if not isinstance(sections, dict):
        r.error(file, raw.get("__line__", 0), f"{_label(raw)}missing required field `sections`")
        sections = {}
    details = []
    for key, heading in GUIDE_SECTIONS:
        body = sections.get(key)
        if not isinstance(body, str) or not body.strip():
            r.error(
                file,
                sections.get("__line__", raw.get("__line__", 0)),
                f"{_label(raw)}guide section `{key}` is missing",
            )
            continue
        details.append((heading, body.strip()))
    text = "\n\n".join(f"{heading}: {body}" for heading, body in details)
    return _entry(r, raw, "guide", file, text=text or " ", details=tuple(details))


def _read_levels(
    r: _Reader, path: Path
) -> tuple[list[Entry], list[Level], list[Area], list[Indicator]]:
    data, file = r.read(path), r.rel(path)
    entries, levels, areas, indicators = [], [], [], []
    if data is None:
        return entries, levels, areas, indicators
    for raw in r.items(data, "levels", file):
        details = tuple(
            (label, r.text(raw, key, file, required=False)) for key, label in LEVEL_DETAILS
        )
        entry = _entry(r, raw, "level", file, details=tuple(d for d in details if d[1]))
        rank = raw.get("rank")
        if isinstance(rank, bool) or not isinstance(rank, int) or rank < 1:
            r.error(file, raw.get("__line__", 0), f"{_label(raw)}`rank` must be a whole number ≥ 1")
            rank = 0
        label = r.text(raw, "label", file)
        entries.append(entry)
        levels.append(
            Level(
                entry.id,
                rank,
                label,
                entry.title,
                r.strings(raw, "contacts", file),
                file,
                raw.get("__line__", 0),
            )
        )
    for raw in r.items(data, "areas", file):
        areas.append(
            Area(r.ident(raw, file), r.text(raw, "title", file), r.strings(raw, "aliases", file))
        )
    for raw in r.items(data, "indicators", file):
        distinguish = None
        note = raw.get("distinguish")
        if isinstance(note, dict):
            distinguish = Distinguish(r.text(note, "with", file), r.text(note, "note", file))
        elif note is not None:
            r.error(
                file, raw.get("__line__", 0), f"{_label(raw)}`distinguish` needs `with` and `note`"
            )
        indicators.append(
            Indicator(
                id=r.ident(raw, file),
                level=r.text(raw, "level", file),
                area=r.text(raw, "area", file),
                text=r.text(raw, "text", file),
                triggers=r.strings(raw, "triggers", file),
                distinguish=distinguish,
                contextual=bool(raw.get("contextual", False)),
                file=file,
                line=raw.get("__line__", 0),
                provenance=r.text(raw, "provenance", file, required=False),
            )
        )
        if not raw.get("triggers"):
            r.error(
                file, raw.get("__line__", 0), f"{_label(raw)}indicator has no `triggers`", "warning"
            )
    return entries, levels, areas, indicators


def _read_sources(r: _Reader, path: Path) -> list[Source]:
    data, file = r.read(path), r.rel(path)
    sources = []
    for raw in r.items(data, "sources", file) if data is not None else []:
        year = raw.get("year")
        sources.append(
            Source(
                r.ident(raw, file),
                r.text(raw, "title", file),
                r.text(raw, "publisher", file, required=False),
                year if isinstance(year, int) else None,
                r.text(raw, "url", file, required=False) or None,
                r.text(raw, "note", file, required=False),
            )
        )
    return sources


def _read_courses(r: _Reader, path: Path) -> list[Course]:
    data, file = r.read(path, required=False), r.rel(path)
    courses = []
    for raw in r.items(data, "courses", file) if data is not None else []:
        courses.append(
            Course(
                r.ident(raw, file),
                r.text(raw, "title", file),
                r.text(raw, "text", file, required=False),
                r.text(raw, "provider", file, required=False),
                r.text(raw, "audience", file, required=False),
                r.strings(raw, "areas", file),
                r.strings(raw, "topics", file),
                r.strings(raw, "entries", file),
                file,
                raw.get("__line__", 0),
            )
        )
    return courses


def _contacts(
    r: _Reader, meta: dict, file: str, overrides: dict, line: dict[str, int]
) -> list[Contact]:
    contacts = []
    for raw in r.items(meta, "contacts", file):
        merged = {**raw, **(overrides.get(str(raw.get("id")), {}) or {})}
        contacts.append(
            Contact(
                r.ident(merged, file),
                r.text(merged, "name", file),
                str(merged.get("phone") or "").strip(),
                r.text(merged, "note", file, required=False),
                r.text(merged, "source", file, required=False),
                str(merged.get("checked") or ""),
                r.text(merged, "published_on", file, required=False),
                r.text(merged, "placeholder", file, required=False),
                r.text(merged, "short_name", file, required=False),
            )
        )
        line[contacts[-1].id] = raw.get("__line__", 0)
    return contacts


def _lead_defaults(r: _Reader, meta: dict, file: str) -> LeadDefaults:
    """pack.yaml `lead:` (every key optional)."""
    raw = meta.get("lead")
    if raw is None:
        return LeadDefaults()
    if not isinstance(raw, dict):
        r.error(file, meta.get("__line__", 1), "`lead` must be a mapping")
        return LeadDefaults()
    emergency_contacts = r.strings(raw, "emergency_contacts", file)
    return LeadDefaults(
        emergency=r.text(raw, "emergency", file, required=False),
        emergency_contacts=emergency_contacts or LeadDefaults().emergency_contacts,
        next_step=r.text(raw, "next_step", file, required=False),
        contacts=r.strings(raw, "contacts", file),
        examples=r.strings(raw, "examples", file),
    )


def _check_lead(r: _Reader, pack: Pack, file: str, line: int) -> None:
    """Contacts named for leads exist; summaries keep to their word limit and fit beside the
    next step and contacts without being cut."""
    from .answer import lead_limit, word_count
    from .answer_lead import entry_lead

    named = list(pack.lead.contacts)
    if pack.lead.emergency_contacts != LeadDefaults().emergency_contacts:
        named += pack.lead.emergency_contacts  # the default names whichever of them exist
    for cid in named:
        if cid not in pack.contacts:
            r.error(file, line, f"`lead`: unknown contact `{cid}`")
    for entry in pack.entries.values():
        for cid in entry.contacts:
            if cid not in pack.contacts:
                r.error(entry.file, entry.line, f"`{entry.id}`: unknown contact `{cid}`")
        limit = lead_limit(entry.kind)
        if entry.summary and word_count(entry.summary) > limit:
            r.error(
                entry.file,
                entry.line,
                f"`{entry.id}`: `summary` has {word_count(entry.summary)} words; an answer's "
                f"first screen keeps to {limit}",
            )
        elif entry.summary and entry.summary not in entry_lead(pack, entry).text:
            r.error(
                entry.file,
                entry.line,
                f"`{entry.id}`: `summary` was cut to fit beside the next step and contacts "
                f"in {limit} words — shorten it",
                "warning",
            )


def _check_contacts(
    r: _Reader, pack: Pack, file: str, lines: dict[str, int], stale_before: date, today: date
) -> None:
    """A number is shown only with where it was published and when it was checked."""
    for c in pack.contacts.values():
        at = lines.get(c.id, 0)
        if c.is_role:
            continue
        if c.is_placeholder:
            if c.placeholder:
                r.error(file, at, f"`{c.id}`: no number on purpose: {c.placeholder}", "note")
            else:
                r.error(
                    file,
                    at,
                    f"`{c.id}`: placeholder contact — users see no number; set `phone`, "
                    "`source`, `published_on` and `checked`, or say why in `placeholder`",
                    "warning",
                )
            continue
        missing = [k for k in ("source", "published_on", "checked") if not getattr(c, k)]
        if missing:
            # An error, not a warning: a pack that would show a number without the page it
            # was published on and the date it was checked is not served.
            r.error(
                file,
                at,
                f"`{c.id}`: number {c.phone} has no {' or '.join(f'`{k}`' for k in missing)} — "
                "a number is shown only with the page it was published on and the date it "
                "was checked",
            )
            continue
        if urlsplit(c.published_on).scheme not in ("http", "https"):
            r.error(
                file,
                at,
                f"`{c.id}`: `published_on` must be the page's address (https://…), "
                f"not `{c.published_on}`",
            )
        try:
            checked = date.fromisoformat(c.checked)
        except ValueError:
            r.error(file, at, f"`{c.id}`: invalid `checked` date `{c.checked}` (use YYYY-MM-DD)")
            continue
        if checked < stale_before:
            r.error(
                file,
                at,
                f"`{c.id}`: number {c.phone} last checked {checked}, longer ago than "
                "`review_after_days` — check it against the published page again",
                "warning",
            )
        elif checked > today:
            r.error(file, at, f"`{c.id}`: checked date {checked} is in the future")


def read_pack(
    directory: str | Path,
    *,
    review_after_days: int = 365,
    contact_overrides: dict | None = None,
    today: date | None = None,
    with_examples: bool = True,
) -> tuple[Pack | None, list[Problem]]:
    """Read and check a pack folder; returns the pack (None if unreadable) and all problems."""
    root = Path(directory)
    r = _Reader(root)
    if not root.is_dir():
        r.error(str(root), 0, "knowledge pack folder not found")
        return None, r.problems
    meta_file = r.rel(root / "pack.yaml")
    meta = r.read(root / "pack.yaml")
    if not isinstance(meta, dict):
        if meta is not None:
            r.error(meta_file, 1, "pack.yaml must be a mapping")
        meta = {}
    contact_lines: dict[str, int] = {}
    contacts = _contacts(r, meta, meta_file, contact_overrides or {}, contact_lines)
    sources = _read_sources(r, root / "sources.yaml")
    level_entries, levels, areas, indicators = _read_levels(r, root / "levels.yaml")
    gfile = r.rel(root / "glossary.yaml")
    data = r.read(root / "glossary.yaml")
    glossary = [
        _entry(r, raw, "glossary", gfile)
        for raw in (r.items(data, "entries", gfile) if data is not None else [])
    ]
    guidance = _read_entries(r, root / "guidance", "guidance")
    guides = _read_entries(r, root / "guides", "guide")
    courses = _read_courses(r, root / "training.yaml")

    for key in ("id", "name", "version"):
        if not meta.get(key):
            r.error(meta_file, meta.get("__line__", 1), f"missing required field `{key}`")
    if not str(meta.get("emergency") or "").strip():
        r.error(meta_file, meta.get("__line__", 1), "missing required field `emergency`")
    if not levels:
        r.error(r.rel(root / "levels.yaml"), 1, "the pack defines no levels")

    pack = Pack(
        id=str(meta.get("id") or root.name),
        name=str(meta.get("name") or root.name),
        version=str(meta.get("version") or "0"),
        scheme=str(meta.get("scheme") or "Levels of need"),
        level_label=str(meta.get("level_label") or "Level"),
        emergency=str(meta.get("emergency") or "").strip(),
        disclaimer=str(meta.get("disclaimer") or "").strip(),
        directory=str(root),
        entries=_unique(r, [*level_entries, *glossary, *guidance, *guides]),
        levels={lvl.id: lvl for lvl in levels},
        areas=_unique(r, areas, r.rel(root / "levels.yaml")),
        indicators=_unique(r, indicators, r.rel(root / "levels.yaml")),
        contacts={c.id: c for c in contacts},
        sources=_unique(r, sources, r.rel(root / "sources.yaml")),
        courses=_unique(r, courses, r.rel(root / "training.yaml")),
        topics=tuple(str(t) for t in meta.get("topics") or () if isinstance(t, str)),
        lead=_lead_defaults(r, meta, meta_file),
    )
    today = today or date.today()
    _cross_check(r, pack, levels, review_after_days, today, str(meta.get("short_name") or ""))
    _check_contacts(
        r, pack, meta_file, contact_lines, today - timedelta(days=review_after_days), today
    )
    _check_lead(r, pack, meta_file, meta.get("__line__", 1))
    situations = read_situation_data(root, r.error, with_examples=with_examples)
    if situations is not None:
        _check_examples(r, pack, situations.examples)
        pack = replace(pack, situations=situations)
    return pack, r.problems


def _check_examples(r: _Reader, pack: Pack, examples: list) -> None:
    ranks = {lvl.rank for lvl in pack.levels.values()}
    top = max(ranks, default=0)
    for ex in examples:
        if ex.rank not in ranks:
            r.error(ex.file, 1, f"example has level {ex.rank}, not a level of this pack")
        if ex.emergency and ex.rank != top:
            r.error(ex.file, 1, f"an emergency is always level {top}: {ex.text[:60]!r}")
        for ind in ex.indicators:
            if ind not in pack.indicators:
                r.error(ex.file, 1, f"example names unknown indicator `{ind}`: {ex.text[:60]!r}")


def _unique(r: _Reader, items: list, file: str = "") -> dict:
    seen: dict[str, Any] = {}
    for item in items:
        if not item.id:
            continue
        if item.id in seen:
            first = seen[item.id]
            where = f"{getattr(first, 'file', file)}:{getattr(first, 'line', 0)}"
            r.error(
                getattr(item, "file", file),
                getattr(item, "line", 0),
                f"duplicate id `{item.id}` (first defined at {where})",
            )
            continue
        seen[item.id] = item
    return seen


def _cross_check(
    r: _Reader,
    pack: Pack,
    levels: list[Level],
    review_after_days: int,
    today: date,
    short_name: str = "",
) -> None:
    ranks = [lvl.rank for lvl in levels]
    if len(set(ranks)) != len(ranks):
        r.error(levels[0].file, levels[0].line, "two levels share a `rank`")
    stale_before = today - timedelta(days=review_after_days)
    for entry in pack.entries.values():
        for ref in entry.sources:
            if ref.id not in pack.sources:
                r.error(entry.file, entry.line, f"`{entry.id}`: unknown source `{ref.id}`")
        for other in entry.see_also:
            if other not in pack.entries:
                r.error(entry.file, entry.line, f"`{entry.id}`: see_also `{other}` does not exist")
        for area in entry.areas:
            if area not in pack.areas:
                r.error(entry.file, entry.line, f"`{entry.id}`: unknown area `{area}`")
        if pack.topics and entry.topic and entry.topic not in pack.topics:
            r.error(entry.file, entry.line, f"`{entry.id}`: unknown topic `{entry.topic}`")
        if date.min < entry.reviewed < stale_before:
            r.error(
                entry.file,
                entry.line,
                f"`{entry.id}`: reviewed {entry.reviewed}, older than "
                f"{review_after_days} days — due for review",
                "warning",
            )
        if entry.reviewed > today:
            r.error(
                entry.file,
                entry.line,
                f"`{entry.id}`: reviewed date {entry.reviewed} is in the future",
            )
    _shared_names(r, pack, short_name)
    for item in [*pack.entries.values(), *pack.indicators.values()]:
        if item.provenance:
            r.error(item.file, item.line, f"`{item.id}`: provenance: {item.provenance}", "note")
    for ind in pack.indicators.values():
        if ind.level not in pack.levels:
            known = ", ".join(pack.levels) or "none"
            r.error(
                ind.file,
                ind.line,
                f"`{ind.id}`: level `{ind.level}` is not in the pack's scheme ({known})",
            )
        if ind.area not in pack.areas:
            r.error(ind.file, ind.line, f"`{ind.id}`: unknown area `{ind.area}`")
        if ind.distinguish and ind.distinguish.with_id not in pack.indicators:
            r.error(
                ind.file,
                ind.line,
                f"`{ind.id}`: distinguish.with `{ind.distinguish.with_id}` does not exist",
            )
    for lvl in levels:
        for contact in lvl.contacts:
            if contact not in pack.contacts:
                r.error(lvl.file, lvl.line, f"`{lvl.id}`: unknown contact `{contact}`")
    for course in pack.courses.values():
        for ref in course.entries:
            if ref not in pack.entries:
                r.error(course.file, course.line, f"`{course.id}`: unknown entry `{ref}`")
        for area in course.areas:
            if area not in pack.areas:
                r.error(course.file, course.line, f"`{course.id}`: unknown area `{area}`")


def _shared_names(r: _Reader, pack: Pack, short_name: str = "") -> None:
    """Warn when two entries claim the same name: the matcher cannot tell which is meant."""
    from .text import name_variants, normalise

    owner: dict[str, Entry] = {}
    partnership = {normalise(n) for n in (pack.id, pack.name, short_name) if n}
    for entry in pack.entries.values():
        for name in sorted({normalise(n) for n in name_variants(entry.match_terms) if n}):
            # A bare number ("1", from "article 6(1)(e)") or the partnership's own name names
            # no one entry; phone numbers people type ("999", "101") are three digits or more.
            bare_number = name.replace(" ", "").isdigit() and len(name) < 3
            if bare_number or (name in partnership and entry.id not in partnership):
                r.error(
                    entry.file,
                    entry.line,
                    f"`{entry.id}`: name or alias `{name}` is a bare number or the "
                    "partnership's name — it would match almost any question",
                    "warning",
                )
                continue
            other = owner.setdefault(name, entry)
            if other is not entry and {other.kind, entry.kind} != {"glossary", "guide"}:
                r.error(
                    entry.file,
                    entry.line,
                    f"`{entry.id}`: name or alias `{name}` is also "
                    f"used by `{other.id}` — keep it on the entry it best answers",
                    "warning",
                )


def load_pack(directory: str | Path, **kwargs: Any) -> Pack:
    """Load a pack for serving; raises PackError (listing every error) if it is broken."""
    # Serving needs the trained model, not the worked examples it was trained from.
    pack, problems = read_pack(directory, with_examples=False, **kwargs)
    if pack is None or any(p.severity == "error" for p in problems):
        raise PackError(problems)
    return pack
