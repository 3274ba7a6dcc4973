"""Audit trail: events are collected during the unit of work and chained at commit."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession


def record_event(
    session: AsyncSession,
    *,
    action: str,
    tenant_id: uuid.UUID | None,
    actor_id: uuid.UUID | None,
    entity: str | None = None,
    record_id: str | uuid.UUID | None = None,
    changes: dict[str, Any] | None = None,
    ip: str | None = None,
) -> None:
    """Queue one audit entry (login, logout, export, role change...) for this unit of work."""
    session.info.setdefault("audit_pending", []).append(
        {
            "action": action,
            "tenant_id": tenant_id,
            "actor_id": actor_id,
            "entity": entity,
            "record_id": str(record_id) if record_id is not None else None,
            "changes": changes or {},
            "ip": ip,
        }
    )
