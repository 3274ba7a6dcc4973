"""Context assembly: everything that bears on one interaction, each piece dated, weighted and explained.

``assemble_context`` gathers the user (role, department, locale), where they are (page, module, current
record, selection, channel, device), the time on the tenant's business calendar, recent behaviour (views,
clicks, searches, downloads) and the customer's own behaviour, the record's timeline, open tasks, tickets,
complaints (with sentiment), opportunities and their stage, orders, campaign touches, earlier conversation
turns, unfinished memory topics, unread notifications, the tenant's matching playbooks and the intent of
the current utterance. Every business row is read through the actor's scope filters and field rules: a
field the actor may not see never reaches the context, and neither does a record outside their scope.

weight = importance of the kind × recency decay (half-life per kind) × a boost for negative sentiment, in
[0, 1]; items come sorted by weight, so a complaint from this morning outranks a question from last month.
"""

from __future__ import annotations

import time
import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.agent.context import business, history
from lingxi.agent.context.calendar import business_time
from lingxi.agent.context.items import (
    BEHAVIOUR_CAPS,
    BEHAVIOUR_DAYS,
    CUSTOMER_DAYS,
    MAX_ITEMS,
    MAX_SELECTION,
    NEGATIVE,
    PROFILE_CACHE,
    PROFILE_SECONDS,
    Assembler,
    Context,
    ago,
    cols,
    links_of,
    text_sentiment,
)
from lingxi.agent.context.models import BehaviourEvent, Interaction, MemoryTopic
from lingxi.agent.context.settings import ContextSettings, Playbook, load
from lingxi.ai.nlp.service import intent_model
from lingxi.errors import ValidationFailed
from lingxi.kit.models import utcnow
from lingxi.notifications.models import Notification
from lingxi.org.models import Department, Team, User
from lingxi.records.service import RecordService
from lingxi.tenancy.context import Actor


async def assemble_context(
    session: AsyncSession,
    actor: Actor,
    *,
    page: str | None = None,
    entity: str | None = None,
    record_id: uuid.UUID | None = None,
    selection: list[uuid.UUID] | None = None,
    selection_entity: str | None = None,
    channel: str = "web",
    device: str | None = None,
    locale: str | None = None,
    query: str | None = None,
    now: datetime | None = None,
) -> Context:
    """The context of ``actor``'s interaction now. Raises 404 for a record the actor may not read."""
    started = time.perf_counter()
    user_id = history.me(actor)
    assert actor.tenant_id is not None
    now = now or utcnow()
    a = Assembler(session, actor, now)
    ctx = Context(generated_at=now)
    tenant = await load(session, actor.tenant_id)
    settings = tenant.settings
    since = history.cutoff(settings.retention_days, now)

    await _who(a, user_id, locale or None, tenant.locale)
    _where(a, page, channel, device)
    times = business_time(now, settings, tenant.timezone)
    state = (
        "working hours"
        if times["in_working_hours"]
        else ("holiday: " + times["holiday"] if times["holiday"] else "outside working hours")
    )
    a.add("time", times, "calendar", f"{times['local_time']} ({state})")

    links: dict[str, uuid.UUID] = {}
    if record_id is not None:
        if not entity:
            raise ValidationFailed("record_id needs entity", code="entity_required", details=[{"field": "entity"}])
        ent = history.entity_of(entity)
        record = await RecordService(session, actor, ent).get(record_id)
        title = record.get(ent.spec.title_field) or str(record_id)
        ctx.record = {"entity": ent.name, "id": str(record_id), "title": title}
        a.add(
            "record",
            {"entity": ent.name, **record},
            f"{ent.name}/{record_id}",
            f"the {ent.spec.label_en.lower()} on screen",
        )
        links = links_of(ent.name, record)
    if selection:
        await _selection(a, selection_entity or entity, selection)

    ctx.intent = await _intent(a, query)
    await _behaviour(a, user_id, max(since, now - timedelta(days=BEHAVIOUR_DAYS)))
    if links:
        await _customer_behaviour(a, entity or "", links, max(since, now - timedelta(days=CUSTOMER_DAYS)))
    await business.open_tasks(a, user_id)
    complaints = await business.tickets(a, user_id, links)
    stages = await business.opportunities(a, user_id, links)
    await business.orders(a, user_id, links)
    if links:
        await business.activity_timeline(a, entity or "", record_id, links)
        await business.campaign_touches(a, links)
    await _conversations(a, user_id, entity, record_id, since)
    await _topics(a, user_id, since)
    await _notifications(a, user_id)
    _playbooks(a, settings, entity, ctx.intent, query, page, complaints, stages)

    a.items.sort(key=lambda i: (-i.weight, -(i.at.timestamp() if i.at else now.timestamp())))
    ctx.items = a.items[:MAX_ITEMS]
    counts = {kind: 0 for kind in a.consulted}
    for item in a.items:
        counts[item.kind] = counts.get(item.kind, 0) + 1
    ctx.consulted = dict(sorted(counts.items()))
    ctx.took_ms = round((time.perf_counter() - started) * 1000, 2)
    return ctx


