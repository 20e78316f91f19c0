"""The query log's files beside the database: private file creation, locks, the spool (rows
the database could not take) and each process's journal (rows not yet in the database).

Every file is created mode 0600: it holds redacted questions and pseudonyms, which are for
the board office, not for every account on the machine.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PRIVATE = 0o600
JOURNAL_GLOB = ".journal-*.jsonl"


def random_id() -> str:
    """A random version-4 UUID as 32 hex digits, exactly as `uuid.uuid4().hex` makes it: the
    uuid module imports `platform` and asks the system its name, which every one-question
    start paid for (the console's cold start is measured by bench/)."""
    b = bytearray(os.urandom(16))
    b[6] = (b[6] & 0x0F) | 0x40  # version 4
    b[8] = (b[8] & 0x3F) | 0x80  # the RFC 4122 variant
    return b.hex()


def create_private(path: Path) -> None:
    """Create `path` empty with mode 0600 if it does not exist (SQLite gives its -wal and
    -shm files the database file's mode, so creating the database this way covers them)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE)
    except FileExistsError:
        return
    os.close(fd)


def open_append(path: Path) -> int:
    """A descriptor appending to `path` (created 0600): each os.write of a whole line lands
    after the others, whoever else appends."""
    return os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, PRIVATE)


@contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """An exclusive lock across threads and processes (flock on `path`, created 0600)."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, PRIVATE)
    except OSError:
        yield  # no lock file possible (read-only folder): this process only
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def lines(kind_rows: list[tuple[str, dict]]) -> bytes:
    return "".join(json.dumps({"kind": k, "row": r}) + "\n" for k, r in kind_rows).encode()


def read_rows(path: Path) -> list[tuple[str, dict]]:
    """The (kind, row) pairs in a spool or journal; a torn last line (a crash mid-write)
    is skipped, the rest kept."""
    rows = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            item = json.loads(line)
            rows.append((item["kind"], item["row"]))
        except (ValueError, KeyError, TypeError):
            continue
    return rows


class Journal:
    """This process's write-ahead file: every row is appended here (one write, no wait for
    the disk) before the answer goes out, so a crash of the process loses none. The writer
    empties it whenever every row in it has reached the database or the spool. While the
    process lives it holds a lock on the file; a journal nobody holds belongs to a process
    that died, and the next log to open replays it."""

    def __init__(self, db_path: Path):
        self.path = db_path.with_name(
            f"{db_path.name}.journal-{os.getpid()}-{os.urandom(4).hex()}.jsonl"
        )
        self.fd: int | None = None

    def append(self, data: bytes) -> None:
        if self.fd is None:
            # Locked before it has its name, so no other process ever takes a new journal
            # for a dead one's.
            starting = self.path.with_name(self.path.name + ".new")
            fd = open_append(starting)
            fcntl.flock(fd, fcntl.LOCK_EX)
            os.rename(starting, self.path)
            self.fd = fd
        os.write(self.fd, data)

    def empty(self) -> None:
        if self.fd is not None:
            os.ftruncate(self.fd, 0)

    def close(self, remove: bool) -> None:
        if self.fd is None:
            return
        if remove:
            self.path.unlink(missing_ok=True)
        fcntl.flock(self.fd, fcntl.LOCK_UN)
        os.close(self.fd)
        self.fd = None


def orphan_journals(db_path: Path, own: Path | None = None) -> Iterator[tuple[Path, int]]:
    """(path, locked descriptor) for each journal whose process has died; the caller
    replays it, then unlinks it and closes the descriptor."""
    for path in sorted(db_path.parent.glob(db_path.name + JOURNAL_GLOB)):
        if path == own:
            continue
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)  # its process is alive
            continue
        yield path, fd
