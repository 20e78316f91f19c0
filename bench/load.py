"""Load test: `python -m bot serve --http` driven over loopback by concurrent Slack clients.

    python bench/load.py [--clients 20] [--seconds 60] [--out FILE | --write]
                         [--pace reply|ack] [--server-threads N]

A fake Slack Web API runs in this process on 127.0.0.1 and receives the replies; the real
server runs as a subprocess (`python -m bot serve --http`) with the Coventry pack, a fresh
SQLite log in a temporary folder and the rate limit switched off (a temporary copy of
config.yaml with `rate_limit_per_minute: 0`). Each client is one practitioner (its own Slack
user id) sending a mix of the development questions (tests/golden/coventry/*.yaml) as:

- `/rhrt …` slash commands, each with its own response_url on the fake (vignettes as
  `/rhrt level …`, one in twenty as `/rhrt share …`);
- `message.im` events (a DM) and `app_mention` events, each with a unique event id;

every request signed exactly as Slack signs it (v0 HMAC-SHA256, fresh timestamp). Pacing:

- `--pace reply` (default): a client sends its next question once the answer to the last
  one has reached the fake Slack (or after REPLY_TIMEOUT_S): practitioners read the answer
  before asking again, so 20 clients = 20 conversations in flight;
- `--pace ack`: the next request goes as soon as the last was acked (a stress test: the
  server acks far faster than it answers, so answers queue up behind the acks).

Measured: each ack's latency (request sent → HTTP response read) and status; errors are
non-200 acks, timeouts and connection failures. After the run the script waits for the
answers still on their way, stops the server with SIGTERM (it flushes its log), and counts
the rows in the `queries` table (each request must log exactly one; no event is redelivered)
and the answers the fake received (a response_url post per command, a chat.postMessage per
event). The floor, in the same run: the same clients for the same time against a bare
waitress (the same limits and threads, a WSGI app that answers 200 at once), each waiting
as long after its ack as an answer took in the real run, so requests come at about its
rate. Acks after the first second are shown apart: in the first, every client's first
request arrives at once. Targets (issue #8): 0 errors, every ack under 3 s, p99 under 1 s,
rows written = requests sent; and here also answers received = requests sent, none of them
an apology.

Prints a Markdown table (and writes it to --out FILE, or with --write over the committed
bench/load-results.md — never without being asked), and exits 1 when a target is missed (2 when the
server could not be started). Bounded: everything is over within seconds + 60 s; the server is
always stopped (killed if it will not stop) and the fake shut down.
"""

from __future__ import annotations

