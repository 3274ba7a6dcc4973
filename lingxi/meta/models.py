"""Per-tenant metadata: field definitions (standard and custom) and page layouts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Boolean, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from lingxi.db import Base
from lingxi.kit.models import IdMixin, TenantMixin, TimestampMixin


class FieldDef(IdMixin, TenantMixin, TimestampMixin, Base):
    """One field of one entity in one tenant. Standard fields are seeded from the code's specs and
    may be relabelled, made required or given other picklist values; custom fields (``cf_*``) are
    created by admins and stored in the record's ``custom`` column."""

    __tablename__ = "field_def"
    __table_args__ = (UniqueConstraint("tenant_id", "entity", "name"),)

    entity: Mapped[str] = mapped_column(String(64), nullable=False)
    name: Mapped[str] = mapped_column(String(64), nullable=False)
    type: Mapped[str] = mapped_column(String(20), nullable=False)
    label_zh: Mapped[str] = mapped_column(String(200), nullable=False)
    label_en: Mapped[str] = mapped_column(String(200), nullable=False)
    is_custom: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    required: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    unique: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    searchable: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    pattern: Mapped[str | None] = mapped_column(String(500))
    options: Mapped[list[str]] = mapped_column(JSON, default=list, nullable=False)
    lookup: Mapped[str | None] = mapped_column(String(64))
    help_text: Mapped[str | None] = mapped_column(String(500))
    position: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)


class Layout(IdMixin, TenantMixin, TimestampMixin, Base):
    """A page layout: ``sections`` is ``[{"title_zh", "title_en", "columns", "fields": [...]}]``,
    ``related`` the related lists shown, ``list_columns`` the default list columns."""

    __tablename__ = "layout"
    __table_args__ = (UniqueConstraint("tenant_id", "entity", "name"),)

    entity: Mapped[str] = mapped_column(String(64), nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False, default="default")
    sections: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list, nullable=False)
    related: Mapped[list[str]] = mapped_column(JSON, default=list, nullable=False)
    list_columns: Mapped[list[str]] = mapped_column(JSON, default=list, nullable=False)
    role_ids: Mapped[list[str]] = mapped_column(JSON, default=list, nullable=False)
