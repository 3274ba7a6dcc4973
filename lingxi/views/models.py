"""A saved list view belongs to one user in one tenant and names one entity's list state."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from lingxi.db import Base
from lingxi.kit.models import IdMixin, TenantMixin, TimestampMixin


class SavedView(IdMixin, TenantMixin, TimestampMixin, Base):
    """``state`` is the web UI's list state (keyword, filters, sort, page size, columns) as it sent it;
    the API stores it opaquely and only bounds its size."""

    __tablename__ = "saved_view"
    __table_args__ = (UniqueConstraint("tenant_id", "user_id", "entity", "name"),)

    user_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("user.id", ondelete="CASCADE"), nullable=False, index=True
    )
    entity: Mapped[str] = mapped_column(String(64), nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    state: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)
    is_default: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
