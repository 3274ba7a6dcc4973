from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, Numeric, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from lingxi.contacts.models import LEAD_SOURCES
from lingxi.db import Base
from lingxi.kit.models import RecordMixin
from lingxi.meta.spec import EntitySpec, F

COMPETITORS = ("Salesforce", "Microsoft Dynamics", "HubSpot", "Odoo", "纷享销客", "销售易", "用友", "金蝶", "其他")


class Pipeline(RecordMixin, Base):
    __tablename__ = "pipeline"
    __entity__ = EntitySpec("pipelines", "销售流程", "Pipeline", owned=False, admin_only_write=True, searchable=False, default_sort=("position",))
    __table_args__ = (UniqueConstraint("tenant_id", "name"),)

    name: Mapped[str] = mapped_column(String(200), nullable=False, info=F("text", "名称", "Name", required=True))
    is_default: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False, info=F("boolean", "默认", "Default"))
    position: Mapped[int] = mapped_column(Integer, default=0, nullable=False, info=F("integer", "顺序", "Position"))
    description: Mapped[str | None] = mapped_column(Text, info=F("long_text", "描述", "Description"))


class PipelineStage(RecordMixin, Base):
    __tablename__ = "pipeline_stage"
    __entity__ = EntitySpec(
        "pipeline_stages", "阶段", "Stage", owned=False, admin_only_write=True, searchable=False,
        parent=("pipelines", "pipeline_id"), default_sort=("position",),
    )
    __table_args__ = (UniqueConstraint("tenant_id", "pipeline_id", "name"),)

    pipeline_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("pipeline.id", ondelete="CASCADE"), nullable=False, index=True,
        info=F("lookup", "销售流程", "Pipeline", lookup="pipelines", required=True),
    )
    name: Mapped[str] = mapped_column(String(100), nullable=False, info=F("text", "名称", "Name", required=True))
    position: Mapped[int] = mapped_column(Integer, default=0, nullable=False, info=F("integer", "顺序", "Position"))
    probability: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=0, nullable=False, info=F("percent", "赢率", "Probability"))
    is_closed: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False, info=F("boolean", "已关闭", "Closed"))
    is_won: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False, info=F("boolean", "赢单", "Won"))
    max_days: Mapped[int | None] = mapped_column(Integer, info=F("integer", "阶段时限(天)", "Stage time limit (days)"))


class Opportunity(RecordMixin, Base):
    __tablename__ = "opportunity"
    __entity__ = EntitySpec("opportunities", "商机", "Opportunity")
    __table_args__ = (Index("ix_opportunity_tenant_stage", "tenant_id", "stage_id"),)

    name: Mapped[str] = mapped_column(String(200), nullable=False, info=F("text", "商机名称", "Name", required=True, search=True))
    account_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("account.id", ondelete="SET NULL"), index=True, info=F("lookup", "客户", "Account", lookup="accounts")
    )
    contact_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("contact.id", ondelete="SET NULL"), info=F("lookup", "联系人", "Contact", lookup="contacts")
    )
    pipeline_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("pipeline.id", ondelete="RESTRICT"), info=F("lookup", "销售流程", "Pipeline", lookup="pipelines")
    )
    stage_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("pipeline_stage.id", ondelete="RESTRICT"), info=F("lookup", "阶段", "Stage", lookup="pipeline_stages")
    )
    amount: Mapped[Decimal | None] = mapped_column(Numeric(18, 2), info=F("currency", "金额", "Amount"))
    currency: Mapped[str] = mapped_column(String(3), default="CNY", nullable=False, info=F("text", "币种", "Currency", pattern=r"^[A-Z]{3}$", default="CNY"))
    close_date: Mapped[date | None] = mapped_column(Date, index=True, info=F("date", "预计成交日期", "Close date"))
    probability: Mapped[Decimal | None] = mapped_column(Numeric(5, 2), info=F("percent", "赢率", "Probability"))
    competitors: Mapped[list[str]] = mapped_column(JSON, default=list, nullable=False, info=F("multi_picklist", "竞争对手", "Competitors", options=COMPETITORS))
    lead_source: Mapped[str | None] = mapped_column(String(30), info=F("picklist", "来源", "Lead source", options=LEAD_SOURCES))
    next_step: Mapped[str | None] = mapped_column(String(500), info=F("text", "下一步", "Next step", search=True))
    type: Mapped[str | None] = mapped_column(String(30), info=F("picklist", "类型", "Type", options=("new_business", "upsell", "renewal")))
    description: Mapped[str | None] = mapped_column(Text, info=F("long_text", "描述", "Description", search=True))


class OpportunityLineItem(RecordMixin, Base):
    __tablename__ = "opportunity_line_item"
    __entity__ = EntitySpec(
        "opportunity_line_items", "商机产品", "Opportunity product", title_field="description",
        parent=("opportunities", "opportunity_id"), owned=False, searchable=False,
    )

    opportunity_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("opportunity.id", ondelete="CASCADE"), nullable=False, index=True,
        info=F("lookup", "商机", "Opportunity", lookup="opportunities", required=True),
    )
    product_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("product.id", ondelete="RESTRICT"), info=F("lookup", "产品", "Product", lookup="products")
    )
    description: Mapped[str | None] = mapped_column(String(500), info=F("text", "说明", "Description"))
    quantity: Mapped[Decimal] = mapped_column(Numeric(18, 4), default=1, nullable=False, info=F("number", "数量", "Quantity", required=True))
    unit_price: Mapped[Decimal] = mapped_column(Numeric(18, 2), default=0, nullable=False, info=F("currency", "单价", "Unit price", required=True))
    discount: Mapped[Decimal | None] = mapped_column(Numeric(5, 2), info=F("percent", "折扣", "Discount"))
    total: Mapped[Decimal | None] = mapped_column(Numeric(18, 2), info=F("currency", "小计", "Total", readonly=True))