import argparse
import http.client
import math
import os
import platform
import random
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python bench/load.py` puts bench/, not the project, on the path
    sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from handlers import constants as c  # noqa: E402
from handlers.commands import SUBCOMMANDS  # noqa: E402
from handlers.transport import SERVER_LIMITS  # noqa: E402
from tests.slack.conftest import (  # noqa: E402
    SECRET,
    TOKEN,
    command_body,
    dm_event,
    event_body,
    mention_event,
    signed_headers,
)
from tests.slack.fake_slack import BOT_USER_ID, FakeSlack  # noqa: E402

PACK = ROOT / "knowledge" / "coventry"
GOLDEN = ROOT / "tests" / "golden" / "coventry"
COMMITTED = ROOT / "bench" / "load-results.md"  # rewritten only with --write
EVENTS_PATH = "/slack/events"

BUDGET_S = 60.0  # everything beyond the load itself: start-up, drain, stop, counting
STARTUP_TIMEOUT_S = 30.0
REQUEST_TIMEOUT_S = 10.0  # an ack slower than this is an error (Slack gives up after 3 s)
REPLY_TIMEOUT_S = 10.0  # --pace reply: wait this long for an answer before moving on
DRAIN_STALL_S = 10.0  # after the run: stop waiting for answers when none came for this long
STOP_TIMEOUT_S = 15.0  # SIGTERM, then kill
ACK_MAX_MS, ACK_P99_MS = 3000.0, 1000.0
KINDS = ("slash", "dm", "mention")  # also the `surface` each is logged under
MIX = (2, 1, 1)  # slash : DM : mention
CONNECTION_LIMIT = SERVER_LIMITS["connection_limit"]  # waitress's bound on open connections


# ---- the fake Slack, keyed and slim ------------------------------------------------------------
class LoadFake(FakeSlack):
    """The tests' fake Slack, recording only what the load test needs (not every block, which
    would hold hundreds of MB after a long run), with each answer's arrival time, keyed by
    the request it answers: response_url hook (command), channel + thread (event)."""

    def __init__(self) -> None:
        super().__init__()
        self.arrivals: dict[str, list[float]] = defaultdict(list)  # key -> arrival times
        self.apologies = 0  # answers that were the "something went wrong" notice
        self.rate_limited = 0
        self.offers = 0  # the agency picker offered in a message of its own

    @staticmethod
    def key_of(method: str, payload: dict[str, Any]) -> str | None:
        if method == "response_url":
            return f"hook:{payload.get('_hook')}"
        if method == "chat.postMessage":
            return f"chat:{payload.get('channel')}:{payload.get('thread_ts') or ''}"
        return None

    def _record(self, method: str, payload: dict[str, Any]) -> None:
        now = time.perf_counter()
        text = str(payload.get("text") or "")
        key = self.key_of(method, payload)
        with self._changed:
            self.calls.append((method, {"key": key, "at": now}))
            if text == c.AGENCY_OFFER or method == "chat.postEphemeral":
                self.offers += 1
            elif key is not None:
                self.arrivals[key].append(now)
                self.apologies += text == c.SORRY
                self.rate_limited += text == c.RATE_LIMITED
            self._changed.notify_all()

    def count(self, key: str) -> int:
        with self._changed:
            return len(self.arrivals.get(key, ()))

    def wait_count(self, key: str, n: int, timeout: float) -> bool:
        with self._changed:
            return self._changed.wait_for(lambda: len(self.arrivals.get(key, ())) >= n, timeout)

    def answers(self) -> int:
        with self._changed:
            return sum(len(v) for v in self.arrivals.values())


# ---- what the clients send ------------------------------------------------------------------
def load_questions(folder: Path = GOLDEN) -> list[tuple[str, str]]:
    """(file stem, question) for every case in the development set."""
    out = []
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        out += [(path.stem, str(case["q"])) for case in data.get("cases") or [] if case.get("q")]
    if not out:
        raise SystemExit(f"no questions found in {folder}")
    return out


ASKING_SUBCOMMANDS = ("level", "define", "guide", "share")  # with words after them: a question


def slash_text(stem: str, question: str, rng: random.Random) -> str | None:
    """What a practitioner types after /rhrt for this question; None when /rhrt would not
    answer it as a question (its first word is another subcommand, e.g. `/rhrt help …`
    shows the help and logs nothing), so every command sent must log exactly one row."""
    first, _, rest = question.strip().partition(" ")
    if first.lower() in SUBCOMMANDS and (first.lower() not in ASKING_SUBCOMMANDS or not rest):
        return None
    if stem == "vignettes":
        return f"level {question}"
    if rng.random() < 0.05:
        return f"share {question}"
    return question


@dataclass
class Sent:
    kind: str
    key: str  # where its answer lands on the fake
    sent_at: float
    event_id: str | None = None
    ack_ms: float | None = None
    status: int | None = None
    error: str | None = None  # "status 404", "timeout", "connection: …"


@dataclass
class ClientResult:
    sent: list[Sent] = field(default_factory=list)
    reply_timeouts: int = 0


class Client(threading.Thread):
    """One practitioner: their own user id, DM channel and channel; sends until `stop_at`."""

    def __init__(
        self,
        index: int,
        port: int,
        fake: LoadFake,
        questions: list[tuple[str, str]],
        stop_at: float,
        pace: str,
        tag: bool = False,
        think: float = 0.0,
    ):
        super().__init__(name=f"load-client-{index}", daemon=True)
        self.index, self.port, self.fake, self.pace = index, port, fake, pace
        self.think = think  # pace "think": seconds between an ack and the next request
        self.tag = tag  # end each question with a tag of its own, to find its log row
        self.questions, self.stop_at = questions, stop_at
        self.rng = random.Random(1000 + index)
        self.user = f"U0LOAD{index:03d}"
        self.dm_channel, self.channel = f"D0LOAD{index:03d}", f"C0LOAD{index:03d}"
        self.result = ClientResult()
        self._seq = 0
        self._dms = 0
        self._conn: http.client.HTTPConnection | None = None

    def run(self) -> None:
        try:
            while time.monotonic() < self.stop_at:
                self.one()
        finally:
            if self._conn is not None:
                self._conn.close()

    def request(self) -> tuple[str, str, str, dict[str, str], int, str | None]:
        """(kind, answer key, body, headers, answers expected at that key by then, event id)
        for the next request."""
        self._seq += 1
        n = self._seq
        kind = self.rng.choices(KINDS, weights=MIX)[0]
        stem, question = self.rng.choice(self.questions)
        if kind == "slash":
            text = slash_text(stem, question, self.rng)
            while text is None:
                stem, question = self.rng.choice(self.questions)
                text = slash_text(stem, question, self.rng)
            text = f"{text} {self.tag_of(n)}" if self.tag else text
            hook = f"c{self.index:03d}-{n:07d}"
            body = command_body(
                text,
                user=self.user,
                channel=self.channel,
                response_url=self.fake.response_url(hook),
                trigger_id=f"trigger-{hook}",
            )
            return kind, f"hook:{hook}", body, signed_headers(body), 1, None
        question = f"{question} {self.tag_of(n)}" if self.tag else question
        ts = f"{int(time.time())}.{self.index:03d}{n:07d}"  # unique: mentions thread under it
        event_id = f"Ev0LOAD{self.index:03d}{n:07d}"
        if kind == "dm":
            event = dm_event(question, user=self.user, ts=ts, channel=self.dm_channel)
            key, self._dms = f"chat:{self.dm_channel}:", self._dms + 1
            expected = self._dms
        else:
            event = mention_event(
                f"<@{BOT_USER_ID}> {question}", user=self.user, ts=ts, channel=self.channel
            )
            key, expected = f"chat:{self.channel}:{ts}", 1
        body = event_body(event, event_id)
        headers = signed_headers(body, content_type="application/json")
        return kind, key, body, headers, expected, event_id

    def tag_of(self, n: int) -> str:
        """A word no redactor touches (no run of digits, no name): "(ask zqb9cd)"."""
        return f"(ask zq{_letters(self.index)}9{_letters(n)})"

    def connection(self) -> http.client.HTTPConnection:
        if self._conn is None:  # keep-alive, as Slack's senders do; reopened after a failure
            self._conn = http.client.HTTPConnection(
                "127.0.0.1", self.port, timeout=REQUEST_TIMEOUT_S
            )
        return self._conn

    def one(self) -> None:
        kind, key, body, headers, expected, event_id = self.request()
        record = Sent(kind, key, time.perf_counter(), event_id)
        self.result.sent.append(record)
        try:
            conn = self.connection()
            conn.request("POST", EVENTS_PATH, body=body.encode("utf-8"), headers=headers)
            response = conn.getresponse()
            response.read()
            record.ack_ms = (time.perf_counter() - record.sent_at) * 1000
            record.status = response.status
            if response.status != 200:
                record.error = f"status {response.status}"
            if response.will_close:
                self._drop()
        except TimeoutError:
            record.error = "timeout"
            self._drop()
        except (OSError, http.client.HTTPException) as exc:
            record.error = f"connection: {type(exc).__name__}"
            self._drop()
            time.sleep(0.05)  # don't spin on a refused connection
        if self.pace == "reply" and record.error is None:
            left = min(REPLY_TIMEOUT_S, self.stop_at + REPLY_TIMEOUT_S - time.monotonic())
            if not self.fake.wait_count(key, expected, max(left, 0.0)):
                self.result.reply_timeouts += 1
        elif self.pace == "think":
            time.sleep(max(min(self.think, self.stop_at - time.monotonic()), 0.0))

    def _drop(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def _letters(n: int) -> str:
    """0 -> "a", 25 -> "z", 26 -> "aa": a number written in letters."""
    out = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        out = chr(97 + rest) + out
    return out


# ---- the server -------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def write_config(folder: Path) -> Path:
    """The project's config.yaml with the per-user rate limit off (the load would trip it)."""
    raw = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8")) or {}
    raw["rate_limit_per_minute"] = 0
    path = folder / "config.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    path.chmod(0o600)
    return path


# The floor: waitress as `serve --http` runs it (the same limits and threads), serving a
# WSGI app that reads the body and answers 200 at once: what HTTP alone costs under the load.
BARE_SERVER = """
import signal, sys
from waitress import create_server
from handlers.transport import SERVER_LIMITS

def app(environ, start_response):
    environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "0")])
    return [b""]

signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
server = create_server(app, host="127.0.0.1", port=int(sys.argv[1]), threads=int(sys.argv[2]),
                       ident="bare", **SERVER_LIMITS)
server.run()
"""
SERVE_THREADS = 8  # `serve --http`'s default (handlers/serve.py)


class Server:
    """`python -m bot serve --http` on a free loopback port, with the load test's setting
    (`bare`: the floor instead, BARE_SERVER)."""

    def __init__(
        self,
        folder: Path,
        fake: FakeSlack,
        threads: int | None,
        root: Path = ROOT,
        bare: bool = False,
    ):
        self.port = free_port()
        self.root = root  # the checkout to serve (another, to compare with it)
        self.db = folder / "load.db"
        env = {
            **os.environ,
            "SLACK_BOT_TOKEN": TOKEN,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": fake.api_url,
            "RHRT_DB": str(self.db),
            "RHRT_KNOWLEDGE": str(PACK),
            "RHRT_CONFIG": str(write_config(folder)),
            "RHRT_LOG_KEY": "load-test-key-of-at-least-thirty-two-bytes",
            "PYTHONUNBUFFERED": "1",
        }
        env.pop("SLACK_APP_TOKEN", None)
        args = ["--http", "--host", "127.0.0.1", "--port", str(self.port)]
        if threads:
            args += ["--threads", str(threads)]
        self.stderr_path = folder / "serve.stderr"
        self._stderr = self.stderr_path.open("w")
        command = [sys.executable, "-m", "bot", "serve", *args]
        if bare:
            command = [sys.executable, "-c", BARE_SERVER, str(self.port)]
            command.append(str(threads or SERVE_THREADS))
        self.proc = subprocess.Popen(
            command,
            cwd=root,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self._stderr,
        )
        self.env = env
        self.exit_code: int | None = None
        self.killed = False

    def wait_healthy(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        url = f"http://127.0.0.1:{self.port}/healthz"
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited with {self.proc.returncode} at start-up")
            try:
                with urllib.request.urlopen(url, timeout=1) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"the server did not answer {url} within {timeout:.0f} s")

    def stop(self, timeout: float) -> int | None:
        """SIGTERM (the log is flushed at exit); kill when it will not go in `timeout`."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=max(timeout, 1.0))
            except subprocess.TimeoutExpired:
                self.killed = True
                self.proc.kill()
                self.proc.wait(timeout=5)
        self.exit_code = self.proc.returncode
        self._stderr.close()
        return self.exit_code

    def stderr(self) -> str:
        try:
            return self.stderr_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""


class ConnectionWatch(threading.Thread):
    """The most connections the server held open at once (sampled from the kernel's table of
    TCP connections: those established to the server's port), to check its bound."""

    def __init__(self, port: int, every: float = 0.2):
        super().__init__(name="connection-watch", daemon=True)
        self.port, self.every = f"{port:04X}", every
        self.peak = 0
        self._done = threading.Event()

    def start(self) -> ConnectionWatch:
        super().start()
        return self

    def stop(self) -> None:
        self._done.set()
        self.join(timeout=5)

    def run(self) -> None:
        while not self._done.is_set():
            self.peak = max(self.peak, self.count())
            self._done.wait(self.every)

    def count(self) -> int:
        found = 0
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            try:
                lines = Path(table).read_text().splitlines()[1:]
            except OSError:
                continue
            for line in lines:
                fields = line.split()
                # local address "0100007F:1F90", state "01" = established
                if len(fields) > 3 and fields[3] == "01" and fields[1].endswith(f":{self.port}"):
                    found += 1
        return found


def logged(db: Path) -> tuple[Counter, Counter]:
    """(rows in `queries` per surface, rows per event id) after the server has stopped."""
    if not db.exists():
        return Counter(), Counter()
    with sqlite3.connect(db) as conn:
        surfaces = Counter(
            dict(conn.execute("select surface, count(*) from queries group by surface"))
        )
        events = Counter(
            dict(
                conn.execute(
                    "select event_id, count(*) from queries where event_id is not null "
                    "group by event_id"
                )
            )
        )
    return surfaces, events


def spooled_rows(db: Path) -> int:
    spool = db.with_name(db.name + ".spool.jsonl")
    try:
        return sum(1 for line in spool.read_text(encoding="utf-8").splitlines() if line.strip())
    except OSError:
        return 0


# ---- figures ------------------------------------------------------------------------------------
def percentiles(samples: list[float]) -> dict[str, float]:
    """Nearest-rank p50 / p99 / max (as bench.latency), NaN for no samples."""
    ordered = sorted(samples)
    n = len(ordered)
    if not n:
        return {"p50": float("nan"), "p99": float("nan"), "max": float("nan")}
    return {"p50": ordered[n // 2], "p99": ordered[min(n - 1, int(n * 0.99))], "max": ordered[-1]}


def reply_latencies(sent: list[Sent], fake: LoadFake) -> list[float]:
    """ms from sending a request to its answer reaching the fake: answers at one key are
    matched to the requests for that key in order (one key per command and mention; a
    client's DMs share one, in order)."""
    by_key: dict[str, list[Sent]] = defaultdict(list)
    for record in sent:
        by_key[record.key].append(record)
    out = []
    with fake._changed:
        for key, records in by_key.items():
            for record, at in zip(records, fake.arrivals.get(key, ()), strict=False):
                out.append((at - record.sent_at) * 1000)
    return out


def _load() -> float | None:
    """The machine's 1-minute load average: on shared cores it moves every figure here."""
    try:
        return os.getloadavg()[0]
    except OSError:
        return None


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    nproc = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": str(nproc),
        "cpu": cpu,
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "os": f"{platform.system()} {platform.release()}",
    }


def ms(value: float) -> str:
    return "–" if value != value else f"{value:,.1f}"


def report(figures: dict[str, Any]) -> tuple[str, list[str]]:
    """The Markdown page and the targets missed."""
    f = figures
    ack, reply = f["ack"], f["reply"]
    errors = f["errors"]
    missed = []

    def check(ok: bool, name: str) -> str:
        if not ok:
            missed.append(name)
        return "met" if ok else "**missed**"

    rows = [
        ("date", f["machine"]["date"], "", ""),
        ("machine", f"nproc {f['machine']['nproc']} · {f['machine']['cpu']}", "", ""),
        ("software", f"{f['machine']['python']} · {f['machine']['os']}", "", ""),
        (
            "load average (1 min) before / after",
            " / ".join("?" if v is None else f"{v:.1f}" for v in f["load"])
            + f" on {f['machine']['nproc']} cores",
            "",
            "",
        ),
        ("clients", str(f["clients"]), "", ""),
        ("seconds", f"{f['seconds']:g} (measured {f['elapsed']:.1f})", "", ""),
        ("pace", f["pace"], "", ""),
        (
            "requests sent",
            f"{f['sent']:,} (slash {f['sent_by'].get('slash', 0):,}, "
            f"DM {f['sent_by'].get('dm', 0):,}, mention {f['sent_by'].get('mention', 0):,})",
            "",
            "",
        ),
        ("requests/s", f"{f['rps']:,.1f}", "", ""),
        (
            "ack p50 / p99 / max ms",
            f"{ms(ack['p50'])} / {ms(ack['p99'])} / {ms(ack['max'])}",
            "p99 < 1,000; max < 3,000",
            check(
                f["sent"] > 0 and ack["p99"] < ACK_P99_MS and ack["max"] < ACK_MAX_MS,
                "ack latency",
            ),
        ),
        (
            "errors",
            f"{sum(errors.values())}"
            + (
                " (" + ", ".join(f"{k} ×{v}" for k, v in sorted(errors.items())) + ")"
                if errors
                else ""
            ),
            "0",
            check(not errors, "errors"),
        ),
        (
            "log rows written vs sent",
            f"{f['rows']:,} / {f['sent']:,}"
            + (f" (+{f['spooled']} left in the spool)" if f["spooled"] else "")
            + (f"; events not logged: {f['events_unlogged']}" if f["events_unlogged"] else "")
            + (f"; events logged twice: {f['events_twice']}" if f["events_twice"] else ""),
            "equal",
            check(
                f["rows"] == f["sent"] and not f["events_unlogged"] and not f["events_twice"],
                "log rows",
            ),
        ),
        (
            "replies received vs sent",
            f"{f['answers']:,} / {f['sent']:,}"
            + (f"; unanswered: {f['unanswered']}" if f["unanswered"] else "")
            + (f"; answered twice: {f['extra_answers']}" if f["extra_answers"] else "")
            + (f"; apologies: {f['apologies']}" if f["apologies"] else "")
            + (f"; rate-limited: {f['rate_limited']}" if f["rate_limited"] else ""),
            "one each, no apology",
            check(
                f["answers"] == f["sent"]
                and not f["unanswered"]
                and not f["extra_answers"]
                and not f["apologies"]
                and not f["rate_limited"],
                "replies",
            ),
        ),
        (
            "answer latency p50 / p99 / max ms",
            f"{ms(reply['p50'])} / {ms(reply['p99'])} / {ms(reply['max'])}",
            "",
            "",
        ),
        (
            "server connections open at once, most",
            f"{f['connections']:,} (its bound: {f['connection_limit']:,})",
            "within the bound",
            check(f["connections"] <= f["connection_limit"], "connection bound"),
        ),
        (
            "server stopped by SIGTERM",
            f"exit {f['exit_code']}" + (" (killed)" if f["killed"] else ""),
            "exit 0",
            check(f["exit_code"] == 0 and not f["killed"], "clean stop"),
        ),
    ]
    rows.insert(
        10,
        (
            "ack p50 / p99 ms after the first second",
            f"{ms(f['ack_later']['p50'])} / {ms(f['ack_later']['p99'])}",
            "",
            "",
        ),
    )
    floor = f.get("floor")
    if floor:
        rows.insert(
            11,
            (
                "floor: bare waitress, same clients (ack p50 / p99 / max ms; after the first "
                "second p50 / p99; req/s)",
                f"{ms(floor['ack']['p50'])} / {ms(floor['ack']['p99'])} / "
                f"{ms(floor['ack']['max'])}; {ms(floor['ack_later']['p50'])} / "
                f"{ms(floor['ack_later']['p99'])}; {floor['rps']:,.1f} req/s "
                f"({floor['think_ms']:,.0f} ms between an ack and the next request)"
                + (f"; errors {floor['errors']}" if floor["errors"] else ""),
                "",
                "",
            ),
        )
    if f["slow"]:
        when = ", ".join(f"{t:.1f}" for t in f["slow"][:8]) + (" …" if len(f["slow"]) > 8 else "")
        rows.insert(
            10, (f"acks over {ACK_P99_MS:,.0f} ms", f"{len(f['slow'])} (at s: {when})", "", "")
        )
    if f["queue_depth"]:
        rows.insert(-1, ("waitress task queue, deepest", str(f["queue_depth"]), "", ""))
    if f["reply_timeouts"]:
        rows.insert(
            -1, (f"answers not back within {REPLY_TIMEOUT_S:g} s", str(f["reply_timeouts"]), "", "")
        )
    if f["server_errors"]:
        rows.append(
            (
                "ERROR lines in the server log",
                str(f["server_errors"]),
                "0",
                check(False, "server log errors"),
            )
        )
    lines = [
        "# rhrt-bot load test",
        "",
        f"`{f['command']}`: {f['clients']} clients (one Slack user each) for "
        f"{f['seconds']:g} s against `python -m bot serve --http` on loopback (waitress, "
        f"{f['server_threads']}), Coventry pack, rate limit off, a fresh SQLite log; "
        "a fake Slack Web API in the load process receives the answers. Requests are signed "
        "slash commands (`/rhrt …`, own response_url each) and `message.im` / `app_mention` "
        "events (unique event ids), questions from `tests/golden/coventry`. Ack = request "
        "sent → HTTP response read; answer = request sent → the answer reaching the fake.",
        "",
        "| figure | value | target | |",
        "| --- | --- | --- | --- |",
        *(f"| {a} | {b} | {t} | {m} |" for a, b, t, m in rows),
        "",
        "By kind:",
        "",
        "| kind | sent | ack p50 ms | ack p99 ms | ack max ms | errors | rows | answers |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for kind in KINDS:
        k = f["by_kind"][kind]
        lines.append(
            f"| {kind} | {k['sent']:,} | {ms(k['ack']['p50'])} | {ms(k['ack']['p99'])} | "
            f"{ms(k['ack']['max'])} | {k['errors']} | {f['surfaces'].get(kind, 0):,} | "
            f"{k['answers']:,} |"
        )
    lines += ["", f"Targets: {'all met' if not missed else 'missed: ' + ', '.join(missed)}.", ""]
    return "\n".join(lines), missed


# ---- the run ------------------------------------------------------------------------------------
def parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python bench/load.py",
        description="Load-test `python -m bot serve --http` with signed Slack requests.",
    )
    p.add_argument(
        "--clients",
        type=_counts,
        default=[20],
        help="concurrent clients, or several runs' counts as a list (default 20; e.g. 20,100)",
    )
    p.add_argument("--seconds", type=float, default=60.0, help="how long to send (default 60)")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--out", type=Path, default=None, help="also write the table to FILE")
    where.add_argument(
        "--write", action="store_true", help="overwrite the committed bench/load-results.md"
    )
    p.add_argument(
        "--pace",
        choices=("reply", "ack"),
        default="reply",
        help="next request after the answer (default) or right after the ack (stress)",
    )
    p.add_argument(
        "--server-threads", type=int, default=None, help="waitress threads (server default)"
    )
    args = p.parse_args(argv)
    if args.write:
        args.out = COMMITTED
    if min(args.clients) < 1 or args.seconds <= 0:
        p.error("--clients and --seconds must be positive")
    return args


def _counts(text: str) -> list[int]:
    try:
        return [int(part) for part in text.split(",") if part.strip()] or [0]
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a number or a list of numbers: {text}") from exc


def run_once(
    clients: int, seconds: float, pace: str = "reply", server_threads: int | None = None
) -> dict[str, Any] | None:
    """One load run: `clients` clients for `seconds`; the figures, or None when the server
    could not be started (what it said is on stderr)."""
    started = time.monotonic()
    hard_end = started + seconds + BUDGET_S
    load_before = _load()

    def left(reserve: float = 0.0) -> float:
        return max(hard_end - reserve - time.monotonic(), 0.0)

    questions = load_questions()
    fake = LoadFake().start()
    server: Server | None = None
    with tempfile.TemporaryDirectory(prefix="rhrt-load-") as tmp:
        try:
            server = Server(Path(tmp), fake, server_threads)
            try:
                server.wait_healthy(min(STARTUP_TIMEOUT_S, left(reserve=STOP_TIMEOUT_S + 5)))
            except RuntimeError as exc:
                server.stop(5)
                print(f"load: {exc}\n{server.stderr()[-3000:]}", file=sys.stderr)
                return None
            watch = ConnectionWatch(server.port).start()

            began, began_perf = time.monotonic(), time.perf_counter()
            stop_at = began + seconds
            senders = [
                Client(i, server.port, fake, questions, stop_at, pace) for i in range(clients)
            ]
            for client in senders:
                client.start()
            for client in senders:
                client.join(
                    timeout=max(
                        stop_at + REQUEST_TIMEOUT_S + REPLY_TIMEOUT_S - time.monotonic(), 0.1
                    )
                )
            elapsed = time.monotonic() - began
            watch.stop()
            sent = [record for client in senders for record in client.result.sent]

            # The answers still on their way (none are lost in the ack pace, only late).
            last, stalled_since = fake.answers(), time.monotonic()
            while fake.answers() < len(sent) and left(reserve=STOP_TIMEOUT_S + 5) > 0:
                time.sleep(0.1)
                now_count = fake.answers()
                if now_count != last:
                    last, stalled_since = now_count, time.monotonic()
                elif time.monotonic() - stalled_since > DRAIN_STALL_S:
                    break
            exit_code = server.stop(min(STOP_TIMEOUT_S, left(reserve=2)))
            surfaces, event_rows = logged(server.db)
            spooled = spooled_rows(server.db)
            log_text = server.stderr()
        finally:
            if server is not None and server.exit_code is None:
                server.stop(5)
            fake.stop()

    errors = Counter(record.error for record in sent if record.error)
    # Per request, not only in total: a lost answer must not hide behind a duplicated one.
    expected = Counter(record.key for record in sent)
    with fake._changed:
        got = Counter({key: len(times) for key, times in fake.arrivals.items()})
    sent_events = {record.event_id for record in sent if record.event_id}
    acks = [r.ack_ms for r in sent if r.ack_ms is not None]
    by_kind = {}
    for kind in KINDS:
        mine = [r for r in sent if r.kind == kind]
        by_kind[kind] = {
            "sent": len(mine),
            "ack": percentiles([r.ack_ms for r in mine if r.ack_ms is not None]),
            "errors": sum(1 for r in mine if r.error),
            "answers": 0,
        }
    with fake._changed:
        for key, times in fake.arrivals.items():
            kind = (
                "slash"
                if key.startswith("hook:")
                else ("dm" if key.startswith("chat:D") else "mention")
            )
            by_kind[kind]["answers"] += len(times)
    server_errors = [line for line in log_text.splitlines() if " ERROR " in line]
    depths = [int(m) for m in re.findall(r"Task queue depth is (\d+)", log_text)]
    figures = {
        "command": "python bench/load.py --clients {} --seconds {:g}{}{}".format(
            clients,
            seconds,
            "" if pace == "reply" else " --pace ack",
            f" --server-threads {server_threads}" if server_threads else "",
        ),
        "machine": machine(),
        "clients": clients,
        "seconds": seconds,
        "elapsed": elapsed,
        "pace": pace,
        "server_threads": (f"{server_threads} threads" if server_threads else "default threads"),
        "sent": len(sent),
        "sent_by": Counter(r.kind for r in sent),
        "rps": len(sent) / elapsed if elapsed else 0.0,
        "ack": percentiles(acks),
        "slow": sorted(r.sent_at - began_perf for r in sent if (r.ack_ms or 0) >= ACK_P99_MS),
        "errors": errors,
        "rows": sum(surfaces.values()),
        "surfaces": surfaces,
        "events_unlogged": len(sent_events - set(event_rows)),
        "events_twice": sum(1 for n in event_rows.values() if n > 1),
        "spooled": spooled,
        "answers": fake.answers(),
        "unanswered": sum((expected - got).values()),
        "extra_answers": sum((got - expected).values()),
        "apologies": fake.apologies,
        "rate_limited": fake.rate_limited,
        "reply": percentiles(reply_latencies(sent, fake)),
        "reply_timeouts": sum(client.result.reply_timeouts for client in senders),
        "exit_code": exit_code,
        "killed": server.killed,
        "server_errors": len(server_errors),
        "queue_depth": max(depths, default=0),
        "by_kind": by_kind,
        "connections": watch.peak,
        "connection_limit": CONNECTION_LIMIT,
        "server_error_lines": server_errors[:5],
        "took": time.monotonic() - started,
        "load": (load_before, _load()),
        # Without the first second, when every client's first request arrives at once.
        "ack_later": percentiles(
            [r.ack_ms for r in sent if r.ack_ms is not None and r.sent_at - began_perf >= 1.0]
        ),
    }
    # The floor, in the same run: a bare waitress under the same clients, each waiting as
    # long after its ack as an answer took here (so requests come at about the same rate).
    gap = figures["reply"]["p50"] - figures["ack"]["p50"]
    think = gap / 1000 if math.isfinite(gap) and gap > 0 else 0.0
    figures["floor"] = floor_once(clients, seconds, think, server_threads, questions)
    return figures


def floor_once(
    clients: int,
    seconds: float,
    think: float,
    server_threads: int | None,
    questions: list[tuple[str, str]],
) -> dict[str, Any] | None:
    """The same clients for the same time against BARE_SERVER (waitress answering 200 at
    once), each waiting `think` s after its ack: what HTTP alone costs under this load."""
    load_before = _load()
    fake = LoadFake().start()
    with tempfile.TemporaryDirectory(prefix="rhrt-load-floor-") as tmp:
        server = Server(Path(tmp), fake, server_threads, bare=True)
        try:
            server.wait_healthy(STARTUP_TIMEOUT_S)
            began, began_perf = time.monotonic(), time.perf_counter()
            stop_at = began + seconds
            senders = [
                Client(i, server.port, fake, questions, stop_at, "think", think=think)
                for i in range(clients)
            ]
            for client in senders:
                client.start()
            for client in senders:
                client.join(timeout=max(stop_at + REQUEST_TIMEOUT_S - time.monotonic(), 0.1))
            elapsed = time.monotonic() - began
        except RuntimeError as exc:
            print(f"load: the floor's server: {exc}", file=sys.stderr)
            return None
        finally:
            server.stop(5)
            fake.stop()
    sent = [record for client in senders for record in client.result.sent]
    acks = [r.ack_ms for r in sent if r.ack_ms is not None]
    later = [r.ack_ms for r in sent if r.ack_ms is not None and r.sent_at - began_perf >= 1.0]
    return {
        "sent": len(sent),
        "rps": len(sent) / elapsed if elapsed else 0.0,
        "ack": percentiles(acks),
        "ack_later": percentiles(later),
        "errors": sum(1 for r in sent if r.error),
        "think_ms": think * 1000,
        "load": (load_before, _load()),
    }


def run(args: argparse.Namespace) -> int:
    """One run per client count; one page (a summary first when there are several)."""
    started = time.monotonic()
    runs = []
    for clients in args.clients:
        figures = run_once(clients, args.seconds, args.pace, args.server_threads)
        if figures is None:
            return 2
        runs.append(figures)
    page, missed = pages(runs)
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(page, encoding="utf-8")
    print(page)
    print(
        f"load: {time.monotonic() - started:.1f} s in all"
        + (f"; written to {args.out}" if args.out is not None else " (not written: --write)"),
        file=sys.stderr,
    )
    return 1 if missed else 0


def pages(runs: list[dict[str, Any]]) -> tuple[str, list[str]]:
    """The Markdown for one or more runs, and the targets missed (by client count)."""
    parts, missed = [], []
    for figures in runs:
        page, missed_here = report(figures)
        if figures["server_error_lines"]:
            page += (
                "\nServer log errors (first 5):\n\n```\n"
                + "\n".join(figures["server_error_lines"])
                + "\n```\n"
            )
        parts.append(page)
        missed += [f"{m} ({figures['clients']} clients)" for m in missed_here]
    if len(runs) == 1:
        return parts[0], missed
    head = [
        "# rhrt-bot load test",
        "",
        "`python bench/load.py --clients "
        + ",".join(str(f["clients"]) for f in runs)
        + f" --seconds {runs[0]['seconds']:g}`: one run per client count, each against a "
        "fresh `python -m bot serve --http` and a fresh log (details of each run below).",
        "",
        summary_table(runs),
        "",
        f"Targets: {'all met' if not missed else 'missed: ' + ', '.join(missed)}.",
        "",
    ]
    body = [
        p.replace("# rhrt-bot load test", f"## {f['clients']} clients", 1)
        for p, f in zip(parts, runs, strict=True)
    ]
    return "\n".join(head) + "\n" + "\n".join(body), missed


