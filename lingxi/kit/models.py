"""Column mixins shared by the CRM's tables."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, Uuid
from sqlalchemy.ext.mutable import MutableDict
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from lingxi.db import SoftDeletable, TenantScoped, new_id
from lingxi.kit.types import UtcDateTime


def utcnow() -> datetime:
    return datetime.now(UTC)


JsonDict = MutableDict.as_mutable(JSON)


class IdMixin:
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)


class TenantMixin(TenantScoped):
    pass


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow, nullable=False)


class RecordMixin(IdMixin, TenantMixin, TimestampMixin, SoftDeletable):
    """A CRM record: owned, audited, soft-deletable, versioned, with custom field values in ``custom``."""

    @declared_attr
    def owner_id(cls) -> Mapped[uuid.UUID | None]:
        return mapped_column(Uuid, ForeignKey("user.id", ondelete="SET NULL"), nullable=True, index=True)

    @declared_attr
    def created_by_id(cls) -> Mapped[uuid.UUID | None]:
        return mapped_column(Uuid, ForeignKey("user.id", ondelete="SET NULL"), nullable=True)

    @declared_attr
    def updated_by_id(cls) -> Mapped[uuid.UUID | None]:
        return mapped_column(Uuid, ForeignKey("user.id", ondelete="SET NULL"), nullable=True)

    deleted_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    custom: Mapped[dict[str, Any]] = mapped_column(JsonDict, nullable=False, default=dict)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.version}
