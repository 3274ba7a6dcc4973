"""GET /api/v1/jobs and /api/v1/jobs/{id}: background jobs and their progress."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from lingxi.deps import CurrentActor, DbSession
from lingxi.errors import error_responses
from lingxi.jobs.schemas import JobOut, JobPage, JobStatus
from lingxi.jobs.service import get_job, list_jobs

router = APIRouter()


@router.get(
    "/jobs",
    response_model=JobPage,
    summary="List jobs: your own, or all of the tenant's for administrators",
    responses=error_responses(400, 401, 422),
)
async def get_jobs(
    actor: CurrentActor,
    session: DbSession,
    status: JobStatus | None = None,
    kind: Annotated[str | None, Query(max_length=50)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: Annotated[str | None, Query(max_length=300)] = None,
) -> JobPage:
    rows, next_cursor = await list_jobs(session, actor, status=status, kind=kind, limit=limit, cursor=cursor)
    return JobPage(items=[JobOut.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get(
    "/jobs/{job_id}",
    response_model=JobOut,
    summary="One job: status, progress, result or error",
    responses=error_responses(401, 404, 422),
)
async def get_one_job(job_id: uuid.UUID, actor: CurrentActor, session: DbSession) -> JobOut:
    return JobOut.model_validate(await get_job(session, actor, job_id))
