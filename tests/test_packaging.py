"""How the bot is installed and shipped: one set of pins (the lock files) for ./run and the
Docker image; the image's health check probes the running app; the compose example keeps
the log on a volume and opens no port in Socket Mode."""

import re
import tomllib

import yaml

from tests.conftest import ROOT


def pins(name: str) -> dict[str, str]:
    text = (ROOT / name).read_text(encoding="utf-8")
    return {k.lower(): v for k, v in re.findall(r"^([A-Za-z0-9_.-]+)==(\S+) \\$", text, re.M)}


def names(requirements: list[str]) -> set[str]:
    return {re.split(r"[<>=!~\[ ;]", r, maxsplit=1)[0].lower() for r in requirements}


def test_the_lock_files_pin_every_dependency_with_hashes_and_agree():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    run, dev = pins("requirements.lock"), pins("requirements-dev.lock")
    assert names(project["dependencies"]) <= set(run)
    extras = project["optional-dependencies"]
    assert names(extras["test"] + extras["bench"]) <= set(dev)
    tools = {"pytest", "hypothesis", "ruff", "rank-bm25", "pyinstrument", "scikit-learn"}
    assert not tools & set(run)  # ./run installs only what the bot needs
    assert {k: dev.get(k) for k in run} == run  # the tests run on the bot's exact pins
    for name in ("requirements.lock", "requirements-dev.lock"):
        text = (ROOT / name).read_text()
        for block in re.split(r"\n(?=[A-Za-z0-9_.-]+==)", text.split("\n\n")[-1]):
            if "==" in block:
                assert "--hash=sha256:" in block, block.splitlines()[0]


def test_run_and_the_image_install_from_the_lock_files_only():
    script = (ROOT / "run").read_text()
    assert '--require-hashes -r "$lock"' in script
    assert "lock=requirements.lock" in script and "lock=requirements-dev.lock" in script
    assert "-e ." not in script  # nothing resolved afresh at install time
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "pip install --no-deps --require-hashes -r requirements-teams.lock" in dockerfile
    # The image's lock is the bot's own pins plus the Teams front end, never other versions.
    pins = _pins("requirements.lock")
    image = _pins("requirements-teams.lock")
    assert pins and all(image.get(name) == version for name, version in pins.items())


def _pins(name: str) -> dict[str, str]:
    out = {}
    for line in (ROOT / name).read_text().splitlines():
        if "==" in line and not line.startswith((" ", "#")):
            pkg, version = line.split(" ")[0].split("==")
            out[pkg.lower()] = version
    return out


def test_the_image_checks_the_running_app_and_opens_no_port_for_socket_mode():
    lines = [ln.strip() for ln in (ROOT / "Dockerfile").read_text().splitlines()]
    instructions = [ln for ln in lines if ln and not ln.startswith("#")]
    assert not [ln for ln in instructions if ln.startswith("EXPOSE")]
    health = " ".join(
        lines[lines.index(next(ln for ln in lines if ln.startswith("HEALTHCHECK"))) :][:2]
    )
    assert '"-m", "handlers.health"' in health and "validate" not in health
    assert "RHRT_HEARTBEAT=/tmp/rhrt-heartbeat.json" in (ROOT / "Dockerfile").read_text()
    for line in instructions:
        if line.startswith("COPY "):
            for source in line.split()[1:-1]:
                assert list(ROOT.glob(source)), f"{source} is not in the repository"


def test_the_compose_example_keeps_the_log_on_a_volume_and_config_in_a_mounted_file():
    compose = yaml.safe_load((ROOT / "compose.example.yaml").read_text())
    [service] = compose["services"].values()
    assert "ports" not in service  # Socket Mode connects out
    mounts = {m.split(":")[1]: m.split(":")[0] for m in service["volumes"]}
    assert mounts["/data"] in compose["volumes"]  # a named volume for the query log
    assert service["environment"]["RHRT_CONFIG"] == "/config/config.yaml"
    assert mounts["/config/config.yaml"].endswith(".yaml")
    for secret in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "RHRT_LOG_KEY"):
        assert service["environment"][secret].startswith("${" + secret + ":?")
