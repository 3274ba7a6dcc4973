from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from lingxi.deps import CurrentActor, DbSession
from lingxi.errors import error_responses
from lingxi.leads.service import convert_lead

router = APIRouter(prefix="/leads", tags=["leads"])


class ConvertIn(BaseModel):
    account_id: uuid.UUID | None = Field(None, description="Attach to this existing account instead of creating one")
    create_opportunity: bool = True
    opportunity_name: str | None = Field(None, max_length=200)
    amount: Decimal | None = Field(None, ge=0, lt=Decimal("1e16"))
    close_date: date | None = None
    owner_id: uuid.UUID | None = None


class ConvertOut(BaseModel):
    account_id: uuid.UUID
    contact_id: uuid.UUID
    opportunity_id: uuid.UUID | None


@router.post(
    "/{lead_id}/convert",
    response_model=ConvertOut,
    responses=error_responses(401, 403, 404, 409, 422),
    summary="Convert a lead into an account, a contact and an opportunity (all or nothing)",
)
async def convert(lead_id: uuid.UUID, body: ConvertIn, session: DbSession, actor: CurrentActor) -> ConvertOut:
    result = await convert_lead(session, actor, lead_id, **body.model_dump())
    return ConvertOut(**result.__dict__)
