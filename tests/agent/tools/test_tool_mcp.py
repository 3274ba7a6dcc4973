"""The MCP server at /mcp, driven by the official SDK's own client against a real HTTP server."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator
from typing import Any

import httpx
import httpx2
import pytest
import uvicorn
from mcp.client import Client
from mcp.client.streamable_http import streamable_http_client

from lingxi.agent.tools import mcp_server
from lingxi.agent.tools.registry import list_tools


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
async def mcp_url(app: Any) -> AsyncIterator[str]:
    """Uvicorn serving the test app on a free port, in the tests' own event loop (so it shares their database)."""
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off", log_level="warning"))
    server.install_signal_handlers = lambda: None  # type: ignore[method-assign]
    await mcp_server.start()
    task = asyncio.get_running_loop().create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.02)
    yield f"http://127.0.0.1:{port}/mcp"
    server.should_exit = True
    await task
    await mcp_server.stop()


def client_for(url: str, token: str, mode: str = "auto") -> Client:
    http = httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"}, timeout=60)
    return Client(streamable_http_client(url, http_client=http), mode=mode)


@pytest.mark.parametrize("mode", ["auto", "legacy"])
async def test_every_tool_is_listed_and_callable_over_mcp(mcp_url, tenant, mode):
    async with client_for(mcp_url, tenant.admin_token, mode) as client:
        listed = await client.list_tools()
        names = {t.name for t in listed.tools}
        assert names == {t.name for t in list_tools()} and len(names) >= 60
        search = next(t for t in listed.tools if t.name == "accounts.search")
        assert search.input_schema["type"] == "object" and "keyword" in search.input_schema["properties"]
        assert search.annotations.read_only_hint is True
        made = await client.call_tool("accounts.create", {"name": "MCP 客户", "industry": "金融"})
        assert not made.is_error, made
        account = made.structured_content
        assert account["name"] == "MCP 客户"
        found = await client.call_tool("accounts.search", {"keyword": "MCP 客户"})
        assert [r["id"] for r in found.structured_content["data"]] == [account["id"]]
        bad = await client.call_tool("accounts.get", {"id": "nope"})
        assert bad.is_error and json.loads(bad.content[0].text)["code"] == "validation_error"


async def test_mcp_calls_run_with_the_token_owners_permissions(mcp_url, client, tenant, tools):
    theirs = (await tools.call(tenant, "accounts.create", {"name": "管理员的客户"}))["output"]
    _, rep = await tenant.add_user("rep", roles=("销售代表",))
    _, agent = await tenant.add_user("agent", roles=("客服专员",))
    async with client_for(mcp_url, rep) as c:
        names = {t.name for t in (await c.list_tools()).tools}
        assert "accounts.create" in names and "data.export" not in names
        got = await c.call_tool("accounts.get", {"id": theirs["id"]})
        assert got.is_error and json.loads(got.content[0].text)["code"] == "record_not_found"
        seen = await c.call_tool("accounts.search", {})
        assert seen.structured_content["data"] == []
        export = await c.call_tool("data.export", {"entity": "accounts"})
        assert export.is_error and json.loads(export.content[0].text)["code"] == "forbidden"
    async with client_for(mcp_url, agent) as c:
        names = {t.name for t in (await c.list_tools()).tools}
        assert "accounts.create" not in names and "accounts.search" in names
        refused = await c.call_tool("accounts.create", {"name": "越权"})
        assert refused.is_error and json.loads(refused.content[0].text)["code"] == "forbidden"
    log = (await client.get("/api/v1/tools/calls", params={"source": "mcp"}, headers=tenant.headers())).json()["items"]
    assert {(c["tool"], c["ok"]) for c in log} == {("accounts.get", False), ("accounts.search", True),
                                                  ("data.export", False), ("accounts.create", False)}
    search = (await tools.call(tenant, "accounts.search", {"keyword": "越权"}))["output"]["data"]
    assert search == []


async def test_mcp_refuses_requests_without_a_valid_token(mcp_url):
    async with httpx.AsyncClient() as http:
        body = {"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}}
        r = await http.post(mcp_url, json=body, headers={"Accept": "application/json, text/event-stream"})
        assert r.status_code == 401 and r.headers["www-authenticate"].startswith("Bearer")
        r = await http.post(mcp_url, json=body, headers={"Authorization": "Bearer wrong", "Accept": "application/json"})
        assert r.status_code == 401 and r.json()["error"]["code"] == "session_invalid"