async def _who(a: Assembler, user_id: uuid.UUID, locale: str | None, tenant_locale: str) -> None:
    key = (a.actor.tenant_id, user_id, a.actor.department_id, a.actor.team_ids)
    cached = PROFILE_CACHE.get(key)
    if cached is not None and time.monotonic() - cached[0] < PROFILE_SECONDS:
        profile = cached[1]
    else:
        row = (
            await a.session.execute(
                select(User.name, User.email, User.title, User.locale, Department.name)
                .outerjoin(Department, Department.id == User.department_id)
                .where(User.id == user_id)
            )
        ).first()
        teams: list[str] = []
        if a.actor.team_ids:
            teams = list((await a.session.scalars(select(Team.name).where(Team.id.in_(a.actor.team_ids)))).all())
        profile = (*(row if row else (None, None, None, None, None)), teams)
        PROFILE_CACHE[key] = (time.monotonic(), profile)
        if len(PROFILE_CACHE) > 10_000:
            PROFILE_CACHE.clear()
    name, email, title, user_locale, department, teams = profile
    a.add("user", {"id": str(user_id), "name": name, "email": email, "title": title}, "user", "who is asking")
    grants = a.actor.grants
    roles = list(getattr(grants, "role_names", ()) or ())
    a.add(
        "role",
        {"roles": roles, "is_admin": a.actor.is_admin},
        "user",
        "what they may do: " + (", ".join(roles) or "no role"),
    )
    a.add("department", {"department": department, "teams": teams}, "user", f"department {department or '-'}")
    chosen = locale or user_locale or tenant_locale
    a.add("locale", {"locale": chosen, "tenant_locale": tenant_locale}, "user", f"answer in {chosen}")


def _where(a: Assembler, page: str | None, channel: str, device: str | None) -> None:
    if page:
        a.add("page", {"page": page, "module": history.module_of(page)}, "client", "the page they are on")
    a.add("channel", {"channel": channel}, "client", f"reached through {channel}")
    if device:
        a.add("device", {"device": device}, "client", f"on {device}")


async def _selection(a: Assembler, name: str | None, ids: list[uuid.UUID]) -> None:
    if not name:
        raise ValidationFailed("selection needs selection_entity", code="entity_required")
    ent = history.entity_of(name)
    if not a.readable(ent.name):
        return
    if len(ids) > MAX_SELECTION:
        raise ValidationFailed(f"at most {MAX_SELECTION} selected records", code="selection_too_large")
    title = ent.spec.title_field
    rows = (await a.session.execute(select(*cols(ent.model)).where(ent.model.id.in_(ids), a.scope(ent.name)))).all()
    for row in rows:
        value = await a.view(ent.name, row, (title,))
        a.add("selection", {"entity": ent.name, **value}, f"{ent.name}/{row.id}", "selected in the list")


