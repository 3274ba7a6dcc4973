"""The call log of the tool library: one row per tool call, whatever its outcome."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, Index, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from lingxi.db import Base
from lingxi.kit.models import IdMixin, TenantMixin, utcnow
from lingxi.kit.types import UtcDateTime


class ToolCall(IdMixin, TenantMixin, Base):
    """``id`` is the call id the caller saw. ``output`` is kept only for calls made with an idempotency
    key, so that a repeated key answers with the first call's result instead of running again."""

    __tablename__ = "tool_call"
    __table_args__ = (
        Index("ix_tool_call_tenant_created", "tenant_id", "created_at"),
        Index("ix_tool_call_user_created", "tenant_id", "user_id", "created_at"),
        Index("ix_tool_call_idempotency", "tenant_id", "user_id", "tool", "idempotency_key", unique=True),
    )

    user_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    tool: Mapped[str] = mapped_column(String(100), nullable=False)
    source: Mapped[str] = mapped_column(String(16), nullable=False)
    args_digest: Mapped[str] = mapped_column(String(64), nullable=False)
    idempotency_key: Mapped[str | None] = mapped_column(String(200), nullable=True)
    ok: Mapped[bool] = mapped_column(Boolean, nullable=False)
    error_code: Mapped[str | None] = mapped_column(String(64), nullable=True)
    error_message: Mapped[str | None] = mapped_column(String(500), nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    latency_ms: Mapped[float] = mapped_column(Float, nullable=False, default=0.0)
    plan_task_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True, index=True)
    output: Mapped[Any] = mapped_column(JSON, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, nullable=False)


class ToolReminder(IdMixin, TenantMixin, Base):
    """A reminder made by ``calendar.create_reminder``: at ``remind_at`` its user gets an in-app notification
    (``lingxi.agent.tools.reminders``); ``sent_at`` marks it delivered."""

    __tablename__ = "tool_reminder"
    __table_args__ = (Index("ix_tool_reminder_due", "sent_at", "remind_at"),)

    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False, index=True)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    activity_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    remind_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    body: Mapped[str] = mapped_column(String(2000), nullable=False, default="")
    link: Mapped[str | None] = mapped_column(String(500), nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, nullable=False)
