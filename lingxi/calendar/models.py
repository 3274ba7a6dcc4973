from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from lingxi.db import Base
from lingxi.kit.models import RecordMixin
from lingxi.kit.types import UtcDateTime
from lingxi.meta.spec import EntitySpec, F


class CalendarEvent(RecordMixin, Base):
    __tablename__ = "calendar_event"
    __entity__ = EntitySpec("calendar_events", "日程", "Event", title_field="title", default_sort=("start_at",))
    __table_args__ = (Index("ix_calendar_event_tenant_start", "tenant_id", "start_at"),)

    title: Mapped[str] = mapped_column(String(300), nullable=False, info=F("text", "标题", "Title", required=True, search=True))
    start_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False, info=F("datetime", "开始", "Start", required=True))
    end_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False, info=F("datetime", "结束", "End", required=True))
    all_day: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False, info=F("boolean", "全天", "All day"))
    location: Mapped[str | None] = mapped_column(String(300), info=F("text", "地点", "Location", search=True))
    description: Mapped[str | None] = mapped_column(Text, info=F("long_text", "描述", "Description", search=True))
    attendee_ids: Mapped[list[str]] = mapped_column(JSON, default=list, nullable=False, info=F("multi_picklist", "参与人", "Attendees"))
    reminder_minutes: Mapped[int | None] = mapped_column(Integer, info=F("integer", "提前提醒(分钟)", "Reminder (min)"))
    related_entity: Mapped[str | None] = mapped_column(String(64), info=F("text", "关联对象类型", "Related entity"))
    related_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, info=F("lookup", "关联记录", "Related record"))
    account_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("account.id", ondelete="SET NULL"), index=True, info=F("lookup", "客户", "Account", lookup="accounts")
    )
    contact_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("contact.id", ondelete="SET NULL"), info=F("lookup", "联系人", "Contact", lookup="contacts")
    )
    opportunity_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("opportunity.id", ondelete="SET NULL"), info=F("lookup", "商机", "Opportunity", lookup="opportunities")
    )
