"""Accepting jobs and reading them back.

``enqueue_job`` adds the job row to the caller's unit of work; its id goes to the queue only after
that transaction commits (and never when it rolls back). A crash between the commit and the send
leaves a ``queued`` row that the worker sends again (see ``lingxi.jobs.runner.recover_jobs``).
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import structlog
from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from lingxi.audit.changes import json_safe
from lingxi.errors import BadRequest, NotFound
from lingxi.events.transaction import register_key, tx_list
from lingxi.jobs.models import Job
from lingxi.jobs.registry import known_kinds
from lingxi.tenancy.context import Actor

log = structlog.get_logger("lingxi.jobs")
TO_SEND = "jobs_to_send"


def _send_committed(_session: Session, job_ids: list[uuid.UUID]) -> None:
    from lingxi.jobs.queue import get_queue

    queue = get_queue()
    for job_id in job_ids:
        try:
            queue.send(job_id)
        except Exception:  # noqa: BLE001 - the row stays queued; the worker's sweep sends it later
            log.exception("job_send_failed", job_id=str(job_id))


register_key(TO_SEND, _send_committed)


async def enqueue_job(
    session: AsyncSession,
    actor: Actor,
    kind: str,
    entity: str | None = None,
    params: dict[str, Any] | None = None,
) -> Job:
    """Accept a job of ``kind`` for ``actor``; it runs as that user once the transaction commits."""
    if kind not in known_kinds():
        raise BadRequest(f"unknown job kind {kind!r}", code="unknown_job_kind")
    if actor.tenant_id is None:
        raise BadRequest("jobs belong to a tenant", code="tenant_required")
    job = Job(
        tenant_id=actor.tenant_id,
        kind=kind,
        entity=entity,
        params=json_safe(params or {}),
        status="queued",
        progress=0,
        result={},
        attempts=0,
        created_by_id=actor.user_id,
    )
    session.add(job)
    await session.flush()
    tx_list(session, TO_SEND).append(job.id)
    return job


def _visible(actor: Actor) -> list[Any]:
    """Users see their own jobs; administrators every job of the tenant (the tenant wall applies)."""
    if actor.is_admin or actor.is_system:
        return []
    return [Job.created_by_id == actor.user_id]


async def get_job(session: AsyncSession, actor: Actor, job_id: uuid.UUID) -> Job:
    job = await session.scalar(select(Job).where(Job.id == job_id, *_visible(actor)))
    if job is None:
        raise NotFound("no such job", code="job_not_found")
    return job


def _encode_cursor(job: Job) -> str:
    return base64.urlsafe_b64encode(f"{job.created_at.isoformat()}|{job.id}".encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        at, job_id = raw.split("|", 1)
        return datetime.fromisoformat(at), uuid.UUID(job_id)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadRequest("invalid cursor", code="invalid_cursor") from exc


async def list_jobs(
    session: AsyncSession,
    actor: Actor,
    *,
    status: str | None = None,
    kind: str | None = None,
    limit: int = 50,
    cursor: str | None = None,
) -> tuple[Sequence[Job], str | None]:
    """Newest first, keyset-paginated on ``(created_at, id)``."""
    query = select(Job).where(*_visible(actor)).order_by(Job.created_at.desc(), Job.id.desc()).limit(limit + 1)
    if status:
        query = query.where(Job.status == status)
    if kind:
        query = query.where(Job.kind == kind)
    if cursor:
        at, last_id = _decode_cursor(cursor)
        query = query.where(or_(Job.created_at < at, and_(Job.created_at == at, Job.id < last_id)))
    rows = (await session.scalars(query)).all()
    next_cursor = _encode_cursor(rows[limit - 1]) if len(rows) > limit else None
    return rows[:limit], next_cursor
