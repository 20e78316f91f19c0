"""Questions sent to safeguarding advisers: how many, about what, from whom, how fast answered.

Counted by distinct askers like every other cell: a topic or agency is shown only when k or
more different people escalated, and the median time to first reply only when k or more
escalations were answered.
"""

from __future__ import annotations

import sqlite3
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from . import data
from .model import FEW, Card, Context, Section
from .tables import Table

TELLS_YOU = (
    "What practitioners asked a person when the bot's answer was not enough, and how quickly "
    "an adviser replied — the questions most worth turning into new content."
)


@dataclass
class EscalationStats:
    total: int = 0
    people: set[str] = field(default_factory=set)
    replied: int = 0
    resolved: int = 0
    seconds: list[float] = field(default_factory=list)
    by_topic: dict[str, list] = field(default_factory=lambda: defaultdict(lambda: [0, set()]))
    by_agency: dict[str, list] = field(default_factory=lambda: defaultdict(lambda: [0, set()]))

    @property
    def still_open(self) -> int:
        return self.total - self.resolved


def load(ctx: Context) -> EscalationStats:
    stats = EscalationStats()
    if ctx.db_path is None:
        return stats
    where, params = ctx.scope.where()
    conn = data.connect(ctx.db_path)
    try:
        rows = conn.execute(
            "select coalesce(topic, '(no topic)'), coalesce(agency, 'unknown'), asker, status, "
            f"reply_seconds from escalations where {where}",
            params,
        ).fetchall()
    except sqlite3.Error:  # a log from before escalations existed
        rows = []
    finally:
        conn.close()
    for topic, agency, asker, status, seconds in rows:
        stats.total += 1
        who = asker or f"?{stats.total}"
        stats.people.add(who)
        stats.resolved += status == "resolved"
        if seconds is not None:
            stats.replied += 1
            stats.seconds.append(float(seconds))
        for table, key in ((stats.by_topic, topic), (stats.by_agency, agency)):
            table[key][0] += 1
            table[key][1].add(who)
    return stats


def duration(seconds: float) -> str:
    if seconds < 3600:
        return f"{seconds / 60:.0f} minutes"
    if seconds < 48 * 3600:
        return f"{seconds / 3600:.1f} hours"
    return f"{seconds / 86400:.1f} days"


def median_reply(ctx: Context, stats: EscalationStats) -> str:
    """The median time to first reply, or "–" when fewer than k were answered."""
    if stats.replied < ctx.k or len(stats.people) < ctx.k:
        return "–"
    return duration(statistics.median(stats.seconds))


def count(ctx: Context, n: int, people: int) -> int | str:
    """A count shown only when k or more different people stand behind it."""
    if not n:
        return 0
    return n if people >= ctx.k else f"<{ctx.k}"


def topic_name(ctx: Context, topic: str) -> str:
    return {"(unanswered)": "Not answered by the bot", "(no topic)": "(no topic)"}.get(
        topic, ctx.topic_title(topic)
    )


def lines(ctx: Context, stats: EscalationStats) -> list[str]:
    """Two sentences for the one-page summary."""
    if not stats.total:
        return ["No questions were sent to advisers in this period."]
    total = count(ctx, stats.total, len(stats.people))
    topics = [
        f"{topic_name(ctx, t).lower()} {n}"
        for t, (n, who) in sorted(stats.by_topic.items(), key=lambda kv: -kv[1][0])
        if len(who) >= ctx.k
    ][:3]
    first = f"{total} questions sent to advisers" + (
        f" (most about {', '.join(topics)})" if topics else ""
    )
    second = f"median time to first reply {median_reply(ctx, stats)}"
    if stats.still_open and len(stats.people) >= ctx.k:
        second += f"; {stats.still_open} not yet resolved"
    return [first + ".", second[:1].upper() + second[1:] + "."]


def build(ctx: Context) -> Section:
    stats = load(ctx)
    people = len(stats.people)
    section = Section(
        "escalations",
        "Questions sent to advisers",
        TELLS_YOU,
        cards=[
            Card("Sent to advisers", str(count(ctx, stats.total, people))),
            Card("Answered", str(count(ctx, stats.replied, people))),
            Card("Median time to first reply", median_reply(ctx, stats)),
            Card("Not yet resolved", str(count(ctx, stats.still_open, people))),
        ],
    )
    # Agencies with fewer than k people escalating are reported together.
    agencies: dict[str, list] = defaultdict(lambda: [0, set()])
    for agency, (n, who) in stats.by_agency.items():
        key = agency if len(who) >= ctx.k else FEW
        agencies[key][0] += n
        agencies[key][1] |= who
    for name, title, table, label in (
        ("escalations_by_topic", "By topic", stats.by_topic, "Topic"),
        ("escalations_by_agency", "By agency", agencies, "Agency"),
    ):
        rows = [
            [
                topic_name(ctx, key) if label == "Topic" else ctx.agency_name(key),
                count(ctx, n, len(who)),
            ]
            for key, (n, who) in sorted(table.items(), key=lambda kv: (-kv[1][0], kv[0]))
        ]
        section.blocks.append(
            Table(
                name,
                f"Questions sent to advisers: {title.lower()}",
                [label, "Questions"],
                rows,
                show=None,
                note=f"Shown when {ctx.k} or more different people sent questions.",
                empty="No questions were sent to advisers in this period.",
            )
        )
    if stats.total and people >= ctx.k:
        section.findings += lines(ctx, stats)
    return section
