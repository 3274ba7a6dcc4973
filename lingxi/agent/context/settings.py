"""The tenant's context settings, kept in ``tenant.settings["context"]``: history retention, the business
calendar (working hours and days, holidays) and playbooks (guidance shown when a situation matches)."""

from __future__ import annotations

import re
import time
import uuid
from datetime import date
from typing import Any

from pydantic import BaseModel, Field, field_validator
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.errors import NotFound
from lingxi.tenancy.models import Tenant

DEFAULT_RETENTION_DAYS = 180
MIN_RETENTION_DAYS = 7
MAX_RETENTION_DAYS = 3650
_CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class Playbook(BaseModel):
    """Guidance that applies when the context matches: every given condition must hold."""

    name: str = Field(min_length=1, max_length=100)
    guidance: str = Field(min_length=1, max_length=2000)
    entity: str | None = Field(None, max_length=64, description="Current record's entity, e.g. tickets")
    intent: str | None = Field(None, max_length=32, description="Intent of the current utterance")
    category: str | None = Field(None, max_length=50, description="Ticket category of a recent ticket, e.g. 投诉")
    stage: str | None = Field(None, max_length=100, description="Stage name of an open opportunity")
    keywords: list[str] = Field(
        default_factory=list, max_length=20, description="Any of these in the utterance or page"
    )


class ContextSettings(BaseModel):
    retention_days: int = Field(
        DEFAULT_RETENTION_DAYS,
        ge=MIN_RETENTION_DAYS,
        le=MAX_RETENTION_DAYS,
        description="Behaviour events, conversation turns and memory older than this are deleted",
    )
    work_start: str = Field("09:00", description="Start of working hours, HH:MM in the tenant's time zone")
    work_end: str = Field("18:00", description="End of working hours, HH:MM")
    working_days: list[int] = Field(default_factory=lambda: [0, 1, 2, 3, 4], description="0 = Monday")
    public_holidays: bool = Field(True, description="Use mainland China's public holidays and adjusted workdays")
    holidays: list[date] = Field(default_factory=list, max_length=400, description="The tenant's own days off")
    extra_workdays: list[date] = Field(default_factory=list, max_length=400, description="Days worked though off")
    cause_window_days: int = Field(7, ge=1, le=90, description="How far apart a cause and its effect may be")
    playbooks: list[Playbook] = Field(default_factory=list, max_length=100)

    @field_validator("work_start", "work_end")
    @classmethod
    def _clock(cls, value: str) -> str:
        if not _CLOCK.match(value):
            raise ValueError("use HH:MM (24-hour)")
        return value

    @field_validator("working_days")
    @classmethod
    def _days(cls, value: list[int]) -> list[int]:
        if any(d < 0 or d > 6 for d in value):
            raise ValueError("days are 0 (Monday) to 6 (Sunday)")
        return sorted(set(value))


class TenantContext(BaseModel):
    settings: ContextSettings
    timezone: str
    locale: str


# Each process keeps a tenant's settings this long (seconds); a change made here applies at once.
CACHE_SECONDS = 5.0
_cache: dict[uuid.UUID, tuple[float, TenantContext]] = {}


async def load(session: AsyncSession, tenant_id: uuid.UUID) -> TenantContext:
    cached = _cache.get(tenant_id)
    now = time.monotonic()
    if cached is not None and now - cached[0] < CACHE_SECONDS:
        return cached[1]
    row = (
        await session.execute(select(Tenant.settings, Tenant.timezone, Tenant.locale).where(Tenant.id == tenant_id))
    ).first()
    if row is None:
        raise NotFound("no such tenant", code="tenant_not_found")
    raw: dict[str, Any] = (row.settings or {}).get("context") or {}
    loaded = TenantContext(settings=ContextSettings.model_validate(raw), timezone=row.timezone, locale=row.locale)
    _cache[tenant_id] = (now, loaded)
    return loaded


async def save(session: AsyncSession, tenant_id: uuid.UUID, settings: ContextSettings) -> ContextSettings:
    tenant = await session.get(Tenant, tenant_id)
    if tenant is None:
        raise NotFound("no such tenant", code="tenant_not_found")
    tenant.settings = {**(tenant.settings or {}), "context": settings.model_dump(mode="json")}
    await session.flush()
    _cache.pop(tenant_id, None)
    return settings
