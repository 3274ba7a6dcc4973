"""Job handler: retrain a tenant's intent model from its examples (``ai.intent_retrain``)."""

from __future__ import annotations

from typing import Any

from lingxi.jobs.models import Job
from lingxi.jobs.registry import job_handler
from lingxi.jobs.runner import JobContext


@job_handler("ai.intent_retrain")
async def retrain_intent(job: Job, ctx: JobContext) -> dict[str, Any]:
    from lingxi.ai.nlp.service import retrain_now

    async with ctx.unit_of_work(write=False) as session:
        count = await retrain_now(session, ctx.tenant_id)
    return {"examples": count}
