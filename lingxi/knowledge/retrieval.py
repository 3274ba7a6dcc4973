"""Hybrid retrieval: BM25 over jieba terms and dense vectors over the documents the caller may
read, fused.

Permissions are applied first: the SQL query that lists the readable, ready documents of the
requested bases (``access.readable``) decides which rows of the index may be scored at all, so
BM25 statistics, vector neighbours and hits only ever come from documents the caller may read.

``score`` (shown, and compared with ``min_score``) is an absolute relevance in [0, 1]: the best of
the passage's (or one of its sentences') cosine similarity to the question, and the mean of that
similarity and the share of the question's informative terms (IDF-weighted) the passage contains.
Shared terms add evidence; their absence (a question in the other language) takes none away.

Two fusions of the two candidate lists: ``blend`` (the default) orders by that relevance with
reciprocal rank fusion breaking ties; ``rrf`` orders by RRF alone (``1/(60+rank)`` summed over
both lists). Plain RRF lets a passage sharing one common word with the question outrank the
answer written in the other language, since being in both lists beats being first in one:
bench/kb_eval measures both (bench/RESULTS.md: recall@5 98.2% against 85.2%).
"""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass

import numpy as np
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.ai.embeddings import default_embedder
from lingxi.config import get_settings
from lingxi.knowledge.access import readable
from lingxi.knowledge.index import ChunkData, TenantIndex, query_terms, tenant_index
from lingxi.knowledge.models import KnowledgeChunk, KnowledgeDocument
from lingxi.tenancy.context import Actor

RRF_K = 60
CANDIDATES = 100
DENSE_WEIGHT = 0.5
FUSION = "blend"


@dataclass
class Hit:
    document_id: uuid.UUID
    chunk_id: uuid.UUID
    score: float
    text: str
    heading: str
    document_title: str
    kb_id: uuid.UUID
    ordinal: int
    dense: float
    lexical: float
    rank_score: float


@dataclass
class _DocInfo:
    kb_id: uuid.UUID
    title: str
    version: int


def index_folder(tenant_id: uuid.UUID) -> object:
    return get_settings().data_dir / "knowledge" / tenant_id.hex


async def _readable_documents(session: AsyncSession, actor: Actor, kb_ids: list[uuid.UUID]) -> dict[uuid.UUID, _DocInfo]:
    rows = await session.execute(
        select(KnowledgeDocument.id, KnowledgeDocument.kb_id, KnowledgeDocument.title, KnowledgeDocument.index_version).where(
            KnowledgeDocument.kb_id.in_(kb_ids), KnowledgeDocument.status == "ready", readable(actor)
        )
    )
    return {d: _DocInfo(kb, title, v) for d, kb, title, v in rows.all()}


async def _sync(session: AsyncSession, index: TenantIndex, docs: dict[uuid.UUID, _DocInfo]) -> None:
    stale = index.stale({d: info.version for d, info in docs.items()})
    for start in range(0, len(stale), 200):
        batch = stale[start : start + 200]
        rows = (
            await session.execute(
                select(
                    KnowledgeChunk.document_id, KnowledgeChunk.id, KnowledgeChunk.ordinal, KnowledgeChunk.heading,
                    KnowledgeChunk.text, KnowledgeChunk.embedding, KnowledgeChunk.sentence_embeddings,
                ).where(KnowledgeChunk.document_id.in_(batch)).order_by(KnowledgeChunk.document_id, KnowledgeChunk.ordinal)
            )
        ).all()
        by_doc: dict[uuid.UUID, list[ChunkData]] = {d: [] for d in batch}
        for doc_id, chunk_id, ordinal, heading, text, emb, sentence_emb in rows:
            by_doc[doc_id].append(ChunkData(chunk_id, ordinal, heading or "", text, docs[doc_id].title, emb, sentence_emb))
        for doc_id, chunks in by_doc.items():
            index.put_document(doc_id, docs[doc_id].version, chunks)


