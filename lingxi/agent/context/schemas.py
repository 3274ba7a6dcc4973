"""Request and response bodies of /api/v1/context."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from lingxi.agent.context.models import EVENT_KINDS

MAX_EVENT_DATA = 4_000
MAX_BATCH = 200
Channel = Field("web", pattern=r"^[a-z][a-z0-9_]{0,19}$", description="web, mobile, wecom, dingtalk, phone, email...")
EventKind = Literal[EVENT_KINDS]  # type: ignore[valid-type]


class EventIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: EventKind = Field(description="page_view, click, search, download, dwell, open_record, select, submit, share")
    subject: Literal["user", "customer"] = Field(
        "user", description="user: the signed-in user did it; customer: the customer in entity/record_id did it"
    )
    page: str | None = Field(None, max_length=500, description="Path or URL of the page")
    module: str | None = Field(None, max_length=64, description="App module; derived from page when absent")
    entity: str | None = Field(None, max_length=64, description="Entity of the record concerned, e.g. contacts")
    record_id: uuid.UUID | None = None
    query: str | None = Field(None, max_length=300, description="Search text (kind search)")
    target: str | None = Field(None, max_length=300, description="What was clicked or downloaded")
    duration_ms: int | None = Field(None, ge=0, le=86_400_000, description="Dwell time")
    channel: str = Channel
    device: str | None = Field(None, max_length=40, description="desktop, mobile, tablet...")
    data: dict[str, Any] = Field(default_factory=dict, description=f"Anything else, at most {MAX_EVENT_DATA} bytes")
    at: datetime | None = Field(None, description="When it happened (default: when received; never in the future)")

    @field_validator("data")
    @classmethod
    def _small(cls, value: dict[str, Any]) -> dict[str, Any]:
        if len(json.dumps(value, ensure_ascii=False, default=str)) > MAX_EVENT_DATA:
            raise ValueError(f"data larger than {MAX_EVENT_DATA} bytes")
        return value


class EventBatch(BaseModel):
    events: list[EventIn] = Field(min_length=1, max_length=MAX_BATCH)


class EventsAccepted(BaseModel):
    accepted: int
    ids: list[uuid.UUID]


class EventOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    user_id: uuid.UUID
    subject: str
    kind: str
    page: str | None
    module: str | None
    entity: str | None
    record_id: uuid.UUID | None
    query: str | None
    target: str | None
    duration_ms: int | None
    channel: str
    device: str | None
    data: dict[str, Any]
    occurred_at: datetime


class EventPage(BaseModel):
    data: list[EventOut]
    next_cursor: str | None


class ContextItemOut(BaseModel):
    kind: str = Field(description="One of the context kinds (user, role, record, complaint, open_task...)")
    value: Any
    at: datetime | None = Field(description="When it happened; null for standing facts (role, locale...)")
    weight: float = Field(description="0-1: kind importance × recency decay × negative-sentiment boost")
    source: str = Field(description="Where it came from: entity/id, events, interactions, memory, calendar...")
    why: str = Field(description="Why it is in the context, in words")


class ContextOut(BaseModel):
    generated_at: datetime
    took_ms: float
    record: dict[str, Any] | None = Field(description="The current record: entity, id, title")
    intent: dict[str, Any] | None = Field(description="Intent and sentiment of q, when given")
    kinds: list[str] = Field(description="The kinds present in items")
    consulted: dict[str, int] = Field(
        description="Every kind looked at for this interaction, with how many items it gave (0: none found); "
        "kinds the user may not read are not looked at"
    )
    items: list[ContextItemOut] = Field(description="Heaviest first")


class InteractionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=4000)
    role: Literal["user", "assistant", "customer", "agent"] = "user"
    channel: str = Channel
    conversation_id: uuid.UUID | None = Field(None, description="Turns of one conversation share it; new if absent")
    page: str | None = Field(None, max_length=500)
    entity: str | None = Field(None, max_length=64)
    record_id: uuid.UUID | None = None
    resolved: bool = Field(False, description="This turn finishes the conversation's open topics")
    at: datetime | None = Field(None, description="When it was said (default now; never in the future)")


class InteractionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    user_id: uuid.UUID
    conversation_id: uuid.UUID
    role: str
    channel: str
    text: str
    intent: str | None
    intent_confidence: float | None
    sentiment: str | None
    sentiment_score: float | None
    page: str | None
    entity: str | None
    record_id: uuid.UUID | None
    topic_id: uuid.UUID | None = Field(description="The memory topic this turn opened or refreshed")
    created_at: datetime


class HistoryPage(BaseModel):
    data: list[InteractionOut]
    next_cursor: str | None


class TopicOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    title: str
    intent: str
    status: str
    entity: str | None
    record_id: uuid.UUID | None
    conversation_id: uuid.UUID | None
    mentions: int
    first_seen_at: datetime
    last_seen_at: datetime
    closed_at: datetime | None
    resolution: str | None


class TopicPage(BaseModel):
    data: list[TopicOut]
    next_cursor: str | None


class TopicClose(BaseModel):
    resolution: str | None = Field(None, max_length=2000)


class TimelineEntryOut(BaseModel):
    id: str = Field(description="source/id, e.g. tickets/<uuid>, events/<uuid>")
    kind: str
    at: datetime
    title: str
    source: str
    tags: list[str]
    data: dict[str, Any]


class CauseLinkOut(BaseModel):
    cause_id: str
    effect_id: str
    rule: str
    why: str
    gap_hours: float


class TimelineOut(BaseModel):
    entity: str
    record_id: str
    since: datetime
    entries: list[TimelineEntryOut] = Field(description="Oldest first")
    links: list[CauseLinkOut]


class PurgeOut(BaseModel):
    job_id: uuid.UUID
