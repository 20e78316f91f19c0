"""The pseudonymisation key: where it comes from, and the checks that keep it from being lost
or weak.

Order: RHRT_LOG_KEY (the key itself), else RHRT_LOG_KEY_FILE (a file, e.g. a secrets mount),
else `<db>.key` beside the database, created once for a new log. A key that is empty,
shorter than 32 bytes or readable by every user is refused; so is making a new key for a log
that already has askers (it would split every person in two and lose their agency).
"""

from __future__ import annotations

import os
import sqlite3
import stat
import sys
from pathlib import Path

from .config import ConfigError

MIN_KEY_BYTES = 32


class LogKeyError(ConfigError):
    """The key is missing, weak or exposed; the message says what to do (one line)."""


def key_path(db_path: Path) -> Path:
    named = os.environ.get("RHRT_LOG_KEY_FILE", "").strip()
    return Path(named) if named else db_path.with_name(db_path.name + ".key")


def load_key(db_path: Path) -> bytes:
    """The HMAC key for this log (see the module's docstring). Raises LogKeyError."""
    env = os.environ.get("RHRT_LOG_KEY")
    if env is not None:
        return _checked(env.strip().encode("utf-8"), "RHRT_LOG_KEY")
    path = key_path(db_path)
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    if os.environ.get("RHRT_LOG_KEY_FILE", "").strip():
        raise LogKeyError(f"{path}: RHRT_LOG_KEY_FILE names a key file that does not exist")
    held = _people_already_logged(db_path)
    if held:
        raise LogKeyError(
            f"{db_path} already holds {held} but its key ({path.name}) is missing: restore the "
            "key file or set RHRT_LOG_KEY (a new key would count every person twice and lose "
            "their agency), or move the log aside to start a new one"
        )
    return _create(path)


def _checked(key: bytes, where: str) -> bytes:
    if not key:
        raise LogKeyError(f"{where} is empty: the log's pseudonyms need a secret key")
    if len(key) < MIN_KEY_BYTES:
        raise LogKeyError(
            f"{where} is too short ({len(key)} bytes; at least {MIN_KEY_BYTES}): "
            "make one with `python -c 'import secrets; print(secrets.token_hex(32))'`"
        )
    return key


def _read(path: Path) -> bytes:
    """A key file's key; FileNotFoundError when there is none."""
    mode = path.stat().st_mode
    if mode & stat.S_IROTH:
        raise LogKeyError(
            f"{path} can be read by every user on this machine: run chmod 600 on it "
            "(and keep it away from copies of the log)"
        )
    if mode & stat.S_IRGRP:
        print(
            f"rhrt-bot: warning: {path} is readable by its group; run chmod 600 on it",
            file=sys.stderr,
        )
    try:
        key = path.read_bytes().strip()
    except PermissionError as exc:
        raise LogKeyError(f"{path}: cannot read the key file ({exc.strerror})") from exc
    return _checked(key, str(path))


def _create(path: Path) -> bytes:
    """Write a new key atomically: a private temporary file, then a hard link to the real
    name, which fails if another process made one first (then theirs is used). The key file
    is never seen empty or half-written."""
    import secrets  # only when a key is made (it imports `random`: not for every start)

    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32).encode("ascii")
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(key)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            return _read(path)
        except OSError:
            # No hard links here (some network file systems): rename, which only a process
            # starting in the same instant could race.
            if path.exists():
                return _read(path)
            os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    _sync_folder(path.parent)
    return key


def _sync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _people_already_logged(db_path: Path) -> str:
    """What the log already holds under some key ("12 askers"), or "" for a new log."""
    pending = [
        p
        for p in db_path.parent.glob(db_path.name + ".*")
        if (p.name.endswith(".spool.jsonl") or ".journal" in p.name) and p.stat().st_size
    ]
    if pending:
        return f"log rows waiting in {pending[0].name}"
    try:
        if db_path.stat().st_size == 0:
            return ""
    except FileNotFoundError:
        return ""
    try:
        conn = sqlite3.connect(f"file:{db_path.resolve()}?mode=ro", uri=True, timeout=5)
        try:
            tables = {r[0] for r in conn.execute("select name from sqlite_master")}
            if "askers" not in tables:
                return ""
            people = conn.execute("select count(*) from askers").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return f"a log it cannot read ({exc})"
    return f"{people} pseudonymous asker(s)" if people else ""
