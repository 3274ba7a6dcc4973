"""Response bodies of /api/v1/audit."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class AuditEntryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    seq: int = Field(description="Position in the tenant's hash chain.")
    at: datetime
    actor_id: uuid.UUID | None = Field(description="The user who acted; null for system work.")
    action: str = Field(description="create, update, delete, restore, hard_delete, login, role_change, ...")
    entity: str | None
    record_id: str | None
    changes: dict[str, Any] = Field(description="`{field: [before, after]}`; secrets show only `***`.")
    ip: str | None
    request_id: str | None
    hash: str


class AuditLogPage(BaseModel):
    items: list[AuditEntryOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next (older) page; null on the last page.")
