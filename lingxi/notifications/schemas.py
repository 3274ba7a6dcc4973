"""Response bodies of /api/v1/notifications."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class NotificationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    kind: str = Field(description="What raised it, e.g. task.assigned, task.escalated")
    title: str
    body: str
    link: str | None = Field(description="Where the web UI opens it (a path inside the app)")
    data: dict[str, Any]
    priority: str = Field(description="low, normal, high or urgent")
    read_at: datetime | None
    created_at: datetime


class NotificationPage(BaseModel):
    data: list[NotificationOut]
    next_cursor: str | None = Field(description="Pass as ?cursor= for the next (older) page; null on the last")
    unread_count: int = Field(description="All unread notifications of the signed-in user")


class ReadAllOut(BaseModel):
    updated: int = Field(description="How many notifications were marked read")
