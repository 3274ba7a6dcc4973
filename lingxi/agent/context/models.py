"""What the context engine remembers: behaviour events, conversation turns and long-term memory topics.

All three are tenant-scoped and dated; rows older than the tenant's retention are hidden from every read
and deleted by the purge (``lingxi.agent.context.retention``)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from lingxi.db import Base
from lingxi.kit.models import IdMixin, TenantMixin, utcnow
from lingxi.kit.types import UtcDateTime

EVENT_KINDS = ("page_view", "click", "search", "download", "dwell", "open_record", "select", "submit", "share")
SUBJECTS = ("user", "customer")
ROLES = ("user", "assistant", "customer", "agent")
TOPIC_STATUSES = ("open", "closed")


class BehaviourEvent(IdMixin, TenantMixin, Base):
    """Something a user did in the app (``subject`` user) or a customer did on a tracked site or channel
    (``subject`` customer, about the contact, lead or account in ``entity``/``record_id``).
    ``user_id`` is who sent the event (the signed-in user, or the integration's user for customers)."""

    __tablename__ = "context_event"
    __table_args__ = (
        Index("ix_context_event_user", "tenant_id", "user_id", "occurred_at"),
        Index("ix_context_event_record", "tenant_id", "entity", "record_id", "occurred_at"),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("user.id", ondelete="CASCADE"), nullable=False)
    subject: Mapped[str] = mapped_column(String(16), nullable=False, default="user")
    kind: Mapped[str] = mapped_column(String(32), nullable=False)
    page: Mapped[str | None] = mapped_column(String(500), nullable=True)
    module: Mapped[str | None] = mapped_column(String(64), nullable=True)
    entity: Mapped[str | None] = mapped_column(String(64), nullable=True)
    record_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    query: Mapped[str | None] = mapped_column(String(300), nullable=True)
    target: Mapped[str | None] = mapped_column(String(300), nullable=True)
    duration_ms: Mapped[int | None] = mapped_column(Integer, nullable=True)
    channel: Mapped[str] = mapped_column(String(20), nullable=False, default="web")
    device: Mapped[str | None] = mapped_column(String(40), nullable=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False, default=utcnow)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False, default=utcnow)


class MemoryTopic(IdMixin, TenantMixin, Base):
    """Long-term memory: a topic a user raised that is not finished yet (``open``) or was (``closed``).
    Later turns with the same intent on the same record refresh it (``mentions``, ``last_seen_at``)."""

    __tablename__ = "context_memory"
    __table_args__ = (Index("ix_context_memory_user", "tenant_id", "user_id", "status", "last_seen_at"),)

    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("user.id", ondelete="CASCADE"), nullable=False)
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    intent: Mapped[str] = mapped_column(String(32), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="open")
    entity: Mapped[str | None] = mapped_column(String(64), nullable=True)
    record_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    conversation_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    mentions: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    first_seen_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    resolution: Mapped[str | None] = mapped_column(Text, nullable=True)


class Interaction(IdMixin, TenantMixin, Base):
    """One turn of a conversation (with the assistant, or a customer's message logged by an agent),
    classified on arrival: intent for what the speaker wants, sentiment for how they feel."""

    __tablename__ = "context_interaction"
    __table_args__ = (
        Index("ix_context_interaction_user", "tenant_id", "user_id", "created_at"),
        Index("ix_context_interaction_record", "tenant_id", "entity", "record_id", "created_at"),
        Index("ix_context_interaction_conversation", "tenant_id", "conversation_id", "created_at"),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("user.id", ondelete="CASCADE"), nullable=False)
    conversation_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    role: Mapped[str] = mapped_column(String(16), nullable=False)
    channel: Mapped[str] = mapped_column(String(20), nullable=False, default="web")
    text: Mapped[str] = mapped_column(Text, nullable=False)
    intent: Mapped[str | None] = mapped_column(String(32), nullable=True)
    intent_confidence: Mapped[float | None] = mapped_column(Float, nullable=True)
    sentiment: Mapped[str | None] = mapped_column(String(16), nullable=True)
    sentiment_score: Mapped[float | None] = mapped_column(Float, nullable=True)
    page: Mapped[str | None] = mapped_column(String(500), nullable=True)
    entity: Mapped[str | None] = mapped_column(String(64), nullable=True)
    record_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    topic_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("context_memory.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False, default=utcnow)
