from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from lingxi.db import Base
from lingxi.kit.models import IdMixin, RecordMixin, TenantMixin, TimestampMixin
from lingxi.meta.spec import EntitySpec, F


class Tag(RecordMixin, Base):
    __tablename__ = "tag"
    __entity__ = EntitySpec("tags", "标签", "Tag", owned=False, searchable=False, importable=False)
    __table_args__ = (UniqueConstraint("tenant_id", "name"),)

    name: Mapped[str] = mapped_column(String(100), nullable=False, info=F("text", "名称", "Name", required=True))
    color: Mapped[str | None] = mapped_column(String(20), info=F("text", "颜色", "Colour", pattern=r"^#[0-9a-fA-F]{6}$"))


class TagLink(IdMixin, TenantMixin, TimestampMixin, Base):
    """A tag on any record."""

    __tablename__ = "tag_link"
    __table_args__ = (
        UniqueConstraint("tenant_id", "tag_id", "entity", "record_id"),
        Index("ix_tag_link_record", "tenant_id", "entity", "record_id"),
    )

    tag_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("tag.id", ondelete="CASCADE"), nullable=False)
    entity: Mapped[str] = mapped_column(String(64), nullable=False)
    record_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
