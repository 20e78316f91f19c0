"""`python -m bot teams-package`: the Teams app package (manifest.json and the two icons,
zipped) for a Teams administrator to upload. The manifest in `teams/` holds placeholders; the
bot's app id and the publisher's details are filled in here, never committed."""

from __future__ import annotations

import argparse
import json
import os
import re
import zipfile
from pathlib import Path

from bot.config import PROJECT_ROOT

SOURCE = PROJECT_ROOT / "teams"
ICONS = ("color.png", "outline.png")
DEFAULT_OUT = PROJECT_ROOT / "out" / "rhrt-bot-teams.zip"
_GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
# placeholder -> (option, environment variable, what it is)
FIELDS = {
    "TEAMS_CLIENT_ID": ("app_id", "TEAMS_CLIENT_ID", "the bot's Entra app (client) id"),
    "DEVELOPER_NAME": ("developer", "TEAMS_DEVELOPER_NAME", "the publisher's name"),
    "WEBSITE_URL": ("website_url", "TEAMS_WEBSITE_URL", "the publisher's website"),
    "PRIVACY_URL": ("privacy_url", "TEAMS_PRIVACY_URL", "the privacy notice"),
    "TERMS_URL": ("terms_url", "TEAMS_TERMS_URL", "the terms of use"),
}


def manifest(values: dict[str, str], source: Path = SOURCE) -> dict:
    """The manifest with every ${PLACEHOLDER} filled in (JSON-escaped)."""
    text = (source / "manifest.json").read_text(encoding="utf-8")
    for name, value in values.items():
        text = text.replace("${" + name + "}", json.dumps(value)[1:-1])
    left = sorted(set(re.findall(r"\$\{([A-Z_]+)\}", text)))
    if left:
        raise ValueError(f"manifest.json still has placeholders: {', '.join(left)}")
    return json.loads(text)


def _values(args: argparse.Namespace) -> dict[str, str]:
    from bot.cli import UserError

    values, missing = {}, []
    for name, (option, env, what) in FIELDS.items():
        value = (getattr(args, option, None) or os.environ.get(env, "")).strip()
        if not value:
            missing.append(f"--{option.replace('_', '-')} ({what}, or {env})")
        values[name] = value
    if missing:
        raise UserError("teams-package needs " + "; ".join(missing))
    if not _GUID.match(values["TEAMS_CLIENT_ID"]):
        raise UserError("the app id must be a GUID (the Entra app registration's client id)")
    for name in ("WEBSITE_URL", "PRIVACY_URL", "TERMS_URL"):
        if not values[name].startswith("https://"):
            raise UserError(f"{FIELDS[name][2]} must be an https:// address")
    return values


def build(values: dict[str, str], out: Path, source: Path = SOURCE) -> Path:
    """Write the zip: manifest.json and the icons at its root, as Teams expects."""
    data = manifest(values, source)
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as package:
        package.writestr("manifest.json", json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        for icon in ICONS:
            package.write(source / icon, icon)
    return out


def cmd_teams_package(args: argparse.Namespace) -> int:
    out = Path(args.out) if args.out else DEFAULT_OUT
    path = build(_values(args), out)
    print(f"wrote {path}: upload it in the Teams admin center (Manage apps → Upload new app)")
    return 0


def register(sub) -> None:
    p = sub.add_parser("teams-package", help="build the Teams app package (zip) to upload")
    for option, env, what in FIELDS.values():
        flag = "--" + option.replace("_", "-")
        p.add_argument(flag, dest=option, help=f"{what} (default: {env})")
    p.add_argument(
        "--out", help=f"zip file to write (default: {DEFAULT_OUT.relative_to(PROJECT_ROOT)})"
    )
    p.set_defaults(func=cmd_teams_package)
