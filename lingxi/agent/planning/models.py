"""Plans, their tasks and events, the tenant's decomposition methods and escalation rules.

A plan is a tree of ``PlanTask`` rows: the root is the goal, inner nodes (``kind="group"``) are phases
and steps, leaves (``kind="task"``) are atomic tasks with an executor. Only leaves run; an inner node's
status follows its children. ``PlanEvent`` is the plan's timeline (and what live subscribers replay).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from lingxi.db import Base, TenantScoped
from lingxi.kit.models import IdMixin, TenantMixin, TimestampMixin, utcnow
from lingxi.kit.types import UtcDateTime

PLAN_STATUSES = ("running", "waiting", "done", "failed", "cancelled", "escalated")
TASK_STATUSES = ("pending", "running", "waiting", "done", "failed", "cancelled", "escalated")
TERMINAL = frozenset({"done", "failed", "cancelled"})
EXECUTORS = ("system", "person", "external")


class PlanMethod(IdMixin, TenantMixin, TimestampMixin, Base):
    """A tenant's own decomposition method, or its edited copy of a built-in one (same ``key``).
    ``definition`` holds names, trigger phrases, slots and the step tree (see ``library.py``)."""

    __tablename__ = "agent_plan_method"
    __table_args__ = (UniqueConstraint("tenant_id", "key"),)

    key: Mapped[str] = mapped_column(String(64), nullable=False)
    goal_type: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    enabled: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    definition: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)
    updated_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("user.id", ondelete="SET NULL"))


class Plan(IdMixin, TenantMixin, TimestampMixin, Base):
    __tablename__ = "agent_plan"
    __table_args__ = (
        Index("ix_agent_plan_owner", "tenant_id", "owner_id", "created_at"),
        Index("ix_agent_plan_method", "tenant_id", "method_key", "status"),
    )

    goal: Mapped[str] = mapped_column(Text, nullable=False)
    goal_type: Mapped[str] = mapped_column(String(64), nullable=False)
    source: Mapped[str] = mapped_column(String(20), nullable=False, default="person")  # person, event, schedule
    method_key: Mapped[str | None] = mapped_column(String(64))
    method_version: Mapped[int | None] = mapped_column(Integer)
    planner: Mapped[str] = mapped_column(String(20), nullable=False, default="offline")  # offline, llm
    language: Mapped[str] = mapped_column(String(8), nullable=False, default="zh")
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="running")
    owner_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("user.id", ondelete="SET NULL"))
    record_entity: Mapped[str | None] = mapped_column(String(64))
    record_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    slots: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)
    explanation: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)
    outcome: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    goal_met: Mapped[bool | None] = mapped_column(Boolean)
    score: Mapped[float | None] = mapped_column(Float)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class PlanTask(IdMixin, TenantMixin, TimestampMixin, Base):
    """A node of a plan's tree. Leaves run; ``depends_on`` lists the leaves that must finish first."""

    __tablename__ = "agent_plan_task"
    __table_args__ = (
        Index("ix_agent_plan_task_plan", "plan_id", "position"),
        Index("ix_agent_plan_task_ready", "status", "ready_at"),
        Index("ix_agent_plan_task_assignee", "tenant_id", "assignee_id", "status"),
    )

    plan_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("agent_plan.id", ondelete="CASCADE"), nullable=False)
    parent_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("agent_plan_task.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64), nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False)  # pre-order index within the plan
    depth: Mapped[int] = mapped_column(Integer, nullable=False)  # the goal is 1
    kind: Mapped[str] = mapped_column(String(10), nullable=False)  # group, task
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    why: Mapped[str] = mapped_column(Text, nullable=False, default="")
    executor: Mapped[str | None] = mapped_column(String(10))  # system, person, external (leaves)
    tool: Mapped[str | None] = mapped_column(String(100))
    args: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)
    alternatives: Mapped[list[dict[str, Any]]] = mapped_column(JSON, nullable=False, default=list)  # backup channels
    assignee_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("user.id", ondelete="SET NULL"))
    instructions: Mapped[str | None] = mapped_column(Text)
    references: Mapped[list[dict[str, Any]]] = mapped_column(JSON, nullable=False, default=list)
    due_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    depends_on: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="pending")
    priority: Mapped[str] = mapped_column(String(10), nullable=False, default="normal")
    ready_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # when it may start (deps done, backoff over)
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    worker: Mapped[str | None] = mapped_column(String(120))
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    activity_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    reminded_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    escalated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    escalated_to_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("user.id", ondelete="SET NULL"))


class PlanEvent(TenantScoped, Base):
    """One change of a plan or task, in order; live subscribers get them as server-sent events."""

    __tablename__ = "agent_plan_event"
    __table_args__ = (Index("ix_agent_plan_event_plan", "plan_id", "id"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    plan_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("agent_plan.id", ondelete="CASCADE"), nullable=False)
    task_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    kind: Mapped[str] = mapped_column(String(40), nullable=False)
    status: Mapped[str | None] = mapped_column(String(20))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False, default=utcnow)


class EscalationRule(IdMixin, TenantMixin, TimestampMixin, Base):
    """What happens when a task fails: up to ``max_attempts`` tries with backoff, then the ``actions`` in order
    (``backup_channel``, ``replan``, ``escalate``). The first enabled rule whose ``match_tool`` (a
    tool name, a prefix ending in ``*``, or ``*``) and ``match_executor`` fit applies."""

    __tablename__ = "agent_escalation_rule"
    __table_args__ = (UniqueConstraint("tenant_id", "name"),)

    name: Mapped[str] = mapped_column(String(100), nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    enabled: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    match_tool: Mapped[str] = mapped_column(String(100), nullable=False, default="*")
    match_executor: Mapped[str] = mapped_column(String(10), nullable=False, default="*")
    max_attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=3)
    backoff_s: Mapped[float] = mapped_column(Float, nullable=False, default=2.0)
    backoff_factor: Mapped[float] = mapped_column(Float, nullable=False, default=2.0)
    backoff_max_s: Mapped[float] = mapped_column(Float, nullable=False, default=60.0)
    actions: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    escalate_priority: Mapped[str] = mapped_column(String(10), nullable=False, default="urgent")
