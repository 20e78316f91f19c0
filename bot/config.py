"""Configuration: config.yaml merged over safe defaults, with environment overrides.

The file is RHRT_CONFIG (e.g. one mounted into a container) or config.yaml beside the
project. Environment variables override it: RHRT_PACK, RHRT_KNOWLEDGE, RHRT_DB, RHRT_ADMINS
(comma-separated Slack user ids), RHRT_CACHE_DIR (the built-pack cache, `off` for none) and
RHRT_LOG_KEY (read by the query log)."""

from __future__ import annotations

import os
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent

DEFAULTS: dict[str, Any] = {
    "pack": "coventry",
    "knowledge_dir": "knowledge",
    "review_after_days": 365,
    "confidence_threshold": 0.6,
    "max_question_chars": 2000,
    "db_path": "rhrt.db",
    "retention_days": 365,
    "contacts": {},
    "admins": [],
    "rate_limit_per_minute": 30,
    "min_cell_count": 5,
    "agencies": [],
    "agency_rules": {"email_domains": {}, "channels": {}, "tenants": {}},
    "escalation": {"default": "", "topics": {}},
    "report": {},
}


class ConfigError(Exception):
    """A config problem the user can fix; the message says what and where."""


@dataclass(frozen=True)
class Config:
    path: Path | None
    pack_dir: Path
    db_path: Path
    review_after_days: int
    confidence_threshold: float
    max_question_chars: int
    retention_days: int
    contacts: dict[str, dict[str, Any]] = field(default_factory=dict)
    admins: tuple[str, ...] = ()
    rate_limit_per_minute: int = 30
    min_cell_count: int = 5
    agencies: tuple[dict[str, str], ...] = ()
    agency_rules: dict[str, dict[str, str]] = field(default_factory=dict)
    # "Ask a safeguarding adviser": Slack channel ids by topic, and a default (bot.escalations)
    escalation: dict[str, Any] = field(default_factory=dict)
    # Board reports: `default_period` and the scrutiny asks the one-page summary answers
    report: dict[str, Any] = field(default_factory=dict)
    # Where the built pack is cached between processes (bot.packcache); None: not cached
    cache_dir: Path | None = None

    def agency_name(self, agency_id: str | None) -> str:
        for agency in self.agencies:
            if agency["id"] == agency_id:
                return agency["name"]
        return "Unknown"

    def agency_sector(self, agency_id: str | None) -> str:
        for agency in self.agencies:
            if agency["id"] == agency_id:
                return agency.get("sector", "other")
        return "unknown"


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: config file not found") from exc
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config ({exc.strerror})") from exc
    try:
        # libyaml's loader when present: the same data, without ~10 ms of pure-Python parsing.
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise ConfigError(f"{path}{line}: {problem}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}:1: config must be a mapping of keys to values")
    return data


