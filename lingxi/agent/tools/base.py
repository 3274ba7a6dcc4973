"""What a tool is, and how the rest of Lingxi calls one.

This module is the contract between the tool library and its callers (the REST API, the MCP server, the
planning engine's system tasks, the assistant). Callers use only ``call_tool`` / ``list_tools`` /
``get_tool`` and the types below; the registry and runner behind them live in this package.

    @tool(
        name="records.search", category="data",
        description={"zh": "按条件搜索记录", "en": "Search records of an entity"},
        permission=Permission(entity_arg="entity", action="read"),
        side_effects=False, idempotency="safe",
    )
    async def search_records(ctx: ToolContext, args: SearchArgs) -> SearchResult: ...

Every call runs as ``ctx.actor`` (never as the system) with that user's permissions, in one unit of work
of its own, is audited, is retried when its idempotency rule allows, and leaves a ``ToolCall`` row with
its outcome and latency.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from lingxi.db import Database
    from lingxi.tenancy.context import Actor

Category = Literal["data", "knowledge", "language", "communication", "calendar", "analytics", "process"]
# safe: no side effects, retry freely. idempotent: same input → same effect, retry on transient errors.
# keyed: a repeated caller's idempotency key returns the first result; retried only when the failed
#   attempt provably did not commit (its effects and its call row commit together).
# once: never retried automatically.
Idempotency = Literal["safe", "idempotent", "keyed", "once"]
Source = Literal["api", "mcp", "plan", "assistant", "test"]


@dataclass(frozen=True)
class Permission:
    """What the caller needs: ``action`` on an entity named literally (``entity``) or by an argument
    (``entity_arg``); ``admin`` for admin-only tools; neither entity for tools any signed-in user may call
    (their results are still filtered by the user's permissions)."""

    action: str = "read"
    entity: str | None = None
    entity_arg: str | None = None
    admin: bool = False


@dataclass
class ToolContext:
    """What a handler gets: an open session as the caller, the caller, and where the call came from."""

    session: AsyncSession
    actor: Actor
    db: Database
    call_id: uuid.UUID
    source: Source = "api"
    locale: str = "zh"
    plan_task_id: uuid.UUID | None = None
    extra: dict[str, Any] = field(default_factory=dict)


Handler = Callable[[ToolContext, Any], Awaitable[Any]]
_schemas: dict[type[BaseModel], dict[str, Any]] = {}


def _schema_of(model: type[BaseModel]) -> dict[str, Any]:
    schema = _schemas.get(model)
    if schema is None:
        schema = _schemas[model] = model.model_json_schema()
    return schema


@dataclass(frozen=True)
class Tool:
    name: str  # dotted, stable: "records.search", "knowledge.ask", "calendar.create_event"
    category: Category
    description: dict[str, str]  # {"zh": ..., "en": ...}
    input_model: type[BaseModel]
    output_model: type[BaseModel] | None
    permission: Permission
    side_effects: bool
    idempotency: Idempotency
    handler: Handler
    timeout_s: float = 30.0  # one attempt's limit, unless the caller gives another
    # Runs in a write transaction although it changes no business data (it may record LLM usage).
    write_session: bool = False
    # The output always validates against output_schema (record reads do not: masked values are text).
    exact_output: bool = True

    @property
    def writes(self) -> bool:
        return self.side_effects or self.write_session

    def input_schema(self) -> dict[str, Any]:
        """The input's JSON schema (computed once per model; treat it as read-only)."""
        return _schema_of(self.input_model)

    def output_schema(self) -> dict[str, Any] | None:
        return _schema_of(self.output_model) if self.output_model else None


@dataclass
class ToolError:
    code: str  # machine-readable: not_found, forbidden, validation_error, timeout, transient, tool_failed...
    message: str
    details: Any = None


@dataclass
class ToolResult:
    call_id: uuid.UUID
    tool: str
    ok: bool
    output: Any = None  # JSON-safe
    error: ToolError | None = None
    attempts: int = 1
    latency_ms: float = 0.0
    # True when the call never ran: unknown tool, invalid input or no permission (REST answers 404/422/403).
    rejected: bool = False
    # True when an earlier call with the same idempotency key answered (its output, not run again).
    replayed: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "call_id": str(self.call_id),
            "tool": self.tool,
            "ok": self.ok,
            "output": self.output,
            "error": None
            if self.error is None
            else {"code": self.error.code, "message": self.error.message, "details": self.error.details},
            "attempts": self.attempts,
            "latency_ms": self.latency_ms,
            "replayed": self.replayed,
        }