def relevance(dense: float, lexical: float) -> float:
    """Absolute relevance in [0, 1]. Shared terms add evidence on top of the vector similarity,
    but their absence takes none away: a question in another language than the passage, or in
    other words, shares no terms with it and is still a match."""
    return max(dense, DENSE_WEIGHT * dense + (1 - DENSE_WEIGHT) * lexical)


async def embed_query(text: str) -> np.ndarray:
    return await asyncio.to_thread(default_embedder().embed_one, text)


async def search(
    session: AsyncSession,
    actor: Actor,
    kb_ids: list[uuid.UUID],
    query: str,
    *,
    top_k: int,
    min_score: float,
    max_per_document: int = 1,
    fusion: str | None = None,
    timings: dict[str, float] | None = None,
) -> list[Hit]:
    """The best ``top_k`` passages for ``query`` among documents of ``kb_ids`` that ``actor`` may
    read, at most ``max_per_document`` per document, each scoring at least ``min_score``."""
    assert actor.tenant_id is not None
    started = time.perf_counter()
    vector_task = asyncio.ensure_future(embed_query(query))
    try:
        docs = await _readable_documents(session, actor, kb_ids)
        index = tenant_index(actor.tenant_id, index_folder(actor.tenant_id))  # type: ignore[arg-type]
        await _sync(session, index, docs)
    except BaseException:
        vector_task.cancel()
        raise
    qvec = await vector_task
    if timings is not None:
        timings["prepare_ms"] = (time.perf_counter() - started) * 1000
    if not docs:
        return []
    cand, sentence_rows = index.candidate_rows(list(docs))
    terms = query_terms(query)
    with index.lock:
        lex_rows, lex_scores, lex_cov = index.bm25(terms, cand)
        dense_rows, dense_sims = index.dense(qvec, cand, sentence_rows, CANDIDATES)
        rows_ref = index.rows
        lex_order = np.argsort(-lex_scores)[:CANDIDATES]
        dense_of = dict(zip(dense_rows.tolist(), dense_sims.tolist(), strict=True))
        missing = [int(lex_rows[i]) for i in lex_order if int(lex_rows[i]) not in dense_of]
        dense_of.update(index.similarity(qvec, missing))
    coverage = {int(lex_rows[i]): float(lex_cov[i]) for i in lex_order}
    fused: dict[int, float] = {}
    for rank, i in enumerate(lex_order):
        fused[int(lex_rows[i])] = 1.0 / (RRF_K + rank + 1)
    for rank, row in enumerate(dense_rows[:CANDIDATES].tolist()):
        fused[row] = fused.get(row, 0.0) + 1.0 / (RRF_K + rank + 1)
    use_rrf = (fusion or FUSION) == "rrf"
    scored = []
    for row, rank_score in fused.items():
        dense = float(np.clip(dense_of.get(row, 0.0), 0.0, 1.0))
        lexical = coverage.get(row, 0.0)
        score = relevance(dense, lexical)
        scored.append((rank_score if use_rrf else score + rank_score, row, rank_score, dense, lexical, score))
    scored.sort(key=lambda t: -t[0])
    hits: list[Hit] = []
    per_doc: dict[uuid.UUID, int] = {}
    for _, row, rank_score, dense, lexical, score in scored:
        r = rows_ref[row]
        if score < min_score or per_doc.get(r.document_id, 0) >= max_per_document:
            continue
        info = docs[r.document_id]
        per_doc[r.document_id] = per_doc.get(r.document_id, 0) + 1
        hits.append(Hit(r.document_id, r.chunk_id, round(score, 4), r.text, r.heading, info.title, info.kb_id, r.ordinal, dense, lexical, rank_score))
        if len(hits) >= top_k:
            break
    if timings is not None:
        timings["total_ms"] = (time.perf_counter() - started) * 1000
    return hits
