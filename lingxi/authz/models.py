"""Roles and record sharing."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from lingxi.db import Base
from lingxi.kit.models import IdMixin, TenantMixin, TimestampMixin


class Role(IdMixin, TenantMixin, TimestampMixin, Base):
    """``permissions``: ``{entity: {action: scope}}`` with action in read/create/update/delete/export/
    import and scope in own/team/department/all. ``field_rules``: ``{entity: {field: hidden|readonly|masked}}``.
    ``is_admin`` grants everything, including settings."""

    __tablename__ = "role"
    __table_args__ = (UniqueConstraint("tenant_id", "name"),)

    name: Mapped[str] = mapped_column(String(100), nullable=False)
    description: Mapped[str | None] = mapped_column(String(1000))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    permissions: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, nullable=False)
    field_rules: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, nullable=False)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, nullable=False)


class UserRole(TenantMixin, Base):
    __tablename__ = "user_role"

    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    role_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("role.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class RecordShare(IdMixin, TenantMixin, TimestampMixin, Base):
    """A record shared with a user or a team, for reading or editing."""

    __tablename__ = "record_share"
    __table_args__ = (
        Index("ix_record_share_lookup", "tenant_id", "entity", "user_id", "team_id"),
        UniqueConstraint("tenant_id", "entity", "record_id", "user_id", "team_id"),
    )

    entity: Mapped[str] = mapped_column(String(64), nullable=False)
    record_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False, index=True)
    user_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("user.id", ondelete="CASCADE"))
    team_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("team.id", ondelete="CASCADE"))
    access: Mapped[str] = mapped_column(String(10), default="read", nullable=False)  # read | edit
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
