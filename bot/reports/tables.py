"""Tables: what the HTML shows and what each CSV holds (the same suppressed cells)."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from .suppress import Cell


@dataclass
class Table:
    name: str  # the CSV's file name without `.csv`
    title: str
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    note: str = ""
    show: int | None = 12  # rows shown in the HTML (the CSV has them all); None = all
    empty: str = "Nothing to show for this period."

    @property
    def csv_name(self) -> str:
        return f"{self.name}.csv"

    def numeric_columns(self) -> set[int]:
        """Columns whose every cell is a count, a suppressed count or a percentage."""
        found = set()
        for i in range(len(self.columns)):
            cells = [row[i] for row in self.rows if i < len(row) and row[i] not in ("", None)]
            if cells and all(_looks_numeric(c) for c in cells):
                found.add(i)
        return found


_NUMERIC = re.compile(r"^(<\d+|–|[+\-−]?\d[\d,]*(\.\d+)?\s?(%|pts)?|[+\-−]?\d+(\.\d+)? pts)$")


def _looks_numeric(cell: Cell) -> bool:
    if isinstance(cell, bool):
        return False
    return isinstance(cell, (int, float)) or bool(_NUMERIC.match(str(cell)))


def write_csv(table: Table, folder: Path) -> Path:
    """Write every row of `table` to FOLDER/NAME.csv (UTF-8 with BOM, so Excel reads it);
    no cell can start a spreadsheet formula (safe_cell)."""
    from ..logexport import safe_cell

    path = Path(folder) / table.csv_name
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow([safe_cell(c) for c in table.columns])
        writer.writerows([safe_cell("" if c is None else c) for c in row] for row in table.rows)
    return path
