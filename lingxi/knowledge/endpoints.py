"""``/api/v1/knowledge``: bases, documents (upload, link an attachment, status, permissions),
search and ask."""

from __future__ import annotations

import json
import time
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Response, UploadFile
from pydantic import ValidationError

from lingxi.config import get_settings
from lingxi.deps import CurrentActor, DbSession
from lingxi.errors import NotFound, ValidationFailed, error_responses
from lingxi.knowledge import answer as answers
from lingxi.knowledge import retrieval, service
from lingxi.knowledge.schemas import (
    AskIn,
    AskOut,
    BaseIn,
    BaseList,
    BaseOut,
    BasePatch,
    DocumentList,
    DocumentOut,
    DocumentPatch,
    LinkAttachment,
    Permissions,
    SearchHitOut,
    SearchIn,
    SearchOut,
)

router = APIRouter(prefix="/knowledge", tags=["knowledge"])


async def _read_file(file: UploadFile) -> bytes:
    limit = get_settings().max_upload_mb * 1024 * 1024
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise ValidationFailed(f"file larger than {get_settings().max_upload_mb} MB", code="file_too_large", status_code=413)
    return data


def _permissions(raw: str | None) -> Permissions | None:
    if not raw:
        return None
    try:
        return Permissions.model_validate(json.loads(raw))
    except (ValueError, ValidationError) as exc:
        raise ValidationFailed("permissions must be JSON like {\"visibility\": \"restricted\", \"role_ids\": [...]}",
                               code="invalid_permissions", details={"field": "permissions"}) from exc


def _base_out(kb: Any, count: int = 0) -> BaseOut:
    return BaseOut.model_validate({**{k: getattr(kb, k) for k in BaseOut.model_fields if k != "document_count"}, "document_count": count})


async def _doc_out(session: Any, doc: Any) -> DocumentOut:
    return (await service.document_out(session, [doc]))[0]


@router.post("/bases", status_code=201, response_model=BaseOut, responses=error_responses(401, 422), summary="Create a knowledge base")
async def create_base(session: DbSession, actor: CurrentActor, body: BaseIn) -> Any:
    return _base_out(await service.create_base(session, actor, body))


@router.get("/bases", response_model=BaseList, responses=error_responses(401), summary="List knowledge bases")
async def list_bases(session: DbSession, actor: CurrentActor) -> Any:
    return BaseList(items=[_base_out(kb, n) for kb, n in await service.list_bases(session, actor)])


@router.get("/bases/{kb_id}", response_model=BaseOut, responses=error_responses(401, 404))
async def get_base(session: DbSession, actor: CurrentActor, kb_id: uuid.UUID) -> Any:
    return _base_out(await service.get_base(session, kb_id))


@router.patch("/bases/{kb_id}", response_model=BaseOut, responses=error_responses(401, 403, 404, 422),
              summary="Change a base's name or its top_k / min_score defaults (owner or admin)")
async def update_base(session: DbSession, actor: CurrentActor, kb_id: uuid.UUID, body: BasePatch) -> Any:
    return _base_out(await service.update_base(session, actor, kb_id, body))


@router.delete("/bases/{kb_id}", status_code=204, response_class=Response, responses=error_responses(401, 403, 404),
               summary="Delete a base with its documents and their index entries (owner or admin)")
async def delete_base(session: DbSession, actor: CurrentActor, kb_id: uuid.UUID) -> Response:
    await service.delete_base(session, actor, kb_id)
    return Response(status_code=204)


@router.post(
    "/bases/{kb_id}/documents", status_code=202, response_model=DocumentOut, responses=error_responses(401, 403, 404, 413, 415, 422),
    summary="Upload a document (PDF, DOCX, XLSX, HTML, Markdown, text); it is ingested by a job",
    description="`status` goes `queued` → `processing` → `ready` (searchable) or `failed` with `error` saying why. "
    "`permissions` (optional, JSON): `{\"visibility\": \"everyone\"|\"restricted\", \"role_ids\", \"team_ids\", \"user_ids\"}`; "
    "the uploader (owner) and administrators always read it.",
)
async def upload_document(
    session: DbSession, actor: CurrentActor, kb_id: uuid.UUID,
    file: Annotated[UploadFile, File()],
    title: Annotated[str | None, Form(max_length=300)] = None,
    permissions: Annotated[str | None, Form(max_length=50_000)] = None,
) -> Any:
    data = await _read_file(file)
    filename = (file.filename or "document.txt").replace("\\", "/").rsplit("/", 1)[-1][:300]
    doc = await service.add_document(session, actor, kb_id, filename=filename, content_type=file.content_type, data=data,
                                     title=title, permissions=_permissions(permissions))
    return await _doc_out(session, doc)


@router.post("/bases/{kb_id}/attachments", status_code=202, response_model=DocumentOut, responses=error_responses(401, 403, 404, 415, 422),
             summary="Add a CRM attachment to the base (by default readable by whoever may read the attachment)")
