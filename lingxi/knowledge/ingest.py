"""The ingestion job: read the file, chunk it by structure, embed the chunks, and swap them in.

Status goes queued → processing → ready, or failed with the reason (``code: message``). The old
chunks stay searchable until the new ones replace them in one transaction, and a failure leaves
the base and its other documents untouched."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import structlog
from sqlalchemy import delete, select

from lingxi.ai.embeddings import default_embedder
from lingxi.files.storage import get_storage
from lingxi.jobs.runner import JobContext
from lingxi.knowledge.chunking import Chunk, chunk_blocks, split_sentences
from lingxi.knowledge.models import KnowledgeChunk, KnowledgeDocument
from lingxi.knowledge.parsers import ParseError, parse

log = structlog.get_logger("lingxi.knowledge")
MAX_CHUNKS = 20_000
MAX_SENTENCES = 16  # per chunk


def embedding_text(title: str, chunk: Chunk) -> str:
    heading = chunk.heading.rsplit(" > ", 1)[-1] if chunk.heading else ""
    head = " · ".join(x for x in (title, heading) if x and x not in chunk.text[:80])
    return f"{head}\n{chunk.text}" if head else chunk.text


def sentence_texts(title: str, chunk: Chunk) -> list[str]:
    """The chunk's sentences (when it has more than one), each prefixed with its context."""
    sentences = [s for s in split_sentences(chunk.text.replace("\n", "\n\n")) if len(s.strip()) > 3]
    sentences = [s for line in sentences for s in line.split("\n\n") if len(s.strip()) > 3]
    if len(sentences) < 2:
        return []
    heading = chunk.heading.rsplit(" > ", 1)[-1] if chunk.heading else ""
    head = " · ".join(x for x in (title, heading) if x)
    return [f"{head}: {s.strip()}" if head else s.strip() for s in sentences[:MAX_SENTENCES]]


def _prepare(data: bytes, file_format: str, title: str) -> tuple[list[Chunk], list[bytes], list[bytes | None], int]:
    blocks = parse(data, file_format)
    chunks = chunk_blocks(blocks)
    if not chunks:
        raise ParseError("no_text", "no text was found in the file")
    if len(chunks) > MAX_CHUNKS:
        raise ParseError("too_large", f"the document yields more than {MAX_CHUNKS} passages")
    embedder = default_embedder()
    sentences = [sentence_texts(title, c) for c in chunks]
    flat = [embedding_text(title, c) for c in chunks] + [s for group in sentences for s in group]
    vectors = embedder.embed(flat).astype("float32")
    chunk_vectors = [vectors[i].tobytes() for i in range(len(chunks))]
    sentence_vectors: list[bytes | None] = []
    at = len(chunks)
    for group in sentences:
        sentence_vectors.append(vectors[at : at + len(group)].tobytes() if group else None)
        at += len(group)
    return chunks, chunk_vectors, sentence_vectors, sum(len(c.text) for c in chunks)


async def _fail(ctx: JobContext, doc_id: uuid.UUID, reason: str) -> None:
    async with ctx.unit_of_work() as s:
        doc = await s.scalar(select(KnowledgeDocument).where(KnowledgeDocument.id == doc_id))
        if doc is not None and doc.job_id == ctx.job_id:
            doc.status, doc.error = "failed", reason[:2000]


async def run_ingest(ctx: JobContext, doc_id: uuid.UUID) -> dict[str, Any]:
    async with ctx.unit_of_work() as s:
        doc = await s.scalar(select(KnowledgeDocument).where(KnowledgeDocument.id == doc_id))
        if doc is None:
            return {"skipped": "document deleted"}
        if doc.job_id != ctx.job_id:
            return {"skipped": "superseded by a newer upload"}
        doc.status, doc.error = "processing", None
        storage_key, attachment_id = doc.storage_key, doc.attachment_id
        file_format, title = doc.file_format, doc.title
        if storage_key is None and attachment_id is not None:
            from lingxi.attachments.models import Attachment

            storage_key = await s.scalar(select(Attachment.storage_key).where(Attachment.id == attachment_id))
    try:
        if not storage_key:
            raise ParseError("file_missing", "the document's file is gone (was the attachment deleted?)")
        try:
            data = await asyncio.to_thread(get_storage().get, storage_key)
        except FileNotFoundError as exc:
            raise ParseError("file_missing", "the document's file is missing from storage") from exc
        chunks, vectors, sentence_vectors, chars = await asyncio.to_thread(_prepare, data, file_format, title)
    except ParseError as exc:
        await _fail(ctx, doc_id, f"{exc.code}: {exc.message}")
        raise
    except Exception as exc:
        await _fail(ctx, doc_id, f"ingest_error: {type(exc).__name__}: {exc}")
        raise
    name = default_embedder().name
    async with ctx.unit_of_work() as s:
        doc = await s.scalar(select(KnowledgeDocument).where(KnowledgeDocument.id == doc_id))
        if doc is None or doc.job_id != ctx.job_id:
            return {"skipped": "document deleted or superseded while ingesting"}
        await s.execute(delete(KnowledgeChunk).where(KnowledgeChunk.document_id == doc_id))
        for i, c in enumerate(chunks):
            s.add(KnowledgeChunk(
                tenant_id=doc.tenant_id, document_id=doc_id, kb_id=doc.kb_id, ordinal=i, heading=c.heading[:500] or None,
                text=c.text, embedding=vectors[i], sentence_embeddings=sentence_vectors[i], embedder=name,
            ))
        doc.status, doc.error = "ready", None
        doc.chunk_count, doc.char_count = len(chunks), chars
        doc.index_version += 1
    log.info("knowledge_document_ready", document_id=str(doc_id), chunks=len(chunks))
    return {"document_id": str(doc_id), "chunks": len(chunks)}
