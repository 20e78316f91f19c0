"""rhrt-bot core: knowledge pack, matching, triage, safety, answers, query log, reports.

Nothing in this package imports Slack."""
