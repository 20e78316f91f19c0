"""The report as one self-contained HTML file: inline CSS, charts as data URIs, A4 print rules."""

from __future__ import annotations

from datetime import datetime

from jinja2 import Environment

from .model import Section
from .suppress import number

CSS = """
:root { --ink:#1d2733; --muted:#5d6b78; --line:#dde3ea; --soft:#f4f7fa; --brand:#1f5f8b;
  --warm:#e07b39; --good:#2e7d5b; --bad:#b23b3b; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: #fff; font: 14px/1.45 "Segoe UI", "Helvetica Neue",
  Arial, "Liberation Sans", "DejaVu Sans", sans-serif; }
main { max-width: 1080px; margin: 0 auto; padding: 0 28px 40px; }
header.mast { background: var(--brand); color: #fff; padding: 26px 0 22px; }
header.mast .in { max-width: 1080px; margin: 0 auto; padding: 0 28px; }
.kicker { text-transform: uppercase; letter-spacing: .08em; font-size: 12px; opacity: .85; }
h1 { font-size: 26px; margin: 6px 0 6px; font-weight: 650; }
.meta { margin: 0; font-size: 13px; opacity: .9; }
.banner { margin: 18px 0 0; padding: 10px 14px; border-left: 4px solid var(--warm);
  background: #fdf3ea; }
.act { margin: 22px 0 8px; padding: 16px 20px 10px; background: var(--soft);
  border: 1px solid var(--line); border-radius: 6px; }
.act h2 { margin: 0 0 8px; font-size: 17px; border: 0; padding: 0; }
.act ol { margin: 0; padding-left: 22px; }
.act li { margin: 0 0 7px; }
.act .where { color: var(--muted); font-size: 12px; white-space: nowrap; }
nav.toc { margin: 14px 0 4px; font-size: 13px; color: var(--muted); }
nav.toc a { color: var(--brand); text-decoration: none; margin-right: 14px; white-space: nowrap; }
details.part { margin-top: 22px; }
details.part > summary { cursor: pointer; list-style: none; }
details.part > summary::-webkit-details-marker { display: none; }
details.part > summary h2::before { content: "+ "; color: var(--brand); }
details.part[open] > summary h2::before { content: "− "; }
.peek { display: block; color: var(--muted); font-size: 13px; margin: 2px 0 0; }
details.part[open] .peek { display: none; }
h2 { font-size: 20px; margin: 0 0 4px; padding-bottom: 6px; border-bottom: 2px solid var(--brand); }
.pg { position: absolute; opacity: 0; pointer-events: none; }
.pager { display: flex; flex-wrap: wrap; align-items: center; gap: 4px; margin: 4px 0;
  font-size: 12px; color: var(--muted); }
.pager label { padding: 1px 8px; border: 1px solid var(--line); border-radius: 4px;
  cursor: pointer; color: var(--ink); }
.pager label[for$="-0"] { background: var(--brand); color: #fff; }
.paged:has(.pager) + .more { display: none; }
tbody tr[data-page]:not([data-page="0"]) { display: none; }
.tells { margin: 6px 0 14px; color: var(--muted); }
.tells b { color: var(--ink); }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); gap: 10px;
  margin: 0 0 14px; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; }
.card .label { font-size: 12px; color: var(--muted); text-transform: uppercase;
  letter-spacing: .04em; }
.card .value { font-size: 26px; font-weight: 650; margin: 2px 0; }
.card .change { font-size: 12px; color: var(--muted); }
.card .up { color: var(--good); } .card .down { color: var(--bad); }
ul.findings { margin: 0 0 14px; padding-left: 20px; }
ul.findings li { margin-bottom: 4px; }
figure { margin: 6px 0 16px; }
figure img { display: block; width: 100%; max-width: 100%; height: auto; }
figcaption, .caption { font-weight: 600; margin: 14px 0 6px; font-size: 14px; }
.csv { font-weight: 400; color: var(--muted); font-size: 12px; margin-left: 6px; }
table { border-collapse: collapse; width: 100%; font-size: 12.5px; margin: 0 0 4px; }
th, td { padding: 5px 7px; border-bottom: 1px solid var(--line); text-align: left;
  vertical-align: top; }
th { background: var(--soft); font-weight: 600; font-size: 12px; }
td { white-space: pre-line; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; width: 1%; }
td.n { white-space: nowrap; }
tr.sub td { font-style: italic; color: var(--muted); }
tbody tr:nth-child(even) td { background: #fbfcfd; }
.note, .more, .empty { color: var(--muted); font-size: 12px; margin: 4px 0 12px; }
footer { margin-top: 36px; padding-top: 12px; border-top: 1px solid var(--line);
  color: var(--muted); font-size: 12px; }
footer h3 { font-size: 13px; color: var(--ink); margin: 0 0 4px; }
footer p { margin: 0 0 6px; }
@page { size: A4; margin: 14mm 12mm 16mm; }
@media print {
  body { font-size: 10.5pt; }
  header.mast { background: none; color: var(--ink); padding: 0 0 8px;
    border-bottom: 2px solid var(--brand); }
  header.mast .in, main { padding: 0; max-width: none; }
  nav.toc { display: none; }
  .cards { grid-template-columns: repeat(4, 1fr); }
  .card .value { font-size: 18pt; }
  details.part { margin-top: 14px; }
  details.part > summary h2::before { content: ""; }
  .peek, .pager { display: none !important; }
  .paged:has(.pager) + .more { display: block; }
  tbody tr[data-page]:not([data-page="0"]) { display: none !important; }
  tbody tr[data-page="0"] { display: table-row !important; }
  /* Closed sections print open (Chromium, Edge, Safari; elsewhere open them first). */
  details::details-content { content-visibility: visible; display: contents; }
  figure img { max-width: 180mm; }
  h2, figcaption, .caption { break-after: avoid; }
  figure, .card, tr, .act { break-inside: avoid; }
  thead { display: table-header-group; }
  table { font-size: 8.5pt; }
  a { color: inherit; text-decoration: none; }
}
"""

