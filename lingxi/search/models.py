"""An inverted index of segmented terms, one row per (record, field, term), on every backend."""

from __future__ import annotations

import uuid

from sqlalchemy import Float, Index, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from lingxi.db import Base
from lingxi.kit.models import TenantMixin


class SearchTerm(TenantMixin, Base):
    __tablename__ = "search_term"
    __table_args__ = (
        Index("ix_search_term_lookup", "tenant_id", "entity", "term"),
        Index("ix_search_term_record", "tenant_id", "entity", "record_id"),
    )

    entity: Mapped[str] = mapped_column(String(64), primary_key=True)
    record_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    field: Mapped[str] = mapped_column(String(64), primary_key=True)
    term: Mapped[str] = mapped_column(String(100), primary_key=True)
    weight: Mapped[float] = mapped_column(Float, nullable=False, default=1.0)
