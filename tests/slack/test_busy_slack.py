"""No answer is lost to Slack being busy: 429 with Retry-After and transient 5xx are retried,
an expired response_url falls back to the Web API, and a failure after retries is logged
with Slack's error code only. Signed requests through Bolt; the fake Web API misbehaves."""

import logging

from .conftest import USER, dm_event, texts


def test_a_rate_limited_post_is_retried_after_retry_after(slack):
    slack.fake.fail("chat.postMessage", 429, error="ratelimited", retry_after=1)
    slack.event(dm_event("what does NFA mean"))
    [posted] = slack.fake.wait_for("chat.postMessage", timeout=15)
    assert "No further action" in texts(posted["blocks"])  # the answer, not "Sorry"
    assert len(slack.fake.of("chat.postMessage_refused")) == 1


def test_transient_server_errors_are_retried_for_the_web_api_and_the_response_url(slack):
    slack.fake.fail("chat.postMessage", 503, times=2)
    slack.event(dm_event("what is the MASH"))
    [posted] = slack.fake.wait_for("chat.postMessage", timeout=15)
    assert "Multi-Agency Safeguarding Hub" in texts(posted["blocks"])

    slack.fake.fail("response_url", 500, times=2)
    slack.command("what does NFA mean", hook="busy")
    [answer] = slack.fake.wait_for("response_url", timeout=15)
    assert answer["_hook"] == "busy" and "No further action" in texts(answer["blocks"])
    assert len(slack.fake.of("response_url_refused")) == 2


def test_an_expired_response_url_falls_back_to_an_ephemeral_message(slack):
    slack.fake.expire("old")
    slack.command("what does NFA mean", hook="old")
    [fallback] = slack.fake.wait_for("chat.postEphemeral", timeout=10)
    assert (fallback["channel"], fallback["user"]) == ("C0GENERAL", USER)
    assert "No further action" in texts(fallback["blocks"])
    assert slack.fake.of("response_url") == []


def test_when_the_channel_refuses_too_the_answer_goes_to_the_dm(slack):
    slack.fake.expire("old")
    slack.fake.fail("chat.postEphemeral", 200, error="channel_not_found")
    slack.command("what does NFA mean", hook="old")
    [dm] = slack.fake.wait_for("chat.postMessage", timeout=10)
    assert dm["channel"] == USER and "No further action" in texts(dm["blocks"])


def test_a_failure_after_retries_is_logged_with_slacks_error_code_only(slack, caplog):
    slack.fake.fail("chat.postMessage", 429, times=20, error="ratelimited", retry_after=0)
    with caplog.at_level(logging.INFO):
        slack.event(dm_event("jayden smith what does NFA mean"))
    failures = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert any("event message failed with SlackApiError (ratelimited)" in m for m in failures)
    assert "jayden" not in caplog.text.lower() and "NFA" not in caplog.text
    # Four attempts each (the first and three retries) for the answer and for the "Sorry".
    assert len(slack.fake.of("chat.postMessage_refused")) == 8
    assert slack.rows()[0]["entry_id"] == "nfa"  # it was answered and logged all the same
