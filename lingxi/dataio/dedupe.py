"""Finding the existing record an imported row duplicates, within the tenant.

Keys, strongest first: email (case-insensitive), phone or mobile (digits only, a leading +86
dropped), and the normalised company name: ``accounts.normalized_name``, and for leads the company
together with the person's name (colleagues at one company are different leads).
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.accounts.service import normalize_company_name
from lingxi.meta.registry import Entity

_NON_DIGITS = re.compile(r"\D+")
PHONE_FIELDS = ("phone", "mobile")


def phone_digits(value: Any) -> str | None:
    digits = _NON_DIGITS.sub("", str(value or ""))
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    return digits if len(digits) >= 5 else None


def _digits_sql(column: Any) -> ColumnElement[Any]:
    expr = column
    for ch in (" ", "-", "+", "(", ")", "."):
        expr = func.replace(expr, ch, "")
    return expr


class DuplicateFinder:
    """One per import: ``find(row)`` returns the id of the first existing record sharing a key."""

    def __init__(self, session: AsyncSession, entity: Entity):
        self.session = session
        self.entity = entity
        self.model = entity.model
        self.columns = {c.key for c in self.model.__table__.columns}

    def keys(self, data: dict[str, Any]) -> list[ColumnElement[bool]]:
        m = self.model
        keys: list[ColumnElement[bool]] = []
        email = data.get("email")
        if "email" in self.columns and isinstance(email, str) and "@" in email:
            keys.append(func.lower(m.email) == email.strip().lower())
        for name in PHONE_FIELDS:
            digits = phone_digits(data.get(name))
            if digits is None:
                continue
            for col in PHONE_FIELDS:
                if col in self.columns:
                    keys.append(_digits_sql(getattr(m, col)).in_([digits, "86" + digits]))
        if self.entity.name == "accounts" and data.get("name"):
            normalized = normalize_company_name(str(data["name"]))
            if normalized:
                keys.append(m.normalized_name == normalized)
        return keys

    async def find(self, data: dict[str, Any]) -> uuid.UUID | None:
        keys = self.keys(data)
        found = None
        if keys:
            found = await self.session.scalar(select(self.model.id).where(or_(*keys)).order_by(self.model.created_at).limit(1))
        if found is None and self.entity.name == "leads" and data.get("company") and data.get("name"):
            found = await self._lead_by_company(str(data["company"]), str(data["name"]))
        return found

    async def _lead_by_company(self, company: str, name: str) -> uuid.UUID | None:
        wanted = normalize_company_name(company)
        if not wanted:
            return None
        m = self.model
        rows = await self.session.execute(
            select(m.id, m.company).where(func.lower(m.name) == name.strip().lower(), m.company.is_not(None)).limit(200)
        )
        for record_id, existing in rows:
            if normalize_company_name(existing) == wanted:
                return record_id
        return None
