"""Small-number suppression, so no table, chart or CSV can point at an individual.

Counts from 1 to k-1 are shown as "<k" (k is config `min_cell_count`, default 5); a rate is
shown only when what it is a rate of reaches k. Zero stays zero: it identifies nobody.
"""

from __future__ import annotations

Cell = int | float | str | None


def count(n: int | None, k: int) -> int | str:
    """A count as it may be published: the number, or "<k" for 1..k-1."""
    if not n:
        return 0
    return f"<{k}" if n < k else int(n)


def rate(part: int, whole: int, k: int, digits: int = 0) -> str:
    """`part` as a percentage of `whole`, or "–" when `whole` is under k."""
    if whole < k or whole <= 0:
        return "–"
    return f"{100 * part / whole:.{digits}f}%"


def is_suppressed(value: Cell) -> bool:
    return isinstance(value, str) and value.startswith("<")


def visible(n: int, k: int) -> bool:
    """May this count be shown as a number (and may examples be drawn from it)?"""
    return n >= k


def number(value: Cell) -> str:
    """A cell for display: thousands separators for counts, everything else as is."""
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)
