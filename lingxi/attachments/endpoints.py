from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import Response

from lingxi.config import get_settings
from lingxi.deps import CurrentActor, DbSession
from lingxi.errors import ValidationFailed, error_responses
from lingxi.files.storage import get_storage
from lingxi.records.schemas import read_schema
from lingxi.records.service import RecordService, entity_or_404

router = APIRouter(prefix="/attachments", tags=["attachments"])
ENTITY = entity_or_404("attachments")


@router.post(
    "/upload",
    status_code=201,
    response_model=read_schema(ENTITY),
    responses=error_responses(401, 403, 404, 413, 422),
    summary="Upload a file and attach it to a record",
)
async def upload(
    session: DbSession,
    actor: CurrentActor,
    file: Annotated[UploadFile, File()],
    related_entity: Annotated[str | None, Form(max_length=64)] = None,
    related_id: Annotated[uuid.UUID | None, Form()] = None,
) -> Any:
    limit = get_settings().max_upload_mb * 1024 * 1024
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise ValidationFailed(f"file larger than {get_settings().max_upload_mb} MB", code="file_too_large", status_code=413)
    filename = (file.filename or "file").replace("/", "_").replace("\\", "_")[:300]
    svc = RecordService(session, actor, ENTITY)
    payload: dict[str, Any] = {"filename": filename}
    if related_entity or related_id:
        payload.update(related_entity=related_entity, related_id=related_id)
    rec = await svc.create(payload)
    assert actor.tenant_id is not None
    key, digest = get_storage().put(actor.tenant_id, data)
    rec.storage_key, rec.sha256, rec.size = key, digest, len(data)
    rec.content_type = (file.content_type or "application/octet-stream")[:200]
    await session.flush()
    return await svc.serialize(rec)


@router.get(
    "/{attachment_id}/download",
    response_class=Response,
    responses={
        200: {"content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}, "description": "The file"},
        **error_responses(401, 403, 404, 422),
    },
    summary="Download an attachment",
)
async def download(attachment_id: uuid.UUID, session: DbSession, actor: CurrentActor) -> Response:
    rec = await RecordService(session, actor, ENTITY)._load(attachment_id)
    if not rec.storage_key:
        raise ValidationFailed("this attachment has no file", code="no_file")
    data = get_storage().get(rec.storage_key)
    quoted = rec.filename.encode("utf-8").decode("latin-1", "ignore").replace('"', "")
    return Response(
        data,
        media_type="application/octet-stream",
        headers={"content-disposition": f"attachment; filename=\"{quoted}\"", "x-content-type-options": "nosniff"},
    )
