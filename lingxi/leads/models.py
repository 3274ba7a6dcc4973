from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from lingxi.accounts.models import INDUSTRIES
from lingxi.contacts.models import LEAD_SOURCES
from lingxi.db import Base
from lingxi.kit.models import RecordMixin
from lingxi.kit.types import UtcDateTime
from lingxi.meta.spec import EntitySpec, F

LEAD_STATUSES = ("new", "working", "qualified", "unqualified", "converted")


class Lead(RecordMixin, Base):
    __tablename__ = "lead"
    __entity__ = EntitySpec("leads", "线索", "Lead")
    __table_args__ = (Index("ix_lead_tenant_email", "tenant_id", "email"),)

    name: Mapped[str] = mapped_column(String(200), nullable=False, info=F("text", "姓名", "Name", required=True, search=True))
    company: Mapped[str | None] = mapped_column(String(200), info=F("text", "公司", "Company", search=True))
    title: Mapped[str | None] = mapped_column(String(200), info=F("text", "职务", "Title"))
    email: Mapped[str | None] = mapped_column(String(320), info=F("email", "邮箱", "Email", search=True))
    phone: Mapped[str | None] = mapped_column(String(50), info=F("phone", "电话", "Phone", search=True))
    mobile: Mapped[str | None] = mapped_column(String(50), info=F("phone", "手机", "Mobile", search=True))
    industry: Mapped[str | None] = mapped_column(String(100), info=F("picklist", "行业", "Industry", options=INDUSTRIES))
    city: Mapped[str | None] = mapped_column(String(100), info=F("text", "城市", "City", search=True))
    source: Mapped[str | None] = mapped_column(String(30), info=F("picklist", "来源", "Source", options=LEAD_SOURCES))
    status: Mapped[str] = mapped_column(
        String(30), default="new", nullable=False, info=F("picklist", "状态", "Status", options=LEAD_STATUSES, default="new")
    )
    rating: Mapped[str | None] = mapped_column(String(10), info=F("picklist", "评级", "Rating", options=("hot", "warm", "cold")))
    description: Mapped[str | None] = mapped_column(Text, info=F("long_text", "描述", "Description", search=True))
    converted_at: Mapped[datetime | None] = mapped_column(UtcDateTime, info=F("datetime", "转化时间", "Converted at", readonly=True))
    converted_account_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("account.id", ondelete="SET NULL"), info=F("lookup", "转化客户", "Converted account", lookup="accounts", readonly=True)
    )
    converted_contact_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("contact.id", ondelete="SET NULL"), info=F("lookup", "转化联系人", "Converted contact", lookup="contacts", readonly=True)
    )
    converted_opportunity_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid,
        ForeignKey("opportunity.id", ondelete="SET NULL", use_alter=True),
        info=F("lookup", "转化商机", "Converted opportunity", lookup="opportunities", readonly=True),
    )
