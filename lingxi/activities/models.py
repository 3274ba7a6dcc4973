from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from lingxi.db import Base
from lingxi.kit.models import RecordMixin
from lingxi.kit.types import UtcDateTime
from lingxi.meta.spec import EntitySpec, F

ACTIVITY_TYPES = ("task", "call", "meeting", "visit", "email", "note")
ACTIVITY_STATUSES = ("planned", "in_progress", "completed", "cancelled")
PRIORITIES = ("low", "normal", "high", "urgent")


class Activity(RecordMixin, Base):
    """A task, call, meeting, visit, email or note, linked to any record through
    ``related_entity``/``related_id`` and, for fast related lists, to its account, contact and deal."""

    __tablename__ = "activity"
    __entity__ = EntitySpec("activities", "活动", "Activity", title_field="subject")
    __table_args__ = (
        Index("ix_activity_related", "tenant_id", "related_entity", "related_id"),
        Index("ix_activity_tenant_due", "tenant_id", "due_at"),
    )

    type: Mapped[str] = mapped_column(String(20), nullable=False, info=F("picklist", "类型", "Type", options=ACTIVITY_TYPES, required=True))
    subject: Mapped[str] = mapped_column(String(300), nullable=False, info=F("text", "主题", "Subject", required=True, search=True))
    description: Mapped[str | None] = mapped_column(Text, info=F("long_text", "内容", "Description", search=True))
    status: Mapped[str] = mapped_column(String(20), default="planned", nullable=False, info=F("picklist", "状态", "Status", options=ACTIVITY_STATUSES, default="planned"))
    priority: Mapped[str] = mapped_column(String(20), default="normal", nullable=False, info=F("picklist", "优先级", "Priority", options=PRIORITIES, default="normal"))
    due_at: Mapped[datetime | None] = mapped_column(UtcDateTime, info=F("datetime", "截止时间", "Due at"))
    start_at: Mapped[datetime | None] = mapped_column(UtcDateTime, info=F("datetime", "开始时间", "Start at"))
    end_at: Mapped[datetime | None] = mapped_column(UtcDateTime, info=F("datetime", "结束时间", "End at"))
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, info=F("datetime", "完成时间", "Completed at"))
    duration_minutes: Mapped[int | None] = mapped_column(Integer, info=F("integer", "时长(分钟)", "Duration (min)"))
    direction: Mapped[str | None] = mapped_column(String(10), info=F("picklist", "方向", "Direction", options=("inbound", "outbound")))
    outcome: Mapped[str | None] = mapped_column(String(500), info=F("text", "结果", "Outcome", search=True))
    location: Mapped[str | None] = mapped_column(String(300), info=F("text", "地点", "Location"))
    related_entity: Mapped[str | None] = mapped_column(String(64), info=F("text", "关联对象类型", "Related entity"))
    related_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, info=F("lookup", "关联记录", "Related record"))
    account_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("account.id", ondelete="SET NULL"), index=True, info=F("lookup", "客户", "Account", lookup="accounts")
    )
    contact_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("contact.id", ondelete="SET NULL"), index=True, info=F("lookup", "联系人", "Contact", lookup="contacts")
    )
    opportunity_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("opportunity.id", ondelete="SET NULL"), index=True, info=F("lookup", "商机", "Opportunity", lookup="opportunities")
    )
    lead_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("lead.id", ondelete="SET NULL"), index=True, info=F("lookup", "线索", "Lead", lookup="leads")
    )
    ticket_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("ticket.id", ondelete="SET NULL", use_alter=True), index=True, info=F("lookup", "工单", "Ticket", lookup="tickets")
    )
