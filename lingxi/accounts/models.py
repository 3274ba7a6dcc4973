from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Integer, Numeric, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from lingxi.db import Base
from lingxi.kit.models import RecordMixin
from lingxi.meta.spec import EntitySpec, F

INDUSTRIES = ("制造业", "信息技术", "金融", "零售", "医疗健康", "教育", "能源", "物流", "房地产", "专业服务", "政府与公共事业", "其他")
ACCOUNT_TYPES = ("prospect", "customer", "partner", "competitor", "other")


class Account(RecordMixin, Base):
    __tablename__ = "account"
    __entity__ = EntitySpec("accounts", "客户", "Account")
    __table_args__ = (Index("ix_account_tenant_norm", "tenant_id", "normalized_name"),)

    name: Mapped[str] = mapped_column(String(200), nullable=False, info=F("text", "客户名称", "Name", required=True, search=True))
    normalized_name: Mapped[str | None] = mapped_column(String(200), info=F("text", "标准化名称", "Normalized name", readonly=True))
    industry: Mapped[str | None] = mapped_column(String(100), info=F("picklist", "行业", "Industry", options=INDUSTRIES))
    type: Mapped[str | None] = mapped_column(String(30), info=F("picklist", "类型", "Type", options=ACCOUNT_TYPES))
    rating: Mapped[str | None] = mapped_column(String(10), info=F("picklist", "评级", "Rating", options=("A", "B", "C", "D")))
    website: Mapped[str | None] = mapped_column(String(300), info=F("url", "网站", "Website", search=True))
    phone: Mapped[str | None] = mapped_column(String(50), info=F("phone", "电话", "Phone", search=True))
    email: Mapped[str | None] = mapped_column(String(320), info=F("email", "邮箱", "Email", search=True))
    country: Mapped[str | None] = mapped_column(String(100), info=F("text", "国家", "Country"))
    province: Mapped[str | None] = mapped_column(String(100), info=F("text", "省份", "Province", search=True))
    city: Mapped[str | None] = mapped_column(String(100), info=F("text", "城市", "City", search=True))
    address: Mapped[str | None] = mapped_column(String(500), info=F("text", "地址", "Address", search=True))
    annual_revenue: Mapped[Decimal | None] = mapped_column(Numeric(18, 2), info=F("currency", "年收入", "Annual revenue"))
    employees: Mapped[int | None] = mapped_column(Integer, info=F("integer", "员工数", "Employees"))
    parent_account_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("account.id", ondelete="SET NULL"), info=F("lookup", "上级客户", "Parent account", lookup="accounts")
    )
    description: Mapped[str | None] = mapped_column(Text, info=F("long_text", "描述", "Description", search=True))
