"""ORM models of in-app notifications."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from lingxi.db import Base
from lingxi.kit.models import IdMixin, TenantMixin, utcnow
from lingxi.kit.types import UtcDateTime

PRIORITIES = ("low", "normal", "high", "urgent")


class Notification(IdMixin, TenantMixin, Base):
    """One message to one user. ``kind`` says what raised it (``task.assigned``, ``task.escalated``...),
    ``link`` where the web UI opens it, ``data`` whatever its sender wants the UI to have (ids, states)."""

    __tablename__ = "notification"
    __table_args__ = (
        Index("ix_notification_inbox", "tenant_id", "user_id", "created_at"),
        Index("ix_notification_unread", "tenant_id", "user_id", "read_at"),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("user.id", ondelete="CASCADE"), nullable=False)
    kind: Mapped[str] = mapped_column(String(64), nullable=False)
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False, default="")
    link: Mapped[str | None] = mapped_column(String(500), nullable=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)
    priority: Mapped[str] = mapped_column(String(16), nullable=False, default="normal")
    read_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False, default=utcnow)
