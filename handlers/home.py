"""The App Home tab: published when opened, re-published when the levels navigator changes."""

from __future__ import annotations

import logging

from slack_bolt import App

from . import constants as c
from .drafts import draft_choices
from .errors import deferred
from .home_view import home_view
from .service import KEY
from .stats import month_gaps, month_headlines

logger = logging.getLogger("rhrt.slack")


def publish_home(
    client, rhrt, context, *, area: str | None = None, level: str | None = None
) -> None:
    """Build this person's Home tab (admins see this month's numbers and top gaps) and
    publish it."""
    log = rhrt.log
    user_id = context.get("user_id")
    agency = log.agency_of(log.pseudonym_of(rhrt.asker(context))) if log is not None else None
    admin = rhrt.is_admin(user_id)
    headlines = gaps = drafts = None
    if admin and log is not None:
        log.flush(timeout=2)
        headlines = month_headlines(log, min_cell_count=rhrt.config.min_cell_count)
        gaps = month_gaps(log, rhrt.config, rhrt.pack)
        drafts = draft_choices(log, rhrt)
    view = home_view(
        rhrt.pack,
        agency=agency,
        headlines=headlines,
        gaps=gaps,
        is_admin=admin,
        agency_name=rhrt.config.agency_name,
        min_cell_count=rhrt.config.min_cell_count,
        area=area,
        level=level,
        drafts=drafts,
    )
    client.views_publish(user_id=user_id, view=view)


def handle_app_home_opened(event, client, context) -> None:
    if event.get("tab") != "home":
        return  # the Messages tab: nothing to publish
    publish_home(client, context[KEY], context)


def handle_home_area(ack, action, client, context) -> None:
    """The navigator: a level's area was chosen; show that area's indicators at every level."""
    ack()
    level, _, area = ((action.get("selected_option") or {}).get("value") or "").partition("|")
    publish_home(client, context[KEY], context, area=area or None, level=level or None)


def handle_home_back(ack, client, context) -> None:
    ack()
    publish_home(client, context[KEY], context)


def register(app: App) -> None:
    app.event("app_home_opened")(**deferred(handle_app_home_opened))
    app.action(c.HOME_AREA)(**deferred(handle_home_area))
    app.action(c.HOME_BACK)(**deferred(handle_home_back))
