"""Plans and their tasks: making a plan from a goal, reading plans, recording a person's result,
retrying and cancelling. Called by the REST endpoints and by the tool library's process tools
(``start_plan``, ``report_task_result``)."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from typing import Any

import structlog
from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.agent.planning import engine
from lingxi.agent.planning.methods import all_methods
from lingxi.agent.planning.models import TERMINAL, Plan, PlanEvent, PlanTask
from lingxi.agent.planning.planner import (
    MIN_SCORE,
    Candidate,
    Node,
    PlanInvalid,
    _text,
    build_nodes,
    fill_slots,
    language_of,
    method_stats,
    rank_methods,
    tool_stats,
)
from lingxi.audit.service import record_event
from lingxi.errors import Conflict, Forbidden, LingxiError, NotFound, ValidationFailed
from lingxi.kit.models import utcnow
from lingxi.tenancy.context import Actor

log = structlog.get_logger("lingxi.agent.planning")
SOURCES = ("person", "event", "schedule", "api", "assistant")
MAX_GOAL = 2000


async def _order_channels(session: AsyncSession, nodes: list[Node]) -> None:
    """Put the channel that worked best for this tenant first (smoothed success rate; ties keep the
    method's order)."""
    tools = sorted({n.tool for n in nodes if n.tool} | {a["tool"] for n in nodes for a in n.alternatives})
    stats = await tool_stats(session, tools)
    if not stats:
        return
    for n in nodes:
        if not n.alternatives or n.tool is None:
            continue
        options = [{"tool": n.tool, "args": n.args}, *n.alternatives]

        def rate(opt: dict[str, Any], i: int) -> tuple[float, int]:
            total, ok = stats.get(opt["tool"], (0, 0))
            return (-(ok + 1) / (total + 2), i)

        ranked = sorted(((rate(o, i), o) for i, o in enumerate(options)), key=lambda x: x[0])
        best = ranked[0][1]
        if best["tool"] != n.tool:
            n.notes.append(f"channel {best['tool']} ranked first by past success")
        n.tool, n.args = best["tool"], best["args"]
        n.alternatives = [o for _, o in ranked[1:]]


async def propose_plan(
    session: AsyncSession, actor: Actor, *, goal: str, goal_type: str | None = None, method_key: str | None = None,
    record: dict[str, Any] | None = None, use_llm: bool = True,
) -> dict[str, Any]:
    """Recognise the goal, choose a method, fill the slots and build the nodes; nothing is stored."""
    goal = (goal or "").strip()
    if not goal or len(goal) > MAX_GOAL:
        raise ValidationFailed(f"goal must be 1-{MAX_GOAL} characters", code="goal_invalid", details=[{"field": "goal"}])
    methods = await all_methods(session)
    pool = methods
    if method_key:
        pool = [m for m in methods if m["key"] == method_key]
        if not pool:
            raise NotFound(f"no enabled method {method_key!r}", code="method_not_found", details={"key": method_key})
    elif goal_type:
        pool = [m for m in methods if m["goal_type"] == goal_type]
        if not pool:
            raise ValidationFailed(f"unknown goal type {goal_type!r}", code="goal_type_unknown",
                                   details={"goal_types": sorted({m["goal_type"] for m in methods})})
    stats = await method_stats(session)
    if method_key:  # named: nothing to recognise
        ranked = [Candidate(pool[0], 1.0, 1.0, [], None, stats.get(method_key, (0, 0))[0])]
    else:
        ranked = await asyncio.to_thread(rank_methods, goal, pool, stats)
    lang = language_of(goal)
    if not ranked or (not (goal_type or method_key) and ranked[0].score < MIN_SCORE):
        raise ValidationFailed("no method fits this goal; name a goal_type", code="goal_not_understood",
                               details={"candidates": [c.explain(lang) for c in ranked[:3]]})
    chosen = ranked[0].method
    slots, missing = await fill_slots(session, actor, chosen, goal, record)
    if missing:
        raise ValidationFailed("the goal does not name a record the plan needs (or you may not read it)", code="slot_unfilled",
                               details={"missing": missing, "method": chosen["key"]})
    explanation: dict[str, Any] = {
        "method": chosen["key"], "goal_type": chosen["goal_type"],
        "why": (f"目标与方法「{_text(chosen.get('name'), 'zh')}」最相符" if lang == "zh"
                else f"The goal fits the method '{_text(chosen.get('name'), 'en')}' best"),
        "candidates": [c.explain(lang) for c in ranked[:5]],
        "slots": {k: v for k, v in slots.items()},
        "success": chosen.get("success") or {},
    }
    planner = "offline"
    nodes: list[Node] | None = None
    if use_llm:
        from lingxi.ai.llm import LlmError, get_llm

        llm = await get_llm(session, actor, "planning")
        if llm.available:
            from lingxi.agent.planning.llm_planner import propose

            try:
                method, nodes, rationale = await propose(session, actor, llm, goal, lang, slots, ranked, methods)
                planner = "llm"
                chosen = method
                explanation.update(method=method["key"], goal_type=method["goal_type"], llm_rationale=rationale,
                                   success=method.get("success") or {})
            except (LlmError, PlanInvalid, ValueError, StopIteration) as exc:
                reason = exc.details if isinstance(exc, LingxiError) else str(exc)[:500]
                explanation["llm_rejected"] = {"reason": getattr(exc, "code", type(exc).__name__), "details": reason}
                log.info("llm_plan_rejected", reason=str(exc)[:300])
                nodes = None
    if nodes is None:
        nodes = await build_nodes(session, actor, chosen, chosen["tree"], slots, lang, goal)
    await _order_channels(session, nodes)
    return {"method": chosen, "nodes": nodes, "slots": slots, "lang": lang, "planner": planner, "explanation": explanation}


async def create_plan(
    session: AsyncSession, actor: Actor, *, goal: str, goal_type: str | None = None, method_key: str | None = None,
    record: dict[str, Any] | None = None, source: str = "person", use_llm: bool = True,
) -> Plan:
    if source not in SOURCES:
        raise ValidationFailed(f"source must be one of {', '.join(SOURCES)}", code="source_invalid")
    if actor.user_id is None or actor.tenant_id is None:
        raise Forbidden("plans belong to a user", code="user_required")
    p = await propose_plan(session, actor, goal=goal, goal_type=goal_type, method_key=method_key, record=record, use_llm=use_llm)
    method, nodes = p["method"], p["nodes"]
    rec = p["slots"].get("account") or p["slots"].get("record") or next(
        (v for v in p["slots"].values() if isinstance(v, dict) and v.get("id")), None)
    plan = Plan(
        tenant_id=actor.tenant_id, goal=goal.strip(), goal_type=method["goal_type"], source=source, method_key=method["key"],
        method_version=method.get("version", 1), planner=p["planner"], language=p["lang"], status="running",
        owner_id=actor.user_id, record_entity=rec.get("entity") if rec else None,
        record_id=uuid.UUID(rec["id"]) if rec and rec.get("id") else None, slots=p["slots"], explanation=p["explanation"],
    )
    session.add(plan)
    await session.flush()
    ids: dict[str, uuid.UUID] = {n.key: uuid.uuid4() for n in nodes}
    now = utcnow()
    tasks = []
    for i, n in enumerate(nodes):
        t = PlanTask(
            id=ids[n.key], tenant_id=actor.tenant_id, plan_id=plan.id, parent_id=ids.get(n.parent) if n.parent else None,
            key=n.key, position=i, depth=n.depth, kind=n.kind, title=n.title, why=n.why, executor=n.executor, tool=n.tool,
            args=n.args, alternatives=n.alternatives, assignee_id=n.assignee_id, instructions=n.instructions,
            references=n.references, due_at=now + timedelta(hours=n.due_in_hours) if n.due_in_hours else None,
            depends_on=n.depends_on, status="pending", priority="normal", attempts=0,
            result={"notes": n.notes} if n.notes else None,
        )
        session.add(t)
        tasks.append(t)
    await session.flush()
    engine.emit(session, plan, "plan.created", status="running",
                data={"goal": plan.goal, "method": plan.method_key, "planner": plan.planner, "tasks": sum(1 for n in nodes if n.kind == "task")})
    await engine.advance(session, plan, tasks)
    record_event(session, action="plan.create", tenant_id=actor.tenant_id, actor_id=actor.user_id, entity="plans",
                 record_id=plan.id, changes={"goal": plan.goal, "method": plan.method_key, "planner": plan.planner})
    await session.flush()
    return plan


# -- reading --------------------------------------------------------------------------------------


def _involved(actor: Actor) -> Any:
    me = actor.user_id
    return or_(
        Plan.owner_id == me,
        Plan.id.in_(select(PlanTask.plan_id).where(or_(PlanTask.assignee_id == me, PlanTask.escalated_to_id == me))),
    )


async def get_plan(session: AsyncSession, actor: Actor, plan_id: uuid.UUID) -> Plan:
    query = select(Plan).where(Plan.id == plan_id)
    if not (actor.is_admin or actor.is_system):
        query = query.where(_involved(actor))
    plan = await session.scalar(query)
    if plan is None:
        raise NotFound("no such plan", code="plan_not_found", details={"id": str(plan_id)})
    return plan


async def list_plans(
    session: AsyncSession, actor: Actor, *, status: str | None, goal_type: str | None, mine: bool, limit: int, offset: int
) -> tuple[list[Plan], int]:
    where = []
    if mine or not (actor.is_admin or actor.is_system):
        where.append(Plan.owner_id == actor.user_id if mine else _involved(actor))
    if status:
        where.append(Plan.status == status)
    if goal_type:
        where.append(Plan.goal_type == goal_type)
    total = int(await session.scalar(select(func.count()).select_from(Plan).where(*where)) or 0)
    rows = (await session.scalars(select(Plan).where(*where).order_by(Plan.created_at.desc(), Plan.id).limit(limit).offset(offset))).all()
    return list(rows), total


def tree_of(tasks: list[PlanTask]) -> list[dict[str, Any]]:
    """The plan's nodes nested under the goal."""
    out: dict[uuid.UUID, dict[str, Any]] = {}
    roots: list[dict[str, Any]] = []
    for t in tasks:
        node = task_json(t)
        node["children"] = []
        out[t.id] = node
        parent = out.get(t.parent_id) if t.parent_id else None
        (parent["children"] if parent is not None else roots).append(node)
    return roots


def task_json(t: PlanTask) -> dict[str, Any]:
    return {
        "id": t.id, "plan_id": t.plan_id, "parent_id": t.parent_id, "key": t.key, "depth": t.depth, "kind": t.kind,
        "title": t.title, "why": t.why, "executor": t.executor, "tool": t.tool, "args": t.args, "alternatives": t.alternatives,
        "assignee_id": t.assignee_id, "instructions": t.instructions, "references": t.references, "due_at": t.due_at,
        "depends_on": t.depends_on, "status": t.status, "priority": t.priority, "attempts": t.attempts, "ready_at": t.ready_at,
        "started_at": t.started_at, "finished_at": t.finished_at, "result": t.result, "error": t.error,
        "activity_id": t.activity_id, "reminded_at": t.reminded_at, "escalated_at": t.escalated_at,
        "escalated_to_id": t.escalated_to_id, "updated_at": t.updated_at,
    }


def plan_json(plan: Plan, tasks: list[PlanTask] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": plan.id, "goal": plan.goal, "goal_type": plan.goal_type, "source": plan.source, "method_key": plan.method_key,
        "method_version": plan.method_version, "planner": plan.planner, "language": plan.language, "status": plan.status,
        "owner_id": plan.owner_id, "record_entity": plan.record_entity, "record_id": plan.record_id, "slots": plan.slots,
        "explanation": plan.explanation, "outcome": plan.outcome, "goal_met": plan.goal_met, "score": plan.score,
        "created_at": plan.created_at, "updated_at": plan.updated_at, "finished_at": plan.finished_at,
    }
    if tasks is not None:
        leaves = [t for t in tasks if t.kind == "task"]
        out["progress"] = {s: sum(1 for t in leaves if t.status == s) for s in ("pending", "running", "waiting", "done", "failed", "cancelled", "escalated")}
        out["depth"] = max((t.depth for t in tasks), default=0)
        out["tree"] = tree_of(tasks)
    return out


async def plan_detail(session: AsyncSession, actor: Actor, plan_id: uuid.UUID) -> dict[str, Any]:
    plan = await get_plan(session, actor, plan_id)
    return plan_json(plan, await engine.plan_tasks(session, plan.id))


async def events_after(session: AsyncSession, plan_id: uuid.UUID, after: int, limit: int = 500) -> list[PlanEvent]:
    return list((await session.scalars(
        select(PlanEvent).where(PlanEvent.plan_id == plan_id, PlanEvent.id > after).order_by(PlanEvent.id).limit(limit)
    )).all())


# -- tasks ----------------------------------------------------------------------------------------


async def _task(session: AsyncSession, actor: Actor, task_id: uuid.UUID) -> tuple[Plan, PlanTask]:
    task = await session.scalar(select(PlanTask).where(PlanTask.id == task_id))
    if task is None:
        raise NotFound("no such task", code="task_not_found", details={"id": str(task_id)})
    plan = await session.get(Plan, task.plan_id)
    assert plan is not None
    me = actor.user_id
    if not (actor.is_admin or actor.is_system or me in (plan.owner_id, task.assignee_id, task.escalated_to_id)):
        if not await session.scalar(select(func.count()).select_from(Plan).where(Plan.id == plan.id, _involved(actor))):
            raise NotFound("no such task", code="task_not_found", details={"id": str(task_id)})
    return plan, task


async def get_task(session: AsyncSession, actor: Actor, task_id: uuid.UUID) -> PlanTask:
    return (await _task(session, actor, task_id))[1]


async def list_tasks(
    session: AsyncSession, actor: Actor, *, status: str | None, executor: str | None, limit: int, offset: int
) -> tuple[list[PlanTask], int]:
    """Tasks assigned or escalated to the signed-in user, due first."""
    me = actor.user_id
    where: list[Any] = [PlanTask.kind == "task", or_(PlanTask.assignee_id == me, PlanTask.escalated_to_id == me)]
    if status:
        where.append(PlanTask.status == status)
    if executor:
        where.append(PlanTask.executor == executor)
    total = int(await session.scalar(select(func.count()).select_from(PlanTask).where(*where)) or 0)
    rows = (await session.scalars(
        select(PlanTask).where(*where).order_by(PlanTask.due_at.is_(None), PlanTask.due_at, PlanTask.id).limit(limit).offset(offset)
    )).all()
    return list(rows), total


async def report_task_result(session: AsyncSession, actor: Actor, task_id: uuid.UUID, result: dict[str, Any]) -> dict[str, Any]:
    """Record what a person did: ``{"outcome": "success"|"partial"|"failure", "notes": str, "data": {...},
    "status": "done"|"failed"}``. Only for tasks waiting for a person (or escalated), by the assignee, the
    manager it was escalated to, the plan's owner or an admin."""
    plan, task = await _task(session, actor, task_id)
    me = actor.user_id
    if not (actor.is_admin or actor.is_system or me in (task.assignee_id, task.escalated_to_id, plan.owner_id)):
        raise Forbidden("only the assignee, the plan's owner or the manager may record this task's result", code="task_not_yours")
    if task.kind != "task" or task.status not in ("waiting", "escalated"):
        raise Conflict(f"the task is {task.status}, not waiting for a result", code="task_not_waiting",
                       details={"status": task.status})
    outcome = result.get("outcome") or "success"
    if outcome not in engine.OUTCOME_SCORE:
        raise ValidationFailed("outcome must be success, partial or failure", code="outcome_invalid", details=[{"field": "outcome"}])
    if result.get("status") not in (None, "done", "failed"):
        raise ValidationFailed("status must be done or failed", code="status_invalid", details=[{"field": "status"}])
    await engine.record_result(session, plan, task, actor, result)
    await engine.advance(session, plan)
    record_event(session, action="plan.task_result", tenant_id=plan.tenant_id, actor_id=me, entity="plan_tasks",
                 record_id=task.id, changes={"outcome": outcome, "status": task.status})
    await session.flush()
    return {"task": task_json(task), "plan_status": plan.status}


async def retry_task(session: AsyncSession, actor: Actor, task_id: uuid.UUID) -> PlanTask:
    plan, task = await _task(session, actor, task_id)
    if not (actor.is_admin or actor.user_id in (plan.owner_id, task.escalated_to_id)):
        raise Forbidden("only the plan's owner, the manager or an admin may retry a task", code="task_not_yours")
    if task.kind != "task" or task.status not in ("failed", "escalated", "cancelled"):
        raise Conflict(f"the task is {task.status}; only failed, escalated or cancelled tasks are retried", code="task_not_retryable")
    if plan.status in ("done", "failed", "cancelled"):
        plan.status = "running"
        plan.finished_at = None
        plan.goal_met = None
        engine.emit(session, plan, "plan.reopened", status="running")
    task.attempts = 0
    task.error = None
    task.finished_at = None
    task.ready_at = None
    task.activity_id = None if task.executor != "person" else task.activity_id
    engine.set_status(session, plan, task, "pending", retried_by=str(actor.user_id))
    tasks = await engine.plan_tasks(session, plan.id)
    for t in tasks:  # what was skipped because this failed may run again
        if t.status == "cancelled" and (t.error or {}).get("code") == "prerequisite_failed":
            t.status, t.error, t.finished_at, t.ready_at = "pending", None, None, None
    await engine.advance(session, plan, tasks)
    await session.flush()
    return task


async def cancel_task(session: AsyncSession, actor: Actor, task_id: uuid.UUID) -> PlanTask:
    plan, task = await _task(session, actor, task_id)
    if not (actor.is_admin or actor.user_id in (plan.owner_id, task.escalated_to_id)):
        raise Forbidden("only the plan's owner, the manager or an admin may cancel a task", code="task_not_yours")
    if task.kind != "task" or task.status in TERMINAL:
        raise Conflict(f"the task is already {task.status}", code="task_finished")
    task.finished_at = utcnow()
    task.worker = None
    engine.set_status(session, plan, task, "cancelled", by=str(actor.user_id))
    await engine.advance(session, plan)
    await session.flush()
    return task


async def cancel(session: AsyncSession, actor: Actor, plan_id: uuid.UUID) -> Plan:
    plan = await get_plan(session, actor, plan_id)
    if not (actor.is_admin or actor.user_id == plan.owner_id):
        raise Forbidden("only the plan's owner or an admin may cancel it", code="plan_not_yours")
    if plan.status in ("done", "failed", "cancelled"):
        raise Conflict(f"the plan is already {plan.status}", code="plan_finished")
    await engine.cancel_plan(session, plan, actor)
    await session.flush()
    return plan


# -- the contract with the tool library's process tools ------------------------------------------


async def start_plan(session: AsyncSession, actor: Actor, goal_type: str, goal: str, record: dict[str, Any] | None) -> dict[str, Any]:
    """Make and start a plan for ``goal`` (``goal_type`` may be empty: then it is recognised from the
    text). Returns the plan with its tree; the scheduler starts its first tasks once this commits."""
    plan = await create_plan(session, actor, goal=goal, goal_type=goal_type or None, record=record, source="assistant")
    return plan_json(plan, await engine.plan_tasks(session, plan.id))
