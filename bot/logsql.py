"""What the query log's columns mean to the reports, as SQL: low-confidence, gap, the entry
offered instead, a topic's label. One definition, used by the report's queries over the log
(bot/reports/data.py) and by the rollup that sums the log ahead of them (bot/rollup.py), so
the two can never disagree."""

from __future__ import annotations

LOW_CONFIDENCE = 0.6  # answered, but below this: a "low-confidence" answer (as the view)
LOW_MARGIN = 0.1  # ...or, with a config, within this of the line below which the bot declines
# "What level is this?": a triage answer, or one that led with emergency advice and a level.
THRESHOLD_SQL = "(kind = 'triage' or (kind = 'emergency' and level is not null))"
NO_ANSWER = "kind = 'no_answer'"
# For an unanswered question: the first alternative offered.
NEAR_SQL = (
    "case when entry_id is null and json_valid(alternatives) "
    "then json_extract(alternatives, '$[0]') end"
)
# For an answered one: the runner-up entry, when the alternatives name one.
RUNNER_UP_SQL = (
    "case when answered = 1 and entry_id is not null and alternatives like '[\"%' and "
    "json_valid(alternatives) then json_extract(alternatives, '$[0]') end"
)
# A question's topic for the report's day-by-day and trend tables.
LABEL_SQL = (
    "coalesce(topic, case kind when 'no_answer' then '(unanswered)' when 'help' then '(help)' "
    "else '(no topic)' end)"
)
# Confidence summed exactly: in thousandths (it is logged to three places), so sums made in
# any order, or from partial sums, are the same.
CONF_MILLI_SQL = "cast(round(confidence * 1000) as integer)"


def low_sql(low: float) -> str:
    return f"(answered = 1 and kind not in ('emergency', 'help') and confidence < {line(low)})"


def gap_sql(low: float) -> str:
    """Questions the bot could not answer, or answered with low confidence."""
    return f"(kind = 'no_answer' or {low_sql(low)})"


def line(low: float) -> str:
    """The low-confidence line as the SQL compares with it (and the rollup records it)."""
    return f"{low:.4f}"


def low_confidence_line(config) -> float:
    """Answers below this confidence count as low-confidence: just above the refusal line."""
    threshold = getattr(config, "confidence_threshold", None)
    if threshold is None:
        return LOW_CONFIDENCE
    return round(min(0.95, float(threshold) + LOW_MARGIN), 3)
