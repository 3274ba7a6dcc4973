"""Audit trail: entries are collected during the unit of work and chained at commit.

Record changes are collected by ``lingxi.audit.hooks``; everything else (login, logout, failed
login, import, export...) is recorded with ``record_event``. Entries of a rolled-back transaction
are dropped with it; those of a committed one are appended to the tenant's hash chain.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from lingxi.audit.changes import json_safe
from lingxi.audit.models import AuditLog
from lingxi.errors import BadRequest
from lingxi.events.transaction import register_key, tx_list
from lingxi.kit.models import utcnow

PENDING = "audit_pending"
register_key(PENDING)


def record_event(
    session: AsyncSession | Session,
    *,
    action: str,
    tenant_id: uuid.UUID | None,
    actor_id: uuid.UUID | None,
    entity: str | None = None,
    record_id: str | uuid.UUID | None = None,
    changes: dict[str, Any] | None = None,
    ip: str | None = None,
    request_id: str | None = None,
) -> None:
    """Queue one audit entry (login, logout, export, role change...) for this unit of work.
    ``ip`` and ``request_id`` default to those of the session's actor."""
    tx_list(session, PENDING).append(
        {
            "action": action,
            "tenant_id": tenant_id,
            "actor_id": actor_id,
            "entity": entity,
            "record_id": str(record_id) if record_id is not None else None,
            "changes": json_safe(changes or {}),
            "ip": ip,
            "request_id": request_id,
            "at": utcnow(),
        }
    )


@dataclass(frozen=True)
class LogFilter:
    action: str | None = None
    entity: str | None = None
    record_id: str | None = None
    actor_id: uuid.UUID | None = None
    since: datetime | None = None
    until: datetime | None = None


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"a:{last_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, value = raw.split(":", 1)
        if prefix != "a":
            raise ValueError(prefix)
        return int(value)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadRequest("invalid cursor", code="invalid_cursor") from exc


async def list_logs(
    session: AsyncSession, filters: LogFilter, *, limit: int, cursor: str | None = None
) -> tuple[Sequence[AuditLog], str | None]:
    """Newest first. The tenant wall limits the rows to the session actor's tenant."""
    query = select(AuditLog).order_by(AuditLog.id.desc()).limit(limit + 1)
    if filters.action:
        query = query.where(AuditLog.action == filters.action)
    if filters.entity:
        query = query.where(AuditLog.entity == filters.entity)
    if filters.record_id:
        query = query.where(AuditLog.record_id == filters.record_id)
    if filters.actor_id:
        query = query.where(AuditLog.actor_id == filters.actor_id)
    if filters.since:
        query = query.where(AuditLog.at >= filters.since)
    if filters.until:
        query = query.where(AuditLog.at < filters.until)
    if cursor:
        query = query.where(AuditLog.id < decode_cursor(cursor))
    rows = (await session.scalars(query)).all()
    next_cursor = encode_cursor(rows[limit - 1].id) if len(rows) > limit else None
    return rows[:limit], next_cursor
