"""Signatures, stale requests, URL verification, acking before work, and failures that still
leave the person with a safe reply and the log with no message content."""

import json
import logging
import time
from concurrent.futures import ThreadPoolExecutor

from slack_sdk.signature import SignatureVerifier

from .conftest import SECRET, command_body, dm_event, event_body, signed_headers, texts


def test_a_bad_signature_is_rejected(slack):
    body = command_body("what does NFA mean", response_url=slack.fake.response_url())
    response = slack.dispatch(body, signed_headers(body, secret="not-the-secret"))
    assert response.status == 401
    assert slack.fake.of("response_url") == [] and slack.rows() == []


def test_a_tampered_body_is_rejected(slack):
    body = command_body("what does NFA mean", response_url=slack.fake.response_url())
    headers = signed_headers(body)
    response = slack.dispatch(body.replace("NFA", "MASH"), headers)
    assert response.status == 401


def test_a_stale_timestamp_is_rejected_even_when_correctly_signed(slack):
    body = event_body(dm_event("what does NFA mean"))
    old = int(time.time()) - 6 * 60
    response = slack.dispatch(
        body, signed_headers(body, secret=SECRET, timestamp=old, content_type="application/json")
    )
    assert response.status == 401
    assert slack.fake.of("chat.postMessage") == [] and slack.rows() == []


def test_missing_signature_headers_are_rejected(slack):
    body = command_body("what does NFA mean")
    assert slack.dispatch(body, {"content-type": "application/x-www-form-urlencoded"}).status == 401


def test_slacks_url_verification_challenge_is_answered(slack):
    body = json.dumps({"token": "legacy", "challenge": "abc123", "type": "url_verification"})
    response = slack.dispatch(body, signed_headers(body, content_type="application/json"))
    assert response.status == 200 and json.loads(response.body) == {"challenge": "abc123"}


def test_the_ack_comes_before_the_answer(make_slack):
    slack = make_slack(executor=ThreadPoolExecutor(max_workers=2))
    real_ask = slack.assistant.ask

    def slow_ask(*args, **kwargs):
        time.sleep(1.5)
        return real_ask(*args, **kwargs)

    slack.assistant.ask = slow_ask
    started = time.monotonic()
    response = slack.command("what does NFA mean")
    assert response.status == 200 and time.monotonic() - started < 1.0
    [answer] = slack.fake.wait_for("response_url", timeout=10)
    assert "No further action" in texts(answer["blocks"])


def test_a_failure_still_tells_the_person_what_to_do_and_logs_no_content(slack, caplog):
    secret = "secret words: " + "jay" + "den smith"  # kept out of this source line too

    def broken(*args, **kwargs):
        raise RuntimeError(secret)

    slack.assistant.ask = broken
    with caplog.at_level(logging.DEBUG):
        slack.command("jayden smith what does NFA mean")
        [sorry] = slack.fake.wait_for("response_url")
    assert "something went wrong" in sorry["text"] and "999" in sorry["text"]
    assert sorry["response_type"] == "ephemeral"
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors and "command /rhrt failed with RuntimeError" in errors[0].getMessage()
    assert "jayden" not in caplog.text.lower()
    assert "didn't call ack" not in caplog.text and "Unhandled request" not in caplog.text


def test_a_failure_in_a_dm_replies_in_the_dm(slack, caplog):
    slack.assistant.ask = lambda *a, **k: 1 / 0
    with caplog.at_level(logging.ERROR):
        slack.event(dm_event("jayden smith what does NFA mean"))
        [sorry] = slack.fake.wait_for("chat.postMessage")
    assert sorry["channel"] == "D0ALICE" and "999" in sorry["text"]
    assert "event message failed with ZeroDivisionError" in caplog.text
    assert "jayden" not in caplog.text.lower()


def test_a_non_numeric_or_empty_timestamp_is_refused_and_nothing_is_sent(slack):
    body = command_body(
        "what does NFA mean", response_url=slack.fake.response_url("attacker"), channel="C0PICK"
    )
    slack.fake.clear()  # (auth.test at start-up)
    for stamp in ("", "abc", "1.5e9"):
        headers = signed_headers(body)
        headers["x-slack-request-timestamp"] = stamp
        headers["x-slack-signature"] = SignatureVerifier(SECRET).generate_signature(
            timestamp=stamp, body=body
        )
        assert slack.dispatch(body, headers).status == 401, stamp
    assert slack.fake.calls == [] and slack.rows() == []


def test_a_refused_request_leaves_no_content_in_any_log(slack, caplog):
    body = command_body("kayleigh brennan 07700 900461", user="U0SECRETID")
    with caplog.at_level(logging.DEBUG):
        assert slack.dispatch(body, signed_headers(body, secret="wrong")).status == 401
        headers = signed_headers(body)
        headers["x-slack-request-timestamp"] = "later"
        assert slack.dispatch(body, headers).status == 401
    logged = caplog.text.lower()
    assert "refused a request" in logged  # the refusal itself is logged, without content
    for text in ("kayleigh", "brennan", "900461", "u0secretid", "alice"):
        assert text not in logged


def test_many_askers_at_once_are_each_answered_a_few_at_a_time(make_slack):
    """Twelve practitioners ask at once on a pool of twelve listeners: every one is acked,
    answered and logged, and no more than `ANSWERING` answers are worked out at the same
    time (the rest wait their turn rather than take the interpreter from the acks)."""
    import threading

    from handlers.service import ANSWERING

    slack = make_slack(executor=ThreadPoolExecutor(max_workers=12), rate_limit_per_minute=0)
    real_ask = slack.assistant.ask
    busy, most, lock = [0], [0], threading.Lock()

    def counted_ask(*args, **kwargs):
        with lock:
            busy[0] += 1
            most[0] = max(most[0], busy[0])
        try:
            time.sleep(0.05)  # long enough for the others to arrive while this one works
            return real_ask(*args, **kwargs)
        finally:
            with lock:
                busy[0] -= 1

    slack.assistant.ask = counted_ask
    users = [f"U0MANY{i:02d}" for i in range(12)]
    with ThreadPoolExecutor(max_workers=12) as senders:
        acks = list(
            senders.map(
                lambda user: slack.command("what does NFA mean", hook=user, user=user), users
            )
        )
    assert [a.status for a in acks] == [200] * 12
    answers = slack.fake.wait_for("response_url", 12, timeout=30)
    assert all("No further action" in texts(a["blocks"]) for a in answers)
    assert len(slack.rows()) == 12
    assert 1 < most[0] <= ANSWERING