def summary_table(runs: list[dict[str, Any]]) -> str:
    rows = [
        "| clients | requests | req/s | ack p50 ms | ack p99 ms | ack max ms | ack p99 ms "
        "after the first second | floor: bare waitress ack p50 / p99 ms (req/s) | errors | "
        "rows logged / sent | answers / sent | answer p50 / p99 ms | connections at once "
        "(bound) | load average before / after |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | --- | --- | --- | --- "
        "| --- |",
    ]
    for f in runs:
        floor = f.get("floor")
        bare = (
            f"{ms(floor['ack']['p50'])} / {ms(floor['ack']['p99'])} ({floor['rps']:,.0f})"
            if floor
            else "–"
        )
        rows.append(
            f"| {f['clients']} | {f['sent']:,} | {f['rps']:,.1f} | {ms(f['ack']['p50'])} | "
            f"{ms(f['ack']['p99'])} | {ms(f['ack']['max'])} | {ms(f['ack_later']['p99'])} | "
            f"{bare} | {sum(f['errors'].values())} | "
            f"{f['rows']:,} / {f['sent']:,} | {f['answers']:,} / {f['sent']:,} | "
            f"{ms(f['reply']['p50'])} / {ms(f['reply']['p99'])} | "
            f"{f['connections']} ({f['connection_limit']:,}) | "
            + " / ".join("?" if v is None else f"{v:.1f}" for v in f["load"])
            + " |"
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    return run(parse(argv))


if __name__ == "__main__":
    sys.exit(main())
