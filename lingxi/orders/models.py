from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Index, Numeric, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from lingxi.db import Base
from lingxi.kit.models import RecordMixin
from lingxi.meta.spec import EntitySpec, F

ORDER_STATUSES = ("draft", "confirmed", "shipped", "delivered", "invoiced", "paid", "cancelled")


class Order(RecordMixin, Base):
    __tablename__ = "sales_order"
    __entity__ = EntitySpec("orders", "订单", "Order", title_field="order_number")
    __table_args__ = (
        UniqueConstraint("tenant_id", "order_number"),
        Index("ix_sales_order_tenant_date", "tenant_id", "order_date"),
    )

    order_number: Mapped[str] = mapped_column(String(64), nullable=False, info=F("text", "订单编号", "Order number", search=True, readonly=True))
    account_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("account.id", ondelete="SET NULL"), index=True, info=F("lookup", "客户", "Account", lookup="accounts")
    )
    contact_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("contact.id", ondelete="SET NULL"), info=F("lookup", "联系人", "Contact", lookup="contacts")
    )
    opportunity_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("opportunity.id", ondelete="SET NULL"), index=True, info=F("lookup", "商机", "Opportunity", lookup="opportunities")
    )
    quote_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("quote.id", ondelete="SET NULL"), info=F("lookup", "报价单", "Quote", lookup="quotes")
    )
    status: Mapped[str] = mapped_column(String(30), default="draft", nullable=False, info=F("picklist", "状态", "Status", options=ORDER_STATUSES, default="draft"))
    order_date: Mapped[date | None] = mapped_column(Date, info=F("date", "下单日期", "Order date"))
    currency: Mapped[str] = mapped_column(String(3), default="CNY", nullable=False, info=F("text", "币种", "Currency", pattern=r"^[A-Z]{3}$", default="CNY"))
    total_amount: Mapped[Decimal | None] = mapped_column(Numeric(18, 2), info=F("currency", "订单金额", "Total", readonly=True))
    shipping_address: Mapped[str | None] = mapped_column(String(500), info=F("text", "收货地址", "Shipping address"))
    notes: Mapped[str | None] = mapped_column(Text, info=F("long_text", "备注", "Notes", search=True))


class OrderLine(RecordMixin, Base):
    __tablename__ = "sales_order_line"
    __entity__ = EntitySpec(
        "order_lines", "订单明细", "Order line", title_field="description", parent=("orders", "order_id"), owned=False, searchable=False
    )

    order_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("sales_order.id", ondelete="CASCADE"), nullable=False, index=True, info=F("lookup", "订单", "Order", lookup="orders", required=True)
    )
    product_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("product.id", ondelete="RESTRICT"), index=True, info=F("lookup", "产品", "Product", lookup="products")
    )
    description: Mapped[str | None] = mapped_column(String(500), info=F("text", "说明", "Description"))
    quantity: Mapped[Decimal] = mapped_column(Numeric(18, 4), default=1, nullable=False, info=F("number", "数量", "Quantity", required=True))
    unit_price: Mapped[Decimal] = mapped_column(Numeric(18, 2), default=0, nullable=False, info=F("currency", "单价", "Unit price", required=True))
    discount: Mapped[Decimal | None] = mapped_column(Numeric(5, 2), info=F("percent", "折扣", "Discount"))
    total: Mapped[Decimal | None] = mapped_column(Numeric(18, 2), info=F("currency", "小计", "Total", readonly=True))
