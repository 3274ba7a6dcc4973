"""Shapes of the tool library's REST API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from lingxi.agent.tools.base import Tool


class PermissionOut(BaseModel):
    action: str
    entity: str | None
    entity_arg: str | None
    admin: bool


class ToolOut(BaseModel):
    name: str
    category: str
    description: dict[str, str] = Field(description='{"zh": ..., "en": ...}')
    input_schema: dict[str, Any]
    output_schema: dict[str, Any] | None
    permission: PermissionOut
    side_effects: bool
    idempotency: str = Field(description="safe | idempotent | keyed | once: whether and how a call is retried")
    timeout_s: float


class ToolList(BaseModel):
    items: list[ToolOut]
    total: int
    next_offset: int | None


class CallIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    args: dict[str, Any] = Field(default_factory=dict, description="The tool's input (see its input_schema)")
    idempotency_key: str | None = Field(
        None, min_length=1, max_length=200, description="A repeated key answers with the first successful call's result"
    )
    locale: str = Field("zh", pattern=r"^(zh|en)(-[A-Za-z]{2})?$")
    timeout_s: float | None = Field(None, gt=0, le=300, description="Limit of one attempt (default: the tool's own)")


class CallError(BaseModel):
    code: str
    message: str
    details: Any = None


class CallOut(BaseModel):
    call_id: uuid.UUID
    tool: str
    ok: bool
    output: Any = None
    error: CallError | None = None
    attempts: int
    latency_ms: float
    replayed: bool = False


class CallLogItem(BaseModel):
    id: uuid.UUID
    tool: str
    user_id: uuid.UUID | None
    source: str
    ok: bool
    error_code: str | None
    error_message: str | None
    attempts: int
    latency_ms: float
    plan_task_id: uuid.UUID | None
    args_digest: str
    created_at: datetime


class CallLog(BaseModel):
    items: list[CallLogItem]
    next_cursor: str | None


def tool_out(t: Tool) -> ToolOut:
    p = t.permission
    return ToolOut(
        name=t.name, category=t.category, description=t.description, input_schema=t.input_schema(),
        output_schema=t.output_schema(), side_effects=t.side_effects, idempotency=t.idempotency, timeout_s=t.timeout_s,
        permission=PermissionOut(action=p.action, entity=p.entity, entity_arg=p.entity_arg, admin=p.admin),
    )
