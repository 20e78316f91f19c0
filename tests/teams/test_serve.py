"""`python -m bot serve --teams` as Teams and an attacker would meet it, in a subprocess over
loopback: credentials from the environment only, refusals (401, 413, 400) with no call out and
nothing typed in the process output, and Slack served beside it by the same process."""

from __future__ import annotations

import urllib.request

import httpx
import pytest

from tests.conftest import run_cli
from tests.slack.conftest import SECRET, command_body, signed_headers
from tests.slack.fake_slack import FakeSlack
from tests.slack.test_serve import STARTUP_TIMEOUT, Served, free_port, post, wait_until

from .conftest import USER, activity
from .fake_teams import APP_ID, TENANT_ID, FakeTeams

TEAMS_ENV = {
    "TEAMS_CLIENT_ID": APP_ID,
    "TEAMS_CLIENT_SECRET": "test-client-secret",
    "TEAMS_TENANT_ID": TENANT_ID,
}
IDENTIFYING = ("Kayleigh", "Brennan", "07700 900461", "900461", USER, "test-client-secret")


def healthy(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/healthz", timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.fixture
def clouds():
    teams, slack = FakeTeams().start(), FakeSlack().start()
    yield teams, slack
    teams.stop()
    slack.stop()


def test_missing_credentials_are_one_line():
    result = run_cli("serve", "--teams")
    assert result.returncode == 2
    assert result.stderr == (
        "rhrt-bot: missing TEAMS_CLIENT_ID and TEAMS_CLIENT_SECRET and TEAMS_TENANT_ID in the "
        "environment for --teams\n"
    )
    bad = run_cli("serve", "--teams", env={**TEAMS_ENV, "TEAMS_TENANT_ID": "contoso"})
    assert bad.returncode == 2 and "TEAMS_TENANT_ID must be a GUID" in bad.stderr


def test_served_teams_refuses_bad_requests_and_logs_nothing_typed(tmp_path, clouds):
    fake, slack_fake = clouds
    port = free_port()
    served = Served(
        tmp_path,
        slack_fake,
        ["--teams", "--host", "127.0.0.1", "--port", str(port)],
        TEAMS_OPENID_METADATA_URL=fake.openid_url,
        **TEAMS_ENV,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: served.check_running() or healthy(base), STARTUP_TIMEOUT, "Teams")
        body = activity(
            service_url=fake.service_url,
            type="message",
            text="Kayleigh Brennan 07700 900461 what level is this",
        )
        url = f"{base}/api/messages"
        for token in (fake.token(audience="someone-else"), fake.token(expires_in=-3600), "x.y.z"):
            response = httpx.post(url, json=body, headers={"Authorization": f"Bearer {token}"})
            assert response.status_code == 401
        assert httpx.post(url, json=body).status_code == 401
        big = b"{" + b" " * (2 * 1024 * 1024) + b"}"
        auth = {"Authorization": "Bearer x"}
        assert httpx.post(url, content=big, headers=auth).status_code == 413
        assert httpx.post(url, content=b"Kayleigh", headers=auth).status_code == 400
        assert fake.key_fetches >= 1  # it read the signing keys from the OpenID configuration
    finally:
        served.stop()
    assert fake.calls == [] and fake.refused == []
    output = (tmp_path / "serve.stderr").read_text()
    assert "serving Teams on http://127.0.0.1" in output and "validation failed" in output
    for text in IDENTIFYING:
        assert text not in output


def test_slack_and_teams_run_in_one_process_on_one_query_log(tmp_path, clouds):
    fake, slack_fake = clouds
    teams_port, slack_port = free_port(), free_port()
    served = Served(
        tmp_path,
        slack_fake,
        ["--teams", "--slack", "--http", "--host", "127.0.0.1", "--port", str(teams_port)]
        + ["--slack-port", str(slack_port)],
        SLACK_SIGNING_SECRET=SECRET,
        TEAMS_OPENID_METADATA_URL=fake.openid_url,
        **TEAMS_ENV,
    )
    teams_base, slack_base = f"http://127.0.0.1:{teams_port}", f"http://127.0.0.1:{slack_port}"
    try:
        wait_until(
            lambda: served.check_running() or (healthy(teams_base) and healthy(slack_base)),
            STARTUP_TIMEOUT,
            "Teams and Slack",
        )
        body = command_body("what does NFA mean", response_url=slack_fake.response_url("q"))
        status, _ = post(f"{slack_base}/slack/events", body, signed_headers(body))
        assert status == 200
        [answer] = slack_fake.wait_for("response_url")
        assert "No further action" in str(answer["blocks"])
        teams_body = activity(service_url=fake.service_url, type="message", text="hi")
        refused = httpx.post(f"{teams_base}/api/messages", json=teams_body)
        assert refused.status_code == 401
    finally:
        served.stop()
    import sqlite_utils

    rows = list(sqlite_utils.Database(served.db)["queries"].rows)
    assert [r["surface"] for r in rows] == ["slash"]
    assert slack_fake.refused == [] and fake.calls == []
