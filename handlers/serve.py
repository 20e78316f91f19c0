"""`python -m bot serve`: Socket Mode when SLACK_APP_TOKEN is set, or `--http` for the Events API
over HTTP (Bolt's WSGI adapter behind waitress, a production WSGI server). Tokens come only
from the environment; a missing one is one clear line and exit status 2."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
PURGE_EVERY = 24 * 60 * 60  # seconds: retention runs at start-up, then daily
logger = logging.getLogger("rhrt.slack")


def missing_env(http: bool, environ: Mapping[str, str] = os.environ) -> list[str]:
    """The environment variables this mode needs and does not have."""
    needed = ["SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET" if http else "SLACK_APP_TOKEN"]
    return [name for name in needed if not environ.get(name, "").strip()]


def with_health_check(
    slack: Callable, path: str = HEALTH_PATH, health: Callable[[], tuple[bool, str]] | None = None
) -> Callable:
    """A WSGI app: GET /healthz answers "ok" (for load balancers), or "degraded: …" while the
    query log cannot be written (still 200: answers go on, so the app must stay in service);
    the rest goes to Slack's."""

    def application(environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == path and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            ok, why = health() if health is not None else (True, "ok")
            start_response(
                "200 OK",
                [("Content-Type", "text/plain; charset=utf-8"), ("Cache-Control", "no-store")],
            )
            return [b"ok\n" if ok else f"degraded: {why}\n".encode()]
        return slack(environ, start_response)

    return application


def log_health(app: Any) -> Callable[[], tuple[bool, str]]:
    """The query log's health for /healthz: the running log's, or "unavailable"."""

    def health() -> tuple[bool, str]:
        services = getattr(app, "rhrt_services", None)
        log = getattr(services, "log", None) if services is not None else None
        if log is None:
            return False, "query log unavailable; answering without logging"
        return log.health()

    return health


def _reload_on_sighup(app: Any) -> None:
    """SIGHUP re-reads the knowledge pack; a pack that fails validation is refused and the
    running one keeps serving. The outcome goes to the app log (no message content)."""
    services = app.rhrt_services

    def reload(*_: Any) -> None:
        # Off the signal handler: building an index takes a moment.
        def work() -> None:
            result = services.reload()
            (logger.info if result.assistant else logger.error)("%s", result.summary())

        threading.Thread(target=work, name="pack-reload", daemon=True).start()

    signal.signal(signal.SIGHUP, reload)


def _stop_on_sigterm() -> None:
    """SIGTERM (docker stop, systemd) exits normally, so the query log is flushed at exit."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))


def build_core(args: argparse.Namespace) -> tuple[Any, Any, Any]:
    """(config, query log or None, warmed-up assistant): one of each per process, shared by
    the Slack and Teams front ends."""
    from bot.assistant import Assistant
    from bot.config import load_config

    config = load_config(
        getattr(args, "config", None),
        pack_dir=getattr(args, "pack", None),
        cache_dir=getattr(args, "cache_dir", None),
    )
    from bot.logkey import LogKeyError

    try:
        from bot.querylog import QueryLog

        log = QueryLog.open(config)
    except LogKeyError:
        raise  # a lost or weak key: one line and exit 2, never a log under a new key
    except Exception as exc:  # noqa: BLE001 - the bot answers without a log
        print(
            f"rhrt-bot: query log unavailable ({type(exc).__name__}: {exc}); answering "
            "without logging",
            file=sys.stderr,
        )
        log = None
    assistant = Assistant.from_config(config, log=log)
    # Warm the one-off work (name lists, spellers, the redactor) before /healthz says ok,
    # so the first burst of practitioners does not wait for it, and no two threads build it.
    assistant.answer("what does NFA mean?")
    if log is not None:
        log.redactor(assistant.pack).redact("warm-up")
    return config, log, assistant


def _build(args: argparse.Namespace, http: bool) -> tuple[Any, Any]:
    config, log, assistant = build_core(args)
    return build_slack(assistant, config), log


def build_slack(assistant: Any, config: Any) -> Any:
    """The Slack app for this assistant; a refused token or an unreachable Slack is one line."""
    from slack_bolt.error import BoltError

    from bot.cli import UserError

    from .app import api_base_url, build_app

    api_url = api_base_url(os.environ.get("SLACK_API_URL"))
    sdk_log = logging.getLogger("slack_sdk")
    sdk_log.setLevel(logging.CRITICAL)  # a failed start-up check is reported in one line below
    try:
        app = build_app(
            assistant,
            config,
            token=os.environ["SLACK_BOT_TOKEN"].strip(),
            signing_secret=os.environ.get("SLACK_SIGNING_SECRET", "").strip(),
            api_url=api_url,
        )
    except BoltError as exc:
        cause = getattr(exc.__context__, "response", None)
        reason = cause.get("error") if cause is not None else str(exc)
        raise UserError(f"Slack rejected SLACK_BOT_TOKEN ({reason})") from exc
    except OSError as exc:
        raise UserError(f"cannot reach the Slack Web API at {api_url} ({exc})") from exc
    finally:
        sdk_log.setLevel(logging.WARNING)
    return app


def start_daily_purge(log: Any, every: float = PURGE_EVERY) -> threading.Event:
    """Blank logged text older than retention_days now and then every day, in the
    background; set the returned event to stop. A failed purge is retried next time."""
    stop = threading.Event()

    def loop() -> None:
        while not stop.is_set():
            try:
                counts = log.purge()
                logger.info(
                    "retention purge: %(queries)s question(s), %(feedback)s comment(s) blanked",
                    counts,
                )
            except Exception as exc:  # noqa: BLE001 - keep serving; try again next time
                logger.warning("retention purge failed (%s)", type(exc).__name__)
            stop.wait(every)

    threading.Thread(target=loop, name="retention-purge", daemon=True).start()
    return stop


def _env_port() -> int:
    from bot.cli import UserError

    raw = os.environ.get("PORT", "").strip() or "3000"
    if not raw.isdigit():
        raise UserError(f"PORT must be a number, not {raw!r}")
    return int(raw)


def cmd_serve(args: argparse.Namespace) -> int:
    from bot.cli import UserError

    if getattr(args, "teams", False):
        from .teams.serve import cmd_serve_teams

        return cmd_serve_teams(args)
    http = bool(args.http)
    missing = missing_env(http)
    if missing:
        mode = (
            "HTTP mode (--http)"
            if http
            else "Socket Mode (or use --http with SLACK_SIGNING_SECRET for the Events API)"
        )
        raise UserError(f"missing {' and '.join(missing)} in the environment for {mode}")
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    app, log = _build(args, http)
    _stop_on_sigterm()
    _reload_on_sighup(app)
    purge = start_daily_purge(log) if log is not None else None
    try:
        if http:
            run_http(app, args.host, args.port or _env_port(), threads=args.threads)
        else:
            run_socket_mode(app, os.environ["SLACK_APP_TOKEN"].strip())
    finally:
        if purge is not None:
            purge.set()
        if log is not None:
            log.close()
    return 0


def http_app(app: Any, signing_secret: str) -> Callable:
    """The WSGI app: /healthz, and Slack's requests through the gate to Bolt's adapter."""
    from slack_bolt.adapter.wsgi import SlackRequestHandler

    from .transport import gate

    slack = gate(SlackRequestHandler(app, path=EVENTS_PATH), signing_secret, EVENTS_PATH)
    return with_health_check(slack, health=log_health(app))


def run_http(
    app: Any, host: str, port: int, *, threads: int = 8, signing_secret: str | None = None
) -> None:
    """Serve the Events API (and /healthz) with waitress until stopped."""
    from waitress import create_server

    from .transport import SERVER_LIMITS

    secret = signing_secret or os.environ.get("SLACK_SIGNING_SECRET", "").strip()
    # `threads` only run WSGI calls, each of which acks and returns at once (the work is on
    # the listener pool), so a few threads keep up with many requests.
    server = create_server(
        http_app(app, secret),
        host=host,
        port=port,
        threads=threads,
        ident="rhrt-bot",
        **SERVER_LIMITS,
    )
    print(
        f"rhrt-bot: serving Slack events on http://{host}:{server.effective_port}"
        f"{EVENTS_PATH} (health check {HEALTH_PATH})",
        file=sys.stderr,
        flush=True,
    )
    beating = _heartbeat("http", lambda: True, port=server.effective_port)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        if beating is not None:
            beating.set()
        server.close()


def _heartbeat(mode: str, alive: Callable[[], bool], port: int | None = None):
    """The health check's heartbeat (RHRT_HEARTBEAT), when the environment asks for one."""
    from .health import heartbeat_path, start_heartbeat

    path = heartbeat_path()
    if path is None:
        return None
    path.unlink(missing_ok=True)  # a beat left by an earlier run must not vouch for this one
    return start_heartbeat(path, mode, alive, port)


def _ping_seconds() -> float:
    """How often Socket Mode pings Slack (RHRT_SOCKET_PING_SECONDS, default 10): a dropped
    connection is noticed after about four missed pongs and then reopened."""
    from bot.cli import UserError

    raw = os.environ.get("RHRT_SOCKET_PING_SECONDS", "").strip() or "10"
    try:
        value = float(raw)
    except ValueError:
        value = 0
    if not 0 < value <= 300:
        raise UserError(f"RHRT_SOCKET_PING_SECONDS must be a number of seconds, not {raw!r}")
    return value


def run_socket_mode(app: Any, app_token: str) -> None:
    """Connect out to Slack over Socket Mode: no public URL needed."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler
    from slack_sdk.errors import SlackApiError

    from bot.cli import UserError

    handler = SocketModeHandler(app, app_token, ping_interval=_ping_seconds())
    print("rhrt-bot: connecting to Slack in Socket Mode", file=sys.stderr, flush=True)
    # Healthy only while the connection to Slack is up: no port is open to probe.
    beating = _heartbeat("socket", handler.client.is_connected)
    try:
        handler.start()
    except KeyboardInterrupt:
        pass
    except SlackApiError as exc:
        raise UserError(
            f"Slack rejected SLACK_APP_TOKEN ({exc.response.get('error')}); it "
            "needs the connections:write scope"
        ) from exc
    finally:
        if beating is not None:
            beating.set()


def register(sub: Any) -> None:
    p = sub.add_parser(
        "serve",
        help="run the Slack app (Socket Mode, or --http for the Events API), or --teams",
    )
    p.add_argument(
        "--http",
        action="store_true",
        help="serve the Events API over HTTP (needs SLACK_SIGNING_SECRET)",
    )
    p.add_argument(
        "--host",
        default=os.environ.get("HOST", "0.0.0.0"),
        help="address to listen on with --http (default: 0.0.0.0)",
    )
    p.add_argument(
        "--port",
        type=int,
        default=None,
        help="port to listen on with --http, or for Teams with --teams "
        "(default: PORT or 3000; with --teams, TEAMS_PORT or 3978)",
    )
    p.add_argument("--threads", type=int, default=8, help="HTTP worker threads (default: 8)")
    p.add_argument(
        "--teams",
        action="store_true",
        help="serve Microsoft Teams (needs TEAMS_CLIENT_ID, TEAMS_CLIENT_SECRET, TEAMS_TENANT_ID)",
    )
    p.add_argument(
        "--slack",
        action="store_true",
        help="with --teams: serve Slack too, in the same process (Socket Mode, or --http)",
    )
    p.add_argument(
        "--slack-port",
        type=int,
        default=None,
        help="with --teams --slack --http: Slack's port (default: PORT or 3000)",
    )
    p.set_defaults(func=cmd_serve)
