"""Saved views: each user sees and changes only their own; at most one default per entity."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.errors import Conflict, NotFound
from lingxi.records.service import entity_or_404
from lingxi.tenancy.context import Actor
from lingxi.views.models import SavedView

MAX_VIEWS_PER_ENTITY = 50


def _user(actor: Actor) -> uuid.UUID:
    if actor.user_id is None:
        raise NotFound("saved views belong to users", code="saved_view_not_found")
    return actor.user_id


async def list_views(session: AsyncSession, actor: Actor, entity: str | None) -> list[SavedView]:
    query = select(SavedView).where(SavedView.user_id == _user(actor))
    if entity:
        query = query.where(SavedView.entity == entity)
    rows = await session.execute(query.order_by(SavedView.entity, SavedView.name))
    return list(rows.scalars())


async def _get(session: AsyncSession, actor: Actor, view_id: uuid.UUID) -> SavedView:
    view = await session.scalar(select(SavedView).where(SavedView.id == view_id, SavedView.user_id == _user(actor)))
    if view is None:
        raise NotFound("no such saved view", code="saved_view_not_found", details={"id": str(view_id)})
    return view


async def _name_taken(
    session: AsyncSession, actor: Actor, entity: str, name: str, but: uuid.UUID | None = None
) -> None:
    query = select(SavedView.id).where(
        SavedView.user_id == _user(actor), SavedView.entity == entity, SavedView.name == name
    )
    if but is not None:
        query = query.where(SavedView.id != but)
    if await session.scalar(query) is not None:
        raise Conflict("a view with this name exists", code="saved_view_exists", details={"name": name})


async def _clear_default(session: AsyncSession, actor: Actor, entity: str) -> None:
    await session.execute(
        update(SavedView).where(SavedView.user_id == _user(actor), SavedView.entity == entity).values(is_default=False)
    )


async def create_view(
    session: AsyncSession, actor: Actor, *, entity: str, name: str, state: dict[str, Any], is_default: bool
) -> SavedView:
    entity_or_404(entity)
    await _name_taken(session, actor, entity, name)
    count = await session.scalar(
        select(func.count()).select_from(SavedView).where(SavedView.user_id == _user(actor), SavedView.entity == entity)
    )
    if (count or 0) >= MAX_VIEWS_PER_ENTITY:
        raise Conflict(
            f"at most {MAX_VIEWS_PER_ENTITY} views per list",
            code="too_many_views",
            details={"max": MAX_VIEWS_PER_ENTITY},
        )
    if is_default:
        await _clear_default(session, actor, entity)
    view = SavedView(user_id=_user(actor), entity=entity, name=name, state=state, is_default=is_default)
    session.add(view)
    await session.flush()
    return view


async def update_view(session: AsyncSession, actor: Actor, view_id: uuid.UUID, changes: dict[str, Any]) -> SavedView:
    view = await _get(session, actor, view_id)
    if changes.get("name") is not None and changes["name"] != view.name:
        await _name_taken(session, actor, view.entity, changes["name"], but=view.id)
        view.name = changes["name"]
    if changes.get("state") is not None:
        view.state = changes["state"]
    if changes.get("is_default") is not None:
        if changes["is_default"]:
            await _clear_default(session, actor, view.entity)
        view.is_default = changes["is_default"]
    await session.flush()
    await session.refresh(view)
    return view


async def delete_view(session: AsyncSession, actor: Actor, view_id: uuid.UUID) -> None:
    await session.delete(await _get(session, actor, view_id))
    await session.flush()
