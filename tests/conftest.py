"""Shared fixtures: the mini test pack, assistants, and running the CLI as a user would."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.assistant import Assistant
from bot.config import load_config

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"


@pytest.fixture(scope="session", autouse=True)
def _session_pack_cache(tmp_path_factory):
    """Built packs are cached in this session's own folder (shared by its tests and the CLI
    runs they start), never in the developer's ~/.cache."""
    folder = tmp_path_factory.mktemp("pack-cache")
    previous = os.environ.get("RHRT_CACHE_DIR")
    os.environ["RHRT_CACHE_DIR"] = str(folder)
    yield folder
    if previous is None:
        os.environ.pop("RHRT_CACHE_DIR", None)
    else:
        os.environ["RHRT_CACHE_DIR"] = previous


def pytest_xdist_auto_num_workers(config) -> int | None:
    """How many workers `-n auto` (pyproject.toml's addopts) starts: two, as this project's
    machines and CI have two cores (more workers than that only fight over them). None (one
    process, as without xdist) for `-m slow`, whose benchmarks and soak tests measure time
    and so run one at a time, and for a single file, whose tests one worker would run
    anyway (files are shared out whole). PYTEST_XDIST_AUTO_NUM_WORKERS or `-n N` overrides."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None  # xdist reads it
    marks = config.getoption("markexpr") or ""
    if "slow" in marks and "not slow" not in marks:
        return 0
    files = {arg.split("::")[0] for arg in config.args}
    if len(files) == 1 and (config.invocation_params.dir / files.pop()).is_file():
        return 0
    return 2 if (os.cpu_count() or 1) >= 2 else 0


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch, tmp_path):
    """No test reads the developer's environment or writes a log into the checkout."""
    for name in (
        "RHRT_CONFIG",
        "RHRT_KNOWLEDGE",
        "RHRT_PACK",
        "RHRT_ADMINS",
        "RHRT_LOG_KEY",
        "RHRT_HEARTBEAT",
        "SLACK_BOT_TOKEN",
        "SLACK_APP_TOKEN",
        "SLACK_SIGNING_SECRET",
        "SLACK_API_URL",
        "TEAMS_CLIENT_ID",
        "TEAMS_CLIENT_SECRET",
        "TEAMS_TENANT_ID",
        "TEAMS_OPENID_METADATA_URL",
        "TEAMS_PORT",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("RHRT_DB", str(tmp_path / "rhrt-test.db"))


@pytest.fixture
def mini_dir(tmp_path) -> Path:
    """A writable copy of the mini pack, for tests that break it."""
    target = tmp_path / "mini"
    shutil.copytree(MINI, target)
    return target


@pytest.fixture(scope="session")
def mini() -> Assistant:
    return Assistant.from_config(load_config(ROOT / "config.yaml", pack_dir=str(MINI)))


@pytest.fixture(scope="session")
def coventry() -> Assistant:
    return Assistant.from_config(load_config(ROOT / "config.yaml"))


@pytest.fixture(scope="session")
def redactor():
    """The bundled pack's redactor: rules and the learned pass."""
    from bot.loader import load_pack
    from bot.privacy import Redactor

    return Redactor.for_pack(load_pack(ROOT / "knowledge" / "coventry"))


@pytest.fixture(scope="session")
def rules():
    """The same redactor without the learned pass (the rules alone)."""
    from bot.loader import load_pack
    from bot.privacy import Redactor

    return Redactor.for_pack(load_pack(ROOT / "knowledge" / "coventry"), learned=False)


@pytest.fixture
def undecided_pack_dir(tmp_path) -> Path:
    """A copy of the Coventry pack whose level model always sits on the level 3 / level 4
    line, so every triage answer offers the guided questions."""
    import json

    from bot.situation_data import hash_inputs

    root = tmp_path / "undecided"
    pack = root / "coventry"
    shutil.copytree(ROOT / "knowledge" / "coventry", pack)
    shutil.copytree(ROOT / "knowledge" / "shared", root / "shared")
    on_the_line = {"bias": -0.84, "threshold": 0.3, "weights": {}}  # P = 0.302
    sure = {"bias": 6.0, "threshold": 0.5, "weights": {}}
    model = {
        "inputs_hash": hash_inputs(pack),
        "close_margin": 0.12,
        "steps": {"2": sure, "3": sure, "4": on_the_line},
        "emergency": None,
    }
    (pack / "level-model.json").write_text(json.dumps(model))
    return pack


def run_cli(
    *args: str, stdin: str | None = None, env: dict | None = None, timeout: float = 120
) -> subprocess.CompletedProcess:
    """Run `python -m bot …` in a subprocess, exactly as a user would."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        text=True,
        capture_output=True,
        cwd=ROOT,
        env=full_env,
        timeout=timeout,
    )


def logged_bytes(folder: Path, texts) -> bytes:
    """Each text asked through the bot with the query log on a real file in `folder`: the raw
    bytes of the database, its WAL and spool once the log is closed (what a privacy review
    searches)."""
    from bot.askers import Asker
    from bot.querylog import QueryLog

    config = load_config(ROOT / "config.yaml")
    log = QueryLog(folder / "log.db", b"k" * 32, config)
    assistant = Assistant.from_config(config, log=log)
    for text in texts:
        assistant.ask(text, asker=Asker("T1", "U1"), surface="dm")
    log.close()
    return b"".join(p.read_bytes() for p in folder.iterdir() if p.name.startswith("log.db"))
