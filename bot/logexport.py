"""`python -m bot log export`: the log as CSV for the board office, under the reports' rule.

- Times are rounded down to the hour, so a row cannot be matched to a message.
- Agencies with fewer than k (`min_cell_count`) distinct askers in the export are reported
  together, as in the reports.
- Question text is given only when k or more distinct askers asked it in the same words
  (the same wording key the reports cluster on) and each of its telling words was used by k
  or more askers; otherwise the cell says it was withheld. `--all-text` gives every row's
  (redacted) text: it is for an admin who needs it, says so on stderr, and is recorded.
- Every export is recorded in the log's `exports` table (when, by which account, what).
- No cell can act as a spreadsheet formula (see `safe_cell`).
"""

from __future__ import annotations

import csv
import getpass
from collections import defaultdict
from datetime import UTC, datetime
from typing import IO

from .reports.clusters import Normaliser, public_words, telling_words

COLUMNS = (
    "hour",
    "surface",
    "agency",
    "sector",
    "question",
    "kind",
    "entry_id",
    "topic",
    "level",
    "emergency",
    "confidence",
    "answered",
    "pack_version",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FEW_AGENCY = "other (fewer than {k} askers each)"
WITHHELD = "(withheld: fewer than {k} people asked it in these words)"


def safe_cell(value):
    """OWASP's CSV-injection rule: a text cell that starts with =, +, -, @, a tab or a
    carriage return gets a leading apostrophe, so a spreadsheet shows it and never runs it.
    Numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(handle: IO[str], columns, rows) -> None:
    writer = csv.writer(handle)
    writer.writerow([safe_cell(c) for c in columns])
    writer.writerows([safe_cell(c) for c in row] for row in rows)


def export(db, config, pack, *, date_from=None, date_to=None, all_text=False) -> list[list]:
    """The rows to export (hour, surface, agency, …), with the rule above applied."""
    where, params = [], []
    if date_from:
        where.append("day >= ?")
        params.append(date_from)
    if date_to:
        where.append("day <= ?")
        params.append(date_to)
    sql = (
        "select ts, surface, agency, sector, question, kind, entry_id, topic, level, "
        "emergency, confidence, answered, pack_version, asker from queries"
    )
    if where:
        sql += " where " + " and ".join(where)
    rows = db.execute(sql + " order by ts", params).fetchall()
    k = max(1, int(config.min_cell_count))
    shown = (lambda _q: True) if all_text else _quotable(rows, k, pack)
    people: dict[str, set] = defaultdict(set)
    for row in rows:
        people[row[2] or "unknown"].add(row[13])
    out = []
    for ts, surface, agency, sector, question, *rest, _asker in rows:
        agency = agency or "unknown"
        if len(people[agency]) < k:
            agency, sector = FEW_AGENCY.format(k=k), "other"
        if question is not None and not shown(question):
            question = WITHHELD.format(k=k)
        out.append([_hour(ts), surface, agency, sector, question, *rest])
    return out


def _quotable(rows, k: int, pack):
    """question -> may it be exported: k askers asked it in these words, each telling word
    of which k askers used."""
    normalise = Normaliser(pack)
    public = public_words(pack)
    by_key: dict[str, set] = defaultdict(set)
    by_word: dict[str, set] = defaultdict(set)
    keys: dict[str, str] = {}
    for row in rows:
        question, asker = row[4], row[13]
        if question is None:
            continue
        key = keys.get(question)
        if key is None:
            key = keys[question] = normalise(question) or question.lower().strip()
        by_key[key].add(asker)
        for word in telling_words(question, public):
            by_word[word].add(asker)

    def quotable(question: str) -> bool:
        return len(by_key[keys[question]]) >= k and all(
            len(by_word[w]) >= k for w in telling_words(question, public)
        )

    return quotable


def _hour(ts: str | None) -> str | None:
    """ "2026-03-02T10:37:12.123456Z" -> "2026-03-02T10:00Z"."""
    return f"{ts[:13]}:00Z" if ts and len(ts) >= 13 else ts


def record_export(db, *, rows: int, date_from, date_to, all_text: bool) -> None:
    """Note the export in the log itself: who (this machine's account), when, what."""
    try:
        who = getpass.getuser()
    except (KeyError, OSError):
        who = "unknown"
    with db.conn:
        db["exports"].insert(
            {
                "ts": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "account": who,
                "date_from": date_from,
                "date_to": date_to,
                "rows": rows,
                "all_text": int(all_text),
            }
        )
