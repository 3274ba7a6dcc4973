"""Tasks as durable state machines.

    pending ──(deps done)──▶ ready ──(claimed)──▶ running ──▶ done
       ▲                                          │
       └──── retry after backoff ◀── failed try ──┤── tries used up ──▶ backup channel / re-plan / escalated
    person task: pending ──▶ waiting (activity + in-app notice; reminder at the due time) ──(result)──▶ done/failed

Every change is a row update plus a ``PlanEvent`` in the same transaction; after the commit the event goes
to live subscribers and the scheduler wakes. The state lives only in the rows, so a restart loses nothing:
a task left ``running`` by a dead scheduler is put back to ``pending`` and runs again (its tool call
carries an idempotency key, so a call that had committed is answered from the log, not repeated).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

import structlog
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from lingxi.agent.planning.live import get_hub
from lingxi.agent.planning.models import TERMINAL, Plan, PlanEvent, PlanTask
from lingxi.agent.planning.planner import manager_of
from lingxi.agent.planning.rules import PERMANENT_ERRORS, Rule, rule_for
from lingxi.audit.changes import json_safe
from lingxi.events.transaction import register_key, tx_list
from lingxi.kit.models import utcnow
from lingxi.tenancy.context import Actor

log = structlog.get_logger("lingxi.agent.planning")
PUBLISH = "plan_events_to_publish"
WAKE = "plan_scheduler_wake"
RESOLVED = frozenset({"done", "cancelled"})
OUTCOME_SCORE = {"success": 1.0, "partial": 0.5, "failure": 0.0}


def event_json(ev: PlanEvent) -> dict[str, Any]:
    return {
        "id": ev.id, "plan_id": str(ev.plan_id), "task_id": str(ev.task_id) if ev.task_id else None, "kind": ev.kind,
        "status": ev.status, "data": ev.data, "at": ev.created_at.isoformat() if ev.created_at else None,
    }


def _publish_committed(_session: Session, events: list[PlanEvent]) -> None:
    get_hub().publish([event_json(ev) for ev in events])


def _wake_committed(_session: Session, _items: list[Any]) -> None:
    get_hub().wake()


register_key(PUBLISH, _publish_committed)
register_key(WAKE, _wake_committed)


def emit(session: AsyncSession, plan: Plan, kind: str, *, task: PlanTask | None = None, status: str | None = None,
         data: dict[str, Any] | None = None) -> PlanEvent:
    ev = PlanEvent(tenant_id=plan.tenant_id, plan_id=plan.id, task_id=task.id if task else None, kind=kind,
                   status=status, data=json_safe(data or {}), created_at=utcnow())
    session.add(ev)
    tx_list(session, PUBLISH).append(ev)
    return ev


def set_status(session: AsyncSession, plan: Plan, task: PlanTask, status: str, **data: Any) -> None:
    if task.status == status and not data:
        return
    task.status = status
    emit(session, plan, f"task.{status}", task=task, status=status, data={"key": task.key, "title": task.title, **data})


async def plan_tasks(session: AsyncSession, plan_id: uuid.UUID) -> list[PlanTask]:
    return list((await session.scalars(select(PlanTask).where(PlanTask.plan_id == plan_id).order_by(PlanTask.position))).all())


# -- person tasks ---------------------------------------------------------------------------------


async def start_person_task(session: AsyncSession, plan: Plan, task: PlanTask) -> None:
    """Give the task to its assignee: a CRM task activity (their task list), an in-app notice, status waiting."""
    from lingxi.notifications.service import notify
    from lingxi.records.service import RecordService, entity_or_404

    if task.assignee_id is None:
        task.assignee_id = plan.owner_id
    if task.due_at is None:
        task.due_at = utcnow() + timedelta(hours=24)
    if task.activity_id is None and task.assignee_id is not None:
        account = (plan.slots or {}).get("account")
        data: dict[str, Any] = {
            "type": "task", "subject": task.title[:300], "priority": task.priority, "due_at": task.due_at,
            "owner_id": task.assignee_id, "status": "planned",
            "description": _describe(plan, task),
        }
        if isinstance(account, dict) and account.get("id"):
            data.update(related_entity="accounts", related_id=account["id"], account_id=account["id"])
        try:
            activity = await RecordService(session, Actor.system(plan.tenant_id), entity_or_404("activities")).create(data)
            task.activity_id = activity.id
        except Exception:  # noqa: BLE001 - the plan task itself still reaches the person
            log.warning("plan_activity_failed", task_id=str(task.id), exc_info=True)
    if task.assignee_id is not None:
        await notify(
            session, tenant_id=plan.tenant_id, user_id=task.assignee_id, kind="task.assigned",
            title=task.title[:300], body=(task.instructions or "")[:2000], link=f"/plans/{plan.id}?task={task.id}",
            data={"plan_id": str(plan.id), "task_id": str(task.id), "activity_id": str(task.activity_id) if task.activity_id else None,
                  "due_at": task.due_at.isoformat() if task.due_at else None, "references": task.references},
            priority="high" if task.priority in ("high", "urgent") else "normal",
        )
    set_status(session, plan, task, "waiting", assignee_id=str(task.assignee_id) if task.assignee_id else None,
               due_at=task.due_at.isoformat() if task.due_at else None, activity_id=str(task.activity_id) if task.activity_id else None)


def _describe(plan: Plan, task: PlanTask) -> str:
    lines = [task.instructions or "", "", f"{'原因' if plan.language == 'zh' else 'Why'}: {task.why}",
             f"{'目标' if plan.language == 'zh' else 'Goal'}: {plan.goal}"]
    for ref in task.references or []:
        label = ref.get("title") or ref.get("text") or ref.get("url") or ref.get("id")
        if label:
            lines.append(f"- {ref.get('kind', 'ref')}: {label}")
    return "\n".join(lines)[:5000]


async def remind(session: AsyncSession, plan: Plan, task: PlanTask) -> None:
    from lingxi.notifications.service import notify

    task.reminded_at = utcnow()
    if task.assignee_id is None:
        return
    zh = plan.language == "zh"
    await notify(
        session, tenant_id=plan.tenant_id, user_id=task.assignee_id, kind="task.reminder",
        title=(f"提醒：{task.title}" if zh else f"Reminder: {task.title}")[:300], body=(task.instructions or "")[:2000],
        link=f"/plans/{plan.id}?task={task.id}", data={"plan_id": str(plan.id), "task_id": str(task.id)},
        priority="high",
    )
    emit(session, plan, "task.reminded", task=task, status=task.status, data={"key": task.key, "assignee_id": str(task.assignee_id)})


async def record_result(session: AsyncSession, plan: Plan, task: PlanTask, actor: Actor, result: dict[str, Any]) -> None:
    """A person's result: ``outcome`` (success, partial, failure), ``notes``, ``data``; ``failure`` with
    ``status: failed`` fails the task, anything else completes it."""
    from lingxi.records.service import RecordService, entity_or_404

    now = utcnow()
    outcome = result.get("outcome") or "success"
    task.result = json_safe({"outcome": outcome, "notes": result.get("notes") or "", "data": result.get("data") or {},
                             "by": str(actor.user_id) if actor.user_id else None, "at": now.isoformat()})
    task.finished_at = now
    task.error = None
    if task.activity_id is not None:
        try:
            await RecordService(session, Actor.system(plan.tenant_id), entity_or_404("activities")).update(
                task.activity_id, {"status": "completed", "completed_at": now, "outcome": f"{outcome}: {result.get('notes') or ''}"[:500]}
            )
        except Exception:  # noqa: BLE001 - the activity may have been deleted; the task result stands
            log.info("plan_activity_update_failed", task_id=str(task.id), exc_info=True)
    set_status(session, plan, task, "failed" if result.get("status") == "failed" else "done", outcome=outcome,
               notes=(result.get("notes") or "")[:500])


# -- failures -------------------------------------------------------------------------------------


async def handle_failure(session: AsyncSession, plan: Plan, task: PlanTask, error: dict[str, Any], rule: Rule | None = None) -> None:
    """A try failed: retry after backoff, or (tries used up, or an error no retry fixes) apply the
    rule's actions in order: switch to a backup channel, re-plan the step for a person, escalate."""
    rule = rule or await rule_for(session, task.tool, task.executor)
    now = utcnow()
    history = list((task.error or {}).get("history", []))[-9:]
    history.append({"attempt": task.attempts, "tool": task.tool, "code": error.get("code"), "message": str(error.get("message", ""))[:300],
                    "at": now.isoformat()})
    task.error = {"code": error.get("code"), "message": str(error.get("message", ""))[:500], "history": history}
    task.worker = None
    task.lease_until = None
    permanent = error.get("code") in PERMANENT_ERRORS
    if not permanent and task.attempts < rule.max_attempts:
        delay = rule.backoff(task.attempts)
        task.ready_at = now + timedelta(seconds=delay)
        set_status(session, plan, task, "pending", retry_in_s=round(delay, 3), attempt=task.attempts, error=task.error["code"],
                   rule=rule.name)
        tx_list(session, WAKE).append(task.id)
        return
    for action in rule.actions:
        if action == "backup_channel" and task.alternatives:
            alts = list(task.alternatives)
            nxt = alts.pop(0)
            tried = list((task.result or {}).get("channels_tried", [])) + [task.tool]
            task.result = {"channels_tried": tried}
            task.tool, task.args, task.alternatives = nxt["tool"], nxt.get("args") or {}, alts
            task.attempts = 0
            task.ready_at = now
            set_status(session, plan, task, "pending", switched_to=task.tool, channels_tried=tried, rule=rule.name)
            emit(session, plan, "task.channel_switched", task=task, status="pending", data={"key": task.key, "tool": task.tool})
            tx_list(session, WAKE).append(task.id)
            return
        if action == "replan" and task.executor != "person":
            zh = plan.language == "zh"
            task.executor = "person"
            task.instructions = (f"自动执行失败（{task.error['message']}），请手动完成：{task.title}" if zh
                                 else f"Automatic execution failed ({task.error['message']}); please do this by hand: {task.title}")
            task.assignee_id = task.assignee_id or plan.owner_id
            emit(session, plan, "task.replanned", task=task, status=task.status, data={"key": task.key, "executor": "person"})
            await start_person_task(session, plan, task)
            return
        if action == "escalate":
            await escalate(session, plan, task, rule)
            return
    task.finished_at = now
    set_status(session, plan, task, "failed", error=task.error["code"], message=task.error["message"])


