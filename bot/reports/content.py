"""Content to fix: entries rated unhelpful, entries competing for the same questions,
entries nobody asked about, entries past their review date."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import timedelta

from .model import Context, Section
from .tables import Table

TELLS_YOU = (
    "Which knowledge-pack entries to edit first: the ones practitioners rate unhelpful (and "
    "why), pairs the bot confuses, entries nobody uses, and entries due for review."
)
REASONS = ("wrong_level", "out_of_date", "unclear", "not_my_area", "other")
REASON_NAMES = {
    "wrong_level": "Wrong level",
    "out_of_date": "Out of date",
    "unclear": "Unclear",
    "not_my_area": "Not my area",
    "other": "Other",
}
EDITS = {
    "wrong_level": "Check the level descriptors and the borderline note",
    "out_of_date": "Re-check against the current source, update and re-review",
    "unclear": "Rewrite in plainer words, leading with what to do",
    "not_my_area": "Add pointers for other agencies, or stop it being offered out of context",
    "other": "Read the comments and the questions asked",
    "": "Read the questions asked",
}
DUE_SOON_DAYS = 60


def _feedback(ctx: Context) -> tuple[Table, list[str]]:
    by_entry: dict[str, Counter] = defaultdict(Counter)
    for fb in ctx.data.feedback:
        if fb.entry_id:
            c = by_entry[fb.entry_id]
            c["rated"] += fb.n
            c["helpful"] += fb.n if fb.helpful else 0
            if not fb.helpful:
                c["unhelpful"] += fb.n
                c[fb.reason or "other"] += fb.n
    ranked = sorted(
        (e for e in by_entry if by_entry[e]["unhelpful"]),
        key=lambda e: (-by_entry[e]["unhelpful"], e),
    )
    rows, findings = [], []
    for entry_id in ranked:
        c = by_entry[entry_id]
        main = max(REASONS, key=lambda r: c[r]) if any(c[r] for r in REASONS) else ""
        rows.append(
            [
                ctx.entry_title(entry_id),
                entry_id,
                ctx.count(c["rated"]),
                ctx.count(c["unhelpful"]),
                ctx.rate(c["unhelpful"], c["rated"]),
                *[ctx.count(c[r]) for r in REASONS],
                EDITS[main] if ctx.shown(c["unhelpful"]) else "",
            ]
        )
        if not findings and ctx.shown(c["unhelpful"]):
            findings.append(
                f"Most often rated not helpful: “{ctx.entry_title(entry_id)}” — "
                f"{c['unhelpful']:,} of {c['rated']:,} ratings unhelpful, mostly "
                f"“{REASON_NAMES.get(main, main).lower()}”: "
                f"{EDITS[main].lower()}."
            )
    table = Table(
        "entries_unhelpful",
        "Suggested edits: entries most often rated not helpful",
        [
            "Entry",
            "Id",
            "Ratings",
            "Not helpful",
            "Not helpful rate",
            *[REASON_NAMES[r] for r in REASONS],
            "Suggested edit",
        ],
        rows,
        empty="No entry was rated unhelpful in this period.",
    )
    return table, findings


def _competing(ctx: Context) -> tuple[Table, list[str]]:
    """Pairs where one entry answered and the other was the runner-up, in either order."""
    pairs: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0, 0, 0.0])
    for entry, alt, n, confidence in ctx.data.pairs:
        a, b = sorted((entry, alt))
        slot = pairs[(a, b)]
        slot[0 if entry == a else 1] += n
        slot[2] += confidence
    ranked = sorted(pairs.items(), key=lambda kv: -(kv[1][0] + kv[1][1]))
    rows, findings = [], []
    for (a, b), (ab, ba, conf) in ranked:
        total = ab + ba
        if not ctx.shown(total):
            continue
        both = ctx.shown(ab) and ctx.shown(ba)
        advice = (
            "Possible duplicate or contradiction: merge, or make each say when to use the other"
            if both
            else "Sharpen titles, aliases and example questions"
        )
        rows.append(
            [
                ctx.entry_title(a),
                ctx.entry_title(b),
                int(total),
                ctx.count(ab),
                ctx.count(ba),
                f"{conf / total:.2f}",
                advice,
            ]
        )
        if both and not findings:
            findings.append(
                f"“{ctx.entry_title(a)}” and “{ctx.entry_title(b)}” compete for the same "
                f"questions ({int(total):,} times, each winning sometimes): merge them or make "
                "each say when to use the other."
            )
    table = Table(
        "entries_competing",
        "Possible duplicates or contradictions: entries competing for the same questions",
        [
            "Entry A",
            "Entry B",
            "Questions",
            "A answered, B runner-up",
            "B answered, A runner-up",
            "Average confidence",
            "Suggestion",
        ],
        rows,
        note="Counts questions where one entry answered and the other was offered as the "
        "closest alternative.",
        empty=f"No pair of entries competed for {ctx.k} or more questions.",
    )
    return table, findings


def _not_asked(ctx: Context) -> Table:
    asked = {row.entry_id for row in ctx.data.cube if row.entry_id}
    offered: Counter = Counter()
    for _, alt, n, _ in ctx.data.pairs:
        offered[alt] += n
    for row in ctx.data.cube:
        if row.near:
            offered[row.near] += row.n
    entries = [e for e in ctx.pack.entries.values() if e.id not in asked] if ctx.pack else []
    rows = [
        [
            e.title,
            e.id,
            e.kind,
            ctx.topic_title(e.topic) if e.topic else "",
            ctx.count(offered[e.id]),
            e.reviewed.isoformat() if e.reviewed.year > 1 else "",
        ]
        for e in sorted(entries, key=lambda e: (e.kind, e.title.lower()))
    ]
    return Table(
        "entries_not_asked",
        f"Entries never given as an answer in this period ({len(rows)})",
        ["Entry", "Id", "Kind", "Topic", "Offered as an alternative", "Reviewed"],
        rows,
        note="Never asked may mean not needed, or hard to find: check the aliases and example "
        "questions of entries that are often offered as an alternative.",
        empty="Every entry in the pack answered at least one question.",
    )


def _review(ctx: Context) -> tuple[Table, list[str]]:
    if not ctx.pack:
        return Table("entries_review_due", "Entries past or near their review date", []), []
    asked: Counter = Counter()
    for row in ctx.data.cube:
        if row.entry_id:
            asked[row.entry_id] += row.n
    every = ctx.config.review_after_days
    soon = ctx.today + timedelta(days=DUE_SOON_DAYS)
    dated = [
        (e.reviewed + timedelta(days=every), e)
        for e in ctx.pack.entries.values()
        if e.reviewed.year > 1
    ]
    rows = []
    for due, e in sorted(dated, key=lambda d: (d[0], d[1].id)):
        if due > soon:
            continue
        late = (ctx.today - due).days
        status = f"overdue by {late} days" if late > 0 else f"due in {-late} days"
        rows.append(
            [
                e.title,
                e.id,
                e.kind,
                e.reviewed.isoformat(),
                due.isoformat(),
                status,
                ctx.count(asked[e.id]),
            ]
        )
    overdue = [r for r in rows if r[5].startswith("overdue")]
    findings = []
    if overdue:
        findings.append(
            f"{len(overdue)} entr{'y is' if len(overdue) == 1 else 'ies are'} past "
            f"the review date; the oldest is “{overdue[0][0]}” "
            f"(reviewed {overdue[0][3]})."
        )
    nxt = min(dated, key=lambda d: d[0], default=None)
    empty = "No entry is past or near its review date" + (
        f"; the next is due on {nxt[0]:%d %b %Y} (“{nxt[1].title}”)." if nxt else "."
    )
    table = Table(
        "entries_review_due",
        "Entries past or near their review date",
        ["Entry", "Id", "Kind", "Reviewed", "Review due", "Status", "Questions this period"],
        rows,
        show=None if len(rows) <= 15 else 15,
        note=f"Review every {every} days (config `review_after_days`); due within "
        f"{DUE_SOON_DAYS} days are listed too.",
        empty=empty,
    )
    return table, findings


def build(ctx: Context) -> Section:
    section = Section("content", "Content to fix", TELLS_YOU)
    for make in (_feedback, _competing):
        table, findings = make(ctx)
        section.blocks.append(table)
        section.findings += findings
    section.blocks.append(_not_asked(ctx))
    table, findings = _review(ctx)
    section.blocks.append(table)
    section.findings += findings
    return section
