"""The business records around an interaction: open tasks, tickets and complaints, opportunities and their
stage, orders, the record's activity timeline and campaign touches, each read within the actor's scope and
field rules (a section the actor may not read at all is not even queried)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import ColumnElement, or_, select

from lingxi.activities.models import Activity
from lingxi.agent.context.items import (
    COMPLAINT_CATEGORIES,
    NEGATIVE,
    OPEN_TASK,
    OPEN_TICKET,
    RECORD_DAYS,
    Assembler,
    ago,
    cols,
    text_sentiment,
)
from lingxi.campaigns.models import Campaign, CampaignMember
from lingxi.opportunities.models import Opportunity, PipelineStage
from lingxi.orders.models import Order
from lingxi.tickets.models import Ticket


async def open_tasks(a: Assembler, user_id: uuid.UUID) -> None:
    if not a.readable("activities"):
        return
    a.consult("open_task")
    rows = (
        await a.session.execute(
            select(*cols(Activity))
            .where(
                a.scope("activities"),
                Activity.owner_id == user_id,
                Activity.type == "task",
                Activity.status.in_(OPEN_TASK),
            )
            .order_by(Activity.due_at.is_(None), Activity.due_at)
            .limit(10)
        )
    ).all()
    for t in rows:
        value = await a.view(
            "activities", t, ("subject", "status", "priority", "due_at", "related_entity", "related_id")
        )
        overdue = t.due_at is not None and t.due_at < a.now
        value["overdue"] = overdue
        due = "overdue" if overdue else (f"due {t.due_at:%Y-%m-%d}" if t.due_at else "no due date")
        at = t.due_at if (t.due_at and t.due_at < a.now) else a.now
        a.add("open_task", value, f"activities/{t.id}", f"open task, {due}", at, boost=1.3 if overdue else 1.0)


async def tickets(a: Assembler, user_id: uuid.UUID, links: dict[str, uuid.UUID]) -> list[dict[str, Any]]:
    if not a.readable("tickets"):
        return []
    a.consult("open_ticket", "complaint")
    where: list[ColumnElement[bool]] = [a.scope("tickets")]
    conditions = [
        Ticket.account_id == links.get("account_id"),
        Ticket.contact_id == links.get("contact_id"),
        Ticket.id == links.get("ticket_id"),
    ]
    related = [c for c, k in zip(conditions, ("account_id", "contact_id", "ticket_id"), strict=True) if k in links]
    if related:
        where += [
            or_(*related),
            or_(Ticket.status.in_(OPEN_TICKET), Ticket.created_at >= a.now - timedelta(days=RECORD_DAYS)),
        ]
    else:
        where += [Ticket.owner_id == user_id, Ticket.status.in_(OPEN_TICKET)]
    rows = (
        await a.session.execute(select(*cols(Ticket)).where(*where).order_by(Ticket.created_at.desc()).limit(20))
    ).all()
    complaints = []
    for t in rows:
        value = await a.view(
            "tickets",
            t,
            ("number", "subject", "description", "category", "priority", "status", "channel", "resolution_due_at"),
        )
        text = " ".join(str(value.get(k) or "") for k in ("subject", "description"))
        score = text_sentiment(text)
        value["sentiment"] = score
        is_open = t.status in OPEN_TICKET
        complaint = value.get("category") in COMPLAINT_CATEGORIES or score <= NEGATIVE
        boost = 1.2 if t.priority in ("high", "urgent") else 1.0
        label = value.get("number") or value.get("subject") or t.id
        if complaint:
            complaints.append(value)
            why = f"complaint {label} {ago(t.created_at, a.now)}, sentiment {score:+.2f}, {t.status}"
            a.add("complaint", value, f"tickets/{t.id}", why, t.created_at, sentiment=score, boost=boost)
        elif is_open:
            a.add(
                "open_ticket", value, f"tickets/{t.id}", f"open ticket {label}, {t.priority}", t.created_at, boost=boost
            )
    return complaints


async def opportunities(a: Assembler, user_id: uuid.UUID, links: dict[str, uuid.UUID]) -> list[str]:
    if not a.readable("opportunities"):
        return []
    a.consult("opportunity")
    where: list[ColumnElement[bool]] = [a.scope("opportunities")]
    related = []
    if "account_id" in links:
        related.append(Opportunity.account_id == links["account_id"])
    if "contact_id" in links:
        related.append(Opportunity.contact_id == links["contact_id"])
    if "opportunity_id" in links:
        related.append(Opportunity.id == links["opportunity_id"])
    if related:
        where.append(or_(*related))
    else:
        where.append(Opportunity.owner_id == user_id)
    rows = (
        await a.session.execute(
            select(
                *cols(Opportunity),
                PipelineStage.name.label("stage_name"),
                PipelineStage.is_closed,
                PipelineStage.is_won,
                PipelineStage.max_days,
            )
            .outerjoin(PipelineStage, PipelineStage.id == Opportunity.stage_id)
            .where(
                *where,
                or_(
                    PipelineStage.is_closed.is_(False),
                    PipelineStage.id.is_(None),
                    Opportunity.updated_at >= a.now - timedelta(days=RECORD_DAYS),
                ),
            )
            .order_by(Opportunity.close_date.is_(None), Opportunity.close_date)
            .limit(10)
        )
    ).all()
    stages = []
    stage_visible = any(n == "stage_id" for n, *_ in await a.plan("opportunities", ("stage_id",)))
    for opp in rows:
        stage, closed, won, max_days = opp.stage_name, opp.is_closed, opp.is_won, opp.max_days
        value = await a.view(
            "opportunities", opp, ("name", "amount", "currency", "close_date", "probability", "next_step", "stage_id")
        )
        if stage_visible:
            value["stage"] = stage
            value["stage_state"] = "won" if won else ("lost" if closed else "open")
            stages.append(stage or "")
        at = opp.updated_at
        stale = bool(max_days and not closed and (a.now - opp.updated_at).days > max_days)
        why = f"{'open' if not closed else 'closed'} deal at stage {stage if stage_visible else '?'}" + (
            ", stalled past the stage's time limit" if stale else ""
        )
        a.add(
            "opportunity",
            value,
            f"opportunities/{opp.id}",
            why,
            at,
            boost=(1.3 if stale else 1.0) * (0.6 if closed else 1.0),
        )
    return stages


async def orders(a: Assembler, user_id: uuid.UUID, links: dict[str, uuid.UUID]) -> None:
    if not a.readable("orders"):
        return
    a.consult("order")
    related = []
    if "account_id" in links:
        related.append(Order.account_id == links["account_id"])
    if "contact_id" in links:
        related.append(Order.contact_id == links["contact_id"])
    if "opportunity_id" in links:
        related.append(Order.opportunity_id == links["opportunity_id"])
    if "order_id" in links:
        related.append(Order.id == links["order_id"])
    if not related:
        related = [Order.owner_id == user_id, Order.created_at >= a.now - timedelta(days=30)]
        where = [a.scope("orders"), *related]
    else:
        where = [a.scope("orders"), or_(*related)]
    rows = (
        await a.session.execute(select(*cols(Order)).where(*where).order_by(Order.created_at.desc()).limit(5))
    ).all()
    for o in rows:
        value = await a.view("orders", o, ("order_number", "status", "order_date", "total_amount", "currency"))
        a.add(
            "order",
            value,
            f"orders/{o.id}",
            f"order {value.get('order_number') or ''} {o.status}, {ago(o.created_at, a.now)}",
            o.created_at,
        )


async def activity_timeline(
    a: Assembler, entity: str, record_id: uuid.UUID | None, links: dict[str, uuid.UUID]
) -> None:
    if not a.readable("activities"):
        return
    a.consult("timeline")
    related: list[ColumnElement[bool]] = []
    if record_id is not None:
        related.append((Activity.related_entity == entity) & (Activity.related_id == record_id))
    for key, column in (
        ("account_id", Activity.account_id),
        ("contact_id", Activity.contact_id),
        ("opportunity_id", Activity.opportunity_id),
        ("ticket_id", Activity.ticket_id),
        ("lead_id", Activity.lead_id),
    ):
        if key in links:
            related.append(column == links[key])
    rows = (
        await a.session.execute(
            select(*cols(Activity))
            .where(a.scope("activities"), or_(*related), Activity.created_at >= a.now - timedelta(days=RECORD_DAYS))
            .order_by(Activity.created_at.desc())
            .limit(15)
        )
    ).all()
    for act in rows:
        value = await a.view("activities", act, ("type", "subject", "status", "outcome", "completed_at", "due_at"))
        at = act.completed_at or act.start_at or act.created_at
        if at > a.now:
            at = a.now
        a.add(
            "timeline", value, f"activities/{act.id}", f"{act.type}: {value.get('subject') or ''} {ago(at, a.now)}", at
        )


async def campaign_touches(a: Assembler, links: dict[str, uuid.UUID]) -> None:
    if not a.readable("campaign_members"):
        return
    a.consult("campaign_touch")
    related = []
    if "contact_id" in links:
        related.append(CampaignMember.contact_id == links["contact_id"])
    if "lead_id" in links:
        related.append(CampaignMember.lead_id == links["lead_id"])
    if not related:
        return
    rows = (
        await a.session.execute(
            select(*cols(CampaignMember), Campaign.name.label("campaign_name"), Campaign.type.label("campaign_type"))
            .join(Campaign, Campaign.id == CampaignMember.campaign_id)
            .where(a.scope("campaign_members"), or_(*related))
            .order_by(CampaignMember.created_at.desc())
            .limit(10)
        )
    ).all()
    for member in rows:
        name, kind = member.campaign_name, member.campaign_type
        value = await a.view("campaign_members", member, ("status", "responded_at", "campaign_id"))
        value["campaign"] = name
        value["campaign_type"] = kind
        at = member.responded_at or member.created_at
        a.add("campaign_touch", value, f"campaign_members/{member.id}", f"campaign {name}: {member.status}", at)