async def escalate(session: AsyncSession, plan: Plan, task: PlanTask, rule: Rule) -> None:
    """Raise the task's priority and hand it to the owner's manager (and tell the owner)."""
    from lingxi.notifications.service import notify

    manager = await manager_of(session, plan.owner_id)
    task.priority = rule.escalate_priority
    task.escalated_at = utcnow()
    task.escalated_to_id = manager
    zh = plan.language == "zh"
    title = (f"任务升级：{task.title}" if zh else f"Escalated: {task.title}")[:300]
    body = (f"计划「{plan.goal[:100]}」中的任务重试 {task.attempts} 次仍失败：{task.error and task.error.get('message')}" if zh
            else f"A task of the plan '{plan.goal[:100]}' failed after {task.attempts} tries: {task.error and task.error.get('message')}")
    data = {"plan_id": str(plan.id), "task_id": str(task.id), "error": task.error}
    for user_id in dict.fromkeys(u for u in (manager, plan.owner_id) if u is not None):
        await notify(session, tenant_id=plan.tenant_id, user_id=user_id, kind="task.escalated", title=title, body=body,
                     link=f"/plans/{plan.id}?task={task.id}", data=data, priority="urgent" if rule.escalate_priority == "urgent" else "high")
    set_status(session, plan, task, "escalated", escalated_to=str(manager) if manager else None, priority=task.priority,
               error=task.error and task.error.get("code"), rule=rule.name)


