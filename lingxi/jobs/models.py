"""User-visible jobs (imports, exports, ...). The row is the source of truth; the queue only carries ids."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from lingxi.db import Base
from lingxi.kit.models import IdMixin, TenantMixin, TimestampMixin
from lingxi.kit.types import UtcDateTime

JOB_STATUSES = ("queued", "running", "succeeded", "failed", "cancelled")


class Job(IdMixin, TenantMixin, TimestampMixin, Base):
    __tablename__ = "job"
    __table_args__ = (Index("ix_job_status", "status", "created_at"),)

    kind: Mapped[str] = mapped_column(String(50), nullable=False)  # import, export, ...
    status: Mapped[str] = mapped_column(String(20), default="queued", nullable=False)
    entity: Mapped[str | None] = mapped_column(String(64))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, nullable=False)
    progress: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    total: Mapped[int | None] = mapped_column(Integer)
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, nullable=False)
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("user.id", ondelete="SET NULL"))
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # The worker running the job ("host:pid") and its last sign of life: a job whose worker died is
    # found by these and queued again (see ``lingxi.jobs.runner.recover_jobs``).
    worker_id: Mapped[str | None] = mapped_column(String(100))
    heartbeat_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
