"""tenant intent examples for the language models

Revision ID: 0002_nlp
Revises: 0001
Create Date: 2026-11-22 05:20:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import lingxi.kit.types

revision: str = "0002_nlp"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ai_intent_example",
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("intent", sa.String(length=32), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("created_by_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", lingxi.kit.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", lingxi.kit.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["user.id"], name=op.f("fk_ai_intent_example_created_by_id_user"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenant.id"], name=op.f("fk_ai_intent_example_tenant_id_tenant"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ai_intent_example")),
        sa.UniqueConstraint("tenant_id", "text", name=op.f("uq_ai_intent_example_tenant_id_text")),
    )
    with op.batch_alter_table("ai_intent_example", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ai_intent_example_tenant_id"), ["tenant_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("ai_intent_example", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ai_intent_example_tenant_id"))
    op.drop_table("ai_intent_example")
