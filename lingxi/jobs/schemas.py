"""Response bodies of /api/v1/jobs."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

JobStatus = Literal["queued", "running", "succeeded", "failed", "cancelled"]


class JobOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    kind: str = Field(description="import, export, ...")
    status: JobStatus
    entity: str | None
    params: dict[str, Any]
    progress: int = Field(description="Units done so far (rows, records...).")
    total: int | None = Field(description="Units in all, when known.")
    result: dict[str, Any] = Field(description="What the job produced, once it succeeded.")
    error: str | None = Field(description="Why it failed (or was run again after its worker stopped).")
    attempts: int
    created_by_id: uuid.UUID | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class JobPage(BaseModel):
    items: list[JobOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next (older) page; null on the last page.")