async def _intent(a: Assembler, query: str | None) -> dict[str, Any] | None:
    if not query or not query.strip():
        return None
    prediction = (await intent_model(a.session, a.actor)).predict(query)
    mood = text_sentiment(query)
    value = {
        "text": query,
        "intent": prediction.label,
        "confidence": round(float(prediction.confidence), 4),
        "alternatives": [{"intent": k, "confidence": round(float(p), 4)} for k, p in prediction.alternatives[:3]],
        "sentiment": mood,
    }
    a.add("intent", value, "nlp", f"they want: {prediction.label} ({prediction.confidence:.0%})", a.now)
    return value


_BEHAVIOUR_KIND = {
    "page_view": "recent_view",
    "open_record": "recent_view",
    "dwell": "recent_view",
    "search": "recent_search",
    "download": "recent_download",
}


def _event_value(e: BehaviourEvent) -> dict[str, Any]:
    value: dict[str, Any] = {"event": e.kind, "page": e.page, "module": e.module}
    for name in ("entity", "query", "target", "duration_ms", "channel", "device"):
        v = getattr(e, name)
        if v is not None:
            value[name] = v
    if e.record_id is not None:
        value["record_id"] = str(e.record_id)
    if e.data:
        value["data"] = e.data
    return value


async def _behaviour(a: Assembler, user_id: uuid.UUID, since: datetime) -> None:
    a.consult(*BEHAVIOUR_CAPS)
    rows = (
        await a.session.execute(
            select(*cols(BehaviourEvent))
            .where(
                BehaviourEvent.user_id == user_id, BehaviourEvent.subject == "user", BehaviourEvent.occurred_at >= since
            )
            .order_by(BehaviourEvent.occurred_at.desc())
            .limit(40)
        )
    ).all()
    # A record seen in the app stays in the context only while the user may still read it.
    by_entity: dict[str, set[uuid.UUID]] = {}
    for e in rows:
        if e.entity and e.record_id:
            by_entity.setdefault(e.entity, set()).add(e.record_id)
    allowed: set[uuid.UUID] = set()
    for name, ids in by_entity.items():
        allowed |= await a.visible_ids(name, ids)
    taken: dict[str, int] = {}
    for e in rows:
        if e.record_id is not None and e.record_id not in allowed:
            continue
        kind = _BEHAVIOUR_KIND.get(e.kind, "recent_click")
        taken[kind] = taken.get(kind, 0) + 1
        if taken[kind] > BEHAVIOUR_CAPS[kind]:
            continue
        what = e.query or e.target or e.page or e.kind
        a.add(kind, _event_value(e), "events", f"{e.kind} {what} {ago(e.occurred_at, a.now)}", e.occurred_at)


async def _customer_behaviour(a: Assembler, entity: str, links: dict[str, uuid.UUID], since: datetime) -> None:
    a.consult("customer_behaviour")
    subjects: list[ColumnElement[bool]] = []
    for name, key in (("accounts", "account_id"), ("contacts", "contact_id"), ("leads", "lead_id")):
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
            .where(BehaviourEvent.subject == "customer", BehaviourEvent.occurred_at >= since, or_(*subjects))
            .order_by(BehaviourEvent.occurred_at.desc())
            .limit(20)
        )
    ).all()
    for e in rows:
        what = e.target or e.page or e.query or e.kind
        a.add(
            "customer_behaviour",
            _event_value(e),
            "events",
            f"the customer: {e.kind} {what} {ago(e.occurred_at, a.now)}",
            e.occurred_at,
        )


