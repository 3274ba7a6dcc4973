"""Lead conversion: one transaction creates (or reuses) the account, creates the contact and
optionally the opportunity, and marks the lead converted. Any failure rolls all of it back."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.errors import Conflict
from lingxi.kit.models import utcnow
from lingxi.records.service import RecordService, entity_or_404
from lingxi.tenancy.context import Actor


@dataclass
class Conversion:
    account_id: uuid.UUID
    contact_id: uuid.UUID
    opportunity_id: uuid.UUID | None


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


async def convert_lead(
    session: AsyncSession,
    actor: Actor,
    lead_id: uuid.UUID,
    *,
    account_id: uuid.UUID | None = None,
    create_opportunity: bool = True,
    opportunity_name: str | None = None,
    amount: Decimal | None = None,
    close_date: date | None = None,
    owner_id: uuid.UUID | None = None,
) -> Conversion:
    leads = RecordService(session, actor, entity_or_404("leads"))
    lead = await leads._load(lead_id, "update")
    if lead.status == "converted" or lead.converted_at is not None:
        raise Conflict("the lead is already converted", code="lead_already_converted")
    owner = {"owner_id": owner_id} if owner_id else {}
    accounts = RecordService(session, actor, entity_or_404("accounts"))
    if account_id is not None:
        account = await accounts._load(account_id)
    else:
        account = await accounts.create(
            _clean({"name": lead.company or lead.name, "industry": lead.industry, "city": lead.city, "phone": lead.phone, "type": "prospect", **owner})
        )
    contact = await RecordService(session, actor, entity_or_404("contacts")).create(
        _clean(
            {
                "name": lead.name, "account_id": account.id, "title": lead.title, "email": lead.email,
                "phone": lead.phone, "mobile": lead.mobile, "city": lead.city, "lead_source": lead.source,
                "description": lead.description, **owner,
            }
        )
    )
    opportunity = None
    if create_opportunity:
        opportunity = await RecordService(session, actor, entity_or_404("opportunities")).create(
            _clean(
                {
                    "name": opportunity_name or f"{account.name} - {lead.name}", "account_id": account.id,
                    "contact_id": contact.id, "amount": amount, "close_date": close_date, "lead_source": lead.source,
                    **owner,
                }
            )
        )
    lead.status = "converted"
    lead.converted_at = utcnow()
    lead.converted_account_id = account.id
    lead.converted_contact_id = contact.id
    lead.converted_opportunity_id = opportunity.id if opportunity else None
    lead.updated_by_id = actor.user_id
    await session.flush()
    return Conversion(account.id, contact.id, opportunity.id if opportunity else None)
