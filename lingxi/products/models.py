from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import Boolean, ForeignKey, Numeric, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from lingxi.db import Base
from lingxi.kit.models import RecordMixin
from lingxi.meta.spec import EntitySpec, F


class Product(RecordMixin, Base):
    __tablename__ = "product"
    __entity__ = EntitySpec("products", "产品", "Product", owned=False)
    __table_args__ = (UniqueConstraint("tenant_id", "code"),)

    name: Mapped[str] = mapped_column(String(200), nullable=False, info=F("text", "产品名称", "Name", required=True, search=True))
    code: Mapped[str] = mapped_column(String(64), nullable=False, info=F("text", "产品编码", "Code", required=True, unique=True, search=True))
    family: Mapped[str | None] = mapped_column(String(100), info=F("picklist", "产品系列", "Family", options=("软件", "硬件", "服务", "订阅", "培训")))
    unit: Mapped[str | None] = mapped_column(String(30), info=F("text", "单位", "Unit"))
    list_price: Mapped[Decimal | None] = mapped_column(Numeric(18, 2), info=F("currency", "标准价", "List price"))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False, info=F("boolean", "启用", "Active", default=True))
    description: Mapped[str | None] = mapped_column(Text, info=F("long_text", "描述", "Description", search=True))


class PriceBook(RecordMixin, Base):
    __tablename__ = "price_book"
    __entity__ = EntitySpec("price_books", "价格表", "Price book", owned=False, searchable=False)
    __table_args__ = (UniqueConstraint("tenant_id", "name"),)

    name: Mapped[str] = mapped_column(String(200), nullable=False, info=F("text", "名称", "Name", required=True))
    currency: Mapped[str] = mapped_column(String(3), default="CNY", nullable=False, info=F("text", "币种", "Currency", pattern=r"^[A-Z]{3}$", default="CNY"))
    is_standard: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False, info=F("boolean", "标准价格表", "Standard"))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False, info=F("boolean", "启用", "Active", default=True))
    description: Mapped[str | None] = mapped_column(Text, info=F("long_text", "描述", "Description"))


class PriceBookEntry(RecordMixin, Base):
    __tablename__ = "price_book_entry"
    __entity__ = EntitySpec(
        "price_book_entries", "价格条目", "Price book entry", title_field="product_id", owned=False, searchable=False,
        parent=("price_books", "price_book_id"),
    )
    __table_args__ = (UniqueConstraint("tenant_id", "price_book_id", "product_id"),)

    price_book_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("price_book.id", ondelete="CASCADE"), nullable=False, index=True,
        info=F("lookup", "价格表", "Price book", lookup="price_books", required=True),
    )
    product_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("product.id", ondelete="CASCADE"), nullable=False, info=F("lookup", "产品", "Product", lookup="products", required=True)
    )
    unit_price: Mapped[Decimal] = mapped_column(Numeric(18, 2), nullable=False, info=F("currency", "单价", "Unit price", required=True))
