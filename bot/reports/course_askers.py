"""Who stands behind a training suggestion: distinct askers per agency and course.

A course is suggested to an agency only when at least k different people from that agency
asked about what it covers (k = `min_cell_count`), so one person's many questions never make
a recommendation; "unknown", "other" and the small agencies reported together get none.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict

from . import data, rollup_read
from .data import NEAR_SQL, areas_of
from .model import FEW, Context

NO_SUGGESTIONS = frozenset({FEW, "unknown", "other"})


def course_askers(ctx: Context) -> dict[tuple[str, str], int]:
    """(agency, course id) -> distinct askers in the period whose questions it covers. Read
    once per report (the training section and the board summary both use it)."""
    if "course_askers" not in ctx._cache:
        ctx._cache["course_askers"] = _course_askers(ctx)
    return ctx._cache["course_askers"]


def _course_askers(ctx: Context) -> dict[tuple[str, str], int]:
    from .training import Need, _covers, _subject

    if ctx.db_path is None or ctx.pack is None:
        return {}
    if ctx.rollup is not None:
        sql, params = rollup_read.course_askers(ctx.scope, ctx.rollup)
    else:
        where, params = ctx.scope.where()
        sql = (
            f"select coalesce(agency, 'unknown'), coalesce(entry_id, {NEAR_SQL}), topic, "
            f"areas, group_concat(distinct asker) from queries where {where} and "
            "kind != 'help' and asker is not null group by 1, 2, 3, 4"
        )
    conn = data.connect(ctx.db_path)
    try:
        rows = conn.execute(sql, params).fetchall()
    except sqlite3.Error:
        rows = []
    finally:
        conn.close()
    courses = list(ctx.pack.courses.values())
    people: dict[tuple[str, str], set[str]] = defaultdict(set)
    covered: dict[tuple, list[str]] = {}
    for agency, entry_id, topic, areas, askers in rows:
        key = (entry_id, topic, areas)
        if key not in covered:
            need = Need(*_subject(ctx, entry_id, topic, areas_of(areas)))
            covered[key] = [c.id for c in courses if _covers(c, need)]
        if covered[key] and askers:
            who = set(askers.split(","))  # months repeat people: once each, then per course
            for course_id in covered[key]:
                people[(agency, course_id)].update(who)
    return {key: len(who) for key, who in people.items()}


def eligible(ctx: Context, askers: dict[tuple[str, str], int], agency: str, course_id: str) -> bool:
    """May this course be suggested to this agency?"""
    if agency in NO_SUGGESTIONS:
        return False
    return askers.get((agency, course_id), 0) >= ctx.k
