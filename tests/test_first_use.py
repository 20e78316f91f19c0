"""What a new user meets after normal use: demo-log writes its own demo database (never the
real log) and says how to report on it; --agency takes only the configured agency ids."""

import sqlite3

from tests.conftest import run_cli


def rows(path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("select count(*) from queries").fetchone()[0]


def test_demo_log_after_normal_use_writes_its_own_database_and_names_it(tmp_path):
    real = tmp_path / "rhrt.db"
    env = {"RHRT_DB": str(real)}
    asked = run_cli("ask", "what does NFA mean?", env=env)
    assert asked.returncode == 0, asked.stderr
    assert rows(real) == 1  # normal use: a real log now exists

    made = run_cli("demo-log", "--rows", "300", "--months", "1", env=env)
    assert made.returncode == 0, made.stderr
    demo = tmp_path / "rhrt-demo.db"
    assert rows(demo) == 300 and rows(real) == 1  # the real log is untouched
    hint = made.stdout.strip().split("Try: ")[1]
    assert hint == f"python -m bot report --db {demo} --out out/"
    # The hint works as printed.
    out = tmp_path / "out"
    report = run_cli(*hint.split()[3:-1], str(out), env=env)
    assert report.returncode == 0, report.stderr
    assert (out / "report.html").exists()


def test_agency_must_be_a_configured_id(tmp_path):
    env = {"RHRT_DB": str(tmp_path / "rhrt.db")}
    for command in (["ask", "what does NFA mean?"], ["chat"]):
        result = run_cli(*command, "--agency", "nhs", env=env, stdin="quit\n")
        assert result.returncode == 2 and result.stdout == ""
        [line] = result.stderr.splitlines()
        assert line.startswith("rhrt-bot: unknown agency `nhs`: use an id from config.yaml")
        assert "health-gp" in line and "education-primary" in line
    ok = run_cli("ask", "--agency", "health-gp", "what does NFA mean?", env=env)
    assert ok.returncode == 0, ok.stderr
    with sqlite3.connect(tmp_path / "rhrt.db") as conn:
        assert conn.execute("select agency, sector from queries").fetchall() == [
            ("health-gp", "health")
        ]
