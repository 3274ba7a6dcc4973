"""The standard entities' save rules (numbers, SLA times, totals, stage probability)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.accounts.service import normalize_company_name
from lingxi.errors import ValidationFailed
from lingxi.kit.models import utcnow
from lingxi.opportunities.models import OpportunityLineItem, Pipeline, PipelineStage
from lingxi.orders.models import Order, OrderLine
from lingxi.quotes.models import Quote, QuoteLine
from lingxi.records.hooks import after_save, before_save
from lingxi.tenancy.context import Actor
from lingxi.tenancy.service import next_number
from lingxi.tickets.models import SLA_HOURS


@before_save("accounts")
async def _account_name(session: AsyncSession, actor: Actor, rec: Any, changed: set[str], creating: bool) -> None:
    if creating or "name" in changed:
        rec.normalized_name = normalize_company_name(rec.name)


@before_save("leads")
async def _lead_status(session: AsyncSession, actor: Actor, rec: Any, changed: set[str], creating: bool) -> None:
    if "status" in changed and rec.status == "converted" and rec.converted_at is None:
        raise ValidationFailed("convert a lead through /leads/{id}/convert", code="use_conversion", details=[{"field": "status"}])


@before_save("tickets")
async def _ticket_numbers_and_sla(session: AsyncSession, actor: Actor, rec: Any, changed: set[str], creating: bool) -> None:
    now = utcnow()
    if creating:
        rec.number = f"TK-{await next_number(session, actor, 'ticket'):06d}"
    if creating or "priority" in changed:
        respond_h, resolve_h = SLA_HOURS.get(rec.priority, SLA_HOURS["normal"])
        base = rec.created_at or now
        if "first_response_due_at" not in changed:
            rec.first_response_due_at = base + timedelta(hours=respond_h)
        if "resolution_due_at" not in changed:
            rec.resolution_due_at = base + timedelta(hours=resolve_h)
    if "status" in changed:
        if rec.status in ("open", "pending", "resolved", "closed") and rec.first_responded_at is None:
            rec.first_responded_at = now
        if rec.status in ("resolved", "closed") and rec.resolved_at is None:
            rec.resolved_at = now
        if rec.status in ("new", "open", "pending"):
            rec.resolved_at = None
    if rec.satisfaction is not None and not (1 <= rec.satisfaction <= 5):
        raise ValidationFailed("satisfaction is 1 to 5", details=[{"field": "satisfaction", "code": "out_of_range"}])


@before_save("orders")
async def _order_number(session: AsyncSession, actor: Actor, rec: Any, changed: set[str], creating: bool) -> None:
    if creating:
        year = (rec.order_date or utcnow().date()).year
        rec.order_number = f"SO-{year}-{await next_number(session, actor, 'order'):05d}"


@before_save("activities")
async def _activity_completion(session: AsyncSession, actor: Actor, rec: Any, changed: set[str], creating: bool) -> None:
    if "status" in changed or creating:
        if rec.status == "completed" and rec.completed_at is None:
            rec.completed_at = utcnow()
        elif rec.status != "completed":
            rec.completed_at = None
    if rec.start_at and rec.end_at and rec.end_at < rec.start_at:
        raise ValidationFailed("end is before start", details=[{"field": "end_at", "code": "before_start"}])


@before_save("calendar_events")
async def _event_times(session: AsyncSession, actor: Actor, rec: Any, changed: set[str], creating: bool) -> None:
    if rec.start_at and rec.end_at and rec.end_at < rec.start_at:
        raise ValidationFailed("end is before start", details=[{"field": "end_at", "code": "before_start"}])


@before_save("opportunities")
async def _opportunity_stage(session: AsyncSession, actor: Actor, rec: Any, changed: set[str], creating: bool) -> None:
    if rec.pipeline_id is None:
        rec.pipeline_id = await session.scalar(select(Pipeline.id).where(Pipeline.is_default.is_(True)).limit(1))
    if rec.stage_id is None and rec.pipeline_id is not None:
        rec.stage_id = await session.scalar(
            select(PipelineStage.id).where(PipelineStage.pipeline_id == rec.pipeline_id).order_by(PipelineStage.position).limit(1)
        )
    if rec.stage_id is not None and (creating or "stage_id" in changed or "pipeline_id" in changed):
        stage = await session.get(PipelineStage, rec.stage_id)
        if stage is None or stage.deleted_at is not None:
            raise ValidationFailed("unknown stage", details=[{"field": "stage_id", "code": "not_found"}])
        if stage.pipeline_id != rec.pipeline_id:
            raise ValidationFailed("the stage belongs to another pipeline", details=[{"field": "stage_id", "code": "wrong_pipeline"}])
        if "probability" not in changed:
            rec.probability = stage.probability


def _line_total(line: Any) -> Decimal:
    gross = Decimal(line.quantity or 0) * Decimal(line.unit_price or 0)
    discount = Decimal(line.discount or 0)
    return (gross * (Decimal(100) - discount) / Decimal(100)).quantize(Decimal("0.01"))


def _line_rule(entity: str, parent_model: Any, line_model: Any, fk: str, total_field: str | None) -> None:
    @before_save(entity)
    async def _total(session: AsyncSession, actor: Actor, rec: Any, changed: set[str], creating: bool) -> None:
        if rec.discount is not None and not (0 <= rec.discount <= 100):
            raise ValidationFailed("discount is 0 to 100", details=[{"field": "discount", "code": "out_of_range"}])
        rec.total = _line_total(rec)

    if total_field is None:
        return

    @after_save(entity)
    async def _parent_total(session: AsyncSession, actor: Actor, rec: Any, changed: set[str], creating: bool) -> None:
        await session.flush()
        parent_id = getattr(rec, fk)
        total = await session.scalar(
            select(func.coalesce(func.sum(line_model.total), 0)).where(getattr(line_model, fk) == parent_id)
        )
        parent = await session.get(parent_model, parent_id)
        if parent is not None:
            setattr(parent, total_field, Decimal(total))


_line_rule("order_lines", Order, OrderLine, "order_id", "total_amount")
_line_rule("quote_lines", Quote, QuoteLine, "quote_id", "total_amount")
_line_rule("opportunity_line_items", None, OpportunityLineItem, "opportunity_id", None)
