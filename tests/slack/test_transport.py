"""`serve --http` as Slack and an attacker would meet it: over loopback, with signed,
unsigned, oversized, malformed, half-sent, replayed and concurrent requests, against the fake
Web API. Each test here failed before the transport was hardened (issue #11)."""

from __future__ import annotations

import socket
import sqlite3
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

import pytest
from slack_sdk.signature import SignatureVerifier

from .conftest import SECRET, command_body, signed_headers
from .fake_slack import FakeSlack
from .test_serve import STARTUP_TIMEOUT, Served, free_port, post, wait_until

# What a practitioner might type about a child: none of it may reach the server's output.
NAME, DOB, PHONE, USER_ID, USER_NAME = (
    "Kayleigh Brennan",
    "14/02/2016",
    "07700 900461",
    "U0SECRETID",
    "kayleigh.mum",
)
IDENTIFYING = [
    NAME,
    "Kayleigh",
    "Brennan",
    DOB,
    "14%2F02%2F2016",
    PHONE,
    "900461",
    USER_ID,
    USER_NAME,
]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """One `serve --http` for this module, with its own fake Slack."""
    fake = FakeSlack().start()
    tmp = tmp_path_factory.mktemp("transport")
    port = free_port()
    process = Served(
        tmp,
        fake,
        ["--http", "--host", "127.0.0.1", "--port", str(port)],
        SLACK_SIGNING_SECRET=SECRET,
    )
    base = f"http://127.0.0.1:{port}"

    def healthy():
        process.check_running()
        return health(base, timeout=1) == 200

    try:
        wait_until(healthy, STARTUP_TIMEOUT, "the server to start")
        yield base, fake, process, tmp
    finally:
        process.stop()
        fake.stop()
    assert fake.refused == []


@pytest.fixture
def slack_http(served):
    base, fake, process, tmp = served
    fake.clear()
    fake.delay = 0.0
    yield base, fake, process, tmp
    fake.delay = 0.0


def health(base: str, timeout: float = 3) -> int | None:
    try:
        with urllib.request.urlopen(f"{base}/healthz", timeout=timeout) as response:
            return response.status
    except OSError:
        return None


def question_rows(process: Served, question: str) -> int:
    """How many logged questions in the served log end with `question`. Counted by their
    own wording: rows of the module's earlier tests may still be on their way from the
    log's writer thread (a count of all rows raced them)."""
    try:
        with sqlite3.connect(process.db) as conn:
            sql = "select count(*) from queries where question like ?"
            return conn.execute(sql, ["%" + question]).fetchone()[0]
    except sqlite3.Error:
        return 0


def answered(fake: FakeSlack, hook: str) -> int:
    """How many answers went to the response_url `hook`."""
    return [a["_hook"] for a in fake.of("response_url")].count(hook)


def answer_a_later_command(base: str, fake: FakeSlack, process: Served, hook: str) -> None:
    """Send one more genuine command (another person's) and wait until it is answered and
    logged: whatever the requests sent before it were going to cause has happened by then,
    so a test can check what did not happen without sleeping."""
    question = f"what does NFA mean ({hook})"
    body = command_body(question, user="U0LATER", response_url=fake.response_url(hook))
    assert post(f"{base}/slack/events", body, signed_headers(body))[0] == 200
    wait_until(lambda: answered(fake, hook), 10, f"the answer to {hook}")
    wait_until(lambda: question_rows(process, question), 10, f"{hook} logged")


def server_output(process: Served) -> str:
    """Everything the server has written to stderr so far (its log)."""
    return open(process.stderr.name, encoding="utf-8").read()


