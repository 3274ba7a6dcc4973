"""Reading the tool library for a caller: which tools they may use, and their call log."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.agent.tools.base import Tool
from lingxi.agent.tools.models import ToolCall
from lingxi.agent.tools.registry import list_tools
from lingxi.authz import service as authz
from lingxi.errors import BadRequest
from lingxi.tenancy.context import Actor


def may_use(actor: Actor, t: Tool) -> bool:
    """Whether the caller could call ``t`` at all. Tools whose entity comes from an argument are listed
    when the caller may ``action`` at least one entity; each call is checked again for its own."""
    p = t.permission
    if p.admin and not (actor.is_admin or actor.is_system):
        return False
    if p.admin and actor.token_scopes is not None and "admin" not in actor.token_scopes:
        return False
    if t.side_effects and actor.token_scopes is not None and not ({"write", "admin"} & actor.token_scopes):
        return False
    if p.entity:
        return authz.scope_of(actor, p.entity, p.action) != "none"
    if p.entity_arg:
        from lingxi.meta.registry import registry

        return any(authz.scope_of(actor, e, p.action) != "none" for e in registry.all())
    return True


def tools_for(actor: Actor, category: str | None = None) -> list[Tool]:
    return [t for t in list_tools(category) if may_use(actor, t)]


def encode_cursor(row: ToolCall) -> str:
    return base64.urlsafe_b64encode(f"{row.created_at.isoformat()}|{row.id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        at, call_id = raw.split("|", 1)
        return datetime.fromisoformat(at), uuid.UUID(call_id)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadRequest("invalid cursor", code="invalid_cursor") from exc


async def list_calls(
    session: AsyncSession,
    actor: Actor,
    *,
    limit: int,
    cursor: str | None = None,
    tool: str | None = None,
    ok: bool | None = None,
    source: str | None = None,
    user_id: uuid.UUID | None = None,
    plan_task_id: uuid.UUID | None = None,
) -> tuple[Sequence[ToolCall], str | None]:
    """Newest first: the caller's own calls, or (administrators) every call of the tenant."""
    query = select(ToolCall).order_by(ToolCall.created_at.desc(), ToolCall.id.desc()).limit(limit + 1)
    if not (actor.is_admin or actor.is_system):
        query = query.where(ToolCall.user_id == actor.user_id)
    elif user_id is not None:
        query = query.where(ToolCall.user_id == user_id)
    if tool:
        query = query.where(ToolCall.tool == tool)
    if ok is not None:
        query = query.where(ToolCall.ok.is_(ok))
    if source:
        query = query.where(ToolCall.source == source)
    if plan_task_id:
        query = query.where(ToolCall.plan_task_id == plan_task_id)
    if cursor:
        at, last_id = decode_cursor(cursor)
        query = query.where(or_(ToolCall.created_at < at, and_(ToolCall.created_at == at, ToolCall.id < last_id)))
    rows = (await session.scalars(query)).all()
    next_cursor = encode_cursor(rows[limit - 1]) if len(rows) > limit else None
    return rows[:limit], next_cursor
