"""kill -9 under load: how many answered questions the query log loses.

    python bench/crash.py [--runs 5] [--clients 20] [--seconds 20] [--server-root DIR]

Each run is bench/load.py's set-up (20 signed Slack clients, one user each, against
`python -m bot serve --http` on loopback, the fake Slack in this process), with every
question tagged with a word of its own ("(ask zqb9cd)") so its log row can be found. After
`--seconds` of load the server is sent SIGKILL, mid-flight. Then the log is recovered as an
operator would (`python -m bot log repair`, which replays the dead process's journal;
skipped for a checkout without it, such as main before issue 14) and every answered question
(an answer reached the fake Slack) is looked for in it. Lost = answered, but no row; the
target is 0. Prints a Markdown table; exits 1 if any run lost a row. `--server-root` serves
another checkout to compare (e.g. a `git archive` of main).
"""

from __future__ import annotations

import argparse
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.load import (  # noqa: E402
    STARTUP_TIMEOUT_S,
    Client,
    LoadFake,
    Server,
    load_questions,
    machine,
)


def answered(clients: list[Client], fake: LoadFake) -> list[str]:
    """Tags of the questions whose answer reached the fake Slack. Each client waits for an
    answer before asking again, so a client's DMs were answered in order."""
    out = []
    for client in clients:
        dms = [r for r in client.result.sent if r.kind == "dm"]
        dms_answered = fake.count(f"chat:{client.dm_channel}:")
        for record in client.result.sent:
            if record.kind == "dm":
                done = dms.index(record) < dms_answered
            else:
                done = fake.count(record.key) > 0
            if done:
                out.append(record.tag)
    return out


def logged(db: Path) -> dict[str, int]:
    """Rows per question tag in the log."""
    found: dict[str, int] = defaultdict(int)
    if not db.exists():
        return found
    with sqlite3.connect(db) as conn:
        for (question,) in conn.execute("select question from queries"):
            start = (question or "").rfind("(ask ")
            if start >= 0:
                found[question[start:].split(")")[0] + ")"] += 1
    return found


def one_run(args: argparse.Namespace, questions) -> dict:
    fake = LoadFake().start()
    with tempfile.TemporaryDirectory(prefix="rhrt-crash-") as tmp:
        server = Server(Path(tmp), fake, None, root=args.server_root)
        try:
            server.wait_healthy(STARTUP_TIMEOUT_S)
            stop_at = time.monotonic() + args.seconds
            clients = [
                TaggedClient(i, server.port, fake, questions, stop_at, "reply", tag=True)
                for i in range(args.clients)
            ]
            for client in clients:
                client.start()
            time.sleep(max(0.0, stop_at - time.monotonic()))
            server.proc.send_signal(signal.SIGKILL)  # mid-flight: clients are still asking
            server.proc.wait(timeout=10)
            for client in clients:
                client.join(timeout=30)
            time.sleep(0.5)  # the last answers already on the wire
            before = sum(logged(server.db).values())
            recovered = (args.server_root / "bot" / "logrepair.py").exists()
            if recovered:
                subprocess.run(
                    [sys.executable, "-m", "bot", "log", "repair"],
                    cwd=args.server_root,
                    env=server.env,
                    capture_output=True,
                    timeout=120,
                    check=True,
                )
            rows = logged(server.db)
            tags = answered(clients, fake)
        finally:
            if server.proc.poll() is None:
                server.proc.kill()
            fake.stop()
    lost = [t for t in tags if not rows.get(t)]
    return {
        "sent": sum(len(c.result.sent) for c in clients),
        "answered": len(tags),
        "rows_before": before,
        "rows": sum(rows.values()),
        "twice": sum(1 for n in rows.values() if n > 1),
        "lost": len(lost),
        "recovered": recovered,
    }


class TaggedClient(Client):
    """A load client whose sent records remember their question's tag."""

    def request(self):
        kind, key, body, headers, expected, event_id = super().request()
        self._last_tag = self.tag_of(self._seq)
        return kind, key, body, headers, expected, event_id

    def one(self) -> None:
        before = len(self.result.sent)
        super().one()
        for record in self.result.sent[before:]:
            record.tag = self._last_tag


def main() -> int:
    p = argparse.ArgumentParser(prog="python bench/crash.py", description=__doc__.split("\n")[0])
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--clients", type=int, default=20)
    p.add_argument("--seconds", type=float, default=20.0)
    p.add_argument("--server-root", type=Path, default=ROOT, help="checkout to serve")
    args = p.parse_args()
    questions = load_questions()
    results = [one_run(args, questions) for _ in range(args.runs)]
    m = machine()
    lines = [
        f"kill -9 under load: `python bench/crash.py --runs {args.runs} --clients "
        f"{args.clients} --seconds {args.seconds:g}`"
        + ("" if args.server_root == ROOT else f" serving {args.server_root}")
        + f" ({m['date']}, nproc {m['nproc']}, {m['python']})",
        "",
        "| run | requests sent | answered | rows before recovery | rows after | logged twice "
        "| answered but not logged |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for i, r in enumerate(results, 1):
        after = r["rows"] if r["recovered"] else "(no repair command)"
        lines.append(
            f"| {i} | {r['sent']} | {r['answered']} | {r['rows_before']} | {after} | "
            f"{r['twice']} | **{r['lost']}** |"
        )
    lost = sum(r["lost"] for r in results)
    lines.append(f"\nLost in all: {lost} of {sum(r['answered'] for r in results)} answered.")
    print("\n".join(lines))
    return 1 if lost else 0


if __name__ == "__main__":
    sys.exit(main())
