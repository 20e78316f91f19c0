"""Board-office reports from the query log: `python -m bot report`, and Slack's `/rhrt report`.

    from bot.reports import build_report, headline_numbers
    result = build_report(config, pack, date_from=None, date_to=None, agency=None,
                          out_dir="out/")
    result.html_path, result.csv_paths, result.summary_text, result.headline, result.top_gaps
    headline_numbers(config.db_path, since=date(2026, 11, 1))  # App Home: numbers + top gaps

Modules: scope (period and agency), data (the SQL), clusters (similar wordings), charts,
one module per section (summary, usage, thresholds, gaps, content, training), render (HTML)
and builder (puts them together).
"""

from __future__ import annotations

from .builder import ReportResult, build_report, default_since, headline_numbers
from .scope import ReportError, Scope, make_scope, parse_period

__all__ = [
    "ReportError",
    "ReportResult",
    "Scope",
    "build_report",
    "default_since",
    "headline_numbers",
    "make_scope",
    "parse_period",
]
