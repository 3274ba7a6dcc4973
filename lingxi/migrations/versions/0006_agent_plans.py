"""plans, tasks and decomposition methods

Revision ID: 0006_agent_plans
Revises: 0005_agent_tools
Create Date: 2026-11-22 08:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import lingxi.kit.types

revision: str = "0006_agent_plans"
down_revision: str | None = "0005_agent_tools"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "agent_escalation_rule",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("match_tool", sa.String(length=100), nullable=False),
        sa.Column("match_executor", sa.String(length=10), nullable=False),
        sa.Column("max_attempts", sa.Integer(), nullable=False),
        sa.Column("backoff_s", sa.Float(), nullable=False),
        sa.Column("backoff_factor", sa.Float(), nullable=False),
        sa.Column("backoff_max_s", sa.Float(), nullable=False),
        sa.Column("actions", sa.JSON(), nullable=False),
        sa.Column("escalate_priority", sa.String(length=10), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", lingxi.kit.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", lingxi.kit.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenant.id"], name=op.f("fk_agent_escalation_rule_tenant_id_tenant"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agent_escalation_rule")),
        sa.UniqueConstraint("tenant_id", "name", name=op.f("uq_agent_escalation_rule_tenant_id_name")),
    )
    with op.batch_alter_table("agent_escalation_rule", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agent_escalation_rule_tenant_id"), ["tenant_id"], unique=False)

    op.create_table(
        "agent_plan",
        sa.Column("goal", sa.Text(), nullable=False),
        sa.Column("goal_type", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("method_key", sa.String(length=64), nullable=True),
        sa.Column("method_version", sa.Integer(), nullable=True),
        sa.Column("planner", sa.String(length=20), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=True),
        sa.Column("record_entity", sa.String(length=64), nullable=True),
        sa.Column("record_id", sa.Uuid(), nullable=True),
        sa.Column("slots", sa.JSON(), nullable=False),
        sa.Column("explanation", sa.JSON(), nullable=False),
        sa.Column("outcome", sa.JSON(), nullable=True),
        sa.Column("goal_met", sa.Boolean(), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("finished_at", lingxi.kit.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", lingxi.kit.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", lingxi.kit.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["user.id"], name=op.f("fk_agent_plan_owner_id_user"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenant.id"], name=op.f("fk_agent_plan_tenant_id_tenant"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agent_plan")),
    )
    with op.batch_alter_table("agent_plan", schema=None) as batch_op:
        batch_op.create_index("ix_agent_plan_method", ["tenant_id", "method_key", "status"], unique=False)
        batch_op.create_index("ix_agent_plan_owner", ["tenant_id", "owner_id", "created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_agent_plan_tenant_id"), ["tenant_id"], unique=False)

    op.create_table(
        "agent_plan_method",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("goal_type", sa.String(length=64), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.Column("updated_by_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", lingxi.kit.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", lingxi.kit.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenant.id"], name=op.f("fk_agent_plan_method_tenant_id_tenant"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["user.id"], name=op.f("fk_agent_plan_method_updated_by_id_user"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agent_plan_method")),
        sa.UniqueConstraint("tenant_id", "key", name=op.f("uq_agent_plan_method_tenant_id_key")),
    )
    with op.batch_alter_table("agent_plan_method", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agent_plan_method_goal_type"), ["goal_type"], unique=False)
        batch_op.create_index(batch_op.f("ix_agent_plan_method_tenant_id"), ["tenant_id"], unique=False)

    op.create_table(
        "agent_plan_event",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("plan_id", sa.Uuid(), nullable=False),
        sa.Column("task_id", sa.Uuid(), nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_at", lingxi.kit.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["agent_plan.id"], name=op.f("fk_agent_plan_event_plan_id_agent_plan"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenant.id"], name=op.f("fk_agent_plan_event_tenant_id_tenant"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agent_plan_event")),
    )
    with op.batch_alter_table("agent_plan_event", schema=None) as batch_op:
        batch_op.create_index("ix_agent_plan_event_plan", ["plan_id", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_agent_plan_event_tenant_id"), ["tenant_id"], unique=False)

    op.create_table(
        "agent_plan_task",
        sa.Column("plan_id", sa.Uuid(), nullable=False),
        sa.Column("parent_id", sa.Uuid(), nullable=True),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("depth", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("why", sa.Text(), nullable=False),
        sa.Column("executor", sa.String(length=10), nullable=True),
        sa.Column("tool", sa.String(length=100), nullable=True),
        sa.Column("args", sa.JSON(), nullable=False),
        sa.Column("alternatives", sa.JSON(), nullable=False),
        sa.Column("assignee_id", sa.Uuid(), nullable=True),
        sa.Column("instructions", sa.Text(), nullable=True),
        sa.Column("references", sa.JSON(), nullable=False),
        sa.Column("due_at", lingxi.kit.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("depends_on", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("priority", sa.String(length=10), nullable=False),
        sa.Column("ready_at", lingxi.kit.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("started_at", lingxi.kit.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("finished_at", lingxi.kit.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("worker", sa.String(length=120), nullable=True),
        sa.Column("lease_until", lingxi.kit.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("error", sa.JSON(), nullable=True),
        sa.Column("activity_id", sa.Uuid(), nullable=True),
        sa.Column("reminded_at", lingxi.kit.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("escalated_at", lingxi.kit.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("escalated_to_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", lingxi.kit.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", lingxi.kit.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assignee_id"], ["user.id"], name=op.f("fk_agent_plan_task_assignee_id_user"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["escalated_to_id"], ["user.id"], name=op.f("fk_agent_plan_task_escalated_to_id_user"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["agent_plan_task.id"],
            name=op.f("fk_agent_plan_task_parent_id_agent_plan_task"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["agent_plan.id"], name=op.f("fk_agent_plan_task_plan_id_agent_plan"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenant.id"], name=op.f("fk_agent_plan_task_tenant_id_tenant"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agent_plan_task")),
    )
    with op.batch_alter_table("agent_plan_task", schema=None) as batch_op:
        batch_op.create_index("ix_agent_plan_task_assignee", ["tenant_id", "assignee_id", "status"], unique=False)
        batch_op.create_index("ix_agent_plan_task_plan", ["plan_id", "position"], unique=False)
        batch_op.create_index("ix_agent_plan_task_ready", ["status", "ready_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_agent_plan_task_tenant_id"), ["tenant_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("agent_plan_task", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agent_plan_task_tenant_id"))
        batch_op.drop_index("ix_agent_plan_task_ready")
        batch_op.drop_index("ix_agent_plan_task_plan")
        batch_op.drop_index("ix_agent_plan_task_assignee")

    op.drop_table("agent_plan_task")
    with op.batch_alter_table("agent_plan_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agent_plan_event_tenant_id"))
        batch_op.drop_index("ix_agent_plan_event_plan")

    op.drop_table("agent_plan_event")
    with op.batch_alter_table("agent_plan_method", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agent_plan_method_tenant_id"))
        batch_op.drop_index(batch_op.f("ix_agent_plan_method_goal_type"))

    op.drop_table("agent_plan_method")
    with op.batch_alter_table("agent_plan", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agent_plan_tenant_id"))
        batch_op.drop_index("ix_agent_plan_owner")
        batch_op.drop_index("ix_agent_plan_method")

    op.drop_table("agent_plan")
    with op.batch_alter_table("agent_escalation_rule", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agent_escalation_rule_tenant_id"))

    op.drop_table("agent_escalation_rule")
