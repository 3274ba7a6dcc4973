"""The tenant's own settings, edited by its administrators: name, currency, locale, time zone,
password policy, idle-session timeout and branding."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.auth.passwords import policy_of
from lingxi.config import get_settings
from lingxi.errors import NotFound, ValidationFailed
from lingxi.tenancy.context import Actor
from lingxi.tenancy.models import Tenant


async def _tenant(session: AsyncSession, actor: Actor) -> Tenant:
    tenant = await session.get(Tenant, actor.tenant_id) if actor.tenant_id else None
    if tenant is None:
        raise NotFound("tenant not found", code="tenant_not_found")
    return tenant


def describe(tenant: Tenant) -> dict[str, Any]:
    settings = tenant.settings or {}
    return {
        "slug": tenant.slug,
        "name": tenant.name,
        "default_currency": tenant.default_currency,
        "locale": tenant.locale,
        "timezone": tenant.timezone,
        "password_policy": policy_of(settings),
        "session_idle_minutes": int(settings.get("session_idle_minutes") or get_settings().session_idle_minutes),
        "branding": settings.get("branding") or {},
    }


async def get_tenant_settings(session: AsyncSession, actor: Actor) -> dict[str, Any]:
    return describe(await _tenant(session, actor))


async def update_tenant_settings(session: AsyncSession, actor: Actor, data: dict[str, Any]) -> dict[str, Any]:
    tenant = await _tenant(session, actor)
    if data.get("timezone"):
        try:
            ZoneInfo(data["timezone"])
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValidationFailed(
                "unknown time zone", details=[{"field": "timezone", "code": "invalid_value", "message": str(exc)}]
            ) from exc
    for key in ("name", "default_currency", "locale", "timezone"):
        if data.get(key) is not None:
            setattr(tenant, key, data[key])
    settings = dict(tenant.settings or {})
    if data.get("password_policy"):
        changes = {k: v for k, v in data["password_policy"].items() if v is not None}
        settings["password_policy"] = {**(settings.get("password_policy") or {}), **changes}
    if data.get("session_idle_minutes") is not None:
        settings["session_idle_minutes"] = data["session_idle_minutes"]
    if data.get("branding") is not None:
        settings["branding"] = {**(settings.get("branding") or {}), **data["branding"]}
    tenant.settings = settings
    await session.flush()
    return describe(tenant)
