"""The built pack, cached on disk: the pack, its search index and its situation assessor as
a start-up builds them (YAML, validation, stemming, indexes), read back by the next process
in a fraction of the time.

Where: `Config.cache_dir` (`--cache-dir`, RHRT_CACHE_DIR, else $XDG_CACHE_HOME/rhrt-bot or
~/.cache/rhrt-bot), a folder only this user may open (0700, each file 0600) and never one
inside the project. One file per pack folder, under a key made of everything the build
reads: every file of the pack and of the shared lexicon, the bot's code and data, the
versions of Python and of the libraries that shape the result, the load options and today's
date (validation depends on it). A file that is missing, for another key, damaged or not
private is ignored: the pack is built as usual and the file written again, atomically (a
temporary file renamed over it), so a reader never sees half of one.

Why pickle: what is cached is the engine's own objects (frozen dataclasses, indexes, the
level model), and rebuilding them from JSON or marshal would repeat the very work being
saved. A compiled regular expression is kept as the matcher's compiled program, not as its
source: unpickling it then costs a copy, where compiling it again (the `re` module's parser,
in Python) was a tenth of a one-question command. The cue lexicon's expressions, otherwise
compiled on first use, are all compiled before the pack is written, for the same reason.

Unpickling can run code, so a file is read only when this user owns it and nobody else can
read or write it, its key matches and its SHA-256 checks out; and the unpickler builds
nothing but the bot's own classes and a short list of plain types.
"""

from __future__ import annotations

import _sre  # the regular-expression engine: it takes a compiled program (see _program)
import functools
import gc
import hashlib
import io
import json
import os
import pickle
import re
import stat
import sys
from array import array
from collections.abc import Mapping
from datetime import date
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from .config import PROJECT_ROOT, Config
from .text import record_stems, remember_stems, stop_recording_stems

MAGIC = b"rhrt-bot built pack v2\n"
CODE = Path(__file__).resolve().parent  # the bot package: its code and data are in the key
# Libraries whose behaviour is baked into a built pack (stems, word frequencies).
LIBRARIES = ("snowballstemmer", "wordfreq")
# Globals outside the bot's own classes that a built pack holds.
ALLOWED = {
    ("array", "array"),  # flat arrays of numbers (the nearest examples' postings)
    ("array", "_array_reconstructor"),
    ("builtins", "list"),  # as a defaultdict's factory
    ("builtins", "dict"),
    ("builtins", "set"),
    ("builtins", "frozenset"),
    ("collections", "defaultdict"),
    ("datetime", "date"),
    ("pathlib", "PosixPath"),
    ("pathlib", "WindowsPath"),
    ("re", "_compile"),
    (__name__, "_per_instance_cache"),
    (__name__, "_pattern"),
}


def built_pack(config: Config, *, for_life: bool = False) -> tuple[Any, Any, Any]:
    """(pack, index, assessor) for the configured pack: from the cache when it holds them
    for exactly these inputs, else built (raising PackError as `load_pack` does) and cached.

    `for_life`: the process keeps this pack until it exits (a command, not a server that
    reloads): its objects are frozen out of the garbage collector, which never frees them
    anyway but otherwise walks all few hundred thousand of them again and again (~20 ms of
    a one-question command, and ~60 ms more at exit)."""
    folder = private_folder(config.cache_dir)
    if folder is None:
        parts = build(config)
    else:
        path = cache_file(folder, config.pack_dir)
        key = fingerprint(config)
        parts = read(path, key, freeze=for_life)
        if parts is None:
            parts = build(config)
            _compile_cues(parts[2])
            write(path, key, parts)
        else:
            remember_stems(parts[3])
    if for_life:
        gc.freeze()
    return parts[:3]


def build(config: Config) -> tuple[Any, Any, Any, dict[str, str]]:
    """(pack, index, assessor, the stems of the pack's words) as a start-up makes them."""
    from .loader import load_pack
    from .privacy import pack_vocabulary
    from .search import Index
    from .situation import Assessor

    stems = record_stems()
    try:
        pack = load_pack(
            config.pack_dir,
            review_after_days=config.review_after_days,
            contact_overrides=config.contacts,
        )
        index, assessor = Index(pack.entries.values()), Assessor(pack, pack.situations)
    finally:
        stop_recording_stems()
    pack_vocabulary(pack)  # what redaction keeps, worked out once and kept with the pack
    _model_on_disk(pack, Path(config.pack_dir))
    return pack, index, assessor, stems


def _model_on_disk(pack: Any, pack_dir: Path) -> None:
    """The level model's file as read (its nearest examples' term lists: ~150,000 objects,
    6.5 MiB) is needed only to build the assessor, which keeps what it uses: the pack keeps
    a `ModelFile` in its place, which reads the file again if ever asked."""
    from .situation_data import MODEL_FILE

    situations = getattr(pack, "situations", None)
    model = getattr(situations, "model", None)
    if not isinstance(model, dict):
        return
    lazy = ModelFile(pack_dir / MODEL_FILE)
    try:
        same = lazy.data == model
    except (OSError, ValueError):
        same = False
    if same:  # (a file changed since the pack was read keeps the model as it was read)
        lazy.forget()
        situations.model = lazy


