"""Question text cannot break or weaponise a report: chart labels are never interpreted
(matplotlib's mathtext would choke on `$_$`), and no CSV cell from the reports or
`log export` can start a spreadsheet formula (OWASP's CSV-injection rule)."""

from __future__ import annotations

import base64
import csv
import io
import re

from bot.reports import build_report
from tests.conftest import MINI, run_cli
from tests.reports.conftest import FROM, TO, LogBuilder, read_csv

# Each asked by five people (k = 5), so each is a gap the report names and quotes.
MATHS = "what does $_$ mean in the threshold document"
FORMULAS = (
    '=HYPERLINK("http://evil.example/","read me") what level is this',
    "@SUM(1+1)*cmd|' /C calc'!A0 is this level 3",
    "+1+1 what happens at a strategy discussion",
    "-2+3 what is the MASH for",
    "\t=1+1 who chairs an ICPC",
)
FORMULA_START = re.compile(r"^[=+\-@\t\r]")


def make_log(path, config) -> None:
    log = LogBuilder(path, config)
    for n, question in enumerate((MATHS, *FORMULAS)):
        log.add(
            5,
            day=FROM,
            agency="education-primary",
            askers=5,
            kind="no_answer",
            question=question,
            confidence=0.1 + n / 100,
        )
    log.add(10, day=FROM, agency="health-gp", askers=5, entry_id="nfa", topic="terms")
    log.save()


def svg_texts(html: str) -> str:
    return "".join(
        base64.b64decode(b).decode("utf-8")
        for b in re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', html)
    )


def test_dollar_signs_are_drawn_as_typed_not_parsed(tmp_path, config, pack):
    make_log(tmp_path / "x.db", config)
    result = build_report(
        config,
        pack,
        date_from=FROM,
        date_to=TO,
        out_dir=tmp_path / "out",
        db_path=tmp_path / "x.db",
        today=TO,
    )
    html = result.html_path.read_text(encoding="utf-8")
    assert "What does $_$ mean in the threshold document?" in html
    assert "$_$" in svg_texts(html)  # the bar chart's label, as typed


def test_no_report_or_export_cell_starts_a_formula(tmp_path, config, pack):
    make_log(tmp_path / "x.db", config)
    result = build_report(
        config,
        pack,
        date_from=FROM,
        date_to=TO,
        out_dir=tmp_path / "out",
        db_path=tmp_path / "x.db",
        today=TO,
    )
    quoted = []
    for path in result.csv_paths:
        for record in read_csv(path):
            for column, cell in record.items():
                assert not FORMULA_START.match(cell or ""), f"{path.name}: {column} = {cell!r}"
                quoted += [cell] if cell.startswith("'") else []
    assert any(cell.startswith("'=HYPERLINK") for cell in quoted)  # neutralised, not dropped
    assert any(cell.startswith("'@SUM") for cell in quoted)

    env = {"RHRT_DB": str(tmp_path / "x.db"), "RHRT_KNOWLEDGE": str(MINI)}
    exported = run_cli("log", "export", "--csv", "-", env=env)
    assert exported.returncode == 0, exported.stderr
    rows = list(csv.reader(io.StringIO(exported.stdout)))
    for row in rows:
        for cell in row:
            assert not FORMULA_START.match(cell), cell
    questions = {row[4] for row in rows[1:]}
    assert {"'" + q for q in FORMULAS} <= questions  # every one given, each made inert
