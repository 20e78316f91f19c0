"""The full report, shorter: sections fold (the summary starts open, printing opens them all),
long tables page through their rows without scripts, charts are drawn at print width, and
every character is in a standard font (no emoji)."""

from __future__ import annotations

import base64
import re

from matplotlib import font_manager
from matplotlib.ft2font import FT2Font

from bot.reports.model import Section
from bot.reports.render import render
from bot.reports.tables import Table


def test_sections_fold_and_only_the_summary_starts_open(report):
    html = report.html_path.read_text(encoding="utf-8")
    parts = re.findall(r'<details class="part" id="([a-z]+)"( open)?>', html)
    assert [p[0] for p in parts][:2] == ["summary", "who"] and len(parts) == 8
    assert [p[0] for p in parts if p[1]] == ["summary"]
    assert "details::details-content { content-visibility: visible" in html  # print opens
    assert not re.search(r"<(script|link)\b", html)


def test_long_tables_page_through_every_row_without_scripts():
    rows = [[f"row {i}", i] for i in range(40)]
    section = Section(
        "gaps", "Gaps", "tells", blocks=[Table("long", "Long", ["A", "N"], rows, show=15)]
    )
    html = render(sections=[section], actions=[], meta=META, notes=[], warnings=[])
    assert html.count('type="radio" class="pg" name="pg-long"') == 3
    assert "row 39" in html and 'data-page="2"' in html
    assert '#pg-long-2:checked ~ table tr[data-page="2"] { display: table-row; }' in html
    assert "… 25 more row(s) in long.csv." in html  # what print (and no-CSS) readers see


META = {
    "title": "T",
    "partnership": "P",
    "period": "p",
    "who": "w",
    "previous": "q",
    "generated": "g",
    "pack": "k",
}


def _dejavu() -> set[int]:
    path = font_manager.findfont(font_manager.FontProperties(family="DejaVu Sans"))
    return set(FT2Font(path).get_charmap())


def test_every_character_renders_in_a_standard_font(report):
    html = report.html_path.read_text(encoding="utf-8")
    text = re.sub(r"data:image/svg\+xml;base64,[A-Za-z0-9+/=]+", "", html)
    covered = _dejavu()
    missing = sorted({ch for ch in text if ord(ch) > 127 and ord(ch) not in covered})
    assert missing == []


def test_charts_are_drawn_at_print_width(report):
    html = report.html_path.read_text(encoding="utf-8")
    svgs = [
        base64.b64decode(m).decode("utf-8")
        for m in re.findall(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)", html)
    ]
    assert svgs
    for svg in svgs:
        width = float(re.search(r'<svg[^>]*\bwidth="([\d.]+)pt"', svg).group(1))
        assert width <= 700  # an A4 column is ~530pt: 9pt chart text prints at 7pt or more
