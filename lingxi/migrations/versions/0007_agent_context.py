"""notifications; behaviour events, interactions and memory of the context engine

Revision ID: 0007_agent_context
Revises: 0006_agent_plans
Create Date: 2026-11-22 08:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import lingxi.kit.types

revision: str = "0007_agent_context"
down_revision: str | None = "0006_agent_plans"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _tenant_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["tenant_id"], ["tenant.id"], name=op.f(f"fk_{table}_tenant_id_tenant"), ondelete="CASCADE"
    )


def _user_fk(table: str, column: str = "user_id") -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], ["user.id"], name=op.f(f"fk_{table}_{column}_user"), ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "notification",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("link", sa.String(length=500), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("priority", sa.String(length=16), nullable=False),
        sa.Column("read_at", lingxi.kit.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("created_at", lingxi.kit.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        _tenant_fk("notification"),
        _user_fk("notification"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification")),
    )
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notification_tenant_id"), ["tenant_id"], unique=False)
        batch_op.create_index("ix_notification_inbox", ["tenant_id", "user_id", "created_at"], unique=False)
        batch_op.create_index("ix_notification_unread", ["tenant_id", "user_id", "read_at"], unique=False)

    dt = lingxi.kit.types.UtcDateTime(timezone=True)
    op.create_table(
        "context_event",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("subject", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("page", sa.String(length=500), nullable=True),
        sa.Column("module", sa.String(length=64), nullable=True),
        sa.Column("entity", sa.String(length=64), nullable=True),
        sa.Column("record_id", sa.Uuid(), nullable=True),
        sa.Column("query", sa.String(length=300), nullable=True),
        sa.Column("target", sa.String(length=300), nullable=True),
        sa.Column("duration_ms", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("device", sa.String(length=40), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("occurred_at", dt, nullable=False),
        sa.Column("received_at", dt, nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        _tenant_fk("context_event"),
        _user_fk("context_event"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_context_event")),
    )
    with op.batch_alter_table("context_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_context_event_tenant_id"), ["tenant_id"], unique=False)
        batch_op.create_index("ix_context_event_user", ["tenant_id", "user_id", "occurred_at"], unique=False)
        batch_op.create_index(
            "ix_context_event_record", ["tenant_id", "entity", "record_id", "occurred_at"], unique=False
        )

    op.create_table(
        "context_memory",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("intent", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("entity", sa.String(length=64), nullable=True),
        sa.Column("record_id", sa.Uuid(), nullable=True),
        sa.Column("conversation_id", sa.Uuid(), nullable=True),
        sa.Column("mentions", sa.Integer(), nullable=False),
        sa.Column("first_seen_at", dt, nullable=False),
        sa.Column("last_seen_at", dt, nullable=False),
        sa.Column("closed_at", dt, nullable=True),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        _tenant_fk("context_memory"),
        _user_fk("context_memory"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_context_memory")),
    )
    with op.batch_alter_table("context_memory", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_context_memory_tenant_id"), ["tenant_id"], unique=False)
        batch_op.create_index(
            "ix_context_memory_user", ["tenant_id", "user_id", "status", "last_seen_at"], unique=False
        )

    op.create_table(
        "context_interaction",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("conversation_id", sa.Uuid(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("intent", sa.String(length=32), nullable=True),
        sa.Column("intent_confidence", sa.Float(), nullable=True),
        sa.Column("sentiment", sa.String(length=16), nullable=True),
        sa.Column("sentiment_score", sa.Float(), nullable=True),
        sa.Column("page", sa.String(length=500), nullable=True),
        sa.Column("entity", sa.String(length=64), nullable=True),
        sa.Column("record_id", sa.Uuid(), nullable=True),
        sa.Column("topic_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", dt, nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        _tenant_fk("context_interaction"),
        _user_fk("context_interaction"),
        sa.ForeignKeyConstraint(
            ["topic_id"],
            ["context_memory.id"],
            name=op.f("fk_context_interaction_topic_id_context_memory"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_context_interaction")),
    )
    with op.batch_alter_table("context_interaction", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_context_interaction_tenant_id"), ["tenant_id"], unique=False)
        batch_op.create_index("ix_context_interaction_user", ["tenant_id", "user_id", "created_at"], unique=False)
        batch_op.create_index(
            "ix_context_interaction_record", ["tenant_id", "entity", "record_id", "created_at"], unique=False
        )
        batch_op.create_index(
            "ix_context_interaction_conversation", ["tenant_id", "conversation_id", "created_at"], unique=False
        )


def downgrade() -> None:
    op.drop_table("context_interaction")
    op.drop_table("context_memory")
    op.drop_table("context_event")
    op.drop_table("notification")
