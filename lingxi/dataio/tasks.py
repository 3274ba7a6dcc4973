"""Job handlers for import and export; the work lives in ``importer`` and ``exporter``.

They use ``ctx.job_id``: the ``job`` row handed in may be detached and expired."""

from __future__ import annotations

from typing import Any

from lingxi.dataio.exporter import run_export
from lingxi.dataio.importer import run_import
from lingxi.jobs.models import Job
from lingxi.jobs.registry import job_handler
from lingxi.jobs.runner import JobContext


@job_handler("import")
async def import_job(job: Job, ctx: JobContext) -> dict[str, Any]:
    return await run_import(ctx.job_id, ctx)


@job_handler("export")
async def export_job(job: Job, ctx: JobContext) -> dict[str, Any]:
    return await run_export(ctx.job_id, ctx)
