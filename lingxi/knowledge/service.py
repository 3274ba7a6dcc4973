"""Knowledge bases and documents: the rules (who may change what), file storage and queuing of
ingestion. Retrieval lives in ``retrieval``, answers in ``answer``, the ingestion job in ``ingest``."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.errors import Forbidden, NotFound, ValidationFailed
from lingxi.files.storage import get_storage
from lingxi.jobs.service import enqueue_job
from lingxi.knowledge import parsers
from lingxi.knowledge.access import can_manage, readable
from lingxi.knowledge.index import forget_document
from lingxi.knowledge.models import KnowledgeBase, KnowledgeDocument, KnowledgeDocumentAccess
from lingxi.knowledge.schemas import BaseIn, BasePatch, DocumentOut, Permissions
from lingxi.org.models import User
from lingxi.tenancy.context import Actor

INGEST_JOB = "knowledge_ingest"


# ---- bases ----
async def create_base(session: AsyncSession, actor: Actor, body: BaseIn) -> KnowledgeBase:
    kb = KnowledgeBase(id=uuid.uuid4(), tenant_id=actor.tenant_id, owner_id=actor.user_id, settings={}, **body.model_dump())
    session.add(kb)
    await session.flush()
    return kb


async def get_base(session: AsyncSession, kb_id: uuid.UUID) -> KnowledgeBase:
    kb = await session.scalar(select(KnowledgeBase).where(KnowledgeBase.id == kb_id))
    if kb is None:
        raise NotFound("no such knowledge base", code="knowledge_base_not_found")
    return kb


async def list_bases(session: AsyncSession, actor: Actor) -> list[tuple[KnowledgeBase, int]]:
    counts = dict(
        (await session.execute(
            select(KnowledgeDocument.kb_id, func.count()).where(readable(actor)).group_by(KnowledgeDocument.kb_id)
        )).all()
    )
    bases = (await session.scalars(select(KnowledgeBase).order_by(KnowledgeBase.created_at))).all()
    return [(kb, int(counts.get(kb.id, 0))) for kb in bases]


def _require_manage(actor: Actor, owner_id: Any, what: str) -> None:
    if not can_manage(actor, owner_id):
        raise Forbidden(f"only the owner or an administrator may change this {what}", code="permission_denied")


async def update_base(session: AsyncSession, actor: Actor, kb_id: uuid.UUID, body: BasePatch) -> KnowledgeBase:
    kb = await get_base(session, kb_id)
    _require_manage(actor, kb.owner_id, "knowledge base")
    for key, value in body.model_dump(exclude_unset=True).items():
        if value is not None or key == "description":
            setattr(kb, key, value)
    await session.flush()
    return kb


async def delete_base(session: AsyncSession, actor: Actor, kb_id: uuid.UUID) -> None:
    kb = await get_base(session, kb_id)
    _require_manage(actor, kb.owner_id, "knowledge base")
    docs = (await session.scalars(select(KnowledgeDocument).where(KnowledgeDocument.kb_id == kb.id))).all()
    for doc in docs:
        await _delete_document_row(session, actor, doc)
    await session.delete(kb)
    await session.flush()


# ---- documents ----
async def _access_rows(session: AsyncSession, doc_ids: list[uuid.UUID]) -> dict[uuid.UUID, Permissions]:
    out: dict[uuid.UUID, Permissions] = {}
    if not doc_ids:
        return out
    rows = (await session.execute(
        select(KnowledgeDocumentAccess.document_id, KnowledgeDocumentAccess.principal_type, KnowledgeDocumentAccess.principal_id)
        .where(KnowledgeDocumentAccess.document_id.in_(doc_ids))
    )).all()
    for doc_id, kind, principal in rows:
        perms = out.setdefault(doc_id, Permissions(visibility="restricted"))
        getattr(perms, f"{kind}_ids").append(principal)
    return out


async def document_out(session: AsyncSession, docs: list[KnowledgeDocument]) -> list[DocumentOut]:
    access = await _access_rows(session, [d.id for d in docs])
    owners = {d.owner_id for d in docs if d.owner_id}
    names = dict((await session.execute(select(User.id, User.name).where(User.id.in_(owners)))).all()) if owners else {}
    out = []
    for d in docs:
        perms = access.get(d.id) or Permissions()
        perms.visibility = d.visibility  # type: ignore[assignment]
        out.append(DocumentOut(
            id=d.id, kb_id=d.kb_id, title=d.title, filename=d.filename, file_format=d.file_format, size=d.size,
            status=d.status, error=d.error, job_id=d.job_id, attachment_id=d.attachment_id, owner_id=d.owner_id,  # type: ignore[arg-type]
            uploader_name=names.get(d.owner_id), chunk_count=d.chunk_count, permissions=perms,
            created_at=d.created_at, updated_at=d.updated_at,
        ))
    return out


async def get_document(session: AsyncSession, actor: Actor, doc_id: uuid.UUID) -> KnowledgeDocument:
    """A document the actor may read; anyone else gets 404, as if it did not exist."""
    doc = await session.scalar(select(KnowledgeDocument).where(KnowledgeDocument.id == doc_id, readable(actor)))
    if doc is None:
        raise NotFound("no such document", code="knowledge_document_not_found")
    return doc


async def list_documents(session: AsyncSession, actor: Actor, kb_id: uuid.UUID) -> list[KnowledgeDocument]:
    await get_base(session, kb_id)
    return list((await session.scalars(
        select(KnowledgeDocument).where(KnowledgeDocument.kb_id == kb_id, readable(actor)).order_by(KnowledgeDocument.created_at)
    )).all())


async def _set_permissions(session: AsyncSession, doc: KnowledgeDocument, perms: Permissions) -> None:
    if perms.visibility == "attachment" and doc.attachment_id is None:
        raise ValidationFailed("only a document linked to an attachment can follow its permissions", code="no_attachment")
    doc.visibility = perms.visibility
    await session.execute(delete(KnowledgeDocumentAccess).where(KnowledgeDocumentAccess.document_id == doc.id))
    if perms.visibility == "restricted":
        for kind, ids in (("role", perms.role_ids), ("team", perms.team_ids), ("user", perms.user_ids)):
            for principal in dict.fromkeys(ids):
                session.add(KnowledgeDocumentAccess(tenant_id=doc.tenant_id, document_id=doc.id, principal_type=kind, principal_id=principal))
    await session.flush()


async def _enqueue(session: AsyncSession, actor: Actor, doc: KnowledgeDocument) -> None:
    doc.status, doc.error = "queued", None
    job = await enqueue_job(session, actor, INGEST_JOB, entity="knowledge_documents", params={"document_id": str(doc.id)})
    doc.job_id = job.id
    await session.flush()


def _can_upload(actor: Actor, kb: KnowledgeBase) -> bool:
    return kb.members_can_upload or can_manage(actor, kb.owner_id)


async def add_document(
    session: AsyncSession, actor: Actor, kb_id: uuid.UUID, *, filename: str, content_type: str | None, data: bytes,
    title: str | None = None, permissions: Permissions | None = None,
) -> KnowledgeDocument:
    kb = await get_base(session, kb_id)
    if not _can_upload(actor, kb):
        raise Forbidden("only the base's owner or an administrator may add documents here", code="permission_denied")
    file_format = parsers.detect_format(filename, content_type)
    if file_format is None:
        raise ValidationFailed(
            "unsupported file type; upload PDF, DOCX, XLSX, HTML, Markdown or text",
            code="unsupported_file_type", status_code=415, details={"filename": filename},
        )
    assert actor.tenant_id is not None
    key, digest = get_storage().put(actor.tenant_id, data)
    doc = KnowledgeDocument(
        id=uuid.uuid4(), tenant_id=actor.tenant_id, kb_id=kb.id, title=(title or _title_of(filename))[:300],
        filename=filename[:300], content_type=(content_type or "")[:200] or None, file_format=file_format, size=len(data),
        sha256=digest, storage_key=key, owner_id=actor.user_id, visibility=kb.default_visibility, status="queued",
    )
    session.add(doc)
    await session.flush()
    await _set_permissions(session, doc, permissions or Permissions(visibility=kb.default_visibility))  # type: ignore[arg-type]
    await _enqueue(session, actor, doc)
    return doc


async def link_attachment(
    session: AsyncSession, actor: Actor, kb_id: uuid.UUID, attachment_id: uuid.UUID, *, title: str | None,
    permissions: Permissions | None,
) -> KnowledgeDocument:
    from lingxi.records.service import RecordService, entity_or_404

    kb = await get_base(session, kb_id)
    if not _can_upload(actor, kb):
        raise Forbidden("only the base's owner or an administrator may add documents here", code="permission_denied")
    att = await RecordService(session, actor, entity_or_404("attachments"))._load(attachment_id)  # 404 unless readable
    if not att.storage_key:
        raise ValidationFailed("this attachment has no file", code="no_file")
    file_format = parsers.detect_format(att.filename, att.content_type)
    if file_format is None:
        raise ValidationFailed("unsupported file type", code="unsupported_file_type", status_code=415)
    doc = KnowledgeDocument(
        id=uuid.uuid4(), tenant_id=actor.tenant_id, kb_id=kb.id, title=(title or _title_of(att.filename))[:300],
        filename=att.filename, content_type=att.content_type, file_format=file_format, size=att.size or 0,
        sha256=att.sha256, storage_key=None, attachment_id=att.id, owner_id=actor.user_id, visibility="attachment",
        status="queued",
    )
    session.add(doc)
    await session.flush()
    await _set_permissions(session, doc, permissions or Permissions(visibility="attachment"))
    await _enqueue(session, actor, doc)
    return doc


async def _managed_document(session: AsyncSession, actor: Actor, doc_id: uuid.UUID) -> KnowledgeDocument:
    doc = await get_document(session, actor, doc_id)
    kb = await get_base(session, doc.kb_id)
    if not (can_manage(actor, doc.owner_id) or can_manage(actor, kb.owner_id)):
        raise Forbidden("only the document's owner, the base's owner or an administrator may change it", code="permission_denied")
    return doc


async def update_document(session: AsyncSession, actor: Actor, doc_id: uuid.UUID, *, title: str | None, permissions: Permissions | None) -> KnowledgeDocument:
    doc = await _managed_document(session, actor, doc_id)
    if permissions is not None:
        await _set_permissions(session, doc, permissions)  # applies at once: retrieval reads it from SQL
    if title is not None and title != doc.title:
        doc.title = title
        await _enqueue(session, actor, doc)  # the title is part of every passage's index terms
    await session.flush()
    return doc


async def replace_file(session: AsyncSession, actor: Actor, doc_id: uuid.UUID, *, filename: str, content_type: str | None, data: bytes) -> KnowledgeDocument:
    doc = await _managed_document(session, actor, doc_id)
    file_format = parsers.detect_format(filename, content_type)
    if file_format is None:
        raise ValidationFailed("unsupported file type", code="unsupported_file_type", status_code=415)
    assert actor.tenant_id is not None
    old_key = doc.storage_key if doc.attachment_id is None else None
    doc.storage_key, doc.sha256 = get_storage().put(actor.tenant_id, data)
    doc.attachment_id = None
    if doc.visibility == "attachment":
        doc.visibility = "restricted"
    doc.filename, doc.content_type, doc.file_format, doc.size = filename[:300], content_type, file_format, len(data)
    await _enqueue(session, actor, doc)
    if old_key:
        get_storage().delete(old_key)
    return doc


async def reindex(session: AsyncSession, actor: Actor, doc_id: uuid.UUID) -> KnowledgeDocument:
    doc = await _managed_document(session, actor, doc_id)
    await _enqueue(session, actor, doc)
    return doc


async def _delete_document_row(session: AsyncSession, actor: Actor, doc: KnowledgeDocument) -> None:
    key = doc.storage_key if doc.attachment_id is None else None
    await session.delete(doc)  # chunks and access rows go with it (ON DELETE CASCADE)
    await session.flush()
    if key:
        get_storage().delete(key)
    assert actor.tenant_id is not None
    forget_document(actor.tenant_id, doc.id)


async def delete_document(session: AsyncSession, actor: Actor, doc_id: uuid.UUID) -> None:
    doc = await _managed_document(session, actor, doc_id)
    from lingxi.knowledge.models import KnowledgeChunk

    await session.execute(delete(KnowledgeChunk).where(KnowledgeChunk.document_id == doc.id))
    await session.execute(delete(KnowledgeDocumentAccess).where(KnowledgeDocumentAccess.document_id == doc.id))
    await _delete_document_row(session, actor, doc)


def _title_of(filename: str) -> str:
    name = filename.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0] if "." in name else name


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
