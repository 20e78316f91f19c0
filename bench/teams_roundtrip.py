"""Teams round trip: signed activities → the real Teams app (Teams SDK, uvicorn) → answer
posted to a fake Bot Connector, over loopback, with the Coventry pack and a fresh SQLite log.

    python bench/teams_roundtrip.py [--questions 200] [--clients 8]

Each request is a personal-chat question from the development set (tests/golden/coventry),
from one of `--clients` practitioners, with a Bot Framework token signed by a local key that
the app fetches from a local OpenID configuration (tests/teams/fake_teams.py). The SDK awaits
the handler, so the HTTP response comes after the answer has reached the connector: the time
measured (request sent → response read) is the whole round trip. Prints p50 / p95 / max,
errors, answers received and rows logged. Bounded: `--questions` requests, then it stops.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import httpx
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.assistant import Assistant  # noqa: E402
from bot.config import load_config  # noqa: E402
from bot.querylog import QueryLog  # noqa: E402
from handlers.service import Services  # noqa: E402
from handlers.teams import server as teams_server  # noqa: E402
from handlers.teams.app import MESSAGES_PATH, build_teams_app, cloud_for  # noqa: E402
from tests.teams.conftest import _Served, activity  # noqa: E402
from tests.teams.fake_teams import APP_ID, TENANT_ID, FakeTeams  # noqa: E402


def questions(limit: int) -> list[str]:
    found: list[str] = []
    for path in sorted((ROOT / "tests" / "golden" / "coventry").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for case in data.get("cases") or [] if isinstance(data, dict) else []:
            if isinstance(case, dict) and case.get("q"):
                found.append(str(case["q"]))
    return (found * (limit // max(1, len(found)) + 1))[:limit]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    fake = FakeTeams().start()
    with tempfile.TemporaryDirectory() as folder:
        config = replace(
            load_config(ROOT / "config.yaml"),
            db_path=Path(folder) / "rhrt.db",
            rate_limit_per_minute=0,
        )
        log = QueryLog(config.db_path, b"bench-key", config)
        assistant = Assistant.from_config(config, log=log)
        assistant.answer("what does NFA mean?")  # warm up, as serve does
        app, asgi, _ = build_teams_app(
            Services(assistant, config),
            client_id=APP_ID,
            tenant_id=TENANT_ID,
            token=lambda scope, tenant_id=None: fake.outbound_token,
            cloud=cloud_for(fake.openid_url),
        )
        served = _Served(app, teams_server.gate(asgi, MESSAGES_PATH))
        url = f"http://127.0.0.1:{served.port}{MESSAGES_PATH}"
        token = fake.token()

        def one(item: tuple[int, str]) -> tuple[float, int]:
            n, text = item
            user = f"00000000-0000-0000-0000-{n % args.clients:012d}"
            body = activity(service_url=fake.service_url, user=user, type="message", text=text)
            started = time.perf_counter()
            with httpx.Client(timeout=30) as client:
                status = client.post(url, json=body, headers={"Authorization": f"Bearer {token}"})
            return time.perf_counter() - started, status.status_code

        try:
            with ThreadPoolExecutor(args.clients) as pool:
                results = list(pool.map(one, enumerate(questions(args.questions))))
        finally:
            served.stop()
            log.close()
            fake.stop()
        import sqlite_utils

        rows = sqlite_utils.Database(config.db_path)["queries"].count
    times = sorted(t * 1000 for t, _ in results)
    errors = sum(1 for _, status in results if status != 200)
    print(
        f"{len(results)} questions, {args.clients} clients: round trip p50 "
        f"{statistics.median(times):.0f} ms, p95 {times[int(len(times) * 0.95) - 1]:.0f} ms, "
        f"max {times[-1]:.0f} ms; errors {errors}; answers received {len(fake.sent())}; "
        f"rows logged {rows}; connector refusals {len(fake.refused)}"
    )
    return 0 if errors == 0 and rows == len(results) == len(fake.sent()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