async def link_attachment(session: DbSession, actor: CurrentActor, kb_id: uuid.UUID, body: LinkAttachment) -> Any:
    doc = await service.link_attachment(session, actor, kb_id, body.attachment_id, title=body.title, permissions=body.permissions)
    return await _doc_out(session, doc)


@router.get("/bases/{kb_id}/documents", response_model=DocumentList, responses=error_responses(401, 404),
            summary="Documents of a base that the caller may read")
async def list_documents(session: DbSession, actor: CurrentActor, kb_id: uuid.UUID) -> Any:
    return DocumentList(items=await service.document_out(session, await service.list_documents(session, actor, kb_id)))


@router.get("/documents/{doc_id}", response_model=DocumentOut, responses=error_responses(401, 404), summary="A document and its ingestion status")
async def get_document(session: DbSession, actor: CurrentActor, doc_id: uuid.UUID) -> Any:
    return await _doc_out(session, await service.get_document(session, actor, doc_id))


@router.patch("/documents/{doc_id}", response_model=DocumentOut, responses=error_responses(401, 403, 404, 422),
              summary="Rename a document or change who may read it")
async def update_document(session: DbSession, actor: CurrentActor, doc_id: uuid.UUID, body: DocumentPatch) -> Any:
    doc = await service.update_document(session, actor, doc_id, title=body.title, permissions=body.permissions)
    return await _doc_out(session, doc)


@router.put("/documents/{doc_id}/file", status_code=202, response_model=DocumentOut, responses=error_responses(401, 403, 404, 413, 415),
            summary="Replace a document's file; it is indexed again")
async def replace_file(session: DbSession, actor: CurrentActor, doc_id: uuid.UUID, file: Annotated[UploadFile, File()]) -> Any:
    data = await _read_file(file)
    filename = (file.filename or "document.txt").replace("\\", "/").rsplit("/", 1)[-1][:300]
    doc = await service.replace_file(session, actor, doc_id, filename=filename, content_type=file.content_type, data=data)
    return await _doc_out(session, doc)


@router.post("/documents/{doc_id}/reindex", status_code=202, response_model=DocumentOut, responses=error_responses(401, 403, 404))
async def reindex(session: DbSession, actor: CurrentActor, doc_id: uuid.UUID) -> Any:
    return await _doc_out(session, await service.reindex(session, actor, doc_id))


@router.delete("/documents/{doc_id}", status_code=204, response_class=Response, responses=error_responses(401, 403, 404),
               summary="Delete a document; it leaves search results at once")
async def delete_document(session: DbSession, actor: CurrentActor, doc_id: uuid.UUID) -> Response:
    await service.delete_document(session, actor, doc_id)
    return Response(status_code=204)


async def _defaults(session: Any, kb_ids: list[uuid.UUID], top_k: int | None, min_score: float | None) -> tuple[int, float]:
    if top_k is not None and min_score is not None:
        return top_k, min_score
    try:
        kb = await service.get_base(session, kb_ids[0])
    except NotFound:
        return top_k or 5, min_score or 0.0
    return (top_k if top_k is not None else kb.top_k), (min_score if min_score is not None else kb.min_score)


@router.post("/search", response_model=SearchOut, responses=error_responses(401, 422),
             summary="Hybrid search (BM25 + vectors, RRF) over the documents the caller may read",
             description="`score` is a relevance in [0, 1] (mean of vector similarity and share of the query's terms matched); "
             "`top_k` and `min_score` default to the first base's settings.")
async def search(session: DbSession, actor: CurrentActor, body: SearchIn) -> Any:
    started = time.perf_counter()
    top_k, min_score = await _defaults(session, body.kb_ids, body.top_k, body.min_score)
    hits = await retrieval.search(session, actor, body.kb_ids, body.query.strip(), top_k=top_k, min_score=min_score,
                                  max_per_document=body.max_per_document, fusion=body.fusion)
    return SearchOut(
        hits=[SearchHitOut(document_id=h.document_id, chunk_id=h.chunk_id, score=h.score, text=h.text,
                           document_title=h.document_title, heading=h.heading, kb_id=h.kb_id) for h in hits],
        took_ms=round((time.perf_counter() - started) * 1000, 2),
    )


@router.post("/ask", response_model=AskOut, responses=error_responses(401, 422),
             summary="Answer a question from the knowledge base, with citations",
             description="Extractive without an LLM; written by the tenant's LLM from the retrieved passages only when one is "
             "configured. When no passage reaches `min_score` the answer says it does not know (`grounded: false`).")
async def ask(session: DbSession, actor: CurrentActor, body: AskIn) -> Any:
    top_k, min_score = await _defaults(session, body.kb_ids, body.top_k, body.min_score)
    min_score = max(min_score, ASK_MIN_SCORE)
    hits = await retrieval.search(session, actor, body.kb_ids, body.question.strip(), top_k=min(top_k, 5), min_score=min_score,
                                  max_per_document=2)
    return await answers.answer(session, actor, body.question.strip(), hits, use_llm=body.use_llm)


ASK_MIN_SCORE = 0.25  # an answer needs at least this much evidence, whatever the base's search threshold
