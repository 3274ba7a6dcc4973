"""Running one job, and finding jobs whose worker died.

Each huey worker thread keeps its own event loop and its own ``Database`` (async engines belong to
the loop that made them). A job is claimed with ``UPDATE ... WHERE status = 'queued'``, so a
duplicate queue message does nothing. While it runs, its row carries the worker's id and a
heartbeat; ``recover_jobs`` queues a ``running`` job again when its worker is gone (a dead process
on this host, or no heartbeat for ``lease``) and gives up after ``MAX_ATTEMPTS`` such restarts.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import threading
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

import structlog
from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.audit.changes import json_safe
from lingxi.config import Settings
from lingxi.db import Database
from lingxi.errors import LingxiError
from lingxi.jobs.models import Job
from lingxi.jobs.registry import handler_for
from lingxi.kit.models import utcnow
from lingxi.tenancy.context import Actor

log = structlog.get_logger("lingxi.jobs")

MAX_ATTEMPTS = 3  # runs started; a job whose worker died this often is failed, not retried again
LEASE = timedelta(minutes=2)  # a running job without a heartbeat for this long is presumed orphaned
HEARTBEAT_SECONDS = 15.0
RESEND_QUEUED_AFTER = timedelta(minutes=5)  # a queued job not started by then is sent again


class JobCancelled(Exception):
    """Raised by ``JobContext.progress`` when the job was cancelled while running."""


def _pid_namespace() -> str:
    try:
        return str(os.stat("/proc/self/ns/pid").st_ino)
    except OSError:
        return "-"


def worker_id() -> str:
    """``host/pid-namespace:pid``: enough to tell whether a worker on this host is still alive."""
    return f"{socket.gethostname()[:60]}/{_pid_namespace()}:{os.getpid()}"


_running: set[uuid.UUID] = set()
_running_lock = threading.Lock()


def _worker_gone(
    owner: str | None, heartbeat_at: datetime | None, job_id: uuid.UUID, now: datetime, lease: timedelta
) -> bool:
    if not owner:
        return True
    me = worker_id()
    if owner == me:
        with _running_lock:
            return job_id not in _running
    place, _, pid = owner.rpartition(":")
    if place == me.rpartition(":")[0] and pid.isdigit():
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            pass
    return heartbeat_at is None or heartbeat_at < now - lease


@dataclass
class JobContext:
    """What a handler gets besides its job: units of work as the job's creator, and progress."""

    db: Database
    job_id: uuid.UUID
    tenant_id: uuid.UUID
    actor: Actor
    worker: str = field(default_factory=worker_id)

    @contextlib.asynccontextmanager
    async def unit_of_work(self, *, write: bool = True) -> AsyncIterator[AsyncSession]:
        """A transaction run as the user who started the job, with their permissions."""
        async with self.db.unit_of_work(self.actor, write=write) as session:
            yield session

    async def progress(self, done: int, total: int | None = None, *, session: AsyncSession | None = None) -> None:
        """Report ``done`` of ``total`` units; this is also the job's heartbeat. Raises
        ``JobCancelled`` when the job is no longer running here.

        By default the update commits on its own, so readers see it at once. Inside an open write
        unit of work pass its ``session`` instead (on SQLite a second writer would wait for it);
        the progress then becomes visible with that transaction's commit."""
        values: dict[str, Any] = {"progress": done, "heartbeat_at": utcnow()}
        if total is not None:
            values["total"] = total
        stmt = (
            update(Job)
            .where(Job.id == self.job_id, Job.status == "running", Job.worker_id == self.worker)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        if session is not None:
            result = await session.execute(stmt)
        else:
            async with self.db.unit_of_work(Actor.system()) as s:
                result = await s.execute(stmt)
        if result.rowcount == 0:  # type: ignore[attr-defined]
            raise JobCancelled(f"job {self.job_id} is no longer running here")


async def _claim(db: Database, job_id: uuid.UUID, me: str) -> bool:
    now = utcnow()
    async with db.unit_of_work(Actor.system()) as s:
        result = await s.execute(
            update(Job)
            .where(Job.id == job_id, Job.status == "queued")
            .values(
                status="running",
                attempts=Job.attempts + 1,
                started_at=now,
                finished_at=None,
                worker_id=me,
                heartbeat_at=now,
            )
            .execution_options(synchronize_session=False)
        )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def _finish(db: Database, job_id: uuid.UUID, me: str, **values: Any) -> bool:
    async with db.unit_of_work(Actor.system()) as s:
        result = await s.execute(
            update(Job)
            .where(Job.id == job_id, Job.status == "running", Job.worker_id == me)
            .values(finished_at=utcnow(), heartbeat_at=utcnow(), **values)
            .execution_options(synchronize_session=False)
        )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def _heartbeat(db: Database, job_id: uuid.UUID, me: str) -> None:
    while True:
        await asyncio.sleep(HEARTBEAT_SECONDS)
        try:
            async with db.unit_of_work(Actor.system()) as s:
                await s.execute(
                    update(Job)
                    .where(Job.id == job_id, Job.worker_id == me, Job.status == "running")
                    .values(heartbeat_at=utcnow())
                    .execution_options(synchronize_session=False)
                )
        except Exception:  # noqa: BLE001 - a missed beat is retried; the lease is generous
            log.warning("job_heartbeat_failed", job_id=str(job_id), exc_info=True)


async def _context_for(db: Database, job: Job) -> JobContext:
    from lingxi.authz.service import load_actor
    from lingxi.org.models import User

    actor = Actor.system(job.tenant_id)
    if job.created_by_id is not None:
        async with db.unit_of_work(Actor.system(job.tenant_id), write=False) as s:
            user = await s.get(User, job.created_by_id)
            if user is None or not user.is_active:
                raise LingxiError(
                    "the user who started this job no longer exists or is inactive", code="job_owner_inactive"
                )
            actor = await load_actor(s, user, request_id=f"job:{job.id}")
    return JobContext(db=db, job_id=job.id, tenant_id=job.tenant_id, actor=actor)


def _error_text(exc: BaseException) -> str:
    if isinstance(exc, LingxiError):
        return f"{exc.code}: {exc.message}"
    return f"{type(exc).__name__}: {exc}"[:4000]


async def execute_job(db: Database, job_id: uuid.UUID) -> str | None:
    """Run one job if it is still queued. Returns its final status, or None when not claimed."""
    me = worker_id()
    with _running_lock:  # before the claim commits, so a sweep in this process never sees it orphaned
        _running.add(job_id)
    claimed = False
    try:
        claimed = await _claim(db, job_id, me)
    finally:
        if not claimed:
            with _running_lock:
                _running.discard(job_id)
    if not claimed:
        return None
    beat = asyncio.create_task(_heartbeat(db, job_id, me))
    try:
        async with db.unit_of_work(Actor.system(), write=False) as s:
            job = await s.get(Job, job_id)
            assert job is not None
            s.expunge(job)  # a detached snapshot for the handler
        log.info("job_started", job_id=str(job_id), kind=job.kind, attempt=job.attempts)
        handler = handler_for(job.kind)
        if handler is None:
            raise LingxiError(f"no handler for job kind {job.kind!r}", code="unknown_job_kind")
        ctx = await _context_for(db, job)
        result = await handler(job, ctx)
    except JobCancelled:
        log.info("job_cancelled", job_id=str(job_id))
        return "cancelled"
    except Exception as exc:  # noqa: BLE001 - the job fails, the worker lives on
        log.warning("job_failed", job_id=str(job_id), error=_error_text(exc), exc_info=True)
        await _finish(db, job_id, me, status="failed", error=_error_text(exc))
        return "failed"
    finally:
        beat.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await beat
        with _running_lock:
            _running.discard(job_id)
    if not await _finish(db, job_id, me, status="succeeded", error=None, result=json_safe(result or {})):
        log.warning("job_finished_elsewhere", job_id=str(job_id))
    log.info("job_succeeded", job_id=str(job_id))
    return "succeeded"


@dataclass(frozen=True)
class Recovery:
    requeued: list[uuid.UUID]  # orphaned running jobs put back in the queue
    failed: list[uuid.UUID]  # orphaned too often: failed
    to_send: list[uuid.UUID]  # queued jobs whose id should be sent (again)


async def recover_jobs(
    db: Database, *, lease: timedelta = LEASE, resend: Literal["all", "stale", "none"] = "stale"
) -> Recovery:
    """Put orphaned ``running`` jobs back in the queue (or fail them after ``MAX_ATTEMPTS``) and
    pick the ``queued`` jobs whose id should be sent again: all of them (at worker start: one that
    never reached the queue is among them), those waiting longer than ``RESEND_QUEUED_AFTER``
    ("stale": for when the queue is empty although jobs wait), or none. The caller sends
    ``to_send`` once this has committed; a duplicate message is harmless."""
    now = utcnow()
    requeued: list[uuid.UUID] = []
    failed: list[uuid.UUID] = []
    async with db.unit_of_work(Actor.system()) as s:
        running = (
            await s.execute(
                select(Job.id, Job.worker_id, Job.heartbeat_at, Job.attempts).where(Job.status == "running")
            )
        ).all()
        for job_id, owner, heartbeat_at, attempts in running:
            if not _worker_gone(owner, heartbeat_at, job_id, now, lease):
                continue
            if attempts >= MAX_ATTEMPTS:
                values: dict[str, Any] = {
                    "status": "failed",
                    "finished_at": now,
                    "error": f"the worker running this job stopped {attempts} times; given up",
                }
                failed.append(job_id)
            else:
                values = {"status": "queued", "error": f"worker {owner} stopped; queued again"}
                requeued.append(job_id)
            await s.execute(
                update(Job)
                .where(Job.id == job_id, Job.status == "running", Job.worker_id == owner)
                .values(worker_id=None, **values)
                .execution_options(synchronize_session=False)
            )
        waiting = select(Job.id).where(Job.status == "queued")
        if resend == "stale":
            waiting = waiting.where(or_(Job.updated_at < now - RESEND_QUEUED_AFTER, Job.id.in_(requeued)))
        elif resend == "none":
            waiting = waiting.where(Job.id.in_(requeued))
        resend = list((await s.scalars(waiting.order_by(Job.created_at))).all())
        if resend:
            await s.execute(
                update(Job)
                .where(Job.id.in_(resend))
                .values(updated_at=now)
                .execution_options(synchronize_session=False)
            )
    for job_id in failed:
        log.error("job_abandoned", job_id=str(job_id))
    if requeued:
        log.warning("jobs_recovered", count=len(requeued))
    return Recovery(requeued=requeued, failed=failed, to_send=resend)


class _ThreadRuntime(threading.local):
    runner: asyncio.Runner | None = None
    db: Database | None = None


_runtime = _ThreadRuntime()


def run_in_worker_thread(settings: Settings, job_id: uuid.UUID) -> None:
    """The huey task body: run the job on this thread's own loop and engines."""
    if _runtime.runner is None:
        _runtime.runner = asyncio.Runner()
        _runtime.db = Database(settings)
    assert _runtime.db is not None
    _runtime.runner.run(execute_job(_runtime.db, job_id))


def close_thread_runtime() -> None:
    runner, db = _runtime.runner, _runtime.db
    if runner is None:
        return
    try:
        if db is not None:
            runner.run(db.dispose())
    finally:
        runner.close()
        _runtime.runner = None
        _runtime.db = None
