"""Fixtures of the planning tests: test tools (one that fails N times, one that blocks), a method
built on them, and a scheduler on the test database."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from lingxi.agent.planning.scheduler import Scheduler
from lingxi.agent.tools.base import ToolContext
from lingxi.agent.tools.registry import get_tool, tool

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "ai"))  # llm_fake_server

CALLS: dict[str, int] = {}
BLOCK = {"first": True}
RELEASE: dict[str, asyncio.Event] = {}


class Args(BaseModel):
    label: str = ""
    fail_times: int = 0


class Out(BaseModel):
    label: str
    calls: int


def _register() -> None:
    if get_tool("plantest.ok") is not None:
        return

    @tool(name="plantest.ok", category="process", description={"zh": "测试：成功", "en": "test: succeeds"})
    async def ok(ctx: ToolContext, args: Args) -> Out:
        CALLS[args.label] = CALLS.get(args.label, 0) + 1
        return Out(label=args.label, calls=CALLS[args.label])

    @tool(name="plantest.flaky", category="process", description={"zh": "测试：先失败", "en": "test: fails first"},
          idempotency="once")
    async def flaky(ctx: ToolContext, args: Args) -> Out:
        CALLS[args.label] = CALLS.get(args.label, 0) + 1
        if CALLS[args.label] <= args.fail_times:
            raise RuntimeError(f"planned failure {CALLS[args.label]}")
        return Out(label=args.label, calls=CALLS[args.label])

    @tool(name="plantest.block", category="process", description={"zh": "测试：第一次卡住", "en": "test: hangs the first time"},
          timeout_s=600)
    async def block(ctx: ToolContext, args: Args) -> Out:
        CALLS[args.label] = CALLS.get(args.label, 0) + 1
        if CALLS[args.label] == 1:
            await asyncio.Event().wait()  # hangs until the scheduler dies
        return Out(label=args.label, calls=CALLS[args.label])


_register()


def leaf(key: str, tool_name: str, **args: Any) -> dict[str, Any]:
    return {"key": key, "title": {"zh": key, "en": key}, "why": {"zh": "测试", "en": "test"}, "executor": "system",
            "tool": tool_name, "args": {"label": key, **args}}


def person_leaf(key: str, **extra: Any) -> dict[str, Any]:
    return {"key": key, "title": {"zh": f"人工 {key}", "en": f"person {key}"}, "why": {"zh": "需要人判断", "en": "needs judgement"},
            "executor": "person", "assignee": "owner", "instructions": {"zh": "打电话并记录结果", "en": "call and record"},
            "due_in_hours": 24, **extra}


def method(key: str, leaves: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {
        "key": key, "goal_type": f"test_{key}", "name": {"zh": key, "en": key}, "examples": [key], "keywords": [key],
        "slots": [], "success": extra.pop("success", {}),
        "tree": [{"key": f"{key}_phase", "title": "phase", "why": "why", "children": [
            {"key": f"{key}_step", "title": "step", "why": "why", "children": leaves}]}],
        **extra,
    }


async def add_method(client: Any, kit: Any, body: dict[str, Any]) -> dict[str, Any]:
    r = await client.post("/api/v1/plan-methods", json=body, headers=kit.headers())
    assert r.status_code == 201, r.text
    return r.json()


async def wait_for(predicate: Any, limit_s: float = 10.0) -> Any:
    deadline = asyncio.get_running_loop().time() + limit_s
    while True:
        value = await predicate()
        if value:
            return value
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.05)


@pytest.fixture
async def scheduler(database) -> AsyncIterator[Scheduler]:
    s = await Scheduler(database, poll_s=0.05, sweep_s=0.2).start()
    yield s
    await s.stop()
