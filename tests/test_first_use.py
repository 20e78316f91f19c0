"""What a new user meets after normal use: demo-log writes its own demo database (never the
real log) and says how to report on it; --agency takes only the configured agency ids.
Commands that log run as subprocesses (the log is written when the process exits); the
others through the command line's entry point in this process (`python -m bot` is
`bot.cli.main`)."""

import sqlite3

import pytest

from bot.cli import main
from tests.conftest import run_cli


def rows(path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("select count(*) from queries").fetchone()[0]


@pytest.fixture
def cli(capsys):
    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_demo_log_after_normal_use_writes_its_own_database_and_names_it(tmp_path, monkeypatch, cli):
    real = tmp_path / "rhrt.db"
    monkeypatch.setenv("RHRT_DB", str(real))
    asked = run_cli("ask", "what does NFA mean?", env={"RHRT_DB": str(real)})
    assert asked.returncode == 0, asked.stderr
    assert rows(real) == 1  # normal use: a real log now exists (written when ask exits)

    code, out, err = cli("demo-log", "--rows", "300", "--months", "1")
    assert code == 0, err
    demo = tmp_path / "rhrt-demo.db"
    assert rows(demo) == 300 and rows(real) == 1  # the real log is untouched
    hint = out.strip().split("Try: ")[1]
    assert hint == f"python -m bot report --db {demo} --out out/"
    # The hint works as printed.
    out_dir = tmp_path / "out"
    code, _, err = cli(*hint.split()[3:-1], str(out_dir))
    assert code == 0, err
    assert (out_dir / "report.html").exists()


def test_agency_must_be_a_configured_id(tmp_path, monkeypatch, cli):
    monkeypatch.setenv("RHRT_DB", str(tmp_path / "rhrt.db"))
    for command in (["ask", "what does NFA mean?"], ["chat"]):
        code, out, err = cli(*command, "--agency", "nhs")
        assert code == 2 and out == ""
        [line] = err.splitlines()
        assert line.startswith("rhrt-bot: unknown agency `nhs`: use an id from config.yaml")
        assert "health-gp" in line and "education-primary" in line
    ok = run_cli("ask", "--agency", "health-gp", "what does NFA mean?")
    assert ok.returncode == 0, ok.stderr
    with sqlite3.connect(tmp_path / "rhrt.db") as conn:
        assert conn.execute("select agency, sector from queries").fetchall() == [
            ("health-gp", "health")
        ]
