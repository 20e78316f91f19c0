"""The built-pack cache (bot/packcache.py): a second start reads the pack back instead of
building it; a changed pack, a damaged file, another version's file or one that is not
private is never used (the pack is built and the file written again); a file that would
run code is refused; and nothing is ever written into the project."""

from __future__ import annotations

import os
import re
import sqlite3
import stat
import subprocess
import sys

import pytest

from bot import packcache
from bot.assistant import Assistant
from bot.config import load_config
from tests.conftest import MINI, ROOT, run_cli


def _config(pack_dir, cache_dir):
    return load_config(ROOT / "config.yaml", pack_dir=str(pack_dir), cache_dir=str(cache_dir))


def _cache_file(config):
    return packcache.cache_file(config.cache_dir, config.pack_dir)


def _no_building(monkeypatch):
    """Any build from here on fails the test: the pack must come from the cache."""

    def refuse(config):
        raise AssertionError("the pack was built again instead of read from the cache")

    monkeypatch.setattr(packcache, "build", refuse)


def test_a_second_start_reads_the_built_pack_back(tmp_path, monkeypatch):
    config = _config(MINI, tmp_path / "cache")
    first = Assistant.from_config(config).answer("what does nfa mean")
    path = _cache_file(config)
    assert path.is_file()
    _no_building(monkeypatch)
    again = Assistant.from_config(config).answer("what does nfa mean")
    assert again.to_dict() == first.to_dict()
    assert again.entry_id == "nfa"


def test_the_cached_pack_answers_exactly_as_a_fresh_build(tmp_path):
    """The bundled pack, every golden question: the same answer from the cache."""
    from bot.evaluate import load_cases

    config = load_config(ROOT / "config.yaml", cache_dir=str(tmp_path / "cache"))
    built = Assistant.from_config(config)  # builds, writes the cache
    parts = packcache.read(_cache_file(config), packcache.fingerprint(config))
    assert parts is not None
    cached = Assistant(parts[0], config, index=parts[1], assessor=parts[2])
    cases = load_cases(ROOT / "tests" / "golden" / "coventry")
    assert len(cases) > 500
    for case in cases:
        assert cached.answer(case.question).to_dict() == built.answer(case.question).to_dict()


def test_a_changed_pack_is_built_again(mini_dir, tmp_path):
    config = _config(mini_dir, tmp_path / "cache")
    assert "no social-care response" in Assistant.from_config(config).answer("nfa").text
    glossary = mini_dir / "glossary.yaml"
    glossary.write_text(
        glossary.read_text().replace(
            "the MASH decided no social-care response is needed now",
            "children's services will not act on this referral",
        )
    )
    answer = Assistant.from_config(config).answer("nfa")
    assert "children's services will not act on this referral" in answer.text
    assert "no social-care response" not in answer.text


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # cut short
        lambda data: data[:-100] + bytes(100),  # zeros over the end
        lambda data: b"",  # empty
        lambda data: b"not a cache at all\n" * 10,
    ],
    ids=["truncated", "zeroed", "empty", "garbage"],
)
def test_a_damaged_cache_is_ignored_and_rewritten(tmp_path, damage):
    config = _config(MINI, tmp_path / "cache")
    expected = Assistant.from_config(config).answer("what does nfa mean").to_dict()
    path = _cache_file(config)
    good = path.read_bytes()
    path.write_bytes(damage(good))
    assert Assistant.from_config(config).answer("what does nfa mean").to_dict() == expected
    assert packcache.read(path, packcache.fingerprint(config)) is not None  # written again


def test_a_cache_from_another_version_is_ignored(tmp_path, monkeypatch):
    config = _config(MINI, tmp_path / "cache")
    Assistant.from_config(config)
    path = _cache_file(config)
    # Another version of the bot: its key differs, so its file is not read.
    monkeypatch.setattr(packcache, "MAGIC", b"rhrt-bot built pack v0\n")
    assert packcache.read(path, packcache.fingerprint(config)) is None
    assert Assistant.from_config(config).answer("what does nfa mean").entry_id == "nfa"
    assert packcache.read(path, packcache.fingerprint(config)) is not None


