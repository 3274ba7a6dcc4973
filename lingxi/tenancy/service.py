"""Creating tenants and their starting data."""

from __future__ import annotations

import re
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.authz.models import Role
from lingxi.errors import Conflict, ValidationFailed
from lingxi.opportunities.models import Pipeline, PipelineStage
from lingxi.tenancy.context import Actor
from lingxi.tenancy.defaults import DEFAULT_PIPELINE, default_roles
from lingxi.tenancy.models import Counter, Tenant

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")


async def create_tenant(session: AsyncSession, slug: str, name: str, *, currency: str = "CNY") -> Tenant:
    """A tenant with the default roles and sales pipeline. ``session`` runs as the system actor."""
    if not SLUG_RE.match(slug):
        raise ValidationFailed("slug must be 2-63 lower-case letters, digits or dashes", code="invalid_slug")
    existing = await session.scalar(select(Tenant).where(Tenant.slug == slug))
    if existing is not None:
        raise Conflict(f"tenant {slug!r} exists", code="tenant_exists")
    tenant = Tenant(slug=slug, name=name, default_currency=currency, settings={})
    session.add(tenant)
    await session.flush()
    for spec in default_roles():
        session.add(Role(tenant_id=tenant.id, **spec))
    pipeline = Pipeline(tenant_id=tenant.id, name=DEFAULT_PIPELINE["name"], is_default=True, position=0)
    session.add(pipeline)
    await session.flush()
    for pos, (stage, prob, closed, won, days) in enumerate(DEFAULT_PIPELINE["stages"]):
        session.add(
            PipelineStage(
                tenant_id=tenant.id,
                pipeline_id=pipeline.id,
                name=stage,
                position=pos,
                probability=Decimal(prob),
                is_closed=closed,
                is_won=won,
                max_days=days,
            )
        )
    await session.flush()
    return tenant


async def tenant_by_slug(session: AsyncSession, slug: str) -> Tenant | None:
    return await session.scalar(select(Tenant).where(Tenant.slug == slug))


async def next_number(session: AsyncSession, actor: Actor, name: str) -> int:
    """The next value of a per-tenant sequence; the row lock serialises concurrent writers."""
    assert actor.tenant_id is not None
    tenant_id = actor.tenant_id
    value = await session.scalar(
        update(Counter)
        .where(Counter.tenant_id == tenant_id, Counter.name == name)
        .values(value=Counter.value + 1)
        .returning(Counter.value)
    )
    if value is None:
        session.add(Counter(tenant_id=tenant_id, name=name, value=1))
        await session.flush()
        return 1
    return int(value)
