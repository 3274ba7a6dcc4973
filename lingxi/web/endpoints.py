"""/api/v1/ui: what every signed-in user's UI needs but the admin endpoints keep to administrators."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from lingxi.auth import service as auth_service
from lingxi.auth.schemas import MeResponse
from lingxi.auth.service import SESSION_COOKIE, authenticate_request
from lingxi.db import get_database
from lingxi.deps import CurrentActor, DbSession
from lingxi.errors import Unauthenticated, error_responses
from lingxi.org.tenant_settings import get_tenant_settings

router = APIRouter()


class UiBranding(BaseModel):
    tenant: str
    tenant_name: str
    name: str | None = None
    primary_color: str | None = None
    logo_url: str | None = None


@router.get(
    "/branding",
    response_model=UiBranding,
    responses=error_responses(401),
    summary="The tenant's branding (name, primary colour, logo) for the signed-in user's UI",
)
async def branding(actor: CurrentActor, session: DbSession) -> UiBranding:
    settings = await get_tenant_settings(session, actor)
    brand = settings.get("branding") or {}
    return UiBranding(
        tenant=settings["slug"],
        tenant_name=settings["name"],
        name=brand.get("name"),
        primary_color=brand.get("primary_color"),
        logo_url=brand.get("logo_url"),
    )


class UiSession(BaseModel):
    me: MeResponse | None = Field(description="The signed-in user, or null when the request carries no valid session.")
    reason: str | None = Field(
        None, description="Why there is no session when a credential was sent: `session_expired`, `session_idle_timeout`..."
    )


@router.get(
    "/session",
    response_model=UiSession,
    summary="The current session for the UI's first load: the user, or null and why (never 401)",
)
async def ui_session(request: Request) -> UiSession:
    """The UI calls this on load so that a visitor who is not signed in gets a plain answer instead of a
    401 (which browsers log as an error), and one whose session ended learns why."""
    try:
        actor = await authenticate_request(request)
    except Unauthenticated as exc:
        sent = bool(request.cookies.get(SESSION_COOKIE) or request.headers.get("authorization"))
        return UiSession(me=None, reason=exc.code if sent else None)
    async with get_database().unit_of_work(actor, write=False) as session:
        return UiSession(me=await auth_service.me(session, actor))
