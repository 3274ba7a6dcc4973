"""tool calls of the agent core

Revision ID: 0005_agent_tools
Revises: 0004_saved_views
Create Date: 2026-11-22 08:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import lingxi.kit.types

revision: str = "0005_agent_tools"
down_revision: str | None = "0004_saved_views"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "tool_call",
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("tool", sa.String(length=100), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("args_digest", sa.String(length=64), nullable=False),
        sa.Column("idempotency_key", sa.String(length=200), nullable=True),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("error_code", sa.String(length=64), nullable=True),
        sa.Column("error_message", sa.String(length=500), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("latency_ms", sa.Float(), nullable=False),
        sa.Column("plan_task_id", sa.Uuid(), nullable=True),
        sa.Column("output", sa.JSON(), nullable=True),
        sa.Column("created_at", lingxi.kit.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenant.id"], name=op.f("fk_tool_call_tenant_id_tenant"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tool_call")),
    )
    op.create_index("ix_tool_call_tenant_created", "tool_call", ["tenant_id", "created_at"], unique=False)
    op.create_index("ix_tool_call_user_created", "tool_call", ["tenant_id", "user_id", "created_at"], unique=False)
    op.create_index(
        "ix_tool_call_idempotency", "tool_call", ["tenant_id", "user_id", "tool", "idempotency_key"], unique=True
    )
    op.create_index(op.f("ix_tool_call_plan_task_id"), "tool_call", ["plan_task_id"], unique=False)
    op.create_index(op.f("ix_tool_call_tenant_id"), "tool_call", ["tenant_id"], unique=False)
    op.create_table(
        "tool_reminder",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("created_by_id", sa.Uuid(), nullable=True),
        sa.Column("activity_id", sa.Uuid(), nullable=True),
        sa.Column("remind_at", lingxi.kit.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("body", sa.String(length=2000), nullable=False),
        sa.Column("link", sa.String(length=500), nullable=True),
        sa.Column("sent_at", lingxi.kit.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("created_at", lingxi.kit.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenant.id"], name=op.f("fk_tool_reminder_tenant_id_tenant"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tool_reminder")),
    )
    op.create_index("ix_tool_reminder_due", "tool_reminder", ["sent_at", "remind_at"], unique=False)
    op.create_index(op.f("ix_tool_reminder_tenant_id"), "tool_reminder", ["tenant_id"], unique=False)
    op.create_index(op.f("ix_tool_reminder_user_id"), "tool_reminder", ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_tool_reminder_user_id"), table_name="tool_reminder")
    op.drop_index(op.f("ix_tool_reminder_tenant_id"), table_name="tool_reminder")
    op.drop_index("ix_tool_reminder_due", table_name="tool_reminder")
    op.drop_table("tool_reminder")
    op.drop_index(op.f("ix_tool_call_tenant_id"), table_name="tool_call")
    op.drop_index(op.f("ix_tool_call_plan_task_id"), table_name="tool_call")
    op.drop_index("ix_tool_call_idempotency", table_name="tool_call")
    op.drop_index("ix_tool_call_user_created", table_name="tool_call")
    op.drop_index("ix_tool_call_tenant_created", table_name="tool_call")
    op.drop_table("tool_call")
