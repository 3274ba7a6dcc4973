"""Calendar and task tools: events, reminders that notify in the app when due, and tasks assigned to a
person. Events and tasks are ordinary records (``calendar_events``, ``activities`` of type task), made
through ``RecordService``, so the caller's permissions decide what they may create and for whom."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import select

from lingxi.agent.tools.base import Permission, ToolContext
from lingxi.agent.tools.models import ToolReminder
from lingxi.agent.tools.registry import tool
from lingxi.errors import NotFound, ValidationFailed
from lingxi.kit.models import utcnow
from lingxi.notifications.service import notify
from lingxi.org.models import User
from lingxi.records.service import RecordService, entity_or_404

LINKABLE = ("accounts", "contacts", "leads", "opportunities", "tickets", "quotes", "orders", "campaigns")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class RecordLink(_Strict):
    related_entity: Literal[LINKABLE] | None = Field(None, description="The record this belongs to")  # type: ignore[valid-type]
    related_id: uuid.UUID | None = None


def _link_fields(args: RecordLink) -> dict[str, Any]:
    if (args.related_entity is None) != (args.related_id is None):
        raise ValidationFailed("related_entity and related_id go together", code="invalid_reference",
                               details=[{"field": "related_id"}])
    if args.related_entity is None:
        return {}
    out: dict[str, Any] = {"related_entity": args.related_entity, "related_id": str(args.related_id)}
    direct = {"accounts": "account_id", "contacts": "contact_id", "opportunities": "opportunity_id",
              "leads": "lead_id", "tickets": "ticket_id"}
    if args.related_entity in direct:
        out[direct[args.related_entity]] = str(args.related_id)
    return out


async def _active_users(ctx: ToolContext, ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not ids:
        return {}
    rows = await ctx.session.execute(select(User.id, User.name).where(User.id.in_(ids), User.is_active.is_(True)))
    found = dict(rows.all())
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise NotFound("no active user with these ids", code="user_not_found", details={"user_ids": missing})
    return found


class EventArgs(RecordLink):
    title: str = Field(min_length=1, max_length=300)
    start_at: datetime
    end_at: datetime | None = Field(None, description="Default: one hour after start_at")
    all_day: bool = False
    location: str | None = Field(None, max_length=300)
    description: str | None = Field(None, max_length=5000)
    attendee_ids: list[uuid.UUID] = Field(default_factory=list, max_length=100, description="Users invited (notified in the app)")
    reminder_minutes: int | None = Field(None, ge=0, le=10080)


class EventOut(BaseModel):
    event: dict[str, Any]
    notified: int


@tool(
    name="calendar.create_event", category="calendar",
    description={"zh": "创建日程（可关联记录、邀请同事并站内通知）", "en": "Create a calendar event (linked to a record, inviting colleagues with an in-app notice)"},
    permission=Permission(entity="calendar_events", action="create"), side_effects=True, idempotency="keyed",
)
async def create_event(ctx: ToolContext, args: EventArgs) -> EventOut:
    start = _aware(args.start_at)
    end = _aware(args.end_at) if args.end_at else start + timedelta(hours=1)
    if end < start:
        raise ValidationFailed("end_at is before start_at", code="invalid_range", details=[{"field": "end_at"}])
    attendees = await _active_users(ctx, list(dict.fromkeys(args.attendee_ids)))
    data = {
        "title": args.title, "start_at": start.isoformat(), "end_at": end.isoformat(), "all_day": args.all_day,
        "location": args.location, "description": args.description,
        "attendee_ids": [str(i) for i in attendees], "reminder_minutes": args.reminder_minutes, **_link_fields(args),
    }
    svc = RecordService(ctx.session, ctx.actor, entity_or_404("calendar_events"))
    rec = await svc.create({k: v for k, v in data.items() if v is not None})
    assert ctx.actor.tenant_id is not None
    notified = 0
    for user_id in attendees:
        if user_id == ctx.actor.user_id:
            continue
        await notify(ctx.session, tenant_id=ctx.actor.tenant_id, user_id=user_id, kind="calendar_invite",
                     title=f"日程邀请：{args.title}" if ctx.locale.startswith("zh") else f"Invitation: {args.title}",
                     body=start.isoformat(), link=f"/r/calendar_events/{rec.id}", data={"event_id": str(rec.id)})
        notified += 1
    if args.reminder_minutes is not None:
        for user_id in {ctx.actor.user_id, *attendees} - {None}:
            ctx.session.add(ToolReminder(
                tenant_id=ctx.actor.tenant_id, user_id=user_id, created_by_id=ctx.actor.user_id,
                remind_at=start - timedelta(minutes=args.reminder_minutes), title=args.title,
                body=start.isoformat(), link=f"/r/calendar_events/{rec.id}",
            ))
    return EventOut(event=await svc.serialize(rec), notified=notified)


class ReminderArgs(RecordLink):
    title: str = Field(min_length=1, max_length=300)
    remind_at: datetime = Field(description="When to remind (ISO 8601; UTC unless it has an offset)")
    note: str = Field("", max_length=2000)

    @field_validator("remind_at")
    @classmethod
    def _future(cls, value: datetime) -> datetime:
        value = _aware(value)
        if value < utcnow() - timedelta(minutes=1):
            raise ValueError("remind_at is in the past")
        return value


class ReminderOut(BaseModel):
    reminder_id: uuid.UUID
    task: dict[str, Any]
    remind_at: datetime


@tool(
    name="calendar.create_reminder", category="calendar",
    description={"zh": "为自己设置提醒：到时站内通知，并生成一条待办任务", "en": "Set a reminder for yourself: an in-app notice when due, and a to-do task"},
    permission=Permission(entity="activities", action="create"), side_effects=True, idempotency="keyed",
)
async def create_reminder(ctx: ToolContext, args: ReminderArgs) -> ReminderOut:
    svc = RecordService(ctx.session, ctx.actor, entity_or_404("activities"))
    rec = await svc.create({
        "type": "task", "subject": args.title, "description": args.note or None, "due_at": args.remind_at.isoformat(),
        "priority": "normal", "status": "planned", **_link_fields(args),
    })
    assert ctx.actor.tenant_id is not None and ctx.actor.user_id is not None
    reminder = ToolReminder(
        tenant_id=ctx.actor.tenant_id, user_id=ctx.actor.user_id, created_by_id=ctx.actor.user_id, activity_id=rec.id,
        remind_at=args.remind_at, title=args.title, body=args.note, link=f"/r/activities/{rec.id}",
    )
    ctx.session.add(reminder)
    await ctx.session.flush()
    return ReminderOut(reminder_id=reminder.id, task=await svc.serialize(rec), remind_at=args.remind_at)


class AssignArgs(RecordLink):
    assignee_id: uuid.UUID = Field(description="The user who is to do the task")
    subject: str = Field(min_length=1, max_length=300)
    description: str | None = Field(None, max_length=5000)
    due_at: datetime | None = None
    priority: Literal["low", "normal", "high", "urgent"] = "normal"


class TaskOut(BaseModel):
    task: dict[str, Any]
    notified: bool


@tool(
    name="tasks.assign", category="calendar",
    description={"zh": "给某位同事分派任务（待办活动，负责人为该同事）并站内通知", "en": "Assign a task to a person (a to-do activity they own) and notify them in the app"},
    permission=Permission(entity="activities", action="create"), side_effects=True, idempotency="keyed",
)
async def assign_task(ctx: ToolContext, args: AssignArgs) -> TaskOut:
    await _active_users(ctx, [args.assignee_id])
    svc = RecordService(ctx.session, ctx.actor, entity_or_404("activities"))
    data = {
        "type": "task", "subject": args.subject, "description": args.description, "priority": args.priority,
        "status": "planned", "owner_id": str(args.assignee_id),
        "due_at": _aware(args.due_at).isoformat() if args.due_at else None, **_link_fields(args),
    }
    rec = await svc.create({k: v for k, v in data.items() if v is not None})
    notified = False
    if args.assignee_id != ctx.actor.user_id:
        assert ctx.actor.tenant_id is not None
        await notify(ctx.session, tenant_id=ctx.actor.tenant_id, user_id=args.assignee_id, kind="task_assigned",
                     title=("新任务：" if ctx.locale.startswith("zh") else "New task: ") + args.subject,
                     body=args.description or "", link=f"/r/activities/{rec.id}",
                     priority="high" if args.priority in ("high", "urgent") else "normal",
                     data={"activity_id": str(rec.id), "assigned_by": str(ctx.actor.user_id)})
        notified = True
    return TaskOut(task=await svc.serialize(rec), notified=notified)


class CompleteArgs(_Strict):
    task_id: uuid.UUID
    outcome: str | None = Field(None, max_length=500)


@tool(
    name="tasks.complete", category="calendar",
    description={"zh": "把任务标记为已完成并记录结果", "en": "Mark a task done and record its outcome"},
    permission=Permission(entity="activities", action="update"), side_effects=True, idempotency="idempotent",
)
async def complete_task(ctx: ToolContext, args: CompleteArgs) -> TaskOut:
    svc = RecordService(ctx.session, ctx.actor, entity_or_404("activities"))
    current = await svc.get(args.task_id, ["status", "completed_at"])
    data: dict[str, Any] = {"status": "completed"}
    if not current.get("completed_at"):
        data["completed_at"] = utcnow().isoformat()
    if args.outcome:
        data["outcome"] = args.outcome
    rec = await svc.update(args.task_id, data)
    return TaskOut(task=await svc.serialize(rec), notified=False)


class AgendaArgs(_Strict):
    start: datetime | None = Field(None, description="Default: now")
    days: int = Field(7, ge=1, le=92)
    limit: int = Field(50, ge=1, le=200)


class AgendaOut(BaseModel):
    events: list[dict[str, Any]]
    tasks: list[dict[str, Any]]


@tool(
    name="calendar.agenda", category="calendar",
    description={"zh": "查看自己在一段时间内的日程和未完成任务", "en": "Your events and open tasks over a period"},
    permission=Permission(entity="calendar_events", action="read"), idempotency="safe",
)
async def agenda(ctx: ToolContext, args: AgendaArgs) -> AgendaOut:
    start = _aware(args.start) if args.start else utcnow()
    end = start + timedelta(days=args.days)
    me = str(ctx.actor.user_id)
    events = await RecordService(ctx.session, ctx.actor, entity_or_404("calendar_events")).list(
        filter_spec={"start_at": {"between": [start.isoformat(), end.isoformat()]}, "owner_id": me},
        sort="start_at", limit=args.limit,
    )
    tasks = await RecordService(ctx.session, ctx.actor, entity_or_404("activities")).list(
        filter_spec={"type": "task", "owner_id": me, "status": {"in": ["planned", "in_progress"]},
                     "$or": [{"due_at": {"lte": end.isoformat()}}, {"due_at": {"is_null": True}}]},
        sort="due_at", limit=args.limit,
    )
    return AgendaOut(events=events.data, tasks=tasks.data)
