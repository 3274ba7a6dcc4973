"""``/api/v1/tools``: the tool library over REST. Listing shows only the tools the caller may use;
calling runs the tool as the caller (``lingxi.agent.tools.runner.call_tool``)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query

from lingxi.agent.tools import service
from lingxi.agent.tools.registry import CATEGORIES, get_tool
from lingxi.agent.tools.runner import call_tool
from lingxi.agent.tools.schemas import CallIn, CallLog, CallLogItem, CallOut, ToolList, ToolOut, tool_out
from lingxi.db import get_database
from lingxi.deps import CurrentActor, DbSession
from lingxi.errors import Conflict, Forbidden, LingxiError, NotFound, ValidationFailed, error_responses
from lingxi.kit.params import Offset

router = APIRouter(prefix="/tools", tags=["agent-tools"])
NamePath = Annotated[str, Path(description="Tool name, e.g. accounts.search", max_length=100)]
CategoryQ = Annotated[Literal[CATEGORIES] | None, Query(description="Only tools of this category")]  # type: ignore[valid-type]

_REJECTIONS: dict[str, type[LingxiError]] = {
    "not_found": NotFound,
    "forbidden": Forbidden,
    "validation_error": ValidationFailed,
    "idempotency_conflict": Conflict,
}


@router.get("", response_model=ToolList, responses=error_responses(401, 422), summary="Tools the caller may use")
async def list_tools(
    actor: CurrentActor,
    category: CategoryQ = None,
    offset: Offset = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Any:
    tools = service.tools_for(actor, category)
    page = tools[offset : offset + limit]
    return ToolList(
        items=[tool_out(t) for t in page], total=len(tools),
        next_offset=offset + limit if offset + limit < len(tools) else None,
    )


@router.get("/calls", response_model=CallLog, responses=error_responses(400, 401, 422),
            summary="The tool call log (own calls; administrators every call of the tenant)")
async def list_calls(
    session: DbSession,
    actor: CurrentActor,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    tool: Annotated[str | None, Query(max_length=100)] = None,
    ok: bool | None = None,
    source: Annotated[Literal["api", "mcp", "plan", "assistant", "test"] | None, Query()] = None,
    user_id: Annotated[uuid.UUID | None, Query(description="Administrators: one user's calls")] = None,
    plan_task_id: uuid.UUID | None = None,
) -> Any:
    rows, next_cursor = await service.list_calls(
        session, actor, limit=limit, cursor=cursor, tool=tool, ok=ok, source=source, user_id=user_id,
        plan_task_id=plan_task_id,
    )
    return CallLog(
        items=[CallLogItem(id=r.id, tool=r.tool, user_id=r.user_id, source=r.source, ok=r.ok, error_code=r.error_code,
                           error_message=r.error_message, attempts=r.attempts, latency_ms=r.latency_ms,
                           plan_task_id=r.plan_task_id, args_digest=r.args_digest, created_at=r.created_at)
               for r in rows],
        next_cursor=next_cursor,
    )


@router.get("/{name}", response_model=ToolOut, responses=error_responses(401, 403, 404), summary="One tool, with its schemas")
async def get_tool_info(actor: CurrentActor, name: NamePath) -> Any:
    t = get_tool(name)
    if t is None:
        raise NotFound(f"no tool named {name!r}", code="tool_not_found")
    if not service.may_use(actor, t):
        raise Forbidden(f"you may not use {name}", code="permission_denied")
    return tool_out(t)


@router.post(
    "/{name}/call", response_model=CallOut, responses=error_responses(401, 403, 404, 409, 422),
    summary="Call a tool as the caller",
    description="200 with `ok: false` when the tool ran and failed (its error code says why); 403, 404 or 422 when the "
    "call was refused before running (no permission, unknown tool, invalid input). Calls are audited and logged.",
)
async def call(actor: CurrentActor, name: NamePath, body: CallIn) -> Any:
    result = await call_tool(
        get_database(), actor, name, body.args, source="api", idempotency_key=body.idempotency_key,
        locale=body.locale.split("-")[0], timeout_s=body.timeout_s,
    )
    if result.rejected and result.error is not None:
        error = _REJECTIONS.get(result.error.code, Forbidden)
        code = "tool_not_found" if result.error.code == "not_found" else result.error.code
        raise error(result.error.message, code=code, details={"call_id": str(result.call_id), "errors": result.error.details})
    return result.to_dict()
