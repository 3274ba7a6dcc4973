from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Kind = Literal["none", "openai", "local_gguf"]


class ProviderIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100)
    kind: Kind = "openai"
    base_url: str | None = Field(None, max_length=500, description="e.g. https://dashscope.aliyuncs.com/compatible-mode/v1")
    model: str | None = Field(None, max_length=200)
    embedding_model: str | None = Field(None, max_length=200)
    model_path: str | None = Field(None, max_length=1000, description="local_gguf: a .gguf file under DATA_DIR/models")
    api_key: str | None = Field(None, max_length=2000, description="Write-only; stored encrypted")
    timeout_s: float = Field(60.0, gt=0, le=600)
    max_retries: int = Field(2, ge=0, le=10)
    mask_personal_data: bool = True
    is_default: bool = False
    enabled: bool = True
    features: list[str] = Field(default_factory=list, description="Features this provider serves instead of the default")
    options: dict[str, Any] = Field(default_factory=dict)


class ProviderPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, min_length=1, max_length=100)
    kind: Kind | None = None
    base_url: str | None = Field(None, max_length=500)
    model: str | None = Field(None, max_length=200)
    embedding_model: str | None = Field(None, max_length=200)
    model_path: str | None = Field(None, max_length=1000)
    api_key: str | None = Field(None, max_length=2000, description="Write-only; an empty string removes the key")
    timeout_s: float | None = Field(None, gt=0, le=600)
    max_retries: int | None = Field(None, ge=0, le=10)
    mask_personal_data: bool | None = None
    is_default: bool | None = None
    enabled: bool | None = None
    features: list[str] | None = None
    options: dict[str, Any] | None = None


class ProviderOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    kind: str
    base_url: str | None
    model: str | None
    embedding_model: str | None
    model_path: str | None
    has_api_key: bool
    api_key_hint: str | None
    timeout_s: float
    max_retries: int
    mask_personal_data: bool
    is_default: bool
    enabled: bool
    features: list[str]
    options: dict[str, Any]
    created_at: datetime
    updated_at: datetime


class ProviderList(BaseModel):
    items: list[ProviderOut]


class ProviderTestResult(BaseModel):
    ok: bool
    model: str | None = None
    reply: str | None = None
    latency_ms: int
    error: str | None = None


class UsageRow(BaseModel):
    feature: str
    provider_kind: str
    model: str | None
    calls: int
    failed_calls: int
    prompt_tokens: int
    completion_tokens: int


class UsageReport(BaseModel):
    since: datetime | None
    rows: list[UsageRow]
