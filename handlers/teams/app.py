"""Build the Teams app (the Teams SDK for Python's `App`) for one shared `Services`: its JWT
validation, its outbound credentials, and every handler, registered in one place."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from microsoft_teams.api import (
    AdaptiveCardInvokeActivity,
    MessageActivity,
    TaskFetchInvokeActivity,
    TaskSubmitInvokeActivity,
)
from microsoft_teams.api.auth.cloud_environment import PUBLIC, CloudEnvironment, with_overrides
from microsoft_teams.apps import ActivityContext, App
from microsoft_teams.apps.http.fastapi_adapter import FastAPIAdapter

from handlers.service import Services

from . import actions, ids, messages
from .logs import quiet_sdk
from .service import TeamsService

MESSAGES_PATH = "/api/messages"


def cloud_for(openid_metadata_url: str | None = None) -> CloudEnvironment:
    """The public Microsoft cloud; `openid_metadata_url` points token validation at another
    OpenID configuration (its keys are read from the same place, `…/keys`)."""
    if not openid_metadata_url:
        return PUBLIC
    return with_overrides(PUBLIC, openid_metadata_url=openid_metadata_url)


def build_teams_app(
    services: Services,
    *,
    client_id: str,
    tenant_id: str,
    client_secret: str | None = None,
    token: Any = None,
    cloud: CloudEnvironment | None = None,
) -> tuple[App, FastAPI, TeamsService]:
    """The app, its ASGI application, and the Teams service. Incoming activities must carry a
    Bot Framework token for `client_id` (issuer, audience, signature, expiry, service URL);
    replies are sent with a token from Entra (`client_secret`, single-tenant `tenant_id`) or
    from `token` (a callable), never without one."""
    quiet_sdk()
    asgi = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    credentials: dict[str, Any] = {"client_secret": client_secret} if client_secret else {}
    if token is not None:
        credentials = {"token": token}
    app = App(
        client_id=client_id,
        tenant_id=tenant_id,
        cloud=cloud or PUBLIC,
        http_server_adapter=FastAPIAdapter(app=asgi),
        messaging_endpoint=MESSAGES_PATH,
        dangerously_allow_unauthenticated_requests=False,
        telemetry={"agent365": False},
        **credentials,
    )
    rhrt = TeamsService(services)
    register(app, rhrt)
    return app, asgi, rhrt


def register(app: App, rhrt: TeamsService) -> None:
    """Every handler, with the annotations the SDK checks."""

    async def on_message(ctx: ActivityContext[MessageActivity]) -> None:
        await messages.handle_message(ctx, rhrt)

    async def on_card_action(ctx: ActivityContext[AdaptiveCardInvokeActivity]) -> Any:
        return await actions.handle_card_action(ctx, rhrt)

    async def on_open(ctx: ActivityContext[TaskFetchInvokeActivity]) -> Any:
        return await actions.open_level(ctx, rhrt)

    async def on_submit(ctx: ActivityContext[TaskSubmitInvokeActivity]) -> Any:
        return await actions.submit_level(ctx, rhrt)

    app.on_message(on_message)
    app.on_card_action(on_card_action)
    app.on_dialog_open(ids.LEVEL_DIALOG, on_open)
    app.on_dialog_submit(ids.LEVEL_DIALOG, on_submit)
