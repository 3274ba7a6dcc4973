"""Process tools: start a plan for a goal, and report the result of a plan's task. The planning engine
(``lingxi.agent.planning.service``) does the work; it is imported when a tool runs."""

from __future__ import annotations

import importlib
import uuid
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from lingxi.agent.tools.base import ToolContext
from lingxi.agent.tools.registry import tool
from lingxi.errors import LingxiError

PLANNING = "lingxi.agent.planning.service"


class Unavailable(LingxiError):
    status_code = 503
    code = "unavailable"


def _planning() -> Any:
    try:
        return importlib.import_module(PLANNING)
    except ModuleNotFoundError as exc:
        if exc.name != PLANNING:
            raise
        raise Unavailable("the planning engine is not installed", code="unavailable") from exc


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RecordRef(_Strict):
    entity: str = Field(max_length=64)
    id: uuid.UUID


class StartPlanArgs(_Strict):
    goal_type: str = Field("", max_length=64, description="The kind of goal; empty: recognised from the goal's text")
    goal: str = Field(min_length=1, max_length=4000, description="The goal in the user's words")
    record: RecordRef | None = Field(None, description="The record the goal is about")


@tool(
    name="process.start_plan", category="process",
    description={"zh": "为一个目标制定并启动计划（分解为可执行的任务）", "en": "Make and start a plan for a goal (broken into executable tasks)"},
    side_effects=True, idempotency="keyed", timeout_s=60,
)
async def start_plan(ctx: ToolContext, args: StartPlanArgs) -> dict[str, Any]:
    record = {"entity": args.record.entity, "id": str(args.record.id)} if args.record else None
    out: dict[str, Any] = await _planning().start_plan(ctx.session, ctx.actor, args.goal_type, args.goal, record)
    return out


class ReportArgs(_Strict):
    task_id: uuid.UUID
    outcome: Literal["success", "partial", "failure"] = "success"
    status: Literal["done", "failed"] | None = Field(None, description="Default: from the outcome")
    notes: str | None = Field(None, max_length=4000, description="What was done, and anything learned")
    data: dict[str, Any] = Field(default_factory=dict, description="Structured results")


@tool(
    name="process.report_result", category="process",
    description={"zh": "回报计划中某个人工任务的执行结果（成功、部分完成或失败）", "en": "Report the result of a person's task of a plan (success, partial or failure)"},
    side_effects=True, idempotency="keyed", timeout_s=60,
)
async def report_result(ctx: ToolContext, args: ReportArgs) -> dict[str, Any]:
    result: dict[str, Any] = {"outcome": args.outcome, "data": args.data}
    if args.status:
        result["status"] = args.status
    if args.notes:
        result["notes"] = args.notes
    out: dict[str, Any] = await _planning().report_task_result(ctx.session, ctx.actor, args.task_id, result)
    return out
