"""Benchmarks for rhrt-bot (issue #7): `python -m bench [--quick] [--profile] [--out DIR|--write]`.

One run measures everything side by side and prints `results.md` (written over the
committed copy only with `--write`):
- `accuracy`: the assistant against plain fuzzy (`baselines.FuzzyBaseline`) and BM25
  (`baselines.BM25Baseline`) matching, both with the bot's own normalisation, on the
  held-out sets (the headline) and the development set;
- `latency`: `Assistant.answer` / `Assistant.ask` with logging on the bundled pack and on
  synthetic packs 10× and 100× its size (`synthetic`), pack load, console cold start;
- `logging_load`: eight concurrent writers (threads and processes) into one query log;
- `report_time`: `python -m bot report` over 100,000 and 1,000,000 logged queries;
- `profiling`: pyinstrument over the hot path (`--profile`, writes `profile.txt`).
`render` turns the measurements into Markdown; its last line summarises the ratios.
"""
