"""Plans proposed by the tenant's LLM, checked before they run.

The model sees the goal, the filled slots, the methods that fit best (as examples of good plans) and
the tool catalogue with each tool's JSON schema. Its answer must name a known goal type and pass the
same rules as a method (3 levels at least, an executor per task, known tools whose arguments fit their
schemas, instructions for people); anything else is rejected and the offline plan is used instead.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.agent.planning.planner import Candidate, Node, build_nodes
from lingxi.tenancy.context import Actor


class ProposedNode(BaseModel):
    key: str = Field(max_length=64)
    title: str = Field(max_length=300)
    why: str = Field(max_length=1000)
    mode: Literal["sequence", "parallel"] = "sequence"
    children: list[ProposedNode] = Field(default_factory=list)
    executor: Literal["system", "person", "external"] | None = None
    tool: str | None = None
    args: dict[str, Any] = Field(default_factory=dict)
    alternatives: list[dict[str, Any]] = Field(default_factory=list)
    assignee: Literal["owner", "record_owner", "manager"] = "record_owner"
    instructions: str | None = None
    due_in_hours: float | None = Field(default=None, ge=0, le=24 * 90)


class Proposal(BaseModel):
    goal_type: str
    method_key: str | None = None
    rationale: str = ""
    tree: list[ProposedNode]


def _outline(nodes: list[dict[str, Any]], lang: str, depth: int = 0) -> list[str]:
    lines = []
    for n in nodes:
        title = n["title"].get(lang, n["title"].get("zh")) if isinstance(n["title"], dict) else n["title"]
        extra = f" [{n.get('executor')}{': ' + n['tool'] if n.get('tool') else ''}]" if n.get("executor") else ""
        lines.append("  " * depth + f"- {n['key']}: {title}{extra}")
        lines += _outline(n.get("children") or [], lang, depth + 1)
    return lines


def prompt(goal: str, lang: str, slots: dict[str, Any], candidates: list[Candidate], goal_types: list[str]) -> list[Any]:
    from lingxi.agent.tools.registry import list_tools
    from lingxi.ai.llm import Message

    # Every tool by name; the full schema for the tools the fitting methods use and the action categories
    # (a catalogue of ~100 schemas would crowd out the goal).
    used: set[str] = set()

    def collect(nodes: list[dict[str, Any]]) -> None:
        for n in nodes:
            if n.get("tool"):
                used.add(n["tool"])
            used.update(a.get("tool", "") for a in n.get("alternatives") or [])
            collect(n.get("children") or [])

    for c in candidates[:3]:
        collect(c.method["tree"])
    tools = []
    detailed = 0
    for t in list_tools():
        entry: dict[str, Any] = {"name": t.name, "description": t.description.get(lang, t.description.get("en"))}
        if detailed < 60 and (t.name in used or t.category in ("process", "communication", "calendar", "knowledge")):
            entry["input_schema"] = t.input_schema()
            detailed += 1
        tools.append(entry)
    examples = [f"Method {c.method['key']} (goal type {c.method['goal_type']}):\n" + "\n".join(_outline(c.method["tree"], lang))
                for c in candidates[:2]]
    system = (
        "You plan CRM work. Break the goal into phases, steps and atomic tasks (at least 3 levels under the goal). "
        "Every task has an executor: system or external (a tool call: name a tool from the catalogue, arguments that fit "
        "its input_schema; refer to slots as {{account.id}} / {{account.name}} and to earlier results as "
        "{{tasks.<key>.output.<field>}}), or person (instructions, assignee owner | record_owner | manager, due_in_hours). "
        "Every node says why it is there. Keys are lower_snake_case and unique. "
        f"goal_type must be one of: {', '.join(goal_types)}. Write titles in {'Chinese' if lang == 'zh' else 'English'}."
    )
    user = (
        f"Goal: {goal}\nSlots: {json.dumps(slots, ensure_ascii=False, default=str)}\n\n"
        + "\n\n".join(examples)
        + "\n\nTools:\n" + json.dumps(tools, ensure_ascii=False)
    )
    return [Message("system", system), Message("user", user)]


async def propose(
    session: AsyncSession, actor: Actor, llm: Any, goal: str, lang: str, slots: dict[str, Any],
    candidates: list[Candidate], methods: list[dict[str, Any]],
) -> tuple[dict[str, Any], list[Node], str]:
    """``(method, nodes, rationale)`` of a checked LLM plan; raises on any invalid answer."""
    goal_types = sorted({m["goal_type"] for m in methods})
    proposal = await llm.structured(prompt(goal, lang, slots, candidates, goal_types), Proposal)
    if proposal.goal_type not in goal_types:
        from lingxi.agent.planning.planner import PlanInvalid

        raise PlanInvalid(f"unknown goal type {proposal.goal_type!r}", details=[{"code": "goal_type_unknown"}])
    same_type = [c.method for c in candidates if c.method["goal_type"] == proposal.goal_type]
    by_key = {m["key"]: m for m in methods}
    method = by_key.get(proposal.method_key or "") or (same_type[0] if same_type else next(m for m in methods if m["goal_type"] == proposal.goal_type))
    tree = [n.model_dump() for n in proposal.tree]
    nodes = await build_nodes(session, actor, method, tree, slots, lang, goal, strict=True)
    return method, nodes, proposal.rationale