def _warn_if_others_can_write(path: Path) -> None:
    """The config decides contacts and admins: nobody else should be able to change it."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return
    if mode & (stat.S_IWGRP | stat.S_IWOTH):
        print(
            f"rhrt-bot: warning: {path} can be changed by other users; run chmod go-w on it",
            file=sys.stderr,
        )


def _number(raw: dict[str, Any], key: str, kind: type, path: Path | None) -> Any:
    value = raw[key]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigError(f"{path}: `{key}` must be a number, not {value!r}")
    return kind(value)


def load_config(
    path: str | os.PathLike | None = None,
    *,
    pack_dir: str | None = None,
    cache_dir: str | None = None,
) -> Config:
    """Load config from `path`, else RHRT_CONFIG, else ./config.yaml beside the project."""
    env_path = os.environ.get("RHRT_CONFIG")
    chosen = Path(path or env_path) if (path or env_path) else PROJECT_ROOT / "config.yaml"
    raw = dict(DEFAULTS)
    if chosen.exists() or path or env_path:
        raw.update(_read_yaml(chosen))
        _warn_if_others_can_write(chosen)
    base = chosen.resolve().parent if chosen.exists() else PROJECT_ROOT

    if os.environ.get("RHRT_PACK", "").strip():
        raw["pack"] = os.environ["RHRT_PACK"].strip()
    if os.environ.get("RHRT_ADMINS", "").strip():
        raw["admins"] = [a.strip() for a in os.environ["RHRT_ADMINS"].split(",") if a.strip()]
    knowledge = pack_dir or os.environ.get("RHRT_KNOWLEDGE")
    if knowledge:
        resolved_pack = Path(knowledge)
    else:
        packs = base / str(raw["knowledge_dir"])
        if not packs.is_dir() and not Path(str(raw["knowledge_dir"])).is_absolute():
            # A config file kept elsewhere (a container's mounted /config/config.yaml)
            # still serves the packs that ship with the bot.
            packs = PROJECT_ROOT / str(raw["knowledge_dir"])
        resolved_pack = packs / str(raw["pack"])
    db = os.environ.get("RHRT_DB") or str(raw["db_path"])
    db_path = Path(db) if Path(db).is_absolute() or os.environ.get("RHRT_DB") else base / db

    threshold = _number(raw, "confidence_threshold", float, chosen)
    if not 0 <= threshold <= 1:
        raise ConfigError(f"{chosen}: `confidence_threshold` must be between 0 and 1")
    contacts = raw.get("contacts") or {}
    if not isinstance(contacts, dict):
        raise ConfigError(f"{chosen}: `contacts` must map contact ids to fields")
    agencies = raw.get("agencies") or []
    if not isinstance(agencies, list) or not all(
        isinstance(a, dict) and "id" in a and "name" in a for a in agencies
    ):
        raise ConfigError(f"{chosen}: each of `agencies` needs an `id` and a `name`")
    return Config(
        path=chosen if chosen.exists() else None,
        pack_dir=resolved_pack,
        db_path=db_path,
        review_after_days=_number(raw, "review_after_days", int, chosen),
        confidence_threshold=threshold,
        max_question_chars=_number(raw, "max_question_chars", int, chosen),
        retention_days=_number(raw, "retention_days", int, chosen),
        contacts={str(k): dict(v or {}) for k, v in contacts.items()},
        admins=tuple(str(a) for a in raw.get("admins") or ()),
        rate_limit_per_minute=_number(raw, "rate_limit_per_minute", int, chosen),
        min_cell_count=_number(raw, "min_cell_count", int, chosen),
        agencies=tuple({k: str(v) for k, v in a.items()} for a in agencies),
        agency_rules=dict(raw.get("agency_rules") or {}),
        escalation=_escalation(raw.get("escalation"), chosen),
        report=_report(raw.get("report"), chosen),
        cache_dir=_cache_dir(cache_dir),
    )


def _cache_dir(given: str | None) -> Path | None:
    """--cache-dir, else RHRT_CACHE_DIR, else the user's cache folder; `off`: no cache."""
    chosen = given if given is not None else os.environ.get("RHRT_CACHE_DIR", "").strip()
    if chosen and chosen.lower() == "off":
        return None
    if chosen:
        return Path(chosen).expanduser()
    from .packcache import default_folder

    return default_folder()


def _report(value: Any, path: Path | None) -> dict[str, Any]:
    """`report: {default_period: TEXT, scrutiny: [{ask, entries, topics, measure}]}`."""
    value = value or {}
    scrutiny = value.get("scrutiny") or [] if isinstance(value, dict) else None
    if not isinstance(value, dict) or not isinstance(scrutiny, list):
        raise ConfigError(f"{path}: `report` needs `default_period` and a list `scrutiny`")
    for item in scrutiny:
        if not isinstance(item, dict) or not str(item.get("ask") or "").strip():
            raise ConfigError(f"{path}: each of `report.scrutiny` needs an `ask`")
    return {"default_period": str(value.get("default_period") or ""), "scrutiny": scrutiny}


def _escalation(value: Any, path: Path | None) -> dict[str, Any]:
    """`escalation: {default: CHANNEL, topics: {topic: CHANNEL}}`, channel ids as text."""
    value = value or {}
    topics = value.get("topics") or {} if isinstance(value, dict) else None
    if not isinstance(value, dict) or not isinstance(topics, dict):
        raise ConfigError(
            f"{path}: `escalation` needs `default` (a Slack channel id) and `topics` "
            "(topic: channel id)"
        )
    return {
        "default": str(value.get("default") or "").strip(),
        "topics": {str(k): str(v).strip() for k, v in topics.items() if v},
    }
