"""Request and response bodies of the language endpoints."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field, field_validator

Intent = Literal[
    "query_data", "analyze_data", "seek_advice", "resolve_problem", "create_record",
    "update_record", "search_knowledge", "generate_content", "schedule_task", "other",
]
MAX_TEXT = 2000


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("text must not be empty")
    return value


class TextIn(BaseModel):
    text: str = Field(min_length=1, max_length=MAX_TEXT)
    _check = field_validator("text")(_not_blank)


class ExtractIn(TextIn):
    reference_date: date | None = Field(default=None, description="Resolves relative dates; today when omitted.")


class IntentScore(BaseModel):
    intent: Intent
    confidence: float


class IntentOut(BaseModel):
    intent: Intent
    confidence: float
    alternatives: list[IntentScore]


class SentimentOut(BaseModel):
    label: Literal["positive", "neutral", "negative"]
    score: float = Field(description="P(positive) - P(negative), in [-1, 1].")
    confidence: float


class ExtractedFields(BaseModel):
    company_name: str | None = None
    contact_name: str | None = None
    contact_title: str | None = None
    phone: str | None = None
    email: str | None = None
    amount: float | None = None
    currency: Literal["CNY", "USD"] | None = None
    product: str | None = None
    quantity: int | None = None
    next_step: str | None = None
    next_step_date: date | None = None


class ExtractOut(BaseModel):
    fields: ExtractedFields


class ExampleIn(BaseModel):
    text: str = Field(min_length=1, max_length=500)
    intent: Intent
    _check = field_validator("text")(_not_blank)


class FeedbackIn(ExampleIn):
    predicted: Intent | None = Field(default=None, description="What the model said, for the record.")


class ExampleOut(BaseModel):
    id: uuid.UUID
    text: str
    intent: Intent
    source: Literal["example", "feedback"]
    created_at: datetime


class ExampleList(BaseModel):
    items: list[ExampleOut]
    total: int


class RetrainOut(BaseModel):
    job_id: uuid.UUID
    status: str
