"""The scheduler: starts ready automatic tasks, recovers tasks a dead scheduler left running, and
reminds people of tasks that reached their due time.

It runs in an event loop of its own process (the server's, in ``lingxi serve``) with that loop's
``Database``. It wakes at once when a commit in this process made a task ready, and looks at the table
every ``poll_s`` otherwise (tasks made ready by other processes, backoffs that ran out). Several
schedulers may run (one per API process): a task is claimed with a conditional update, so only one
runs it.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import uuid
from datetime import timedelta
from typing import Any

import structlog
from sqlalchemy import select, update

from lingxi.agent.planning import engine
from lingxi.agent.planning.live import get_hub
from lingxi.agent.planning.models import Plan, PlanTask
from lingxi.agent.planning.planner import fill, has_refs
from lingxi.db import Database
from lingxi.kit.models import utcnow
from lingxi.tenancy.context import Actor

log = structlog.get_logger("lingxi.agent.planning")
_live: set[str] = set()  # the schedulers alive in this process


def _process_id() -> str:
    try:
        ns = str(os.stat("/proc/self/ns/pid").st_ino)
    except OSError:
        ns = "-"
    return f"{socket.gethostname()[:50]}/{ns}:{os.getpid()}"


def _worker_gone(owner: str | None) -> bool:
    """True when the scheduler named ``owner`` is certainly dead (this process, or a dead pid on this host)."""
    if not owner:
        return True
    proc, _, _ = owner.partition("#")
    if proc == _process_id():
        return owner not in _live
    place, _, pid = proc.rpartition(":")
    if place == _process_id().rpartition(":")[0] and pid.isdigit():
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
    return False


class Scheduler:
    def __init__(self, db: Database, *, poll_s: float = 0.5, sweep_s: float = 5.0, lease_s: float = 60.0, concurrency: int = 16):
        self.db = db
        self.poll_s = poll_s
        self.sweep_s = sweep_s
        self.lease_s = lease_s
        self.concurrency = concurrency
        self.id = f"{_process_id()}#{uuid.uuid4().hex[:8]}"
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None
        self._main: asyncio.Task[None] | None = None
        self._running: dict[uuid.UUID, asyncio.Task[None]] = {}
        self._last_sweep = 0.0

    # -- life ---------------------------------------------------------------------------------------

    async def start(self) -> Scheduler:
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        _live.add(self.id)
        get_hub().add_waker(self.wake)
        await self.recover()
        self._main = asyncio.create_task(self._run(), name="plan-scheduler")
        log.info("plan_scheduler_started", scheduler=self.id)
        return self

    async def stop(self) -> None:
        """Stops at once. Tasks still running stay ``running`` in the table; the next scheduler to
        start (here or elsewhere) sees this one is gone and runs them again."""
        get_hub().remove_waker(self.wake)
        _live.discard(self.id)
        tasks = [t for t in (self._main, *self._running.values()) if t is not None]
        for t in tasks:
            t.cancel()
        if tasks:
            await asyncio.wait(tasks, timeout=5)
        self._running.clear()
        log.info("plan_scheduler_stopped", scheduler=self.id)

    def wake(self) -> None:
        """Thread-safe: a commit made a task ready."""
        loop, event = self._loop, self._wake
        if loop is None or event is None or loop.is_closed():
            return
        loop.call_soon_threadsafe(event.set)

    async def _run(self) -> None:
        assert self._wake is not None
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.poll_s)
            self._wake.clear()
            try:
                await self.tick()
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - the next round tries again
                log.exception("plan_scheduler_tick_failed")
                await asyncio.sleep(self.poll_s)

    async def tick(self) -> None:
        await self.start_ready()
        now = asyncio.get_running_loop().time()
        if now - self._last_sweep >= self.sweep_s:
            self._last_sweep = now
            await self.recover()
            await self.send_reminders()

    # -- claiming and running -------------------------------------------------------------------------

    async def start_ready(self) -> int:
        free = self.concurrency - len(self._running)
        if free <= 0:
            return 0
        now = utcnow()
        async with self.db.unit_of_work(Actor.system(), write=False) as s:
            ids = list((await s.scalars(
                select(PlanTask.id)
                .where(PlanTask.status == "pending", PlanTask.ready_at <= now, PlanTask.executor.in_(("system", "external")))
                .order_by(PlanTask.ready_at)
                .limit(free)
            )).all())
        if not ids:
            return 0
        claimed = await self._claim(ids)
        for task_id in claimed:
            self._running[task_id] = asyncio.create_task(self._execute(task_id), name=f"plan-task-{task_id}")
        return len(claimed)

    async def _claim(self, ids: list[uuid.UUID]) -> list[uuid.UUID]:
        """Claims the ready tasks among ``ids`` in one transaction (one write for a batch, not one each)."""
        now = utcnow()
        ids = [i for i in ids if i not in self._running]
        if not ids:
            return []
        async with self.db.unit_of_work(Actor.system()) as s:
            result = await s.execute(
                update(PlanTask)
                .where(PlanTask.id.in_(ids), PlanTask.status == "pending", PlanTask.ready_at <= now)
                .values(status="running", worker=self.id, lease_until=now + timedelta(seconds=self.lease_s),
                        attempts=PlanTask.attempts + 1, started_at=now)
                .returning(PlanTask.id)
                .execution_options(synchronize_session=False)
            )
            claimed = list(result.scalars().all())
            if not claimed:
                return []
            tasks = (await s.scalars(select(PlanTask).where(PlanTask.id.in_(claimed)))).all()
            plans = {p.id: p for p in (await s.scalars(select(Plan).where(Plan.id.in_({t.plan_id for t in tasks})))).all()}
            for task in tasks:
                plan = plans.get(task.plan_id)
                if plan is None:
                    continue
                engine.emit(s, plan, "task.running", task=task, status="running",
                            data={"key": task.key, "tool": task.tool, "attempt": task.attempts,
                                  "ready_at": task.ready_at.isoformat() if task.ready_at else None})
                if plan.status == "waiting":
                    plan.status = "running"
                    engine.emit(s, plan, "plan.running", status="running")
        return claimed

    async def _heartbeat(self, task_id: uuid.UUID) -> None:
        while True:
            await asyncio.sleep(self.lease_s / 3)
            with contextlib.suppress(Exception):
                async with self.db.unit_of_work(Actor.system()) as s:
                    await s.execute(
                        update(PlanTask).where(PlanTask.id == task_id, PlanTask.worker == self.id, PlanTask.status == "running")
                        .values(lease_until=utcnow() + timedelta(seconds=self.lease_s)).execution_options(synchronize_session=False)
                    )

    async def _execute(self, task_id: uuid.UUID) -> None:
        beat = asyncio.create_task(self._heartbeat(task_id))
        try:
            await self._run_task(task_id)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - counted as a failed try
            log.exception("plan_task_crashed", task_id=str(task_id))
            with contextlib.suppress(Exception):
                await self._finish(task_id, None, {"code": "transient", "message": f"{type(exc).__name__}: {exc}"[:300]})
        finally:
            beat.cancel()
            self._running.pop(task_id, None)

    async def _run_task(self, task_id: uuid.UUID) -> None:
        from lingxi.agent.tools.runner import call_tool

        async with self.db.unit_of_work(Actor.system(), write=False) as s:
            task = await s.get(PlanTask, task_id)
            if task is None or task.status != "running" or task.worker != self.id:
                return
            plan = await s.get(Plan, task.plan_id)
            assert plan is not None
            done = (await s.execute(
                select(PlanTask.key, PlanTask.result).where(PlanTask.plan_id == plan.id, PlanTask.status == "done")
            )).all()
            tool, raw_args, tenant_id, owner_id = task.tool, task.args, plan.tenant_id, plan.owner_id
            ctx: dict[str, Any] = {**(plan.slots or {}), "goal": plan.goal,
                                   "tasks": {k: {"output": (r or {}).get("output"), "result": r or {}} for k, r in done}}
        actor = await self._actor(tenant_id, owner_id)
        if actor is None:
            await self._finish(task_id, None, {"code": "owner_inactive", "message": "the plan's owner no longer exists or is inactive"})
            return
        args = fill(raw_args, ctx)
        if has_refs(args):
            await self._finish(task_id, None, {"code": "args_unresolved", "message": "arguments refer to results that do not exist"})
            return
        result = await call_tool(self.db, actor, tool or "", args, source="plan", plan_task_id=task_id,
                                 idempotency_key=f"plan-task:{task_id}:{tool}")
        if result.ok:
            await self._finish(task_id, {"tool": tool, "call_id": str(result.call_id), "output": result.output,
                                         "latency_ms": round(result.latency_ms, 1)}, None)
        else:
            err = result.error
            await self._finish(task_id, None, {"code": err.code if err else "tool_failed", "message": err.message if err else "failed",
                                               "call_id": str(result.call_id)})

    async def _actor(self, tenant_id: uuid.UUID, user_id: uuid.UUID | None) -> Actor | None:
        from lingxi.authz.service import load_actor
        from lingxi.org.models import User

        if user_id is None:
            return None
        async with self.db.unit_of_work(Actor.system(tenant_id), write=False) as s:
            user = await s.get(User, user_id)
            if user is None or not user.is_active:
                return None
            return await load_actor(s, user, request_id=f"plan-task:{user_id}")

    async def _finish(self, task_id: uuid.UUID, output: dict[str, Any] | None, error: dict[str, Any] | None) -> None:
        async with self.db.unit_of_work(Actor.system()) as s:
            task = await s.get(PlanTask, task_id)
            if task is None or task.status != "running" or task.worker != self.id:
                return  # cancelled, or taken over after this scheduler was presumed dead
            plan = await s.get(Plan, task.plan_id)
            assert plan is not None
            s.info["actor"] = Actor.system(plan.tenant_id)
            if error is None:
                prior = task.result or {}
                task.result = {**({"channels_tried": prior["channels_tried"]} if prior.get("channels_tried") else {}), **(output or {})}
                task.error = None
                task.finished_at = utcnow()
                task.worker = None
                task.lease_until = None
                engine.set_status(s, plan, task, "done", tool=task.tool, latency_ms=(output or {}).get("latency_ms"))
            else:
                await engine.handle_failure(s, plan, task, error)
            await engine.advance(s, plan)

    # -- recovery and reminders -----------------------------------------------------------------------

    async def recover(self) -> list[uuid.UUID]:
        """Put back to ``pending`` the running tasks whose scheduler is gone or whose lease ran out."""
        now = utcnow()
        back: list[uuid.UUID] = []
        async with self.db.unit_of_work(Actor.system()) as s:
            rows = (await s.execute(
                select(PlanTask.id, PlanTask.plan_id, PlanTask.tenant_id, PlanTask.worker, PlanTask.lease_until)
                .where(PlanTask.status == "running", PlanTask.kind == "task")
            )).all()
        for task_id, plan_id, tenant_id, worker, lease_until in rows:
            if worker == self.id:  # its own: running here, or finishing right now
                continue
            if not (_worker_gone(worker) or lease_until is None or lease_until < now):
                continue
            async with self.db.unit_of_work(Actor.system(tenant_id)) as s:
                result = await s.execute(
                    update(PlanTask)
                    .where(PlanTask.id == task_id, PlanTask.status == "running", PlanTask.worker == worker)
                    .values(status="pending", worker=None, lease_until=None, ready_at=now)
                    .execution_options(synchronize_session=False)
                )
                if not result.rowcount:  # type: ignore[attr-defined]
                    continue
                task = await s.get(PlanTask, task_id)
                plan = await s.get(Plan, plan_id)
                if task is not None and plan is not None:
                    engine.emit(s, plan, "task.pending", task=task, status="pending",
                                data={"key": task.key, "title": task.title, "recovered_from": worker, "attempt": task.attempts})
            back.append(task_id)
        if back:
            log.warning("plan_tasks_recovered", count=len(back))
            get_hub().wake()
        return back

    async def send_reminders(self) -> int:
        now = utcnow()
        async with self.db.unit_of_work(Actor.system(), write=False) as s:
            due = list((await s.execute(
                select(PlanTask.id, PlanTask.tenant_id)
                .where(PlanTask.status.in_(("waiting", "escalated")), PlanTask.executor == "person",
                       PlanTask.due_at <= now, PlanTask.reminded_at.is_(None))
                .limit(200)
            )).all())
        for task_id, tenant_id in due:
            async with self.db.unit_of_work(Actor.system(tenant_id)) as s:
                task = await s.get(PlanTask, task_id)
                if task is None or task.reminded_at is not None:
                    continue
                plan = await s.get(Plan, task.plan_id)
                assert plan is not None
                await engine.remind(s, plan, task)
        return len(due)


_scheduler: Scheduler | None = None


def current() -> Scheduler | None:
    return _scheduler


def set_current(scheduler: Scheduler | None) -> None:
    global _scheduler
    _scheduler = scheduler
