"""`python -m bot serve --teams [--port N] [--slack [--http]]`: the Teams messaging endpoint,
and Slack beside it in the same process when asked (one Assistant, one query log, one pack
reload). Credentials come only from the environment; a missing one is one clear line."""

from __future__ import annotations

import argparse
import logging
import os
import re
import sys
import threading
from collections.abc import Mapping
from typing import Any

logger = logging.getLogger("rhrt.teams")
NEEDED = ("TEAMS_CLIENT_ID", "TEAMS_CLIENT_SECRET", "TEAMS_TENANT_ID")
_GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)


def missing_env(environ: Mapping[str, str] = os.environ) -> list[str]:
    return [name for name in NEEDED if not environ.get(name, "").strip()]


def _port(args: argparse.Namespace) -> int:
    from bot.cli import UserError

    if args.port:
        return args.port
    raw = os.environ.get("TEAMS_PORT", "").strip() or "3978"
    if not raw.isdigit():
        raise UserError(f"TEAMS_PORT must be a number, not {raw!r}")
    return int(raw)


def _check(args: argparse.Namespace) -> dict[str, str]:
    """The credentials, or one line saying what is missing or malformed."""
    from bot.cli import UserError
    from handlers.serve import missing_env as slack_missing

    missing = missing_env()
    if args.slack:
        missing += slack_missing(bool(args.http))
    if missing:
        raise UserError(f"missing {' and '.join(missing)} in the environment for --teams")
    env = {name: os.environ[name].strip() for name in NEEDED}
    for name in ("TEAMS_CLIENT_ID", "TEAMS_TENANT_ID"):
        if not _GUID.match(env[name]):
            raise UserError(f"{name} must be a GUID (from the Entra app registration)")
    return env


def cmd_serve_teams(args: argparse.Namespace) -> int:
    from bot.cli import UserError
    from handlers.serve import build_core, build_slack, start_daily_purge
    from handlers.service import Services

    env = _check(args)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        from . import server
        from .app import MESSAGES_PATH, build_teams_app, cloud_for
    except ImportError as exc:
        raise UserError(
            f"Teams needs the [teams] extra ({exc.name}): pip install -e '.[teams]'"
        ) from None
    config, log, assistant = build_core(args)
    slack = build_slack(assistant, config) if args.slack else None
    # One Services for both front ends: one assistant, one log, one reload.
    services = slack.rhrt_services if slack is not None else Services(assistant, config)
    app, asgi, _ = build_teams_app(
        services,
        client_id=env["TEAMS_CLIENT_ID"],
        tenant_id=env["TEAMS_TENANT_ID"],
        client_secret=env["TEAMS_CLIENT_SECRET"],
        cloud=cloud_for(os.environ.get("TEAMS_OPENID_METADATA_URL", "").strip() or None),
    )
    _reload_on_sighup(services)
    purge = start_daily_purge(log) if log is not None else None
    port = _port(args)
    try:
        sock = server.listen(args.host, port)
    except OSError as exc:
        raise UserError(f"cannot listen on {args.host}:{port} ({exc.strerror})") from exc
    try:
        if slack is not None:
            _start_slack(slack, args)
        print(
            f"rhrt-bot: serving Teams on http://{args.host}:{sock.getsockname()[1]}"
            f"{MESSAGES_PATH} (health check {server.HEALTH_PATH})",
            file=sys.stderr,
            flush=True,
        )
        server.run(app, server.gate(asgi, MESSAGES_PATH), sock)
    except KeyboardInterrupt:
        pass
    finally:
        if purge is not None:
            purge.set()
        if log is not None:
            log.close()
    return 0


def _reload_on_sighup(services: Any) -> None:
    from handlers.serve import _reload_on_sighup as slack_reload

    slack_reload(type("Shared", (), {"rhrt_services": services})())


def _start_slack(slack: Any, args: argparse.Namespace) -> None:
    """Slack beside Teams: Socket Mode connects out; --http serves the Events API on
    --slack-port, each on its own thread."""
    from handlers.serve import _env_port, run_http

    if args.http:
        port = args.slack_port or _env_port()
        threading.Thread(
            target=run_http,
            args=(slack, args.host, port),
            kwargs={"threads": args.threads},
            name="slack-http",
            daemon=True,
        ).start()
        return
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    print("rhrt-bot: connecting to Slack in Socket Mode", file=sys.stderr, flush=True)
    SocketModeHandler(slack, os.environ["SLACK_APP_TOKEN"].strip()).connect()