# -- moving the plan along ------------------------------------------------------------------------


def _group_status(children: list[str]) -> str:
    s = set(children)
    if not s:
        return "pending"
    if s <= {"done", "cancelled"}:
        return "done" if "done" in s else "cancelled"
    for status in ("escalated", "failed", "running", "waiting"):
        if status in s:
            return status if status != "failed" or s <= TERMINAL else "running"
    return "running" if "done" in s else "pending"


async def advance(session: AsyncSession, plan: Plan, tasks: list[PlanTask] | None = None) -> None:
    """Start what became ready, roll statuses up the tree, and finish the plan when every task has ended."""
    if plan.status in ("done", "failed", "cancelled"):
        return
    tasks = tasks if tasks is not None else await plan_tasks(session, plan.id)
    by_key = {t.key: t for t in tasks}
    now = utcnow()
    for t in tasks:
        if t.kind != "task" or t.status != "pending" or t.ready_at is not None:
            continue
        deps = [by_key[k] for k in t.depends_on if k in by_key]
        if any(d.status == "failed" or (d.error or {}).get("code") == "prerequisite_failed" for d in deps):
            # What it needs failed for good: it cannot run, and the plan can still end.
            t.error = {"code": "prerequisite_failed", "message": "a task it depends on failed"}
            t.finished_at = now
            set_status(session, plan, t, "cancelled", reason="prerequisite_failed")
            continue
        if all(d.status in RESOLVED for d in deps):
            t.ready_at = now
            if t.executor == "person":
                await start_person_task(session, plan, t)
            else:
                emit(session, plan, "task.ready", task=t, status="pending", data={"key": t.key, "tool": t.tool})
                tx_list(session, WAKE).append(t.id)
    children: dict[uuid.UUID, list[str]] = {}
    for t in reversed(tasks):
        if t.kind == "group":
            status = _group_status(children.get(t.id, []))
            if status != t.status:
                t.status = status
                emit(session, plan, f"step.{status}", task=t, status=status, data={"key": t.key, "title": t.title})
        if t.parent_id is not None:
            children.setdefault(t.parent_id, []).append(t.status)
    leaves = [t for t in tasks if t.kind == "task"]
    if leaves and all(t.status in TERMINAL for t in leaves):
        finish_plan(session, plan, tasks)
        return
    status = "running"
    if any(t.status == "escalated" for t in leaves):
        status = "escalated"
    elif any(t.status == "failed" for t in leaves):
        status = "failed" if not any(t.status in ("running", "pending", "waiting") and t.ready_at for t in leaves) else "running"
    elif not any(t.status in ("running",) or (t.status == "pending" and t.ready_at) for t in leaves) and any(t.status == "waiting" for t in leaves):
        status = "waiting"
    if status != plan.status:
        plan.status = status
        emit(session, plan, f"plan.{status}", status=status)


