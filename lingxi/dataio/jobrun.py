"""How import and export jobs are queued and whom they run as.

A job takes ids, opens its own sessions and acts as the user who asked for it (never as the
system), so scope, hidden and masked fields apply exactly as in the API.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.authz.service import load_actor
from lingxi.db import Database, get_database
from lingxi.errors import NotFound
from lingxi.jobs.models import Job
from lingxi.kit.models import utcnow
from lingxi.org.models import User
from lingxi.tenancy.context import Actor


class JobAborted(RuntimeError):
    """The job cannot run (its user is gone, its file is missing); the message says why."""


async def enqueue(session: AsyncSession, actor: Actor, kind: str, entity: str, params: dict[str, Any]) -> Job:
    """Queues the job in this unit of work (sent after commit) through ``lingxi.jobs`` when it offers
    ``enqueue_job``; otherwise leaves a queued row for the worker's recovery sweep to pick up."""
    try:
        from lingxi.jobs.service import enqueue_job  # type: ignore[attr-defined]
    except ImportError:
        enqueue_job = None
    if enqueue_job is not None:
        return await enqueue_job(session, actor, kind, entity=entity, params=params)
    job = Job(
        id=uuid.uuid4(), tenant_id=actor.tenant_id, kind=kind, entity=entity, params=params,
        status="queued", created_by_id=actor.user_id, result={},
    )
    session.add(job)
    await session.flush()
    return job


def job_database(ctx: Any) -> Database:
    """The worker thread's own Database under the worker (async engines belong to one event loop);
    the process's when a job runs directly (tests, scripts)."""
    return ctx.db if ctx is not None else get_database()


async def load_job(db: Database, job_id: uuid.UUID, kind: str) -> tuple[Job, Actor]:
    """The job row and the Actor of the user who created it, read in the system context."""
    async with db.unit_of_work(Actor.system(), write=False) as s:
        job = await s.get(Job, job_id)
        if job is None or job.kind != kind:
            raise JobAborted(f"no {kind} job {job_id}")
        user = await s.get(User, job.created_by_id) if job.created_by_id else None
        if user is None or not user.is_active:
            raise JobAborted("the user who started this job no longer exists or is inactive")
        actor = await load_actor(s, user)
        s.expunge(job)
    return job, actor


async def mark(db: Database, job_id: uuid.UUID, actor: Actor, **values: Any) -> None:
    """Updates the job row in its own short transaction (status, progress, result, error)."""
    async with db.unit_of_work(actor) as s:
        job = await s.scalar(select(Job).where(Job.id == job_id))
        assert job is not None
        for key, value in values.items():
            setattr(job, key, value)
        if values.get("status") == "running" and job.started_at is None:
            job.started_at = utcnow()
        if values.get("status") in ("succeeded", "failed"):
            job.finished_at = utcnow()


async def job_for_reader(session: AsyncSession, actor: Actor, job_id: uuid.UUID, kind: str) -> Job:
    """A job its creator or an admin of the same tenant may read; anyone else gets 404."""
    job = await session.scalar(select(Job).where(Job.id == job_id))
    if job is None or job.kind != kind or (job.created_by_id != actor.user_id and not actor.is_admin):
        raise NotFound(f"no {kind} job {job_id}", code="job_not_found")
    return job
