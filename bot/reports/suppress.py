"""Small-number suppression, so no table, chart or CSV can point at an individual.

k-anonymity is over people, not questions: a count is shown only when it is at least k
(config `min_cell_count`, default 5) and at least k distinct askers stand behind it, else it
is shown as "<k"; a rate is shown only when what it is a rate of passes the same test. Zero
stays zero: it identifies nobody. Counts carry their askers as a Tally.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice

Cell = int | float | str | None
PEOPLE_CAP = 100  # askers a count remembers by default: "at least k" needs only k


class Tally(int):
    """A count that knows the askers behind it: up to `cap` of them (the report's k), which
    is all a test of "at least k people" needs and keeps sums cheap. Adds like an int,
    joining the askers, so the sections' Counters and sums carry them without knowing."""

    people: frozenset[int]
    cap: int

    def __new__(cls, n: int = 0, people: Iterable[int] = (), cap: int = PEOPLE_CAP) -> Tally:
        obj = super().__new__(cls, n)
        if isinstance(people, set | frozenset) and len(people) > cap:
            people = frozenset(islice(people, cap))  # a big set: no copy of all of it first
        elif not isinstance(people, frozenset):
            people = frozenset(people)
            if len(people) > cap:
                people = frozenset(islice(people, cap))
        obj.people, obj.cap = people, cap
        return obj

    def __add__(self, other):
        # The hot path of every sum in a report: no int() conversions, no helper calls.
        if other.__class__ is Tally:
            a, b = self.people, other.people
            cap = self.cap if self.cap < other.cap else other.cap
            if len(a) >= cap or not b or b <= a:
                people = a  # already enough people (or nobody new): no set work
            elif len(b) >= cap or not a:
                people = b
            else:
                people = a | b
                if len(people) > cap:
                    people = frozenset(islice(people, cap))
            obj = _new_int(Tally, _add_int(self, other))
            obj.people, obj.cap = people, cap
            return obj
        if other.__class__ is int:
            if not other:
                return self
            obj = _new_int(Tally, _add_int(self, other))
            obj.people, obj.cap = self.people, self.cap
            return obj
        if isinstance(other, Tally):  # a subclass: as a Tally
            return self + _tally(int(other), other.people, other.cap)
        return NotImplemented

    __radd__ = __add__

    def __str__(self) -> str:
        return int.__repr__(self)  # in a table or CSV cell: the number

    def __repr__(self) -> str:
        return f"Tally({int(self)}, {len(self.people)} people)"


_new_int, _add_int = int.__new__, int.__add__


def _tally(n: int, people: frozenset, cap: int) -> Tally:
    """A Tally from parts already checked (the hot path of every sum)."""
    obj = int.__new__(Tally, n)
    obj.people, obj.cap = people, cap
    return obj


def people_of(n) -> int | None:
    """How many askers stand behind `n` (None for a plain number, which carries none)."""
    found = getattr(n, "people", None)
    return None if found is None else len(found)


def visible(n: int | None, k: int) -> bool:
    """May this count be shown as a number (and may examples be drawn from it)? Only when
    it is at least k and, for a Tally, at least k people stand behind it."""
    if not n or n < k:
        return False
    behind = people_of(n)
    return behind is None or behind >= min(k, getattr(n, "cap", k))


def count(n: int | None, k: int) -> int | str:
    """A count as it may be published: the number, or "<k" (fewer than k questions, or
    fewer than k people behind them)."""
    if not n:
        return 0
    return int(n) if visible(n, k) else f"<{k}"


def rate(part: int, whole: int, k: int, digits: int = 0) -> str:
    """`part` as a percentage of `whole`, or "–" when `whole` cannot be shown."""
    if whole <= 0 or not visible(whole, k):
        return "–"
    return f"{100 * part / whole:.{digits}f}%"


def is_suppressed(value: Cell) -> bool:
    return isinstance(value, str) and value.startswith("<")


def number(value: Cell) -> str:
    """A cell for display: thousands separators for counts, everything else as is."""
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)
