from __future__ import annotations

import uuid

from sqlalchemy import BigInteger, Index, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from lingxi.db import Base
from lingxi.kit.models import RecordMixin
from lingxi.meta.spec import EntitySpec, F


class Attachment(RecordMixin, Base):
    """A file attached to any record; the bytes live in file storage under ``storage_key``."""

    __tablename__ = "attachment"
    __entity__ = EntitySpec("attachments", "附件", "Attachment", title_field="filename", importable=False)
    __table_args__ = (Index("ix_attachment_record", "tenant_id", "related_entity", "related_id"),)

    filename: Mapped[str] = mapped_column(String(300), nullable=False, info=F("text", "文件名", "File name", required=True, search=True))
    content_type: Mapped[str | None] = mapped_column(String(200), info=F("text", "类型", "Content type", readonly=True))
    size: Mapped[int | None] = mapped_column(BigInteger, info=F("integer", "大小", "Size", readonly=True))
    sha256: Mapped[str | None] = mapped_column(String(64), info=F("text", "SHA-256", "SHA-256", readonly=True))
    storage_key: Mapped[str | None] = mapped_column(String(500))
    related_entity: Mapped[str | None] = mapped_column(String(64), info=F("text", "关联对象类型", "Related entity"))
    related_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, info=F("lookup", "关联记录", "Related record"))