def raw_request(base: str, head: str, body: bytes = b"", timeout: float = 5) -> tuple[int, bytes]:
    """Send bytes as written (no client-side fix-ups); the status and body of the reply."""
    port = int(base.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(head.encode() + body)
        reply = b""
        while b"\r\n\r\n" not in reply:
            chunk = sock.recv(4096)
            if not chunk:
                break
            reply += chunk
    status = int(reply.split(b" ", 2)[1]) if reply.startswith(b"HTTP/") else 0
    return status, reply


def personal_command(fake, hook: str) -> str:
    return command_body(
        f"{NAME} DOB {DOB} phone {PHONE} what level is this ({hook})",
        user=USER_ID,
        response_url=fake.response_url(hook),
    ).replace("user_name=alice", f"user_name={USER_NAME}")


# ---- 1. nothing acts on an unverified request -------------------------------------------
def test_an_unverifiable_request_gets_401_and_causes_no_outbound_call(slack_http):
    base, fake, process, _ = slack_http
    events = f"{base}/slack/events"
    body = personal_command(fake, "attacker")
    form = "application/x-www-form-urlencoded"
    verifier = SignatureVerifier(SECRET)
    cases = {
        "missing timestamp": {"content-type": form, "x-slack-signature": "v0=" + "0" * 64},
        "missing signature": {"content-type": form, "x-slack-request-timestamp": "1"},
        "wrong signature": signed_headers(body, secret="not-the-secret"),
        "stale": signed_headers(body, timestamp=int(time.time()) - 400),
    }
    for stamp in ("", "abc", "12.5", "-1", "1e9"):
        cases[f"timestamp {stamp!r}"] = {
            "content-type": form,
            "x-slack-request-timestamp": stamp,
            # Signed with the secret over the bad timestamp: only the timestamp is wrong.
            "x-slack-signature": verifier.generate_signature(timestamp=stamp, body=body),
        }
    for name, headers in cases.items():
        status, _ = post(events, body, headers)
        assert status == 401, name
    answer_a_later_command(base, fake, process, "after-refusals")
    called = [(m, p.get("_hook")) for m, p in fake.calls]
    assert called == [("response_url", "after-refusals")], "an unverified request was acted on"
    assert question_rows(process, "(attacker)") == 0


# ---- 2. nothing identifying in process logs ---------------------------------------------
def test_no_request_content_reaches_the_server_output(slack_http):
    base, fake, process, _ = slack_http
    events = f"{base}/slack/events"
    body = personal_command(fake, "log")
    assert post(events, body, signed_headers(body, secret="wrong"))[0] == 401
    bad_stamp = signed_headers(body)
    bad_stamp["x-slack-request-timestamp"] = "soon"
    assert post(events, body, bad_stamp)[0] == 401
    assert post(events, body, signed_headers(body))[0] == 200  # a genuine one, answered
    fake.wait_for("response_url", timeout=10)
    time.sleep(0.5)
    output = server_output(process)
    assert "serving Slack events" in output  # the capture works
    for text in IDENTIFYING:
        assert text not in output, f"{text!r} reached the server's output"


# ---- 3. bounded requests -----------------------------------------------------------------
def test_a_body_over_one_megabyte_is_refused_before_it_is_sent(slack_http):
    base, fake, _, _ = slack_http
    head = (
        "POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {2 * 1024 * 1024}\r\n\r\n"
    )
    status, _ = raw_request(base, head)  # the body is never sent: refused on the header
    assert status == 413
    assert fake.calls == []


@pytest.mark.parametrize(
    "content_type, body",
    [
        ("application/json", '{"type": "event_callback", "event": '),
        ("application/x-www-form-urlencoded", "payload=%7Bnot+json"),
        ("application/x-www-form-urlencoded", "payload=%5B1%2C2%5D"),
        ("text/plain", "command=/rhrt&text=hello"),
        ("application/x-www-form-urlencoded", "%ff%fe=%ff"),
    ],
)
def test_a_malformed_signed_body_gets_400_not_a_500(slack_http, content_type, body):
    base, fake, process, _ = slack_http
    headers = signed_headers(body, content_type=content_type)
    status, _ = post(f"{base}/slack/events", body, headers)
    assert 400 <= status < 500
    assert "Traceback" not in server_output(process) and fake.calls == []


def test_half_sent_connections_do_not_lock_out_health_checks_or_slack(slack_http):
    base, fake, _, _ = slack_http
    port = int(base.rsplit(":", 1)[1])
    stalled = []
    try:
        for _ in range(150):  # more than waitress's default limit of 100 connections
            sock = socket.create_connection(("127.0.0.1", port), timeout=5)
            sock.sendall(
                b"POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Type: application/json\r\nContent-Length: 500\r\n\r\n{"
            )
            stalled.append(sock)
        started = time.monotonic()
        assert health(base, timeout=3) == 200
        body = command_body("what does NFA mean", response_url=fake.response_url("busy"))
        assert post(f"{base}/slack/events", body, signed_headers(body))[0] == 200
        assert time.monotonic() - started < 3
        fake.wait_for("response_url", timeout=10)
    finally:
        for sock in stalled:
            sock.close()


# ---- 4. the 3-second ack always holds ---------------------------------------------------
@pytest.mark.slow  # a load test against a Slack that takes 8 s per call
def test_forty_concurrent_commands_against_a_slow_slack_are_acked_in_time_and_answered(
    slack_http,
):
    base, fake, _, _ = slack_http
    fake.delay = 8.0  # every Web API call and response_url takes 8 seconds
    events = f"{base}/slack/events"
    start = threading.Barrier(40)

    def command(n: int) -> tuple[int, float]:
        body = command_body(  # 40 people: one person's burst would meet the rate limit
            "what does NFA mean", user=f"U0PERSON{n}", response_url=fake.response_url(f"c{n}")
        )
        headers = signed_headers(body)
        start.wait(timeout=10)
        began = time.monotonic()
        status, _ = post(events, body, headers)
        return status, time.monotonic() - began

    with ThreadPoolExecutor(40) as pool:
        results = list(pool.map(command, range(40)))
    assert [status for status, _ in results] == [200] * 40
    slowest = max(seconds for _, seconds in results)
    assert slowest < 3.0, f"an ack took {slowest:.1f}s"
    answers = fake.wait_for("response_url", 40, timeout=60)
    assert sorted(a["_hook"] for a in answers) == sorted(f"c{n}" for n in range(40))
    assert all("No further action" in str(a["blocks"]) for a in answers)


# ---- 6. replays --------------------------------------------------------------------------
def test_a_replayed_signed_command_is_answered_and_logged_once(slack_http):
    base, fake, process, _ = slack_http
    body = command_body("what is the MASH", response_url=fake.response_url("replayed"))
    headers = signed_headers(body)  # captured once, sent three times within the window
    for _ in range(3):
        assert post(f"{base}/slack/events", body, headers)[0] == 200
    wait_until(lambda: answered(fake, "replayed"), 10, "the answer")
    wait_until(lambda: question_rows(process, "what is the MASH"), 10, "the logged question")
    answer_a_later_command(base, fake, process, "after-replays")
    assert answered(fake, "replayed") == 1
    assert question_rows(process, "what is the MASH") == 1


def test_an_interactive_payload_replayed_is_acted_on_once(slack_http):
    base, fake, process, _ = slack_http
    payload = (
        '{"type":"block_actions","team":{"id":"T0TEST"},"user":{"id":"U0ALICE"},'
        '"api_app_id":"A0RHRT","trigger_id":"t-replay","container":{"type":"message",'
        '"channel_id":"C0GENERAL","is_ephemeral":true,"message_ts":"1.1"},'
        '"channel":{"id":"C0GENERAL"},"response_url":"' + fake.response_url("click") + '",'
        '"actions":[{"type":"button","action_id":"open_entry_0","block_id":"b",'
        '"value":"mash","action_ts":"1.2"}]}'
    )
    body = urlencode({"payload": payload})
    headers = signed_headers(body)
    for _ in range(2):
        assert post(f"{base}/slack/events", body, headers)[0] == 200
    wait_until(lambda: answered(fake, "click"), 10, "the entry")
    answer_a_later_command(base, fake, process, "after-clicks")
    assert answered(fake, "click") == 1
