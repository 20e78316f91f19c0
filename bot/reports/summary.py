"""Summary: the period's headline numbers and how they changed since the period before."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from . import charts
from .model import Card, Context, Section
from .periods import previous_name
from .scope import week_start
from .suppress import visible
from .tables import Table

TELLS_YOU = (
    "How much the bot was used, how often it could help, and whether that is going up or "
    "down — the context for every section below."
)


def totals(ctx: Context) -> dict[str, int]:
    """Counts for the period from the aggregated log (before any suppression); made once
    per report."""
    cached = getattr(ctx, "_totals", None)
    if cached is not None:
        return cached
    t: dict[str, int] = defaultdict(int)
    for row in ctx.data.cube:
        t["questions"] += row.n
        t["answered"] += row.answered
        t["emergencies"] += row.emergencies
        t["help"] += row.n if row.kind == "help" else 0
        t["asked"] += row.n if row.kind != "help" else 0
        t["no_answer"] += row.n if row.kind == "no_answer" else 0
        t["low"] += row.n if row.low else 0
        t["threshold"] += row.n if row.threshold else 0
    t["gaps"] = t["no_answer"] + t["low"]
    for fb in ctx.data.feedback:
        t["rated"] += fb.n
        t["helpful"] += fb.n if fb.helpful else 0
        t["disagreements"] += fb.n if fb.disagreement else 0
    t["askers"] = ctx.data.distinct_askers
    t["agencies"] = sum(1 for n in ctx.data.askers_by_agency.values() if n)
    ctx._totals = t
    return t  # a defaultdict: a measure with no rows reads as 0


def _change(now: int, before: int, k: int, days: int | str) -> tuple[str, int]:
    """("▲ 12% on the previous quarter", +1/-1/0), or ("", 0) when either count cannot be
    shown (under k, or fewer than k people behind it). `days` is a length in days or how the
    period before reads."""
    if not visible(before, k) or not visible(now, k):
        return ("no earlier data to compare" if not before else ""), 0
    pct = 100 * (now - before) / before
    way = 1 if pct > 0.5 else -1 if pct < -0.5 else 0
    before_text = days if isinstance(days, str) else f"the previous {days} days"
    return f"{'■▲▼'[way]} {abs(pct):.0f}% on {before_text}", way


def _rate_change(part: int, whole: int, part0: int, whole0: int, k: int) -> tuple[str, int]:
    if not visible(whole, k) or not visible(whole0, k):
        return "", 0
    pts = 100 * (part / whole - part0 / whole0)
    way = 1 if pts > 0.05 else -1 if pts < -0.05 else 0
    return f"{'■▲▼'[way]} {abs(pts):.1f} pts on the previous period", way


def _trend(way: int, good: int) -> str:
    """CSS class: is this change good news (`good` is the direction that is)?"""
    return "" if not way or not good else ("up" if way == good else "down")


def headline(ctx: Context) -> dict[str, int | str | float | None]:
    """The headline numbers, suppressed: counts as int (or "<k"), rates 0-1 (or None)."""
    t = totals(ctx)
    asked = t["asked"]
    return {
        "questions": ctx.count(t.get("questions", 0)),
        "askers": ctx.count(t.get("askers", 0)),
        "answered_rate": round(t["answered"] / asked, 3) if ctx.shown(asked) else None,
        "helpful_rate": round(t["helpful"] / t["rated"], 3) if ctx.shown(t["rated"]) else None,
        "emergencies": ctx.count(t.get("emergencies", 0)),
        "threshold_questions": ctx.count(t.get("threshold", 0)),
        "gaps": ctx.count(t.get("gaps", 0)),
        "disagreements": ctx.count(t.get("disagreements", 0)),
        "previous_questions": ctx.count(ctx.data.previous.get("questions", 0)),
    }


def _cards(ctx: Context, t: dict[str, int]) -> list[Card]:
    p, k, days = ctx.data.previous, ctx.k, previous_name(ctx.scope)
    asked, asked0 = t["asked"], p.get("questions", 0) - p.get("help", 0)

    def card(label: str, key: str, good: int = 0, note: str = "") -> Card:
        change, way = _change(t[key], p.get(key, 0), k, days)
        return Card(label, _shown(ctx.count(t[key])), change or note, _trend(way, good))

    answered, way_a = _rate_change(t["answered"], asked, p.get("answered", 0), asked0, k)
    helpful, way_h = _rate_change(
        t["helpful"], t["rated"], p.get("helpful", 0), p.get("rated", 0), k
    )
    return [
        card("Questions", "questions", +1),
        card("People asking", "askers", +1),
        Card("Answered", ctx.rate(t["answered"], asked), answered, _trend(way_a, +1)),
        Card(
            "Rated helpful",
            ctx.rate(t["helpful"], t["rated"]),
            helpful or f"{_shown(ctx.count(t['rated']))} ratings",
            _trend(way_h, +1),
        ),
        card("Agencies asking", "agencies", note=f"{_shown(ctx.count(t['askers']))} people"),
        card("Emergencies flagged", "emergencies"),
        card("Threshold questions", "threshold"),
        card("Unanswered or low-confidence", "gaps", -1),
    ]


def _shown(value: int | str) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value)


def weekly_volume(ctx: Context) -> tuple[list[date], dict[date, int], dict[date, int]]:
    questions: dict[date, int] = defaultdict(int)
    gaps: dict[date, int] = defaultdict(int)
    for day, _topic, n, g in ctx.data.days:
        week = week_start(date.fromisoformat(day))
        questions[week] += n
        gaps[week] += g
    first, last = week_start(ctx.scope.date_from), week_start(ctx.scope.date_to)
    weeks = [first + timedelta(weeks=i) for i in range((last - first).days // 7 + 1)]
    return weeks, questions, gaps


def build(ctx: Context) -> Section:
    t = totals(ctx)
    section = Section("summary", "Summary", TELLS_YOU, cards=_cards(ctx, t))
    p = ctx.data.previous
    rows = [
        ["Questions", ctx.count(t["questions"]), ctx.count(p.get("questions", 0))],
        ["People asking (distinct)", ctx.count(t["askers"]), ctx.count(p.get("askers", 0))],
        ["Answered", ctx.count(t["answered"]), ctx.count(p.get("answered", 0))],
        ["Unanswered or low-confidence", ctx.count(t["gaps"]), ctx.count(p.get("gaps", 0))],
        ["Threshold questions", ctx.count(t["threshold"]), ctx.count(p.get("threshold", 0))],
        ["Emergencies flagged", ctx.count(t["emergencies"]), ctx.count(p.get("emergencies", 0))],
        ["Ratings", ctx.count(t["rated"]), ctx.count(p.get("rated", 0))],
        ["Rated helpful", ctx.count(t["helpful"]), ctx.count(p.get("helpful", 0))],
    ]
    previous = ctx.scope.previous()
    table = Table(
        "summary",
        f"This period ({ctx.scope.label()}) and the one before ({previous.label()})",
        ["Measure", "This period", "Previous period"],
        rows,
        show=None,
    )
    weeks, questions, gaps = weekly_volume(ctx)
    full = [w for w in weeks if not ctx.scope.partial_week(w)][-26:]
    if (
        len(full) >= 2
        and sum(questions[w] for w in full)
        and all(not questions[w] or ctx.shown(questions[w]) for w in full)
        and all(not gaps[w] or ctx.shown(gaps[w]) for w in full)
    ):
        section.blocks.append(
            charts.columns(
                [f"{w:%d %b}" for w in full],
                {
                    "Answered": [max(0, questions[w] - gaps[w]) for w in full],
                    "Unanswered or low-confidence": [gaps[w] for w in full],
                },
                title="Questions per full week (week commencing)"
                + (" — the last 26 weeks" if len(full) == 26 else ""),
                alt="Questions per week, answered and unanswered",
            )
        )
    section.blocks.append(table)
    return section


def slack_text(ctx: Context, findings: list[str]) -> str:
    """A few lines for Slack (mrkdwn): the numbers and the top things to act on."""
    t, h = totals(ctx), headline(ctx)
    who = (
        ctx.agency_name(ctx.scope.agency)
        if ctx.scope.agency
        else (f"{ctx.scope.sector} sector" if ctx.scope.sector else "all agencies")
    )
    change, _ = _change(
        t["questions"], ctx.data.previous.get("questions", 0), ctx.k, previous_name(ctx.scope)
    )
    lines = [
        f"*Board-office report, {ctx.scope.label()}* ({who})",
        f"• {_shown(h['questions'])} questions from {_shown(h['askers'])} people"
        + (f" ({change})" if change else ""),
    ]
    rates = []
    if h["answered_rate"] is not None:
        rates.append(f"{h['answered_rate']:.0%} answered")
    if h["helpful_rate"] is not None:
        rates.append(f"{h['helpful_rate']:.0%} of ratings helpful")
    rates.append(f"{_shown(h['emergencies'])} emergencies flagged")
    lines.append("• " + " · ".join(rates))
    lines += [f"• {f}" for f in findings[:3]]
    return "\n".join(lines)
