"""Request and response bodies of the planning API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

TaskStatus = Literal["pending", "running", "waiting", "done", "failed", "cancelled", "escalated"]
PlanStatus = Literal["running", "waiting", "done", "failed", "cancelled", "escalated"]


class RecordRef(BaseModel):
    entity: str = Field(max_length=64, description="e.g. accounts, opportunities, tickets")
    id: uuid.UUID


class PlanIn(BaseModel):
    goal: str = Field(min_length=1, max_length=2000, description="The goal in plain words, Chinese or English")
    goal_type: str | None = Field(default=None, max_length=64, description="Skip recognition: win_back, qbr, complaint, ...")
    method_key: str | None = Field(default=None, max_length=64, description="Use this method")
    record: RecordRef | None = Field(default=None, description="The record the goal is about (else found in the goal text)")
    source: Literal["person", "event", "schedule", "api", "assistant"] = "person"
    use_llm: bool = Field(default=True, description="Let the tenant's LLM propose the plan when one is configured")


class TaskOut(BaseModel):
    id: uuid.UUID
    plan_id: uuid.UUID
    parent_id: uuid.UUID | None
    key: str
    depth: int = Field(description="The goal is 1; atomic tasks are 4 or deeper")
    kind: Literal["group", "task"]
    title: str
    why: str = Field(description="Why this step is in the plan")
    executor: Literal["system", "person", "external"] | None
    tool: str | None
    args: dict[str, Any]
    alternatives: list[dict[str, Any]] = Field(description="Backup channels, tried in order when the tool keeps failing")
    assignee_id: uuid.UUID | None
    instructions: str | None
    references: list[dict[str, Any]]
    due_at: datetime | None
    depends_on: list[str] = Field(description="Keys of the tasks that must finish first")
    status: TaskStatus | Literal["pending"]
    priority: str
    attempts: int
    ready_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    result: dict[str, Any] | None
    error: dict[str, Any] | None
    activity_id: uuid.UUID | None = Field(description="The CRM task activity of a person task")
    reminded_at: datetime | None
    escalated_at: datetime | None
    escalated_to_id: uuid.UUID | None
    updated_at: datetime | None = None


class TaskNode(TaskOut):
    children: list[TaskNode] = Field(default_factory=list)


class PlanOut(BaseModel):
    id: uuid.UUID
    goal: str
    goal_type: str
    source: str
    method_key: str | None
    method_version: int | None
    planner: Literal["offline", "llm"]
    language: str
    status: str
    owner_id: uuid.UUID | None
    record_entity: str | None
    record_id: uuid.UUID | None
    slots: dict[str, Any] = Field(description="What the plan is about: records found in the goal, segments, periods")
    explanation: dict[str, Any] = Field(description="Why this method: scores, matched keywords, past success, slots")
    outcome: dict[str, Any] | None = Field(description="Results compared with the goal, once the plan ended")
    goal_met: bool | None
    score: float | None
    created_at: datetime
    updated_at: datetime
    finished_at: datetime | None


class PlanDetail(PlanOut):
    progress: dict[str, int]
    depth: int
    tree: list[TaskNode]


class PlanPage(BaseModel):
    items: list[PlanOut]
    total: int


class TaskPage(BaseModel):
    items: list[TaskOut]
    total: int


class PlanPreview(BaseModel):
    method_key: str
    goal_type: str
    planner: str
    language: str
    slots: dict[str, Any]
    explanation: dict[str, Any]
    depth: int
    tree: list[dict[str, Any]]


class TaskResultIn(BaseModel):
    outcome: Literal["success", "partial", "failure"] = "success"
    notes: str = Field(default="", max_length=5000)
    data: dict[str, Any] = Field(default_factory=dict)
    status: Literal["done", "failed"] = "done"


class TaskResultOut(BaseModel):
    task: TaskOut
    plan_status: str


class EventOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    plan_id: uuid.UUID
    task_id: uuid.UUID | None
    kind: str = Field(description="plan.created, task.ready, task.running, task.done, task.pending (retry), task.escalated, ...")
    status: str | None
    data: dict[str, Any]
    created_at: datetime


class EventPage(BaseModel):
    items: list[EventOut]
    next_after: int | None = Field(description="Pass as ?after= for the next page; null on the last")


class MethodIn(BaseModel):
    key: str = Field(pattern=r"^[a-z][a-z0-9_]{1,63}$")
    goal_type: str = Field(min_length=1, max_length=64)
    name: dict[str, str] = Field(description='{"zh": ..., "en": ...}')
    description: dict[str, str] = Field(default_factory=dict)
    examples: list[str] = Field(default_factory=list, max_length=200, description="Goals this method serves, in any language")
    keywords: list[str] = Field(default_factory=list, max_length=200)
    slots: list[dict[str, Any]] = Field(default_factory=list, description='[{"name": "account", "entity": "accounts", "required": true}]')
    success: dict[str, Any] = Field(default_factory=dict, description='{"task_outcomes": [task keys whose result decides success]}')
    tree: list[dict[str, Any]] = Field(description="Phases under the goal; see the built-in methods for the node format")
    enabled: bool = True


class MethodPatch(BaseModel):
    goal_type: str | None = Field(default=None, min_length=1, max_length=64)
    name: dict[str, str] | None = None
    description: dict[str, str] | None = None
    examples: list[str] | None = Field(default=None, max_length=200)
    keywords: list[str] | None = Field(default=None, max_length=200)
    slots: list[dict[str, Any]] | None = None
    success: dict[str, Any] | None = None
    tree: list[dict[str, Any]] | None = None
    enabled: bool | None = None


class MethodOut(BaseModel):
    model_config = ConfigDict(extra="allow")

    key: str
    goal_type: str
    name: dict[str, str]
    description: dict[str, str] = Field(default_factory=dict)
    examples: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)
    slots: list[dict[str, Any]] = Field(default_factory=list)
    success: dict[str, Any] = Field(default_factory=dict)
    tree: list[dict[str, Any]] = Field(default_factory=list)
    enabled: bool
    version: int
    builtin: bool
    customized: bool
    stats: dict[str, Any] = Field(default_factory=dict, description="Finished plans, goals met and the smoothed success rate")


class MethodPage(BaseModel):
    items: list[MethodOut]
    total: int


class ClassifyIn(BaseModel):
    goal: str = Field(min_length=1, max_length=2000)


class ClassifyOut(BaseModel):
    candidates: list[dict[str, Any]]


class RuleIn(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    enabled: bool = True
    match_tool: str = Field(default="*", max_length=100, description="A tool name, a prefix with *, or *")
    match_executor: Literal["*", "system", "external", "person"] = "*"
    max_attempts: int = Field(default=3, ge=1, le=10)
    backoff_s: float = Field(default=2.0, ge=0, le=3600)
    backoff_factor: float = Field(default=2.0, ge=1, le=10)
    backoff_max_s: float = Field(default=60.0, ge=0, le=86400)
    actions: list[Literal["backup_channel", "replan", "escalate"]] = Field(default_factory=lambda: ["backup_channel", "escalate"])
    escalate_priority: Literal["high", "urgent"] = "urgent"


class RulesIn(BaseModel):
    rules: list[RuleIn] = Field(max_length=50, description="In order; the first that fits a failed task applies")


class RulesOut(BaseModel):
    rules: list[RuleIn]
    default: RuleIn = Field(description="Applies when no rule fits")
