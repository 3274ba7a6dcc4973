from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import Date, ForeignKey, Index, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from lingxi.db import Base
from lingxi.kit.models import RecordMixin
from lingxi.meta.spec import EntitySpec, F

LEAD_SOURCES = ("website", "referral", "event", "cold_call", "advertising", "partner", "social", "other")


class Contact(RecordMixin, Base):
    __tablename__ = "contact"
    __entity__ = EntitySpec("contacts", "联系人", "Contact")
    __table_args__ = (
        Index("ix_contact_tenant_email", "tenant_id", "email"),
        Index("ix_contact_tenant_mobile", "tenant_id", "mobile"),
        Index("ix_contact_tenant_created", "tenant_id", "created_at"),
    )

    name: Mapped[str] = mapped_column(String(200), nullable=False, info=F("text", "姓名", "Name", required=True, search=True))
    account_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("account.id", ondelete="SET NULL"), index=True, info=F("lookup", "客户", "Account", lookup="accounts")
    )
    title: Mapped[str | None] = mapped_column(String(200), info=F("text", "职务", "Title", search=True))
    department: Mapped[str | None] = mapped_column(String(200), info=F("text", "部门", "Department"))
    email: Mapped[str | None] = mapped_column(String(320), info=F("email", "邮箱", "Email", search=True))
    phone: Mapped[str | None] = mapped_column(String(50), info=F("phone", "电话", "Phone", search=True))
    mobile: Mapped[str | None] = mapped_column(String(50), info=F("phone", "手机", "Mobile", search=True))
    city: Mapped[str | None] = mapped_column(String(100), info=F("text", "城市", "City", search=True))
    birthday: Mapped[date | None] = mapped_column(Date, info=F("date", "生日", "Birthday"))
    lead_source: Mapped[str | None] = mapped_column(String(30), info=F("picklist", "来源", "Lead source", options=LEAD_SOURCES))
    description: Mapped[str | None] = mapped_column(Text, info=F("long_text", "描述", "Description", search=True))