MAX_PAGES = 20  # a table pages through at most this many screens; the CSV has every row


def pager_css(sections: list[Section]) -> str:
    """No-script paging: each long table has one radio button per page; the checked one
    shows its rows (and marks its label). Printing shows the first page and the CSV note."""
    rules = []
    for section in sections:
        for t in section.tables:
            if not t.show or len(t.rows) <= t.show:
                continue
            for page in range(1, min(MAX_PAGES, -(-len(t.rows) // t.show))):
                box = f"#pg-{t.name}-{page}:checked"
                rules.append(
                    f'{box} ~ table tr[data-page="{page}"] {{ display: table-row; }}\n'
                    f'{box} ~ table tr[data-page="0"] {{ display: none; }}\n'
                    f'{box} ~ .pager label[for="pg-{t.name}-{page}"] {{ background: var(--brand); '
                    "color: #fff; }\n"
                    f'{box} ~ .pager label[for="pg-{t.name}-0"] {{ background: #fff; '
                    "color: var(--ink); }"
                )
    return "\n".join(rules)


TEMPLATE = """<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }} — {{ period }}</title>
<style>{{ css|safe }}</style>
</head>
<body>
<header class="mast"><div class="in">
  <div class="kicker">{{ partnership }} · board-office report · confidential</div>
  <h1>{{ title }}</h1>
  <p class="meta">{{ period }} · {{ who }} · compared with {{ previous }}<br>
  Generated {{ generated }} from the query log, knowledge pack {{ pack }}</p>
</div></header>
<main>
{% for warning in warnings %}<p class="banner">{{ warning }}</p>{% endfor %}
{% if actions %}
<div class="act"><h2>Act on these</h2><ol>
{% for text, section in actions %}
<li>{{ text }}
  <a class="where" href="#{{ section.id }}">→ {{ section.title }}</a></li>
{% endfor %}
</ol></div>
{% endif %}
<nav class="toc">
{% for s in sections %}<a href="#{{ s.id }}">{{ loop.index }}. {{ s.title }}</a>{% endfor %}
</nav>
{% for s in sections %}
<details class="part" id="{{ s.id }}"{{ ' open'|safe if loop.first }}>
<summary><h2>{{ loop.index }}. {{ s.title }}</h2>
{% if s.findings and not loop.first %}<span class="peek">{{ s.findings[0] }}</span>{% endif %}
</summary>
<p class="tells"><b>What this tells you:</b> {{ s.tells_you }}</p>
{% if s.cards %}
<div class="cards">
{% for c in s.cards %}
<div class="card"><div class="label">{{ c.label }}</div><div class="value">{{ c.value }}</div>
<div class="change {{ c.trend }}">{{ c.change }}</div></div>
{% endfor %}
</div>
{% endif %}
{% if s.findings %}
<ul class="findings">{% for f in s.findings %}<li>{{ f }}</li>{% endfor %}</ul>
{% endif %}
{% for b in s.blocks %}
{% if b.data_uri is defined %}
<figure><figcaption>{{ b.title }}</figcaption>
<img src="{{ b.data_uri }}" alt="{{ b.alt }}"></figure>
{% elif b.show == 0 %}
<p class="note">Full table “{{ b.title }}”: <b>{{ b.csv_name }}</b>
({{ b.rows|length }} rows).</p>
{% else %}
<div class="caption">{{ b.title }} <span class="csv">{{ b.csv_name }}</span></div>
{% if b.rows %}
{% set num = b.numeric_columns() %}
{% set pages = [((b.rows|length + b.show - 1) // b.show) if b.show else 1, max_pages]|min %}
<div class="paged">
{% if pages > 1 %}{% for p in range(pages) %}<input type="radio" class="pg" name="pg-{{ b.name }}"
 id="pg-{{ b.name }}-{{ p }}"{{ ' checked'|safe if p == 0 }}>{% endfor %}{% endif %}
<table id="t-{{ b.name }}"><thead><tr>
{% for c in b.columns %}<th{{ ' class="n"'|safe if loop.index0 in num }}>{{ c }}</th>{% endfor %}
</tr></thead>
<tbody>
{% for row in (b.rows[:b.show * pages] if b.show else b.rows) %}
<tr data-page="{{ (loop.index0 // b.show) if b.show else 0 }}"
{{- ' class="sub"'|safe if row[1] is string and '(subtotal)' in row[1] }}>
{%- for cell in row %}<td{{ ' class="n"'|safe if loop.index0 in num }}>{{ fmt(cell) }}</td>
{%- endfor %}</tr>
{% endfor %}
</tbody></table>
{% if pages > 1 %}
<div class="pager">{{ b.rows|length }} rows, {{ b.show }} a page:
{% for p in range(pages) %}<label for="pg-{{ b.name }}-{{ p }}">{{ p + 1 }}</label>{% endfor %}
{% if b.rows|length > b.show * pages %} · the rest in {{ b.csv_name }}{% endif %}</div>
{% endif %}
</div>
{% if b.show and b.rows|length > b.show %}
<p class="more">… {{ b.rows|length - b.show }} more row(s) in {{ b.csv_name }}.</p>
{% endif %}
{% if b.note %}<p class="note">{{ b.note }}</p>{% endif %}
{% else %}
<p class="empty">{{ b.empty }}</p>
{% endif %}
{% endif %}
{% endfor %}
</details>
{% endfor %}
<footer>
<h3>How to read this report</h3>
{% for note in notes %}<p>{{ note }}</p>{% endfor %}
</footer>
</main>
</body>
</html>
"""


def render(
    *,
    sections: list[Section],
    actions: list[tuple[str, Section]],
    meta: dict,
    notes: list[str],
    warnings: list[str],
) -> str:
    env = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    template = env.from_string(TEMPLATE)
    return template.render(
        css=CSS + pager_css(sections),
        sections=sections,
        actions=actions,
        notes=notes,
        warnings=warnings,
        fmt=number,
        max_pages=MAX_PAGES,
        **meta,
    )


def generated_at(moment: datetime) -> str:
    return f"{moment:%d %b %Y %H:%M} UTC"
