"""`python -m bot teams-package`: a zip with manifest.json and the two icons at its root, the
bot's app id filled in, the bot's commands listed, and no permissions beyond the bot itself."""

import json
import struct
import zipfile

from handlers.teams.forms import COMMANDS
from tests.conftest import run_cli

from .fake_teams import APP_ID

ARGS = (
    "--app-id", APP_ID,
    "--developer", "Test Partnership",
    "--website-url", "https://example.org",
    "--privacy-url", "https://example.org/privacy",
    "--terms-url", "https://example.org/terms",
)  # fmt: skip


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_the_package_is_built_from_the_committed_manifest(tmp_path):
    out = tmp_path / "app.zip"
    result = run_cli("teams-package", *ARGS, "--out", str(out))
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(out) as package:
        assert sorted(package.namelist()) == ["color.png", "manifest.json", "outline.png"]
        manifest = json.loads(package.read("manifest.json"))
        assert _png_size(package.read("color.png")) == (192, 192)
        assert _png_size(package.read("outline.png")) == (32, 32)
    assert manifest["id"] == APP_ID
    [bot] = manifest["bots"]
    assert bot["botId"] == APP_ID and bot["scopes"] == ["personal", "team", "groupchat"]
    listed = [cmd["title"] for cmd in bot["commandLists"][0]["commands"]]
    assert listed == ["help"] + [name.split()[0] for name, _ in COMMANDS[1:]]
    assert manifest["developer"]["privacyUrl"] == "https://example.org/privacy"
    # Least privilege: no Graph or resource-specific permissions, no web content, no files.
    assert "authorization" not in manifest and "webApplicationInfo" not in manifest
    assert manifest["validDomains"] == [] and bot["supportsFiles"] is False
    assert "${" not in json.dumps(manifest)


def test_missing_or_malformed_details_are_one_line(tmp_path):
    result = run_cli("teams-package", "--out", str(tmp_path / "x.zip"))
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert "--app-id" in result.stderr and "--privacy-url" in result.stderr
    bad = run_cli(
        "teams-package", *ARGS[:1], "not-a-guid", *ARGS[2:], "--out", str(tmp_path / "x.zip")
    )
    assert bad.returncode == 2 and "GUID" in bad.stderr
    assert not (tmp_path / "x.zip").exists()
