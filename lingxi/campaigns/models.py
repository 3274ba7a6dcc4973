from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Numeric, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from lingxi.db import Base
from lingxi.kit.models import RecordMixin
from lingxi.kit.types import UtcDateTime
from lingxi.meta.spec import EntitySpec, F

CAMPAIGN_TYPES = ("email", "event", "webinar", "advertising", "social", "sms", "trade_show", "other")
CAMPAIGN_STATUSES = ("planned", "active", "completed", "aborted")
MEMBER_STATUSES = ("planned", "sent", "opened", "clicked", "responded", "bounced", "unsubscribed")


class Campaign(RecordMixin, Base):
    __tablename__ = "campaign"
    __entity__ = EntitySpec("campaigns", "市场活动", "Campaign")

    name: Mapped[str] = mapped_column(String(200), nullable=False, info=F("text", "活动名称", "Name", required=True, search=True))
    type: Mapped[str | None] = mapped_column(String(30), info=F("picklist", "类型", "Type", options=CAMPAIGN_TYPES))
    status: Mapped[str] = mapped_column(String(20), default="planned", nullable=False, info=F("picklist", "状态", "Status", options=CAMPAIGN_STATUSES, default="planned"))
    start_date: Mapped[date | None] = mapped_column(Date, info=F("date", "开始日期", "Start date"))
    end_date: Mapped[date | None] = mapped_column(Date, info=F("date", "结束日期", "End date"))
    budget: Mapped[Decimal | None] = mapped_column(Numeric(18, 2), info=F("currency", "预算", "Budget"))
    actual_cost: Mapped[Decimal | None] = mapped_column(Numeric(18, 2), info=F("currency", "实际成本", "Actual cost"))
    expected_revenue: Mapped[Decimal | None] = mapped_column(Numeric(18, 2), info=F("currency", "预期收入", "Expected revenue"))
    description: Mapped[str | None] = mapped_column(Text, info=F("long_text", "描述", "Description", search=True))


class CampaignMember(RecordMixin, Base):
    __tablename__ = "campaign_member"
    __entity__ = EntitySpec(
        "campaign_members", "活动成员", "Campaign member", title_field="status", parent=("campaigns", "campaign_id"), owned=False, searchable=False
    )
    __table_args__ = (UniqueConstraint("tenant_id", "campaign_id", "contact_id", "lead_id"),)

    campaign_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("campaign.id", ondelete="CASCADE"), nullable=False, index=True,
        info=F("lookup", "市场活动", "Campaign", lookup="campaigns", required=True),
    )
    contact_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("contact.id", ondelete="CASCADE"), index=True, info=F("lookup", "联系人", "Contact", lookup="contacts")
    )
    lead_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("lead.id", ondelete="CASCADE"), index=True, info=F("lookup", "线索", "Lead", lookup="leads")
    )
    status: Mapped[str] = mapped_column(String(20), default="planned", nullable=False, info=F("picklist", "状态", "Status", options=MEMBER_STATUSES, default="planned"))
    responded_at: Mapped[datetime | None] = mapped_column(UtcDateTime, info=F("datetime", "响应时间", "Responded at"))
