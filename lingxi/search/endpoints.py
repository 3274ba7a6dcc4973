"""GET /api/v1/search: full-text search across every entity the caller may read."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from lingxi.deps import CurrentActor, DbSession
from lingxi.errors import ValidationFailed, error_responses
from lingxi.search import service
from lingxi.search.schemas import MAX_QUERY_LENGTH, SearchHit, SearchHitField, SearchResponse
from lingxi.search.tokenize import query_terms

router = APIRouter()


@router.get(
    "/search",
    response_model=SearchResponse,
    summary="Search records",
    description=(
        "Full-text search over the searchable fields (standard and custom) of every entity the caller may "
        "read. Chinese is segmented (华鼎 finds 华鼎科技有限公司), English is case-insensitive, phones match "
        "by their digits and emails by address, local part or domain; each term matches as a prefix. "
        "Records matching more terms rank first. Hidden and masked fields neither match nor show. "
        "Errors: `query_empty`, `query_too_long`, `unknown_entity` (422)."
    ),
    responses=error_responses(401, 403, 422),
)
async def search_records(
    actor: CurrentActor,
    session: DbSession,
    q: Annotated[str, Query(description=f"Search text, 1-{MAX_QUERY_LENGTH} characters.")] = "",
    entities: Annotated[
        str | None, Query(description="Comma-separated entity names to search, e.g. `accounts,contacts`.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=service.MAX_LIMIT)] = 20,
) -> SearchResponse:
    text = q.strip()
    if not text:
        raise ValidationFailed("the query is empty", code="query_empty", details={"field": "q"})
    if len(text) > MAX_QUERY_LENGTH:
        raise ValidationFailed(
            f"the query is longer than {MAX_QUERY_LENGTH} characters",
            code="query_too_long",
            details={"field": "q", "max_length": MAX_QUERY_LENGTH},
        )
    names = [n.strip() for n in entities.split(",") if n.strip()] if entities else None
    hits = await service.search(session, actor, text, entities=names, limit=limit)
    return SearchResponse(
        query=text,
        terms=query_terms(text),
        hits=[
            SearchHit(
                entity=h.entity,
                id=h.id,
                title=h.title,
                score=h.score,
                matched_terms=h.matched_terms,
                fields=[SearchHitField(field=f.field, snippet=f.snippet) for f in h.fields],
            )
            for h in hits
        ],
    )
