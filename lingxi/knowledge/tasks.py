"""Job handlers of the knowledge base."""

from __future__ import annotations

import uuid
from typing import Any

from lingxi.jobs.models import Job
from lingxi.jobs.registry import job_handler
from lingxi.jobs.runner import JobContext
from lingxi.knowledge.ingest import run_ingest
from lingxi.knowledge.service import INGEST_JOB


@job_handler(INGEST_JOB)
async def ingest_document(job: Job, ctx: JobContext) -> dict[str, Any]:
    return await run_ingest(ctx, uuid.UUID(str(job.params["document_id"])))
