"""Per-tenant LLM provider settings and token accounting."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, Index, Integer, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from lingxi.db import Base
from lingxi.kit.models import IdMixin, TenantMixin, TimestampMixin, utcnow
from lingxi.kit.types import UtcDateTime

PROVIDER_KINDS = ("none", "openai", "local_gguf")


class AiProvider(IdMixin, TenantMixin, TimestampMixin, Base):
    """One configured LLM endpoint of a tenant. The tenant's default one serves every feature
    unless a feature names another in ``features``."""

    __tablename__ = "ai_provider"
    __table_args__ = (UniqueConstraint("tenant_id", "name"),)

    name: Mapped[str] = mapped_column(String(100), nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False, default="none")
    base_url: Mapped[str | None] = mapped_column(String(500))
    model: Mapped[str | None] = mapped_column(String(200))
    embedding_model: Mapped[str | None] = mapped_column(String(200))
    model_path: Mapped[str | None] = mapped_column(String(1000))
    api_key_sealed: Mapped[str | None] = mapped_column(Text)
    api_key_hint: Mapped[str | None] = mapped_column(String(16))
    timeout_s: Mapped[float] = mapped_column(Float, nullable=False, default=60.0)
    max_retries: Mapped[int] = mapped_column(Integer, nullable=False, default=2)
    mask_personal_data: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    is_default: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    enabled: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    features: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    options: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)


class AiUsage(IdMixin, TenantMixin, Base):
    """One LLM call: who, for which feature, through which provider, and how many tokens."""

    __tablename__ = "ai_usage"
    __table_args__ = (Index("ix_ai_usage_tenant_feature_at", "tenant_id", "feature", "at"),)

    at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False, default=utcnow)
    user_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    feature: Mapped[str] = mapped_column(String(64), nullable=False)
    provider_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    provider_kind: Mapped[str] = mapped_column(String(20), nullable=False)
    model: Mapped[str | None] = mapped_column(String(200))
    prompt_tokens: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    completion_tokens: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    ok: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    latency_ms: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
