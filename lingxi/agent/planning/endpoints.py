"""/api/v1/plans, /plan-tasks, /plan-methods, /plan-escalation-rules: goals become plans, tasks run and
report live, people record results, admins shape the method library and the escalation rules."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request, Response
from fastapi.responses import StreamingResponse

from lingxi.agent.planning import service
from lingxi.agent.planning.escalation import get_rules, put_rules
from lingxi.agent.planning.live import get_hub
from lingxi.agent.planning.methods import all_methods, delete_method, get_method, save_method
from lingxi.agent.planning.planner import method_stats, rank_methods
from lingxi.agent.planning.schemas import (
    ClassifyIn,
    ClassifyOut,
    EventOut,
    EventPage,
    MethodIn,
    MethodOut,
    MethodPage,
    MethodPatch,
    PlanDetail,
    PlanIn,
    PlanOut,
    PlanPage,
    PlanPreview,
    PlanStatus,
    RulesIn,
    RulesOut,
    TaskOut,
    TaskPage,
    TaskResultIn,
    TaskResultOut,
    TaskStatus,
)
from lingxi.db import get_database
from lingxi.deps import AdminActor, CurrentActor, DbSession
from lingxi.errors import error_responses
from lingxi.kit.params import Offset

router = APIRouter(tags=["plans"])
Limit = Annotated[int, Query(ge=1, le=200)]
STREAM_POLL_S = 0.5
KEEPALIVE_S = 15.0


# -- plans ----------------------------------------------------------------------------------------


@router.post("/plans", response_model=PlanDetail, status_code=201, responses=error_responses(401, 403, 404, 422),
             summary="Make a plan for a goal and start it")
async def create_plan(session: DbSession, actor: CurrentActor, body: PlanIn) -> dict[str, Any]:
    plan = await service.create_plan(
        session, actor, goal=body.goal, goal_type=body.goal_type, method_key=body.method_key,
        record=body.record.model_dump(mode="json") if body.record else None, source=body.source, use_llm=body.use_llm,
    )
    return service.plan_json(plan, await service.engine.plan_tasks(session, plan.id))


@router.post("/plans/preview", response_model=PlanPreview, responses=error_responses(401, 404, 422),
             summary="Show the plan a goal would get, without starting it")
async def preview_plan(session: DbSession, actor: CurrentActor, body: PlanIn) -> dict[str, Any]:
    p = await service.propose_plan(session, actor, goal=body.goal, goal_type=body.goal_type, method_key=body.method_key,
                                   record=body.record.model_dump(mode="json") if body.record else None, use_llm=body.use_llm)
    nodes = [{**n.__dict__, "assignee_id": str(n.assignee_id) if n.assignee_id else None} for n in p["nodes"]]
    return {"method_key": p["method"]["key"], "goal_type": p["method"]["goal_type"], "planner": p["planner"], "language": p["lang"],
            "slots": p["slots"], "explanation": p["explanation"], "depth": max(n["depth"] for n in nodes), "tree": nodes}


@router.post("/plans/classify", response_model=ClassifyOut, responses=error_responses(401, 422),
             summary="Rank the methods of the library for a goal (the offline planner's first step)")
async def classify(session: DbSession, actor: CurrentActor, body: ClassifyIn) -> dict[str, Any]:
    from lingxi.agent.planning.planner import language_of

    ranked = await asyncio.to_thread(rank_methods, body.goal, await all_methods(session), await method_stats(session))
    lang = language_of(body.goal)
    return {"candidates": [c.explain(lang) for c in ranked[:10]]}


@router.get("/plans", response_model=PlanPage, responses=error_responses(401, 422),
            summary="Plans you own or take part in (all of the tenant's for admins)")
async def list_plans(session: DbSession, actor: CurrentActor, status: PlanStatus | None = None,
                     goal_type: Annotated[str | None, Query(max_length=64)] = None, mine: bool = False,
                     limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    rows, total = await service.list_plans(session, actor, status=status, goal_type=goal_type, mine=mine, limit=limit, offset=offset)
    return {"items": [service.plan_json(p) for p in rows], "total": total}


@router.get("/plans/{plan_id}", response_model=PlanDetail, responses=error_responses(401, 404, 422),
            summary="A plan with its tree of steps and tasks, each with its status and why it is there")
async def get_plan(session: DbSession, actor: CurrentActor, plan_id: uuid.UUID) -> dict[str, Any]:
    return await service.plan_detail(session, actor, plan_id)


@router.post("/plans/{plan_id}/cancel", response_model=PlanOut, responses=error_responses(401, 403, 404, 409),
             summary="Cancel a plan and its unfinished tasks")
async def cancel_plan(session: DbSession, actor: CurrentActor, plan_id: uuid.UUID) -> dict[str, Any]:
    return service.plan_json(await service.cancel(session, actor, plan_id))


@router.get("/plans/{plan_id}/history", response_model=EventPage, responses=error_responses(401, 404, 422),
            summary="The plan's timeline of changes, oldest first")
async def history(session: DbSession, actor: CurrentActor, plan_id: uuid.UUID,
                  after: Annotated[int, Query(ge=0, le=2**62)] = 0, limit: Annotated[int, Query(ge=1, le=500)] = 200) -> dict[str, Any]:
    await service.get_plan(session, actor, plan_id)
    rows = await service.events_after(session, plan_id, after, limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    return {"items": [EventOut.model_validate(r) for r in rows], "next_after": rows[-1].id if more and rows else None}


def _sse(ev: dict[str, Any]) -> str:
    return f"id: {ev['id']}\nevent: {ev['kind']}\ndata: {json.dumps(ev, ensure_ascii=False, default=str)}\n\n"


@router.get(
    "/plans/{plan_id}/events",
    responses={200: {"content": {"text/event-stream": {}}, "description": "Server-sent events: one per change"},
               **error_responses(401, 404, 422)},
    summary="Live status of a plan as server-sent events",
    description=(
        "Each change of the plan or one of its tasks is one event: `id` (resume with `Last-Event-ID` or `?after=`), "
        "`event` (its kind: task.running, task.done, task.escalated, plan.done, ...) and `data` (the event as JSON). "
        "The stream first replays the events after the given id, then follows live; with `until_done=true` it ends "
        "once the plan has ended."
    ),
)
async def events(request: Request, actor: CurrentActor, plan_id: uuid.UUID, after: Annotated[int, Query(ge=0, le=2**62)] = 0,
                 until_done: bool = True, last_event_id: Annotated[str | None, Header(alias="Last-Event-ID")] = None) -> StreamingResponse:
    db = get_database()
    async with db.unit_of_work(actor, write=False) as s:
        await service.get_plan(s, actor, plan_id)
    start = min(int(last_event_id), 2**62) if last_event_id and last_event_id.isdigit() else after
    hub = get_hub()
    sub = hub.subscribe(str(plan_id))

    async def backlog(since: int) -> tuple[list[dict[str, Any]], str]:
        async with db.unit_of_work(actor, write=False) as s:
            rows = await service.events_after(s, plan_id, since)
            plan = await s.get(service.Plan, plan_id)
            return [EventOut.model_validate(r).model_dump(mode="json") | {"kind": r.kind} for r in rows], plan.status if plan else "cancelled"

    async def stream() -> AsyncIterator[str]:
        seen: set[int] = set()
        last = start
        idle = 0.0
        try:
            while True:
                rows, status = await backlog(max(last - 200, start))
                for ev in rows:
                    if ev["id"] not in seen and ev["id"] > start:
                        seen.add(ev["id"])
                        last = max(last, ev["id"])
                        yield _sse(ev)
                if until_done and status in ("done", "failed", "cancelled"):
                    return
                deadline = asyncio.get_running_loop().time() + STREAM_POLL_S
                while (left := deadline - asyncio.get_running_loop().time()) > 0:
                    try:
                        ev = await asyncio.wait_for(sub.queue.get(), left)
                    except TimeoutError:
                        break
                    ev = {**ev, "created_at": ev.get("at")}
                    if ev["id"] not in seen and ev["id"] > start:
                        seen.add(ev["id"])
                        last = max(last, ev["id"])
                        idle = 0.0
                        yield _sse(ev)
                idle += STREAM_POLL_S
                if idle >= KEEPALIVE_S:
                    idle = 0.0
                    yield ": keep-alive\n\n"
                if await request.is_disconnected():
                    return
        finally:
            hub.unsubscribe(sub)

    return StreamingResponse(stream(), media_type="text/event-stream", headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


# -- tasks ----------------------------------------------------------------------------------------


@router.get("/plan-tasks", response_model=TaskPage, responses=error_responses(401, 422),
            summary="Plan tasks assigned or escalated to you, due first")
async def my_tasks(session: DbSession, actor: CurrentActor, status: TaskStatus | None = None,
                   executor: Annotated[str | None, Query(pattern="^(system|person|external)$")] = None,
                   limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    rows, total = await service.list_tasks(session, actor, status=status, executor=executor, limit=limit, offset=offset)
    return {"items": [service.task_json(t) for t in rows], "total": total}


@router.get("/plan-tasks/{task_id}", response_model=TaskOut, responses=error_responses(401, 404, 422), summary="One plan task")
async def get_task(session: DbSession, actor: CurrentActor, task_id: uuid.UUID) -> dict[str, Any]:
    return service.task_json(await service.get_task(session, actor, task_id))


@router.post("/plan-tasks/{task_id}/result", response_model=TaskResultOut, responses=error_responses(401, 403, 404, 409, 422),
             summary="Record the result of a task waiting for you (a person task, or one escalated to you)")
async def task_result(session: DbSession, actor: CurrentActor, task_id: uuid.UUID, body: TaskResultIn) -> dict[str, Any]:
    return await service.report_task_result(session, actor, task_id, body.model_dump())


@router.post("/plan-tasks/{task_id}/retry", response_model=TaskOut, responses=error_responses(401, 403, 404, 409),
             summary="Run a failed, escalated or cancelled task again")
async def retry_task(session: DbSession, actor: CurrentActor, task_id: uuid.UUID) -> dict[str, Any]:
    return service.task_json(await service.retry_task(session, actor, task_id))


@router.post("/plan-tasks/{task_id}/cancel", response_model=TaskOut, responses=error_responses(401, 403, 404, 409),
             summary="Skip a task (what depends on it goes ahead)")
async def cancel_task(session: DbSession, actor: CurrentActor, task_id: uuid.UUID) -> dict[str, Any]:
    return service.task_json(await service.cancel_task(session, actor, task_id))


# -- the method library ---------------------------------------------------------------------------


async def _with_stats(session: Any, methods: list[dict[str, Any]]) -> list[dict[str, Any]]:
    stats = await method_stats(session)
    for m in methods:
        plans, met = stats.get(m["key"], (0, 0))
        m["stats"] = {"plans": plans, "goals_met": met, "success_rate": round((met + 1) / (plans + 2), 3)}
    return methods


@router.get("/plan-methods", response_model=MethodPage, responses=error_responses(401, 422),
            summary="The decomposition methods of the library (built-in and the tenant's own)")
async def list_methods(session: DbSession, actor: CurrentActor, goal_type: Annotated[str | None, Query(max_length=64)] = None,
                       include_disabled: bool = False, limit: Limit = 100, offset: Offset = 0) -> dict[str, Any]:
    methods = await all_methods(session, include_disabled=include_disabled)
    if goal_type:
        methods = [m for m in methods if m["goal_type"] == goal_type]
    page = methods[offset: offset + limit]
    return {"items": await _with_stats(session, page), "total": len(methods)}


@router.get("/plan-methods/{key}", response_model=MethodOut, responses=error_responses(401, 404, 422), summary="One method")
async def read_method(session: DbSession, actor: CurrentActor, key: str) -> dict[str, Any]:
    return (await _with_stats(session, [await get_method(session, key)]))[0]


@router.post("/plan-methods", response_model=MethodOut, status_code=201, responses=error_responses(401, 403, 409, 422),
             summary="Add a method (admins)")
async def create_method(session: DbSession, actor: AdminActor, body: MethodIn) -> dict[str, Any]:
    saved = await save_method(session, actor, body.key, body.model_dump(), create=True)
    return (await _with_stats(session, [saved]))[0]


@router.patch("/plan-methods/{key}", response_model=MethodOut, responses=error_responses(401, 403, 404, 422),
              summary="Change or disable a method (admins); a built-in one is copied for the tenant first")
async def update_method(session: DbSession, actor: AdminActor, key: str, body: MethodPatch) -> dict[str, Any]:
    saved = await save_method(session, actor, key, body.model_dump(exclude_unset=True), create=False)
    return (await _with_stats(session, [saved]))[0]


@router.delete("/plan-methods/{key}", status_code=204, responses=error_responses(401, 403, 404, 409),
               summary="Delete a tenant's method, or restore an edited built-in one (admins)")
async def remove_method(session: DbSession, actor: AdminActor, key: str) -> Response:
    await delete_method(session, key)
    return Response(status_code=204)


# -- escalation rules -----------------------------------------------------------------------------


@router.get("/plan-escalation-rules", response_model=RulesOut, responses=error_responses(401),
            summary="What happens when a task fails: tries, backoff, then backup channel / re-plan / escalate")
async def read_rules(session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    return await get_rules(session)


@router.put("/plan-escalation-rules", response_model=RulesOut, responses=error_responses(401, 403, 422),
            summary="Replace the tenant's escalation rules (admins)")
async def replace_rules(session: DbSession, actor: AdminActor, body: RulesIn) -> dict[str, Any]:
    return await put_rules(session, actor, [r.model_dump() for r in body.rules])