def test_cache_files_are_private_and_a_shared_one_is_not_trusted(tmp_path):
    config = _config(MINI, tmp_path / "cache")
    Assistant.from_config(config)
    path = _cache_file(config)
    assert stat.S_IMODE(os.stat(config.cache_dir).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    os.chmod(path, 0o644)  # others could read it, and it was not left as we wrote it
    assert packcache.read(path, packcache.fingerprint(config)) is None
    Assistant.from_config(config)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_a_cache_file_that_would_run_code_is_refused(tmp_path):
    """Even with the right key and checksum, the unpickler builds only the bot's own
    classes: a file that calls anything else is not run, and the pack is built instead."""
    config = _config(MINI, tmp_path / "cache")
    Assistant.from_config(config)
    marker = tmp_path / "ran"

    class Exploit:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    packcache.write(_cache_file(config), packcache.fingerprint(config), (Exploit(),) * 4)
    answer = Assistant.from_config(config).answer("what does nfa mean")
    assert not marker.exists()
    assert answer.entry_id == "nfa"


def test_no_cache_folder_means_no_cache(tmp_path):
    config = load_config(ROOT / "config.yaml", pack_dir=str(MINI), cache_dir="off")
    assert config.cache_dir is None
    assert Assistant.from_config(config).answer("what does nfa mean").entry_id == "nfa"


def test_a_cache_folder_inside_the_project_is_refused(capsys):
    inside = ROOT / "tests" / "never-a-cache"
    config = load_config(ROOT / "config.yaml", pack_dir=str(MINI), cache_dir=str(inside))
    assert Assistant.from_config(config).answer("what does nfa mean").entry_id == "nfa"
    assert not inside.exists()
    assert "inside the project" in capsys.readouterr().err


def _tracked_and_untracked() -> str:
    return subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_asking_writes_the_cache_to_the_users_cache_folder_never_the_project(tmp_path):
    before = _tracked_and_untracked()
    home = tmp_path / "home"
    env = {"HOME": str(home), "XDG_CACHE_HOME": "", "RHRT_CACHE_DIR": ""}
    for _ in range(2):  # the first builds and writes the cache, the second reads it
        asked = run_cli("ask", "what does nfa mean", env=env)
        assert asked.returncode == 0, asked.stderr
        assert asked.stdout.startswith("NFA")
    files = list((home / ".cache" / "rhrt-bot").iterdir())
    assert len(files) == 1 and files[0].name.startswith("pack-")
    assert _tracked_and_untracked() == before


def test_a_plain_question_starts_without_the_heavy_libraries(tmp_path):
    """`ask` in the default mode (logging) with the cache warm: the answer and its log row
    need none of sqlite-utils (and the numpy it imports), wordfreq, the stemmer's every
    language, libphonenumber, cryptography, the report's matplotlib and Jinja, or the uuid
    module (which runs `platform` at import). The cache is built here, in a process that
    has stemmed the question's words before: the cache still brings their stems."""
    from bot.text import stem

    stem("mean"), stem("nfa")
    cache = tmp_path / "cache"
    Assistant.from_config(load_config(ROOT / "config.yaml", cache_dir=str(cache)))
    code = (
        "import sys\n"
        "from bot.cli import main\n"
        "main(['ask', 'what does nfa mean'])\n"
        "heavy = ['sqlite_utils', 'numpy', 'wordfreq', 'snowballstemmer', 'phonenumbers',\n"
        "         'cryptography', 'slack_bolt', 'matplotlib', 'jinja2', 'uuid', 'platform']\n"
        "print(','.join(m for m in heavy if m in sys.modules) or 'none')\n"
    )
    env = {**os.environ, "RHRT_DB": str(tmp_path / "log.db"), "RHRT_CACHE_DIR": str(cache)}
    for _ in range(2):  # the first start makes the log (its schema) and its key
        proc = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "none"
    with sqlite3.connect(tmp_path / "log.db") as db:
        assert db.execute("select count(*) from queries").fetchone()[0] == 2  # both logged


def test_the_cache_pickles_plainly_what_a_build_makes(tmp_path):
    """Every object in a built pack can be cached (a new kind of object that cannot would
    silently make every start build the pack)."""
    config = load_config(ROOT / "config.yaml", cache_dir=str(tmp_path / "cache"))
    parts = packcache.build(config)
    assert packcache.write(tmp_path / "cache-file", b"k" * 32, parts)
    os.chmod(tmp_path / "cache-file", 0o600)
    again = packcache.read(tmp_path / "cache-file", b"k" * 32)
    assert again is not None
    assert again[0].entries == parts[0].entries
    assert again[0].indicators == parts[0].indicators
    assert again[3] == parts[3]  # the stems of the pack's words


def test_expressions_come_back_from_the_cache_as_re_compiles_them(tmp_path):
    """The cache keeps every cue's expressions compiled (as the matcher's program, not its
    source): read back, each one is the expression `re.compile` makes of its source and
    finds exactly the same matches."""
    import yaml

    config = load_config(ROOT / "config.yaml", cache_dir=str(tmp_path / "cache"))
    Assistant.from_config(config)  # builds, writes the cache
    parts = packcache.read(_cache_file(config), packcache.fingerprint(config))
    assert parts is not None
    cases = yaml.safe_load((ROOT / "tests/situations-v16/coventry/situations.yaml").read_text())
    texts = [" ".join(c["q"].lower().split()) for c in cases["cases"][:40]]
    cues = list(parts[2].data.lexicon.cues.values())
    assert len(cues) > 100
    for cue in cues:
        assert cue._pattern is not None  # compiled before the cache was written
        assert (cue._proof is None) == (not cue.proof_phrases)
        for cached in (cue._pattern, cue._proof) if cue._proof else (cue._pattern,):
            fresh = re.compile(cached.pattern)
            assert (cached.flags, cached.groups, cached.groupindex) == (
                fresh.flags,
                fresh.groups,
                fresh.groupindex,
            )
            for text in texts:
                assert [m.span() for m in cached.finditer(text)] == [
                    m.span() for m in fresh.finditer(text)
                ]


def test_a_cache_holding_a_bad_expression_program_is_built_again(tmp_path):
    """The matcher checks a compiled program before it takes it: a cache file whose program
    is nonsense (right key and checksum) is not used, and the pack is built instead."""
    config = _config(MINI, tmp_path / "cache")
    Assistant.from_config(config)

    class BadProgram:
        def __reduce__(self):
            return (packcache._pattern, ("a", re.UNICODE, b"\xff\xff\xff\xff" * 3, 0, {}, ()))

    packcache.write(_cache_file(config), packcache.fingerprint(config), (BadProgram(),) * 4)
    assert packcache.read(_cache_file(config), packcache.fingerprint(config)) is None
    assert Assistant.from_config(config).answer("what does nfa mean").entry_id == "nfa"


def test_a_cached_pack_makes_the_same_assessor_again(tmp_path):
    """The cache keeps the level model's file unread (the assessor it holds is built), yet
    an assessor made afresh from the cached pack reads it and assesses every situation of a
    blind set exactly as the cached one does."""
    import json

    import yaml

    config = load_config(ROOT / "config.yaml", cache_dir=str(tmp_path / "cache"))
    Assistant.from_config(config)  # builds, writes the cache
    parts = packcache.read(_cache_file(config), packcache.fingerprint(config))
    assert parts is not None
    model = parts[0].situations.model
    assert dict(model) == json.loads((config.pack_dir / "level-model.json").read_text())
    cached = Assistant(parts[0], config, index=parts[1], assessor=parts[2])
    again = Assistant(parts[0], config, index=parts[1])  # a new assessor from the pack
    assert again.assessor is not parts[2]
    cases = yaml.safe_load((ROOT / "tests/situations-v16/coventry/situations.yaml").read_text())
    for case in cases["cases"][:120]:
        assert again.answer(case["q"]).to_dict() == cached.answer(case["q"]).to_dict()