async def _conversations(
    a: Assembler, user_id: uuid.UUID, entity: str | None, record_id: uuid.UUID | None, since: datetime
) -> None:
    a.consult("conversation")
    mine = Interaction.user_id == user_id
    about = (Interaction.entity == entity) & (Interaction.record_id == record_id) if record_id is not None else None
    rows = (
        await a.session.execute(
            select(*cols(Interaction))
            .where(Interaction.created_at >= since, or_(mine, about) if about is not None else mine)
            .order_by(Interaction.created_at.desc())
            .limit(20)
        )
    ).all()
    for turn in rows:
        value = {
            "role": turn.role,
            "text": turn.text[:500],
            "channel": turn.channel,
            "intent": turn.intent,
            "sentiment": turn.sentiment_score,
            "conversation_id": str(turn.conversation_id),
            "entity": turn.entity,
            "record_id": str(turn.record_id) if turn.record_id else None,
        }
        if turn.role == "customer" and (turn.sentiment_score or 0) <= NEGATIVE:
            why = f"the customer complained {ago(turn.created_at, a.now)} (sentiment {turn.sentiment_score:+.2f})"
            a.add("complaint", value, f"interactions/{turn.id}", why, turn.created_at, sentiment=turn.sentiment_score)
        else:
            why = f"{turn.role} said ({turn.intent or turn.sentiment}) {ago(turn.created_at, a.now)}"
            a.add("conversation", value, f"interactions/{turn.id}", why, turn.created_at)


async def _topics(a: Assembler, user_id: uuid.UUID, since: datetime) -> None:
    a.consult("unfinished_topic")
    rows = (
        await a.session.execute(
            select(*cols(MemoryTopic))
            .where(MemoryTopic.user_id == user_id, MemoryTopic.status == "open", MemoryTopic.last_seen_at >= since)
            .order_by(MemoryTopic.last_seen_at.desc())
            .limit(10)
        )
    ).all()
    for t in rows:
        value = {
            "id": str(t.id),
            "title": t.title,
            "intent": t.intent,
            "entity": t.entity,
            "record_id": str(t.record_id) if t.record_id else None,
            "mentions": t.mentions,
            "first_seen_at": t.first_seen_at.isoformat(),
        }
        days = (a.now - t.first_seen_at).days
        why = f"unfinished since {days} days, raised {t.mentions}×" if days else f"unfinished, raised {t.mentions}×"
        a.add(
            "unfinished_topic", value, f"memory/{t.id}", why, t.last_seen_at, boost=min(1 + 0.1 * (t.mentions - 1), 1.3)
        )


async def _notifications(a: Assembler, user_id: uuid.UUID) -> None:
    a.consult("notification")
    rows = (
        await a.session.execute(
            select(*cols(Notification))
            .where(Notification.user_id == user_id, Notification.read_at.is_(None))
            .order_by(Notification.created_at.desc())
            .limit(5)
        )
    ).all()
    boosts = {"urgent": 1.5, "high": 1.25}
    for n in rows:
        value = {"id": str(n.id), "kind": n.kind, "title": n.title, "link": n.link, "priority": n.priority}
        a.add(
            "notification",
            value,
            f"notifications/{n.id}",
            f"unread {n.priority} notification",
            n.created_at,
            boost=boosts.get(n.priority, 1.0),
        )


def _playbook_matches(
    p: Playbook, entity: str | None, intent: str | None, text: str, categories: set[str], stages: set[str]
) -> bool:
    if p.entity and p.entity != entity:
        return False
    if p.intent and p.intent != intent:
        return False
    if p.category and p.category not in categories:
        return False
    if p.stage and p.stage not in stages:
        return False
    return not p.keywords or any(k and k.lower() in text for k in p.keywords)


def _playbooks(
    a: Assembler,
    settings: ContextSettings,
    entity: str | None,
    intent: dict[str, Any] | None,
    query: str | None,
    page: str | None,
    complaints: list[dict[str, Any]],
    stages: list[str],
) -> None:
    a.consult("playbook")
    if not settings.playbooks:
        return
    categories = {str(c.get("category")) for c in complaints if c.get("category")}
    if complaints:
        categories.add("投诉")
    text = " ".join(x for x in (query, page) if x).lower()
    label = intent["intent"] if intent else None
    for p in settings.playbooks:
        if _playbook_matches(p, entity, label, text, categories, set(stages)):
            a.add("playbook", {"name": p.name, "guidance": p.guidance}, "settings", f"playbook {p.name} matches")