# ---- where, and under which key ----------------------------------------------------------
def default_folder() -> Path | None:
    """$XDG_CACHE_HOME/rhrt-bot, else ~/.cache/rhrt-bot (None without a home)."""
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    if base:
        return Path(base) / "rhrt-bot"
    try:
        return Path.home() / ".cache" / "rhrt-bot"
    except RuntimeError:  # no home directory to speak of
        return None


def private_folder(folder: Path | None) -> Path | None:
    """The cache folder, made if need be, when it is private to this user (else None: no
    cache). Never inside the project, whose files a cache must not touch."""
    if folder is None:
        return None
    folder = Path(folder).expanduser().absolute()
    if _inside(folder, PROJECT_ROOT):
        print(
            f"rhrt-bot: the cache folder {folder} is inside the project; not caching "
            "(choose one outside it with --cache-dir or RHRT_CACHE_DIR)",
            file=sys.stderr,
        )
        return None
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = os.lstat(folder)
        if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid():
            return None
        if st.st_mode & 0o077:
            os.chmod(folder, 0o700)
    except OSError:
        return None
    return folder


def _inside(folder: Path, root: Path) -> bool:
    try:
        folder.resolve().relative_to(root.resolve())
    except (OSError, ValueError):
        return False
    return True


def cache_file(folder: Path, pack_dir: Path) -> Path:
    """One file per pack folder (a new build for it replaces the old one)."""
    name = hashlib.sha256(str(Path(pack_dir).resolve()).encode()).hexdigest()[:24]
    return folder / f"pack-{name}.pickle"


def fingerprint(config: Config) -> bytes:
    """SHA-256 over everything a build reads and everything that shapes what it makes."""
    h = hashlib.sha256(MAGIC)
    options = {
        "python": sys.version,
        "sre": [_sre.MAGIC, _sre.CODESIZE],  # the compiled programs' format
        "review_after_days": config.review_after_days,
        "contacts": config.contacts,
        "today": date.today().isoformat(),
        "libraries": [_library(name) for name in LIBRARIES],
    }
    h.update(json.dumps(options, sort_keys=True, default=str).encode())
    pack_dir = Path(config.pack_dir).resolve()
    folders = [pack_dir, pack_dir.parent / "shared", PROJECT_ROOT / "knowledge" / "shared", CODE]
    seen: set[Path] = set()
    for folder in folders:
        folder = folder.resolve()
        if folder in seen or not folder.is_dir():
            continue
        seen.add(folder)
        h.update(f"\0folder {folder}\0".encode())
        for path in sorted(_files(folder, skip=("reports", "__pycache__"))):
            h.update(f"\0{path.relative_to(folder)}\0".encode())
            h.update(path.read_bytes())
    return h.digest()


def _files(folder: Path, skip: tuple[str, ...]) -> list[Path]:
    out = []
    for entry in os.scandir(folder):
        if entry.name.startswith(".") or entry.name in skip:
            continue
        if entry.is_dir(follow_symlinks=False):
            out += _files(Path(entry.path), skip)
        elif entry.is_file():
            out.append(Path(entry.path))
    return out


def _library(name: str) -> str:
    """Where a library is installed and its file's size and time: an upgrade changes them
    (its version, without importing it or reading package metadata)."""
    try:
        spec = find_spec(name)
        origin = spec.origin if spec else None
        st = os.stat(origin) if origin else None
    except (ImportError, ValueError, OSError):
        return f"{name}: none"
    return f"{name}: {origin} {st.st_size} {st.st_mtime_ns}" if st else f"{name}: none"


