"""A record's timeline with cause links: what happened around a customer, in order, and which earlier
event likely led to a later one (a complaint yesterday, then a visit to the after-sales page today).

Entries come from the record's tickets, activities, orders, opportunities, campaign touches, conversation
turns and behaviour events (the customer's and users'), each read within the actor's permissions. Links
follow rules: each names a cause tag, an effect tag and why; an effect links to the latest cause of that
rule within the tenant's ``cause_window_days``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.activities.models import Activity
from lingxi.agent.context import history
from lingxi.agent.context.items import COMPLAINT_CATEGORIES, NEGATIVE, Assembler, cols, links_of, text_sentiment
from lingxi.agent.context.models import BehaviourEvent, Interaction
from lingxi.agent.context.settings import load
from lingxi.campaigns.models import Campaign, CampaignMember
from lingxi.kit.models import utcnow
from lingxi.opportunities.models import Opportunity
from lingxi.orders.models import Order
from lingxi.records.service import RecordService
from lingxi.tenancy.context import Actor
from lingxi.tickets.models import Ticket

AFTER_SALES = (
    "售后",
    "after-sales",
    "aftersales",
    "after_sales",
    "support",
    "service",
    "退货",
    "退款",
    "退换",
    "refund",
    "return",
    "warranty",
    "保修",
    "维修",
    "repair",
    "complaint",
    "投诉",
    "cancel",
    "取消",
)
PRICING = ("pricing", "price", "价格", "报价", "quote", "plans", "套餐")
# (cause tag, effect tag, rule name, why)
RULES = (
    ("complaint", "after_sales_visit", "complaint_then_after_sales", "visited after-sales pages after a complaint"),
    ("complaint", "complaint", "repeat_complaint", "complained again"),
    ("negative_turn", "ticket", "escalated_to_ticket", "an unhappy conversation became a ticket"),
    ("order", "ticket", "post_purchase_issue", "a ticket followed an order"),
    ("campaign", "engagement", "campaign_response", "engaged after a campaign touch"),
    ("campaign", "opportunity", "campaign_sourced_deal", "a deal opened after a campaign touch"),
    ("pricing_visit", "opportunity", "pricing_interest", "a deal opened after looking at pricing"),
    ("ticket_resolved", "order", "repurchase_after_service", "ordered again after a resolved ticket"),
)
MAX_ENTRIES = 300


@dataclass
class Entry:
    id: str
    kind: str
    at: datetime
    title: str
    source: str
    tags: set[str] = field(default_factory=set)
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class Timeline:
    entity: str
    record_id: str
    since: datetime
    entries: list[Entry]
    links: list[dict[str, Any]]


def _matches(text: str, words: tuple[str, ...]) -> bool:
    text = text.lower()
    return any(w in text for w in words)


async def record_timeline(
    session: AsyncSession, actor: Actor, entity: str, record_id: uuid.UUID, *, days: int = 30
) -> Timeline:
    assert actor.tenant_id is not None
    now = utcnow()
    ent = history.entity_of(entity)
    record = await RecordService(session, actor, ent).get(record_id)
    tenant = await load(session, actor.tenant_id)
    since = max(now - timedelta(days=days), history.cutoff(tenant.settings.retention_days, now))
    a = Assembler(session, actor, now)
    links = links_of(ent.name, record)
    entries: list[Entry] = []
    await _tickets(a, links, since, entries)
    await _activities(a, ent.name, record_id, links, since, entries)
    await _orders(a, links, since, entries)
    await _opportunities(a, links, since, entries)
    await _campaigns(a, links, since, entries)
    await _turns(a, ent.name, record_id, since, entries)
    await _events(a, ent.name, links, since, entries)
    entries.sort(key=lambda e: e.at)
    entries = entries[-MAX_ENTRIES:]
    window = timedelta(days=tenant.settings.cause_window_days)
    return Timeline(ent.name, str(record_id), since, entries, cause_links(entries, window))


def cause_links(entries: list[Entry], window: timedelta) -> list[dict[str, Any]]:
    """For each entry and rule, the latest earlier entry with the cause tag within ``window``."""
    out = []
    for i, effect in enumerate(entries):
        for cause_tag, effect_tag, rule, why in RULES:
            if effect_tag not in effect.tags:
                continue
            for cause in reversed(entries[:i]):
                if effect.at - cause.at > window:
                    break
                if cause_tag in cause.tags and cause.id != effect.id:
                    gap = effect.at - cause.at
                    out.append(
                        {
                            "cause_id": cause.id,
                            "effect_id": effect.id,
                            "rule": rule,
                            "why": f"{why} ({_gap(gap)} later)",
                            "gap_hours": round(gap.total_seconds() / 3600, 1),
                        }
                    )
                    break
    return out


def _gap(gap: timedelta) -> str:
    hours = gap.total_seconds() / 3600
    return f"{hours:.0f} h" if hours < 48 else f"{hours / 24:.0f} days"


def _ids(links: dict[str, uuid.UUID], *pairs: tuple[str, Any]) -> list[ColumnElement[bool]]:
    return [column == links[key] for key, column in pairs if key in links]


async def _tickets(a: Assembler, links: dict[str, uuid.UUID], since: datetime, out: list[Entry]) -> None:
    related = _ids(
        links, ("account_id", Ticket.account_id), ("contact_id", Ticket.contact_id), ("ticket_id", Ticket.id)
    )
    if not related or not a.readable("tickets"):
        return
    rows = (
        await a.session.execute(
            select(*cols(Ticket))
            .where(a.scope("tickets"), or_(*related), Ticket.created_at >= since)
            .limit(MAX_ENTRIES)
        )
    ).all()
    for t in rows:
        value = await a.view("tickets", t, ("number", "subject", "description", "category", "status", "priority"))
        score = text_sentiment(" ".join(str(value.get(k) or "") for k in ("subject", "description")))
        tags = {"ticket"}
        if value.get("category") in COMPLAINT_CATEGORIES or score <= NEGATIVE:
            tags.add("complaint")
        value["sentiment"] = score
        title = f"ticket {value.get('number') or ''} {value.get('subject') or ''}".strip()
        out.append(
            Entry(
                f"tickets/{t.id}",
                "complaint" if "complaint" in tags else "ticket",
                t.created_at,
                title,
                "tickets",
                tags,
                value,
            )
        )
        if t.resolved_at is not None and t.resolved_at >= since:
            out.append(
                Entry(
                    f"tickets/{t.id}#resolved",
                    "ticket_resolved",
                    t.resolved_at,
                    f"resolved: {title}",
                    "tickets",
                    {"ticket_resolved"},
                    {"ticket_id": str(t.id)},
                )
            )


async def _activities(
    a: Assembler, entity: str, record_id: uuid.UUID, links: dict[str, uuid.UUID], since: datetime, out: list[Entry]
) -> None:
    if not a.readable("activities"):
        return
    related = [(Activity.related_entity == entity) & (Activity.related_id == record_id)]
    related += _ids(
        links,
        ("account_id", Activity.account_id),
        ("contact_id", Activity.contact_id),
        ("opportunity_id", Activity.opportunity_id),
        ("ticket_id", Activity.ticket_id),
        ("lead_id", Activity.lead_id),
    )
    rows = (
        await a.session.execute(
            select(*cols(Activity))
            .where(a.scope("activities"), or_(*related), Activity.created_at >= since)
            .limit(MAX_ENTRIES)
        )
    ).all()
    for act in rows:
        value = await a.view("activities", act, ("type", "subject", "status", "outcome"))
        at = min(act.completed_at or act.start_at or act.created_at, a.now)
        out.append(
            Entry(
                f"activities/{act.id}",
                "activity",
                at,
                f"{act.type}: {value.get('subject') or ''}",
                "activities",
                {"activity", "engagement"},
                value,
            )
        )


async def _orders(a: Assembler, links: dict[str, uuid.UUID], since: datetime, out: list[Entry]) -> None:
    related = _ids(
        links,
        ("account_id", Order.account_id),
        ("contact_id", Order.contact_id),
        ("order_id", Order.id),
        ("opportunity_id", Order.opportunity_id),
    )
    if not related or not a.readable("orders"):
        return
    rows = (
        await a.session.execute(
            select(*cols(Order)).where(a.scope("orders"), or_(*related), Order.created_at >= since).limit(100)
        )
    ).all()
    for o in rows:
        value = await a.view("orders", o, ("order_number", "status", "total_amount", "currency"))
        out.append(
            Entry(
                f"orders/{o.id}",
                "order",
                o.created_at,
                f"order {value.get('order_number') or ''} {o.status}",
                "orders",
                {"order"},
                value,
            )
        )


async def _opportunities(a: Assembler, links: dict[str, uuid.UUID], since: datetime, out: list[Entry]) -> None:
    related = _ids(
        links,
        ("account_id", Opportunity.account_id),
        ("contact_id", Opportunity.contact_id),
        ("opportunity_id", Opportunity.id),
    )
    if not related or not a.readable("opportunities"):
        return
    rows = (
        await a.session.execute(
            select(*cols(Opportunity))
            .where(a.scope("opportunities"), or_(*related), Opportunity.created_at >= since)
            .limit(100)
        )
    ).all()
    for o in rows:
        value = await a.view("opportunities", o, ("name", "amount", "currency", "close_date"))
        out.append(
            Entry(
                f"opportunities/{o.id}",
                "opportunity",
                o.created_at,
                f"deal {value.get('name') or ''}",
                "opportunities",
                {"opportunity"},
                value,
            )
        )


async def _campaigns(a: Assembler, links: dict[str, uuid.UUID], since: datetime, out: list[Entry]) -> None:
    related = _ids(links, ("contact_id", CampaignMember.contact_id), ("lead_id", CampaignMember.lead_id))
    if not related or not a.readable("campaign_members"):
        return
    rows = (
        await a.session.execute(
            select(*cols(CampaignMember), Campaign.name.label("campaign_name"))
            .join(Campaign, Campaign.id == CampaignMember.campaign_id)
            .where(a.scope("campaign_members"), or_(*related), CampaignMember.created_at >= since)
            .limit(100)
        )
    ).all()
    for member in rows:
        name = member.campaign_name
        value = await a.view("campaign_members", member, ("status", "responded_at"))
        value["campaign"] = name
        out.append(
            Entry(
                f"campaign_members/{member.id}",
                "campaign_touch",
                member.created_at,
                f"campaign {name}",
                "campaigns",
                {"campaign"},
                value,
            )
        )


async def _turns(a: Assembler, entity: str, record_id: uuid.UUID, since: datetime, out: list[Entry]) -> None:
    rows = (
        await a.session.execute(
            select(*cols(Interaction))
            .where(Interaction.entity == entity, Interaction.record_id == record_id, Interaction.created_at >= since)
            .order_by(Interaction.created_at.desc())
            .limit(100)
        )
    ).all()
    for turn in rows:
        tags = {"conversation"}
        if turn.role in ("customer", "user") and (turn.sentiment_score or 0) <= NEGATIVE:
            tags |= {"negative_turn", "complaint"} if turn.role == "customer" else {"negative_turn"}
        value = {
            "role": turn.role,
            "text": turn.text[:500],
            "intent": turn.intent,
            "sentiment": turn.sentiment_score,
            "channel": turn.channel,
        }
        out.append(
            Entry(
                f"interactions/{turn.id}", "conversation", turn.created_at, turn.text[:80], "interactions", tags, value
            )
        )


async def _events(a: Assembler, entity: str, links: dict[str, uuid.UUID], since: datetime, out: list[Entry]) -> None:
    subjects: list[ColumnElement[bool]] = []
    for name, key in (
        ("accounts", "account_id"),
        ("contacts", "contact_id"),
        ("leads", "lead_id"),
        ("opportunities", "opportunity_id"),
        ("tickets", "ticket_id"),
        ("orders", "order_id"),
    ):
        rid = links.get(key)
        if rid is None:
            continue
        if name == entity or rid in await a.visible_ids(name, {rid}):
            subjects.append((BehaviourEvent.entity == name) & (BehaviourEvent.record_id == rid))
    if not subjects:
        return
    rows = (
        await a.session.execute(
            select(*cols(BehaviourEvent))
            .where(or_(*subjects), BehaviourEvent.occurred_at >= since)
            .order_by(BehaviourEvent.occurred_at.desc())
            .limit(MAX_ENTRIES)
        )
    ).all()
    for e in rows:
        text = " ".join(x for x in (e.page, e.module, e.target, e.query) if x)
        tags = {"engagement", f"{e.subject}_event"}
        if _matches(text, AFTER_SALES):
            tags.add("after_sales_visit")
        if _matches(text, PRICING):
            tags.add("pricing_visit")
        who = "customer" if e.subject == "customer" else "user"
        title = f"{who} {e.kind}: {e.target or e.page or e.query or ''}".strip()
        value = {
            "subject": e.subject,
            "event": e.kind,
            "page": e.page,
            "target": e.target,
            "query": e.query,
            "channel": e.channel,
        }
        out.append(Entry(f"events/{e.id}", "behaviour", e.occurred_at, title, "events", tags, value))
