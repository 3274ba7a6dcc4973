"""GET /api/v1/audit/logs: the tenant's audit trail, for administrators."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from lingxi.audit.schemas import AuditEntryOut, AuditLogPage
from lingxi.audit.service import LogFilter, list_logs
from lingxi.deps import AdminActor, DbSession
from lingxi.errors import error_responses

router = APIRouter()


@router.get(
    "/logs",
    response_model=AuditLogPage,
    summary="Query the audit log (administrators)",
    responses=error_responses(400, 401, 403, 422),
)
async def get_logs(
    _actor: AdminActor,
    session: DbSession,
    action: Annotated[str | None, Query(max_length=40)] = None,
    entity: Annotated[str | None, Query(max_length=64)] = None,
    record_id: Annotated[str | None, Query(max_length=64)] = None,
    actor_id: uuid.UUID | None = None,
    since: Annotated[datetime | None, Query(alias="from", description="Entries at or after this time.")] = None,
    until: Annotated[datetime | None, Query(alias="to", description="Entries before this time.")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> AuditLogPage:
    filters = LogFilter(action=action, entity=entity, record_id=record_id, actor_id=actor_id, since=since, until=until)
    rows, next_cursor = await list_logs(session, filters, limit=limit, cursor=cursor)
    return AuditLogPage(items=[AuditEntryOut.model_validate(r) for r in rows], next_cursor=next_cursor)
