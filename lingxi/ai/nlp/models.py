"""Tenant intent examples: the tenant's own training lines and the corrections its users make."""

from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from lingxi.db import Base
from lingxi.kit.models import IdMixin, TenantMixin, TimestampMixin


class IntentExample(IdMixin, TenantMixin, TimestampMixin, Base):
    """One labelled text. ``source`` is ``example`` (added by an admin) or ``feedback`` (a user's correction)."""

    __tablename__ = "ai_intent_example"
    __table_args__ = (UniqueConstraint("tenant_id", "text"),)

    text: Mapped[str] = mapped_column(String(500), nullable=False)
    intent: Mapped[str] = mapped_column(String(32), nullable=False)
    source: Mapped[str] = mapped_column(String(16), nullable=False, default="example")
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("user.id", ondelete="SET NULL"))
