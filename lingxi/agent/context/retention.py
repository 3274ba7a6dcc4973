"""Retention: behaviour events, conversation turns and memory topics older than the tenant's
``retention_days`` are deleted (reads already hide them). Runs as the durable job ``context.purge`` and
from a periodic loop in every server process (``lingxi.agent.context.runtime``)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.agent.context.history import cutoff
from lingxi.agent.context.models import BehaviourEvent, Interaction, MemoryTopic
from lingxi.agent.context.settings import load
from lingxi.db import Database
from lingxi.tenancy.context import Actor
from lingxi.tenancy.models import Tenant


async def purge_tenant(session: AsyncSession, tenant_id: uuid.UUID, now: datetime | None = None) -> dict[str, int]:
    """Delete the tenant's context rows past its retention; returns how many of each went."""
    days = (await load(session, tenant_id)).settings.retention_days
    limit = cutoff(days, now)
    counts = {}
    for name, model, column in (
        ("events", BehaviourEvent, BehaviourEvent.occurred_at),
        ("interactions", Interaction, Interaction.created_at),
        ("topics", MemoryTopic, MemoryTopic.last_seen_at),
    ):
        result = await session.execute(
            delete(model)
            .where(model.tenant_id == tenant_id, column < limit)
            .execution_options(synchronize_session=False)
        )
        counts[name] = int(result.rowcount or 0)  # type: ignore[attr-defined]
    return {"retention_days": days, **counts}


async def purge_all(db: Database) -> dict[str, dict[str, int]]:
    """Every active tenant, each in its own transaction and system context."""
    async with db.unit_of_work(Actor.system(), write=False) as s:
        tenant_ids = list((await s.scalars(select(Tenant.id).where(Tenant.is_active.is_(True)))).all())
    out = {}
    for tenant_id in tenant_ids:
        async with db.unit_of_work(Actor.system(tenant_id)) as s:
            out[str(tenant_id)] = await purge_tenant(s, tenant_id)
    return out
