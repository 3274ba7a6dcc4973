"""Knowledge tools: list the bases, search them, answer from them with citations. Retrieval enforces
each document's permissions, so a tool never returns a passage its caller may not read."""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from lingxi.agent.tools.base import ToolContext
from lingxi.agent.tools.registry import tool
from lingxi.errors import NotFound
from lingxi.knowledge import answer as answers
from lingxi.knowledge import retrieval
from lingxi.knowledge import service as kb_service
from lingxi.knowledge.schemas import AskOut

ASK_MIN_SCORE = 0.25  # as the REST endpoint: an answer needs at least this much evidence


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NoArgs(_Strict):
    pass


class BaseInfo(BaseModel):
    id: uuid.UUID
    name: str
    description: str | None
    document_count: int
    top_k: int
    min_score: float


class BasesOut(BaseModel):
    bases: list[BaseInfo]


@tool(
    name="knowledge.list_bases", category="knowledge",
    description={"zh": "列出知识库及其中调用者可读的文档数", "en": "List the knowledge bases and how many of their documents the caller may read"},
    idempotency="safe",
)
async def list_bases(ctx: ToolContext, args: NoArgs) -> BasesOut:
    rows = await kb_service.list_bases(ctx.session, ctx.actor)
    return BasesOut(bases=[
        BaseInfo(id=kb.id, name=kb.name, description=kb.description, document_count=n, top_k=kb.top_k, min_score=kb.min_score)
        for kb, n in rows
    ])


async def _bases(ctx: ToolContext, kb_ids: list[uuid.UUID] | None) -> list[uuid.UUID]:
    if kb_ids:
        return kb_ids
    ids = [kb.id for kb, n in await kb_service.list_bases(ctx.session, ctx.actor) if n]
    if not ids:
        raise NotFound("no knowledge base with documents you may read", code="no_knowledge_base")
    return ids


async def _defaults(ctx: ToolContext, kb_ids: list[uuid.UUID], top_k: int | None, min_score: float | None) -> tuple[int, float]:
    if top_k is not None and min_score is not None:
        return top_k, min_score
    try:
        kb = await kb_service.get_base(ctx.session, kb_ids[0])
    except NotFound:
        return top_k or 5, min_score or 0.0
    return (top_k if top_k is not None else kb.top_k), (min_score if min_score is not None else kb.min_score)


class SearchArgs(_Strict):
    query: str = Field(min_length=1, max_length=2000)
    kb_ids: list[uuid.UUID] | None = Field(None, max_length=50, description="Default: every base with readable documents")
    top_k: int | None = Field(None, ge=1, le=50)
    min_score: float | None = Field(None, ge=0, le=1)


class Hit(BaseModel):
    document_id: uuid.UUID
    document_title: str
    chunk_id: uuid.UUID
    heading: str
    score: float
    text: str
    kb_id: uuid.UUID


class SearchOut(BaseModel):
    hits: list[Hit]


@tool(
    name="knowledge.search", category="knowledge",
    description={"zh": "在知识库中检索相关段落（仅限调用者有权阅读的文档）", "en": "Find relevant passages in the knowledge bases (only documents the caller may read)"},
    idempotency="safe", timeout_s=60,
)
async def search(ctx: ToolContext, args: SearchArgs) -> SearchOut:
    kb_ids = await _bases(ctx, args.kb_ids)
    top_k, min_score = await _defaults(ctx, kb_ids, args.top_k, args.min_score)
    hits = await retrieval.search(ctx.session, ctx.actor, kb_ids, args.query.strip(), top_k=top_k, min_score=min_score)
    return SearchOut(hits=[
        Hit(document_id=h.document_id, document_title=h.document_title, chunk_id=h.chunk_id, heading=h.heading,
            score=h.score, text=h.text, kb_id=h.kb_id)
        for h in hits
    ])


class AskArgs(_Strict):
    question: str = Field(min_length=1, max_length=2000)
    kb_ids: list[uuid.UUID] | None = Field(None, max_length=50, description="Default: every base with readable documents")
    top_k: int | None = Field(None, ge=1, le=20)
    min_score: float | None = Field(None, ge=0, le=1)
    use_llm: bool | None = Field(None, description="Default: use the tenant's LLM when one is configured")


@tool(
    name="knowledge.ask", category="knowledge",
    description={"zh": "根据知识库回答问题并给出引用来源；找不到依据时明确说不知道",
                 "en": "Answer a question from the knowledge base with citations; says it does not know when nothing supports an answer"},
    idempotency="safe", write_session=True, timeout_s=120,
)
async def ask(ctx: ToolContext, args: AskArgs) -> AskOut:
    kb_ids = await _bases(ctx, args.kb_ids)
    top_k, min_score = await _defaults(ctx, kb_ids, args.top_k, args.min_score)
    hits = await retrieval.search(ctx.session, ctx.actor, kb_ids, args.question.strip(), top_k=min(top_k, 5),
                                  min_score=max(min_score, ASK_MIN_SCORE), max_per_document=2)
    out: Any = await answers.answer(ctx.session, ctx.actor, args.question.strip(), hits, use_llm=args.use_llm)
    return out  # type: ignore[no-any-return]
