"""Knowledge bases, their documents, who may read each document, and the indexed chunks."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from lingxi.db import Base
from lingxi.kit.models import IdMixin, TenantMixin, TimestampMixin

DOCUMENT_STATUSES = ("queued", "processing", "ready", "failed")
# everyone in the tenant | the owner plus the listed roles, teams and users | whoever may read the linked attachment
VISIBILITIES = ("everyone", "restricted", "attachment")
PRINCIPAL_TYPES = ("role", "team", "user")


class KnowledgeBase(IdMixin, TenantMixin, TimestampMixin, Base):
    __tablename__ = "knowledge_base"

    name: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    owner_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("user.id", ondelete="SET NULL"))
    top_k: Mapped[int] = mapped_column(Integer, nullable=False, default=5)
    min_score: Mapped[float] = mapped_column(Float, nullable=False, default=0.0)
    default_visibility: Mapped[str] = mapped_column(String(20), nullable=False, default="everyone")
    members_can_upload: Mapped[bool] = mapped_column(nullable=False, default=False)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)


class KnowledgeDocument(IdMixin, TenantMixin, TimestampMixin, Base):
    __tablename__ = "knowledge_document"
    __table_args__ = (Index("ix_knowledge_document_kb_status", "tenant_id", "kb_id", "status"),)

    kb_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("knowledge_base.id", ondelete="CASCADE"), nullable=False, index=True)
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    filename: Mapped[str] = mapped_column(String(300), nullable=False)
    content_type: Mapped[str | None] = mapped_column(String(200))
    file_format: Mapped[str] = mapped_column(String(10), nullable=False)
    size: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    sha256: Mapped[str | None] = mapped_column(String(64))
    storage_key: Mapped[str | None] = mapped_column(String(500))
    attachment_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("attachment.id", ondelete="SET NULL"), index=True)
    owner_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("user.id", ondelete="SET NULL"), index=True)
    visibility: Mapped[str] = mapped_column(String(20), nullable=False, default="everyone")
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="queued")
    error: Mapped[str | None] = mapped_column(Text)
    job_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    index_version: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    chunk_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    char_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class KnowledgeDocumentAccess(IdMixin, TenantMixin, Base):
    """One role, team or user that may read a ``restricted`` document (besides its owner and admins)."""

    __tablename__ = "knowledge_document_access"
    __table_args__ = (
        UniqueConstraint("document_id", "principal_type", "principal_id"),
        Index("ix_knowledge_document_access_principal", "tenant_id", "principal_type", "principal_id"),
    )

    document_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("knowledge_document.id", ondelete="CASCADE"), nullable=False, index=True)
    principal_type: Mapped[str] = mapped_column(String(10), nullable=False)
    principal_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)


class KnowledgeChunk(IdMixin, TenantMixin, Base):
    """A passage of a document as indexed: its text, section heading and embedding (float32)."""

    __tablename__ = "knowledge_chunk"
    __table_args__ = (Index("ix_knowledge_chunk_document_ordinal", "document_id", "ordinal"),)

    document_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("knowledge_document.id", ondelete="CASCADE"), nullable=False)
    kb_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    ordinal: Mapped[int] = mapped_column(Integer, nullable=False)
    heading: Mapped[str | None] = mapped_column(String(500))
    text: Mapped[str] = mapped_column(Text, nullable=False)
    embedding: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    # One more vector per sentence (float32, concatenated): a question about one sentence of a
    # long passage matches that sentence better than the passage's averaged vector.
    sentence_embeddings: Mapped[bytes | None] = mapped_column(LargeBinary)
    embedder: Mapped[str] = mapped_column(String(100), nullable=False)
