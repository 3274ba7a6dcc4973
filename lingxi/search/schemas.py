"""Search request and response models."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, Field

MAX_QUERY_LENGTH = 200


class SearchHitField(BaseModel):
    field: str = Field(description="Field through which the record matched (standard or custom `cf_*`).")
    snippet: str = Field(description="Its value, or the part of a long value around the match.")


class SearchHit(BaseModel):
    entity: str = Field(description="Entity API name, e.g. `contacts`.")
    id: uuid.UUID
    title: str | None = Field(
        description="The record's title field; masked or null as the caller's field rules require."
    )
    score: float
    matched_terms: int = Field(description="How many distinct query terms the record matched.")
    fields: list[SearchHitField]


class SearchResponse(BaseModel):
    query: str
    terms: list[str] = Field(description="The terms the query was segmented into.")
    hits: list[SearchHit]