# ---- reading and writing -------------------------------------------------------------------
def read(
    path: Path, key: bytes, *, freeze: bool = False
) -> tuple[Any, Any, Any, dict[str, str]] | None:
    """The cached parts, or None if the file is missing, not private, for another key or
    damaged. `freeze`: move what was read out of the collector's reach before it runs
    again (gc.freeze), as `built_pack(for_life=True)` explains."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(f.fileno())
        if not stat.S_ISREG(st.st_mode) or st.st_uid != os.getuid() or st.st_mode & 0o077:
            return None
        if f.read(len(MAGIC) + 32) != MAGIC + key:
            return None
        digest = f.read(32)
        if not _payload_matches(f, digest):
            return None
        # Unpickled from the file itself, read again (from the page cache): holding the
        # payload (a few MiB) alongside the objects it makes would raise the peak memory.
        # The file is this user's own and replaced only by rename, so it is the one checked.
        f.seek(len(MAGIC) + 64)
        collecting = gc.isenabled()
        gc.disable()  # a built pack is a few hundred thousand objects: no collection midway
        try:
            parts = _Unpickler(f).load()
            if freeze:
                gc.freeze()
        except Exception:  # noqa: BLE001 - a cache that cannot be read is rebuilt, never fatal
            return None
        finally:
            if collecting:
                gc.enable()
    if not (isinstance(parts, tuple) and len(parts) == 4 and isinstance(parts[3], dict)):
        return None
    return parts


def _payload_matches(f: io.BufferedIOBase, digest: bytes) -> bool:
    """Does the rest of the file hash to `digest` (SHA-256)? Read in pieces."""
    h = hashlib.sha256()
    buffer = bytearray(1 << 18)
    view = memoryview(buffer)
    while n := f.readinto(buffer):
        h.update(view[:n])
    return len(digest) == 32 and h.digest() == digest


def write(path: Path, key: bytes, parts: tuple[Any, Any, Any, dict[str, str]]) -> bool:
    """Write the parts under `key`, atomically; False if they could not be (no cache then,
    answers go on)."""
    try:
        buffer = io.BytesIO()
        _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(parts)
        payload = buffer.getvalue()
    except Exception:  # noqa: BLE001 - something unpicklable: answer without a cache
        return False
    import tempfile  # only when writing (it imports `random`): not for a start that reads

    try:
        fd, temporary = tempfile.mkstemp(prefix=".pack-", suffix=".tmp", dir=path.parent)
    except OSError:
        return False
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(MAGIC + key + hashlib.sha256(payload).digest() + payload)
        os.replace(temporary, path)
    except OSError:
        Path(temporary).unlink(missing_ok=True)
        return False
    return True


def _compile_cues(assessor: Any) -> None:
    """Compile every cue's expressions now (each otherwise waits for its first question), so
    the cache holds them compiled: ~2 ms for all of them from the cache, where a fresh
    process compiled the twenty-odd one question tries in ~30 ms."""
    lexicon = getattr(getattr(assessor, "data", None), "lexicon", None)
    for cue in getattr(lexicon, "cues", {}).values():
        cue.pattern  # noqa: B018 - compiled on first access, kept on the cue
        cue.negation_proof  # noqa: B018


def _program(pattern: re.Pattern) -> tuple | None:
    """What `_sre.compile` takes to make `pattern` again, as `re` itself compiles it
    (re/_compiler.py: parse, generate the program, map the groups); None where that is not
    this Python's `re` (the pattern is then pickled as its source)."""
    if array("I").itemsize != _sre.CODESIZE:
        return None
    try:
        from re import _compiler, _parser

        flags = pattern.flags
        tree = _parser.parse(pattern.pattern, flags)
        code = _compiler._code(tree, flags)
        groups = tree.state.groupdict
        names: list[str | None] = [None] * tree.state.groups
        for name, i in groups.items():
            names[i] = name
        flags |= tree.state.flags
        program = array("I", code).tobytes()
        rebuilt = _sre.compile(
            pattern.pattern, flags, code, tree.state.groups - 1, groups, tuple(names)
        )
    except Exception:  # noqa: BLE001 - another Python's internals: pickle the source
        return None
    if (rebuilt.flags, rebuilt.groups, rebuilt.groupindex) != (
        pattern.flags,
        pattern.groups,
        pattern.groupindex,
    ):
        return None
    return (pattern.pattern, flags, program, tree.state.groups - 1, groups, tuple(names))


def _pattern(source, flags, program, groups, groupindex, indexgroup) -> re.Pattern:
    """A compiled expression from its program (`_program`). The engine checks a program
    before it accepts it (an invalid one raises, and the cache is rebuilt); the cache key
    holds the Python version and the engine's format, so a program is read only by the
    Python that wrote it."""
    code = array("I")
    code.frombytes(program)
    return _sre.compile(source, flags, code.tolist(), groups, groupindex, indexgroup)


class ModelFile(Mapping):
    """A JSON file's object, read when first asked for (and read-only). Pickled as its path
    alone: the cache key holds the file's content, so a cache that is read holds the file
    this was made from."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._data: dict | None = None

    @property
    def data(self) -> dict:
        if self._data is None:
            self._data = json.loads(self.path.read_text(encoding="utf-8"))
        return self._data

    def forget(self) -> None:
        self._data = None

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def __iter__(self):
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)

    def __reduce__(self):
        return (ModelFile, (self.path,))


def _per_instance_cache(owner: Any, method: str, maxsize: int | None, typed: bool):
    """A per-instance lru_cache of a method (the assessor's evidence cache), made afresh."""
    return functools.lru_cache(maxsize=maxsize, typed=typed)(getattr(owner, method))


class _Pickler(pickle.Pickler):
    def reducer_override(self, obj):
        if isinstance(obj, re.Pattern):
            program = _program(obj)
            return (_pattern, program) if program is not None else NotImplemented
        # A per-instance cache is stored as how to make it (empty), not as its contents.
        if isinstance(obj, functools._lru_cache_wrapper):
            bound = getattr(obj, "__wrapped__", None)
            owner = getattr(bound, "__self__", None)
            if owner is not None:
                settings = obj.cache_parameters()
                return _per_instance_cache, (
                    owner,
                    bound.__func__.__name__,
                    settings["maxsize"],
                    settings["typed"],
                )
        return NotImplemented


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        if (module, name) in ALLOWED:
            return super().find_class(module, name)
        if module == "bot" or module.startswith("bot."):
            found = super().find_class(module, name)
            if isinstance(found, type):
                return found
        raise pickle.UnpicklingError(f"not part of a built pack: {module}.{name}")
