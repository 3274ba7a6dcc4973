"""An inverted index of segmented terms, one row per (record, field, term), on every backend.

Terms are compared as code points (``term >= :t AND term < :next``) so a prefix search is a btree
range scan; on PostgreSQL the column therefore uses the "C" collation whatever the database's is.
The lookup index covers every column a search reads, so ranking is an index-only scan; the primary
key, led by the tenant, serves rewriting and reading one record's rows. No other index: each one
slows every record write.
"""

from __future__ import annotations

import uuid

from sqlalchemy import Float, ForeignKey, Index, PrimaryKeyConstraint, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from lingxi.db import Base
from lingxi.kit.models import TenantMixin

TERM_TYPE = String(100).with_variant(String(100, collation="C"), "postgresql")


class SearchTerm(TenantMixin, Base):
    __tablename__ = "search_term"
    __table_args__ = (PrimaryKeyConstraint("tenant_id", "entity", "record_id", "field", "term"),)

    # No single-column tenant index: the primary key and the lookup index both lead with tenant_id.
    tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("tenant.id", ondelete="CASCADE"), nullable=False)
    entity: Mapped[str] = mapped_column(String(64))
    record_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    field: Mapped[str] = mapped_column(String(64))
    term: Mapped[str] = mapped_column(TERM_TYPE)
    weight: Mapped[float] = mapped_column(Float, nullable=False, default=1.0)


# Covers every column a search reads; within a term, heavier rows (title fields) come first, so a
# capped scan keeps the best candidates.
Index(
    "ix_search_term_lookup",
    SearchTerm.tenant_id,
    SearchTerm.entity,
    SearchTerm.term,
    SearchTerm.weight.desc(),
    SearchTerm.record_id,
    SearchTerm.field,
)
