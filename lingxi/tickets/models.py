from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from lingxi.activities.models import PRIORITIES
from lingxi.db import Base
from lingxi.kit.models import RecordMixin
from lingxi.kit.types import UtcDateTime
from lingxi.meta.spec import EntitySpec, F

CHANNELS = ("phone", "email", "web", "chat", "wecom", "dingtalk", "feishu", "mini_program", "sms", "iot", "in_person")
TICKET_STATUSES = ("new", "open", "pending", "resolved", "closed")
TICKET_CATEGORIES = ("咨询", "故障", "投诉", "退换货", "账单", "安装实施", "功能建议", "其他")
# Hours to first response and to resolution, per priority.
SLA_HOURS = {"urgent": (1, 8), "high": (4, 24), "normal": (8, 72), "low": (24, 168)}


class Ticket(RecordMixin, Base):
    __tablename__ = "ticket"
    __entity__ = EntitySpec("tickets", "工单", "Ticket", title_field="subject")
    __table_args__ = (
        UniqueConstraint("tenant_id", "number"),
        Index("ix_ticket_tenant_status", "tenant_id", "status"),
    )

    number: Mapped[str] = mapped_column(String(32), nullable=False, info=F("text", "工单号", "Number", search=True, readonly=True))
    subject: Mapped[str] = mapped_column(String(300), nullable=False, info=F("text", "主题", "Subject", required=True, search=True))
    description: Mapped[str | None] = mapped_column(Text, info=F("long_text", "问题描述", "Description", search=True))
    account_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("account.id", ondelete="SET NULL"), index=True, info=F("lookup", "客户", "Account", lookup="accounts")
    )
    contact_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("contact.id", ondelete="SET NULL"), index=True, info=F("lookup", "联系人", "Contact", lookup="contacts")
    )
    channel: Mapped[str] = mapped_column(String(20), default="web", nullable=False, info=F("picklist", "渠道", "Channel", options=CHANNELS, default="web"))
    category: Mapped[str | None] = mapped_column(String(50), info=F("picklist", "分类", "Category", options=TICKET_CATEGORIES))
    priority: Mapped[str] = mapped_column(String(20), default="normal", nullable=False, info=F("picklist", "优先级", "Priority", options=PRIORITIES, default="normal"))
    status: Mapped[str] = mapped_column(String(20), default="new", nullable=False, info=F("picklist", "状态", "Status", options=TICKET_STATUSES, default="new"))
    first_response_due_at: Mapped[datetime | None] = mapped_column(UtcDateTime, info=F("datetime", "首次响应时限", "First response due"))
    resolution_due_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True, info=F("datetime", "解决时限", "Resolution due"))
    first_responded_at: Mapped[datetime | None] = mapped_column(UtcDateTime, info=F("datetime", "首次响应时间", "First responded at"))
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime, info=F("datetime", "解决时间", "Resolved at"))
    satisfaction: Mapped[int | None] = mapped_column(Integer, info=F("integer", "满意度(1-5)", "Satisfaction (1-5)"))
