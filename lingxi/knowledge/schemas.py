from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Visibility = Literal["everyone", "restricted", "attachment"]


class BaseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    description: str | None = Field(None, max_length=5000)
    top_k: int = Field(5, ge=1, le=50, description="Default number of passages a search returns")
    min_score: float = Field(0.0, ge=0, le=1, description="Default minimum relevance score (0-1)")
    default_visibility: Literal["everyone", "restricted"] = "everyone"
    members_can_upload: bool = False


class BasePatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=5000)
    top_k: int | None = Field(None, ge=1, le=50)
    min_score: float | None = Field(None, ge=0, le=1)
    default_visibility: Literal["everyone", "restricted"] | None = None
    members_can_upload: bool | None = None


class BaseOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    description: str | None
    owner_id: uuid.UUID | None
    top_k: int
    min_score: float
    default_visibility: str
    members_can_upload: bool
    document_count: int = 0
    created_at: datetime
    updated_at: datetime


class BaseList(BaseModel):
    items: list[BaseOut]


class Permissions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    visibility: Visibility = "everyone"
    role_ids: list[uuid.UUID] = Field(default_factory=list, max_length=200)
    team_ids: list[uuid.UUID] = Field(default_factory=list, max_length=200)
    user_ids: list[uuid.UUID] = Field(default_factory=list, max_length=500)


class DocumentOut(BaseModel):
    id: uuid.UUID
    kb_id: uuid.UUID
    title: str
    filename: str
    file_format: str
    size: int
    status: Literal["queued", "processing", "ready", "failed"]
    error: str | None
    job_id: uuid.UUID | None
    attachment_id: uuid.UUID | None
    owner_id: uuid.UUID | None
    uploader_name: str | None = None
    chunk_count: int
    permissions: Permissions
    created_at: datetime
    updated_at: datetime


class DocumentList(BaseModel):
    items: list[DocumentOut]


class DocumentPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(None, min_length=1, max_length=300)
    permissions: Permissions | None = None


class LinkAttachment(BaseModel):
    model_config = ConfigDict(extra="forbid")

    attachment_id: uuid.UUID
    title: str | None = Field(None, max_length=300)
    permissions: Permissions | None = Field(None, description="Default: follow the attachment's record permissions")


class SearchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kb_ids: list[uuid.UUID] = Field(min_length=1, max_length=50)
    query: str = Field(min_length=1, max_length=2000)
    top_k: int | None = Field(None, ge=1, le=50, description="Default: the first base's top_k")
    min_score: float | None = Field(None, ge=0, le=1, description="Default: the first base's min_score")
    max_per_document: int = Field(1, ge=1, le=20, description="Passages per document at most")
    fusion: Literal["blend", "rrf"] | None = Field(None, description="How the BM25 and vector lists are fused (default blend)")


class SearchHitOut(BaseModel):
    document_id: uuid.UUID
    chunk_id: uuid.UUID
    score: float
    text: str
    document_title: str
    heading: str
    kb_id: uuid.UUID


class SearchOut(BaseModel):
    hits: list[SearchHitOut]
    took_ms: float


class AskIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kb_ids: list[uuid.UUID] = Field(min_length=1, max_length=50)
    question: str = Field(min_length=1, max_length=2000)
    top_k: int | None = Field(None, ge=1, le=20)
    min_score: float | None = Field(None, ge=0, le=1)
    use_llm: bool | None = Field(None, description="Default: use the tenant's LLM when one is configured")


class Citation(BaseModel):
    index: int
    document_id: uuid.UUID
    document_title: str
    chunk_id: uuid.UUID
    passage: str
    score: float


class AskOut(BaseModel):
    answer: str
    grounded: bool = Field(description="False when nothing relevant enough was found")
    mode: Literal["extractive", "llm", "none"]
    citations: list[Citation]
    notice: str | None = None
    extra: dict[str, Any] = Field(default_factory=dict)
