"""Job handler: delete the tenant's context history past its retention (``context.purge``)."""

from __future__ import annotations

from typing import Any

from lingxi.jobs.models import Job
from lingxi.jobs.registry import job_handler
from lingxi.jobs.runner import JobContext


@job_handler("context.purge")
async def purge_context(job: Job, ctx: JobContext) -> dict[str, Any]:
    from lingxi.agent.context.retention import purge_tenant

    async with ctx.unit_of_work() as session:
        return await purge_tenant(session, ctx.tenant_id)
