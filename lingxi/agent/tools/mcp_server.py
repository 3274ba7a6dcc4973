"""The MCP server at /mcp: every tool of the registry, as the user of the bearer token.

Streamable HTTP (official ``mcp`` SDK, low-level ``Server``), stateless and with JSON responses, so any
API process behind a load balancer can answer any request. Each HTTP request is authenticated on its
own by Lingxi's bearer token (a login session or a personal API token); the tools a user lists and
calls are exactly those the REST API would allow them, and each call runs through ``call_tool`` with
``source="mcp"`` (audited and logged like any other).
"""

from __future__ import annotations

import asyncio
from typing import Any

import mcp_types as types
import orjson
from fastapi import FastAPI
from mcp.server.lowlevel import Server
from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from lingxi.agent.tools.base import Tool
from lingxi.agent.tools.service import tools_for
from lingxi.errors import LingxiError
from lingxi.tenancy.context import Actor

PATH = "/mcp"
INSTRUCTIONS = (
    "Lingxi CRM tools. Every call runs with the permissions of the user whose token you sent. "
    "灵犀 CRM 工具：每次调用都以令牌所属用户的权限执行。"
)
_manager: StreamableHTTPSessionManager | None = None
_task: asyncio.Task[None] | None = None
_stopping: asyncio.Event | None = None


def _actor_of(ctx: Any) -> Actor:
    request = getattr(ctx, "request", None)
    actor = getattr(getattr(request, "state", None), "actor", None)
    if not isinstance(actor, Actor):  # the ASGI wrapper below authenticates every request first
        raise PermissionError("not authenticated")
    return actor


def mcp_tool(t: Tool) -> types.Tool:
    return types.Tool(
        name=t.name,
        title=t.description.get("en"),
        description=f"{t.description['en']} / {t.description['zh']}",
        input_schema=t.input_schema(),
        output_schema=t.output_schema() if t.exact_output else None,
        annotations=types.ToolAnnotations(
            read_only_hint=not t.side_effects,
            destructive_hint=False,
            idempotent_hint=t.idempotency in ("safe", "idempotent"),
            open_world_hint=False,
        ),
    )


async def _list_tools(ctx: Any, params: types.PaginatedRequestParams | None) -> types.ListToolsResult:
    return types.ListToolsResult(tools=[mcp_tool(t) for t in tools_for(_actor_of(ctx))])


async def _call_tool(ctx: Any, params: types.CallToolRequestParams) -> types.CallToolResult:
    from lingxi.agent.tools.runner import call_tool
    from lingxi.db import get_database

    actor = _actor_of(ctx)
    raw_meta: Any = params.meta
    meta = raw_meta.model_dump() if hasattr(raw_meta, "model_dump") else dict(raw_meta or {})
    key = meta.get("idempotency_key") or meta.get("idempotencyKey")
    result = await call_tool(get_database(), actor, params.name, params.arguments or {}, source="mcp",
                             idempotency_key=str(key)[:200] if key else None)
    body = result.to_dict()
    text = orjson.dumps(body["output"] if result.ok else body["error"]).decode()
    structured = body["output"] if result.ok and isinstance(body["output"], dict) else None
    return types.CallToolResult(
        content=[types.TextContent(text=text)],
        structured_content=structured,
        is_error=not result.ok,
        meta={"lingxi": {"call_id": body["call_id"], "attempts": result.attempts, "latency_ms": round(result.latency_ms, 2),
                         "error_code": result.error.code if result.error else None}},
    )


def build_server() -> Server[Any]:
    return Server("lingxi", version="0.1.0", title="Lingxi CRM", instructions=INSTRUCTIONS,
                  on_list_tools=_list_tools, on_call_tool=_call_tool)


async def start() -> None:
    """Starts the session manager (called from the app's lifespan through ``runtime``). It runs in a task
    of its own, so that whichever task stops it, its task group is entered and left by the same task."""
    global _manager, _task, _stopping
    if _manager is not None:
        return
    manager = StreamableHTTPSessionManager(build_server(), stateless=True, json_response=True)
    started, stopping = asyncio.Event(), asyncio.Event()

    async def serve() -> None:
        async with manager.run():
            started.set()
            await stopping.wait()

    task = asyncio.get_running_loop().create_task(serve(), name="mcp-session-manager")
    waiter = asyncio.ensure_future(started.wait())
    await asyncio.wait({task, waiter}, return_when=asyncio.FIRST_COMPLETED)
    if task.done():
        waiter.cancel()
        task.result()  # raises why it could not start
    _manager, _task, _stopping = manager, task, stopping


async def stop() -> None:
    global _manager, _task, _stopping
    task, stopping = _task, _stopping
    _manager, _task, _stopping = None, None, None
    if task is not None and stopping is not None:
        stopping.set()
        await task


def _error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message, "details": None}}, status_code=status, headers=headers)


class McpEndpoint:
    """Authenticates the request by its bearer token, then hands it to the SDK's transport."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        from lingxi.auth.service import authenticate_request

        request = Request(scope, receive)
        if not request.headers.get("authorization", "").lower().startswith("bearer "):
            await _error(401, "not_authenticated", "send Authorization: Bearer <token>",
                         {"WWW-Authenticate": 'Bearer realm="lingxi"'})(scope, receive, send)
            return
        try:
            actor = await authenticate_request(request)
        except LingxiError as exc:
            await _error(exc.status_code, exc.code, exc.message, {"WWW-Authenticate": 'Bearer error="invalid_token"'})(
                scope, receive, send)
            return
        if _manager is None:
            await _error(503, "mcp_not_started", "the MCP server is not running in this process")(scope, receive, send)
            return
        scope.setdefault("state", {})["actor"] = actor
        await _manager.handle_request(scope, receive, send)


def mount(app: FastAPI) -> None:
    """Mounts the MCP endpoint on the app (called by ``lingxi.app.create_app``)."""
    app.router.routes.append(Route(PATH, endpoint=McpEndpoint(), methods=["GET", "POST", "DELETE"], include_in_schema=False))
