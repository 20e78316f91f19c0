"""Bad input gets a clear message and never a traceback."""

import json
import time

from tests.conftest import MINI, ROOT, run_cli


def test_empty_or_whitespace_gives_help(mini):
    assert mini.ask("").kind == "help"
    assert mini.ask("   \n\t ").kind == "help"


def test_a_huge_question_is_truncated_with_a_note(mini):
    started = time.perf_counter()
    answer = mini.ask("mum drinking most evenings " * 2000)  # ~54,000 characters
    assert time.perf_counter() - started < 5  # a generous bound: it must not hang
    assert answer.kind == "triage"
    assert any("only its first" in note for note in answer.notes)


def test_emoji_scripts_and_control_characters_are_just_text(mini):
    for question in (
        "🙂🙂 what does NFA mean? 🙂",
        "ما هو MASH؟",
        "NFA\x00\x1b[31m?",
        "什么是 DSL",
        "\u202eNFA",
    ):
        answer = mini.ask(question)
        assert answer.kind in {"glossary", "no_answer"}, question
        json.dumps(answer.to_dict())


def test_slack_markup_is_never_echoed_live(mini):
    answer = mini.ask("<!channel> <@U123ABC> what does <http://evil.example|NFA> mean")
    assert answer.entry_id == "nfa"
    rendered = json.dumps(answer.to_dict())
    assert "<!channel>" not in rendered and "<@U123ABC>" not in rendered


def test_missing_config_is_one_clear_line(tmp_path):
    result = run_cli("ask", "hi", env={"RHRT_CONFIG": str(tmp_path / "nope.yaml")})
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "config file not found" in result.stderr and "Traceback" not in result.stderr


def test_malformed_config_names_file_and_line(tmp_path):
    bad = tmp_path / "config.yaml"
    bad.write_text("pack: coventry\nconfidence_threshold: [oops\n")
    result = run_cli("ask", "hi", env={"RHRT_CONFIG": str(bad)})
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"{bad}:" in result.stderr


def test_missing_pack_folder_is_one_clear_line(tmp_path):
    result = run_cli("ask", "hi", env={"RHRT_KNOWLEDGE": str(tmp_path / "nowhere")})
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "knowledge pack folder not found" in result.stderr


def test_environment_overrides_pick_the_pack():
    result = run_cli(
        "ask",
        "--json",
        "what does nfa mean",
        env={"RHRT_KNOWLEDGE": str(MINI), "RHRT_CONFIG": str(ROOT / "config.yaml")},
    )
    assert json.loads(result.stdout)["entry_id"] == "nfa"


def test_a_mounted_config_file_and_environment_variables_configure_the_bot(tmp_path, monkeypatch):
    """As in a container: the config is a file mounted elsewhere (/config/config.yaml), the
    packs are the ones shipped with the bot, and the environment overrides the file."""
    from bot.config import load_config

    mounted = tmp_path / "config" / "config.yaml"
    mounted.parent.mkdir()
    mounted.write_text("pack: example\nadmins: [U0FILE]\ndb_path: rhrt.db\n")
    monkeypatch.setenv("RHRT_CONFIG", str(mounted))
    config = load_config()
    assert config.pack_dir == ROOT / "knowledge" / "example"
    assert config.admins == ("U0FILE",)
    monkeypatch.setenv("RHRT_PACK", "coventry")
    monkeypatch.setenv("RHRT_ADMINS", "U0ONE, U0TWO")
    monkeypatch.setenv("RHRT_DB", str(tmp_path / "data" / "log.db"))
    config = load_config()
    assert config.pack_dir == ROOT / "knowledge" / "coventry"
    assert config.admins == ("U0ONE", "U0TWO")
    assert config.db_path == tmp_path / "data" / "log.db"


def test_a_config_others_can_change_is_warned_about(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text((ROOT / "config.yaml").read_text())
    config.chmod(0o666)
    result = run_cli("ask", "hi", env={"RHRT_CONFIG": str(config), "RHRT_KNOWLEDGE": str(MINI)})
    assert result.returncode == 0
    assert "can be changed by other users" in result.stderr
