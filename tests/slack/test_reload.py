"""Knowledge reload without a restart: `/rhrt reload` for admins, and SIGHUP for `serve`.
A pack that fails validation is refused and the last good pack keeps serving."""

from __future__ import annotations

import json
import shutil
import signal
import threading

import pytest

from handlers import constants as c
from tests.conftest import MINI

from .conftest import SECRET, USER, command_body, signed_headers
from .test_serve import Served, free_port, post, wait_until

NEW_TERM = """
  - id: lado
    title: LADO
    aliases: [local authority designated officer]
    text: The Local Authority Designated Officer handles allegations about adults who work
      with children.
    topic: process
    sources: [wt2023]
    reviewed: 2026-01-10
"""


@pytest.fixture
def pack_copy(tmp_path):
    target = tmp_path / "pack" / "mini"
    shutil.copytree(MINI, target)
    return target


def add_term(pack):
    with (pack / "glossary.yaml").open("a") as handle:
        handle.write(NEW_TERM)


def break_pack(pack):
    path = pack / "glossary.yaml"
    path.write_text(path.read_text().replace("see_also: [mash]", "see_also: [nowhere]"))


def reply_text(slack, hook):
    [message] = slack.fake.wait_for("response_url", timeout=5)
    slack.fake.clear()
    return json.dumps(message)


def test_reload_is_for_admins_only(make_slack, pack_copy):
    slack = make_slack(admins=("U0ADMIN",), pack_dir=pack_copy)
    slack.command("reload", hook="r1")
    assert c.ADMIN_ONLY.split(" — ")[0] in reply_text(slack, "r1")


def test_a_good_pack_swaps_in_and_a_broken_one_is_refused(make_slack, pack_copy):
    slack = make_slack(admins=(USER,), pack_dir=pack_copy)
    slack.command("define lado", hook="before")
    assert "Local Authority Designated Officer" not in reply_text(slack, "before")

    add_term(pack_copy)
    slack.command("reload", hook="good")
    assert "Reloaded mini 1.0" in reply_text(slack, "good")
    slack.command("define lado", hook="after")
    assert "Local Authority Designated Officer" in reply_text(slack, "after")

    break_pack(pack_copy)
    slack.command("reload", hook="bad")
    refused = reply_text(slack, "bad")
    assert "Pack refused: 1 error(s)" in refused
    assert "glossary.yaml:2: `nfa`: see_also `nowhere` does not exist" in refused
    slack.command("define lado", hook="still")
    assert "Local Authority Designated Officer" in reply_text(slack, "still")


def test_no_request_sees_half_a_pack(make_slack, pack_copy):
    slack = make_slack(admins=(USER,), pack_dir=pack_copy)
    services = slack.app.rhrt_services
    add_term(pack_copy)
    stop, seen, errors = threading.Event(), [], []

    def ask():
        while not stop.is_set():
            try:
                answer = services.assistant.answer("what does nfa mean")
                seen.append(answer.entry_id)
            except Exception as exc:  # noqa: BLE001 - the test counts them
                errors.append(exc)

    workers = [threading.Thread(target=ask) for _ in range(3)]
    for w in workers:
        w.start()
    for _ in range(5):
        assert services.reload().assistant is not None
    stop.set()
    for w in workers:
        w.join()
    assert errors == [] and seen and set(seen) == {"nfa"}


def test_sighup_reloads_the_served_pack(tmp_path, fake, pack_copy):
    port = free_port()
    served = Served(
        tmp_path,
        fake,
        ["--http", "--host", "127.0.0.1", "--port", str(port)],
        SLACK_SIGNING_SECRET=SECRET,
        RHRT_KNOWLEDGE=str(pack_copy),
    )
    events = f"http://127.0.0.1:{port}/slack/events"

    def ask(text, hook):
        body = command_body(text, response_url=fake.response_url(hook))
        status, _ = post(events, body, signed_headers(body))
        return status == 200 and json.dumps(fake.wait_for("response_url", timeout=10))

    try:
        wait_until(lambda: served.check_running() or _up(port), 30, "the server")
        assert "Local Authority Designated Officer" not in ask("define lado", "a")
        fake.clear()
        add_term(pack_copy)
        served.proc.send_signal(signal.SIGHUP)

        def reloaded():
            fake.clear()
            return "Local Authority Designated Officer" in ask("define lado", "b")

        wait_until(reloaded, 20, "the reloaded pack")
        break_pack(pack_copy)
        served.proc.send_signal(signal.SIGHUP)
        stderr = tmp_path / "serve.stderr"
        wait_until(lambda: "Pack refused" in stderr.read_text(), 20, "the broken pack refused")
        fake.clear()
        assert "Local Authority Designated Officer" in ask("define lado", "c")
    finally:
        served.stop()
    log = (tmp_path / "serve.stderr").read_text()
    assert "Reloaded mini" in log and "Pack refused" in log


def _up(port):
    import urllib.request

    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as r:
            return r.status == 200
    except OSError:
        return False
