"""Authentication is real: an activity must carry a Bot Framework JWT for this app (issuer,
audience, signature from the published keys, expiry, bound to the activity's service URL).
Anything else gets 401, no call to the connector and no log row, and nothing it carried
reaches the process log."""

import logging

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from handlers.teams import ids

from .conftest import USER
from .fake_teams import ISSUER

IDENTIFYING = ("kayleigh", "brennan", "07700 900461", USER.lower())


def _question(teams):
    return teams.activity(type="message", text="kayleigh brennan 07700 900461 what does NFA mean")


def _refused(teams, response):
    assert response.status_code == 401
    assert teams.fake.calls == [], "a refused request caused a call to the connector"
    assert teams.rows() == [] and teams.rows("feedback") == []


def test_a_correctly_signed_activity_is_answered(teams):
    assert teams.post(_question(teams)).status_code == 200
    assert len(teams.fake.wait_sent(1)) == 1 and len(teams.rows()) == 1


@pytest.mark.parametrize(
    "make_token",
    [
        pytest.param(lambda fake: fake.token(expires_in=-15 * 60), id="expired"),
        pytest.param(
            lambda fake: fake.token(audience="99999999-0000-0000-0000-000000000000"),
            id="wrong-audience",
        ),
        pytest.param(
            lambda fake: fake.token(issuer="https://api.botframework.example"), id="wrong-issuer"
        ),
        pytest.param(
            lambda fake: fake.token(
                key=rsa.generate_private_key(public_exponent=65537, key_size=2048)
            ),
            id="bad-signature",
        ),
        pytest.param(lambda fake: fake.token(kid="someone-elses-key"), id="unknown-key"),
        pytest.param(
            lambda fake: fake.token(service_url="https://smba.trafficmanager.net/uk/"),
            id="other-service-url",
        ),
        pytest.param(lambda fake: "not-a-jwt", id="garbage"),
    ],
)
def test_a_bad_token_gets_401_and_no_outbound_call(teams, make_token):
    _refused(teams, teams.post(_question(teams), token=make_token(teams.fake)))


def test_no_token_at_all_gets_401(teams):
    _refused(teams, teams.post(_question(teams), token=None))
    _refused(teams, teams.post(_question(teams), token=None, Authorization="Basic abc"))


def test_a_badly_signed_click_records_no_vote(teams):
    teams.ask("what does NFA mean")
    query_id = teams.rows()[0]["id"]
    teams.fake.clear()
    value = {"action": {"type": "Action.Execute", "verb": ids.FEEDBACK_UP, "data": {"q": query_id}}}
    body = teams.activity(type="invoke", name="adaptiveCard/action", value=value)
    response = teams.post(body, token=teams.fake.token(expires_in=-3600))
    assert response.status_code == 401 and teams.fake.calls == []
    assert teams.rows("feedback") == []


def test_the_service_url_must_be_the_one_the_token_was_issued_for(teams):
    """A token captured from one activity cannot send the bot's replies somewhere else."""
    body = _question(teams)
    body["serviceUrl"] = "http://127.0.0.1:9/elsewhere/"
    _refused(teams, teams.post(body))


def test_the_issuer_is_the_bot_frameworks(teams):
    assert teams.fake.openid_configuration()["issuer"] == ISSUER
    good = teams.fake.token()
    assert teams.post(_question(teams), token=good).status_code == 200


def test_oversized_and_malformed_requests_are_refused_before_the_sdk(teams):
    import httpx

    url = f"{teams.url}/api/messages"
    auth = {"Authorization": f"Bearer {teams.fake.token()}"}
    big = b"{" + b" " * (1024 * 1024 + 10) + b"}"
    assert httpx.post(url, content=big, headers=auth).status_code == 413
    chunked = (b" " * 65536 for _ in range(20))  # no Content-Length: read no further than 1 MB
    assert httpx.post(url, content=chunked, headers=auth).status_code == 413
    assert httpx.post(url, content=b"not json", headers=auth).status_code == 400
    assert httpx.post(url, content=b"[1, 2]", headers=auth).status_code == 400
    assert httpx.get(f"{teams.url}/healthz").text == "ok\n"
    assert teams.fake.calls == [] and teams.rows() == []


def test_refused_requests_leave_no_content_in_the_process_log(teams, caplog):
    with caplog.at_level(logging.DEBUG):
        teams.post(_question(teams), token=teams.fake.token(audience="someone-else"))
        teams.post(_question(teams), token=teams.fake.token(expires_in=-3600))
        teams.post(_question(teams), token=None)
    logged = caplog.text.lower()
    assert "validation failed" in logged  # the refusal itself is logged, without content
    for text in IDENTIFYING:
        assert text not in logged
