"""Keep what people type out of the process log. The Teams SDK logs whole activities at
DEBUG and an error's text (which for a malformed activity quotes its fields) at ERROR; httpx
logs every connector URL (a personal chat's id identifies a person) at INFO. All are held at
WARNING, and the SDK's error lines keep only where and what kind of error it was."""

from __future__ import annotations

import logging

QUIET = ("microsoft_teams", "httpx", "httpcore", "msal", "uvicorn", "uvicorn.error")


class ContentFreeErrors(logging.Filter):
    """An SDK error line becomes "Teams SDK error in <module> (<exception type>)"."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.ERROR:
            kind = record.exc_info[0].__name__ if record.exc_info and record.exc_info[0] else "-"
            record.msg, record.args = "Teams SDK error in %s (%s)", (record.name, kind)
            record.exc_info, record.exc_text, record.stack_info = None, None, None
        return True


def quiet_sdk() -> None:
    """Hold the SDK's, httpx's and uvicorn's loggers at WARNING; filter every SDK logger
    (a logger's filters do not apply to its children, so each one gets its own)."""
    for name in QUIET:
        logger = logging.getLogger(name)
        if logger.level < logging.WARNING:
            logger.setLevel(logging.WARNING)
    logging.getLogger("uvicorn.access").disabled = True  # client addresses, paths: not needed
    names = [n for n in logging.Logger.manager.loggerDict if n.startswith("microsoft_teams")]
    for name in ["microsoft_teams", *names]:
        logger = logging.getLogger(name)
        if not any(isinstance(f, ContentFreeErrors) for f in logger.filters):
            logger.addFilter(ContentFreeErrors())
