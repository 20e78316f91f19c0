"""The board summary as print-ready HTML: one A4 page, self-contained (inline CSS, the chart
as an SVG data URI), with the same content the PDF fitted on its page."""

from __future__ import annotations

from jinja2 import Environment

from .board import BoardSummary
from .board_pdf import partners_svg

CSS = """
@page { size: A4; margin: 12mm 13mm; }
* { box-sizing: border-box; }
body { margin: 0; color: #1d2733; background: #fff;
  font: 9pt/1.32 "DejaVu Sans", "Segoe UI", Arial, "Liberation Sans", sans-serif; }
.page { width: 184mm; min-height: 271mm; margin: 0 auto; display: flex;
  flex-direction: column; }
header { background: #1f5f8b; color: #fff; padding: 4mm 5mm 3.5mm; margin: 0 0 3mm;
  -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.kicker { font-size: 7.5pt; opacity: .9; }
h1 { font-size: 15.5pt; margin: 1mm 0; }
.meta { font-size: 8pt; }
.boxes { display: grid; grid-template-columns: repeat(5, 1fr); gap: 2.5mm; margin-bottom: 2mm; }
.box { background: #f4f7fa; padding: 2mm 2.5mm; -webkit-print-color-adjust: exact;
  print-color-adjust: exact; }
.box .label { font-size: 7pt; color: #5d6b78; }
.box .value { font-size: 14.5pt; font-weight: 700; }
.box .change { font-size: 6.5pt; color: #5d6b78; }
h2 { font-size: 10.5pt; color: #1f5f8b; margin: 3mm 0 1.5mm; padding-bottom: .8mm;
  border-bottom: .3mm solid #dde3ea; }
ol, ul { margin: 0; padding-left: 5mm; }
li { margin: 0 0 .6mm; }
.wording { font-weight: 700; }
img { display: block; width: 100%; height: auto; margin: 1.5mm 0 0; }
footer { margin-top: auto; font-size: 6.8pt; color: #5d6b78; border-top: .3mm solid #dde3ea;
  padding-top: 1.5mm; }
@media screen { body { background: #e9edf1; } .page { background: #fff; padding: 12mm 13mm;
  width: 210mm; min-height: 297mm; margin: 8mm auto; box-shadow: 0 1px 6px #0002; } }
@media print { .page { break-after: avoid; } }
"""

TEMPLATE = """<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ b.title }} — {{ b.period }}</title>
<style>{{ css|safe }}</style>
</head>
<body>
<div class="page">
<header>
  <div class="kicker">{{ b.partnership }} · board summary · confidential</div>
  <h1>{{ b.title }}</h1>
  <div class="meta">{{ b.period }} · {{ b.compared }} · made {{ b.generated }}</div>
</header>
<div class="boxes">
{% for h in b.headlines %}<div class="box"><div class="label">{{ h.label }}</div>
<div class="value">{{ h.value }}</div><div class="change">{{ h.change }}</div></div>
{% endfor %}
</div>
<h2>The three biggest changes</h2>
<ol>{% for c in b.changes %}<li>{{ c }}</li>{% endfor %}</ol>
{% if chart %}
<img src="{{ chart }}" alt="Questions by partner: this period and the period before">
{% endif %}
<h2>Top gaps, and the suggested fix</h2>
{% if b.gaps %}<ol>{% for wording, fix, size in b.gaps %}
<li><span class="wording">“{{ wording }}”</span><br>{{ fix }} — {{ size }}.</li>
{% endfor %}</ol>{% else %}<p>No group of similar unanswered questions was asked by enough
people to show.</p>{% endif %}
<h2>Training to offer, and to whom</h2>
{% if b.training %}<ul>{% for t in b.training %}<li>{{ t }}</li>{% endfor %}</ul>
{% else %}<p>No course has enough evidence from enough people in one agency this period.</p>
{% endif %}
<h2>Questions sent to safeguarding advisers</h2>
<ul>{% for a in b.advisers %}<li>{{ a }}</li>{% endfor %}</ul>
{% if b.scrutiny %}<h2>The scrutiny review's asks</h2>
<ul>{% for ask, answer in b.scrutiny %}<li><b>{{ ask }}:</b> {{ answer }}</li>{% endfor %}</ul>
{% endif %}
<footer>{{ b.notes }}</footer>
</div>
</body>
</html>
"""


def render_html(board: BoardSummary) -> str:
    env = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    return env.from_string(TEMPLATE).render(b=board, css=CSS, chart=partners_svg(board))