def compare_with_goal(plan: Plan, tasks: list[PlanTask]) -> dict[str, Any]:
    """The outcome: how many tasks ended well, and the results of the tasks the method names as its
    success criteria (a person's ``success``/``partial``/``failure``)."""
    leaves = [t for t in tasks if t.kind == "task"]
    done = [t for t in leaves if t.status == "done"]
    failed = [t for t in leaves if t.status in ("failed", "escalated")]
    criteria_keys = list((plan.explanation or {}).get("success", {}).get("task_outcomes", []))
    by_key = {t.key: t for t in leaves}
    criteria = []
    for key in criteria_keys:
        t = by_key.get(key)
        outcome = (t.result or {}).get("outcome") if t is not None and t.status == "done" else None
        criteria.append({"task": key, "title": t.title if t else None, "outcome": outcome or "not_done"})
    completion = len(done) / len(leaves) if leaves else 0.0
    if criteria:
        score = sum(OUTCOME_SCORE.get(c["outcome"], 0.0) for c in criteria) / len(criteria)
    else:
        score = completion
    score = round(0.8 * score + 0.2 * completion, 3)
    goal_met = score >= 0.7 and not failed
    return {
        "goal": plan.goal, "goal_met": goal_met, "score": score, "completion": round(completion, 3),
        "tasks": len(leaves), "done": len(done), "failed": [t.key for t in failed],
        "criteria": criteria,
    }


def finish_plan(session: AsyncSession, plan: Plan, tasks: list[PlanTask]) -> None:
    leaves = [t for t in tasks if t.kind == "task"]
    outcome = compare_with_goal(plan, tasks)
    plan.outcome = outcome
    plan.score = outcome["score"]
    plan.goal_met = outcome["goal_met"]
    plan.finished_at = utcnow()
    plan.status = "done" if all(t.status in RESOLVED for t in leaves) else "failed"
    emit(session, plan, f"plan.{plan.status}", status=plan.status, data={"outcome": outcome})


async def cancel_plan(session: AsyncSession, plan: Plan, actor: Actor) -> None:
    tasks = await plan_tasks(session, plan.id)
    for t in tasks:
        if t.status not in TERMINAL:
            t.status = "cancelled"
            t.finished_at = utcnow()
            t.worker = None
    plan.status = "cancelled"
    plan.finished_at = utcnow()
    emit(session, plan, "plan.cancelled", status="cancelled", data={"by": str(actor.user_id) if actor.user_id else None})


def lease_expired(task: PlanTask, now: datetime) -> bool:
    return task.lease_until is None or task.lease_until < now
