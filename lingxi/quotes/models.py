from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Numeric, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from lingxi.db import Base
from lingxi.kit.models import RecordMixin
from lingxi.meta.spec import EntitySpec, F

QUOTE_STATUSES = ("draft", "in_review", "presented", "accepted", "rejected")


class Quote(RecordMixin, Base):
    __tablename__ = "quote"
    __entity__ = EntitySpec("quotes", "报价单", "Quote")

    name: Mapped[str] = mapped_column(String(200), nullable=False, info=F("text", "报价名称", "Name", required=True, search=True))
    opportunity_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("opportunity.id", ondelete="SET NULL"), index=True, info=F("lookup", "商机", "Opportunity", lookup="opportunities")
    )
    account_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("account.id", ondelete="SET NULL"), index=True, info=F("lookup", "客户", "Account", lookup="accounts")
    )
    status: Mapped[str] = mapped_column(String(30), default="draft", nullable=False, info=F("picklist", "状态", "Status", options=QUOTE_STATUSES, default="draft"))
    valid_until: Mapped[date | None] = mapped_column(Date, info=F("date", "有效期至", "Valid until"))
    currency: Mapped[str] = mapped_column(String(3), default="CNY", nullable=False, info=F("text", "币种", "Currency", pattern=r"^[A-Z]{3}$", default="CNY"))
    total_amount: Mapped[Decimal | None] = mapped_column(Numeric(18, 2), info=F("currency", "总金额", "Total", readonly=True))
    terms: Mapped[str | None] = mapped_column(Text, info=F("long_text", "条款", "Terms"))


class QuoteLine(RecordMixin, Base):
    __tablename__ = "quote_line"
    __entity__ = EntitySpec(
        "quote_lines", "报价明细", "Quote line", title_field="description", parent=("quotes", "quote_id"), owned=False, searchable=False
    )

    quote_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("quote.id", ondelete="CASCADE"), nullable=False, index=True, info=F("lookup", "报价单", "Quote", lookup="quotes", required=True)
    )
    product_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("product.id", ondelete="RESTRICT"), info=F("lookup", "产品", "Product", lookup="products")
    )
    description: Mapped[str | None] = mapped_column(String(500), info=F("text", "说明", "Description"))
    quantity: Mapped[Decimal] = mapped_column(Numeric(18, 4), default=1, nullable=False, info=F("number", "数量", "Quantity", required=True))
    unit_price: Mapped[Decimal] = mapped_column(Numeric(18, 2), default=0, nullable=False, info=F("currency", "单价", "Unit price", required=True))
    discount: Mapped[Decimal | None] = mapped_column(Numeric(5, 2), info=F("percent", "折扣", "Discount"))
    total: Mapped[Decimal | None] = mapped_column(Numeric(18, 2), info=F("currency", "小计", "Total", readonly=True))
