"""``POST /{entity}/import``, ``GET /imports/{job_id}/report``, ``POST /{entity}/export`` and
``GET /exports/{job_id}/download``. Both directions run as jobs; ``GET /jobs/{id}`` shows progress."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Path, Query, UploadFile
from fastapi.responses import Response

from lingxi.config import get_settings
from lingxi.dataio import exporter, importer
from lingxi.dataio.schemas import ExportRequest, ImportReport, JobAccepted
from lingxi.deps import CurrentActor, DbSession
from lingxi.errors import ValidationFailed, error_responses
from lingxi.kit.params import Offset

router = APIRouter()
EntityPath = Annotated[str, Path(description="Entity name, e.g. contacts", max_length=64)]
JobPath = Annotated[uuid.UUID, Path(description="Job id")]


async def _read_limited(file: UploadFile) -> bytes:
    limit = get_settings().max_upload_mb * 1024 * 1024
    chunks: list[bytes] = []
    size = 0
    while chunk := await file.read(1024 * 1024):
        size += len(chunk)
        if size > limit:
            raise ValidationFailed(
                f"file larger than {get_settings().max_upload_mb} MB", code="file_too_large", status_code=413,
                details={"max_mb": get_settings().max_upload_mb},
            )
        chunks.append(chunk)
    return b"".join(chunks)


@router.post(
    "/{entity}/import", status_code=202, response_model=JobAccepted,
    responses=error_responses(400, 401, 403, 404, 413, 422), summary="Import records from a CSV or XLSX file (a job)",
)
async def import_records(
    session: DbSession,
    actor: CurrentActor,
    entity: EntityPath,
    file: Annotated[UploadFile, File(description=".csv (UTF-8 or GBK) or .xlsx; the first row holds the headers")],
    mapping: Annotated[str | None, Form(description='JSON {"column header": "field name" or null}', max_length=20000)] = None,
    on_duplicate: Annotated[Literal["skip", "merge", "create"], Form()] = "skip",
    dry_run: Annotated[bool, Form(description="Validate and report without saving")] = False,
) -> JobAccepted:
    data = await _read_limited(file)
    job = await importer.start_import(
        session, actor, entity, filename=file.filename, data=data, mapping=importer.parse_mapping(mapping),
        on_duplicate=on_duplicate, dry_run=dry_run,
    )
    return JobAccepted(job_id=job.id, status=job.status)


@router.get(
    "/imports/{job_id}/report", response_model=ImportReport, responses=error_responses(401, 404),
    summary="Per-row results of an import (its creator or an admin)",
)
async def import_report(
    session: DbSession,
    actor: CurrentActor,
    job_id: JobPath,
    offset: Offset = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    status: Annotated[Literal["created", "merged", "skipped", "failed"] | None, Query()] = None,
) -> Any:
    return await importer.import_report(session, actor, job_id, offset=offset, limit=limit, status=status)


@router.post(
    "/{entity}/export", status_code=202, response_model=JobAccepted,
    responses=error_responses(400, 401, 403, 404, 422), summary="Export records to CSV or XLSX (a job)",
)
async def export_records(
    session: DbSession,
    actor: CurrentActor,
    entity: EntityPath,
    body: ExportRequest,
    lang: Annotated[Literal["zh", "en"], Query(description="Language of the column headers")] = "zh",
) -> JobAccepted:
    job = await exporter.start_export(
        session, actor, entity, format=body.format, filter_spec=body.filter, fields=body.fields, sort=body.sort, lang=lang
    )
    return JobAccepted(job_id=job.id, status=job.status)


@router.get(
    "/exports/{job_id}/download", responses={200: {"content": {"text/csv": {}, exporter.FORMATS["xlsx"]: {}}}, **error_responses(401, 404, 409)},
    response_class=Response, summary="Download a finished export (its creator or an admin)",
)
async def download_export(session: DbSession, actor: CurrentActor, job_id: JobPath) -> Response:
    content, filename, content_type = await exporter.export_file(session, actor, job_id)
    return Response(
        content, media_type=content_type,
        headers={"Content-Disposition": f"attachment; filename=\"export.{filename.rsplit('.', 1)[-1]}\"; filename*=UTF-8''{quote(filename)}"},
    )
