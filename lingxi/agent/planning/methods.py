"""The method library of a tenant: the built-in methods, overlaid by the tenant's own rows (an edited
built-in keeps its key; a disabled one stays listed with ``enabled: false``)."""

from __future__ import annotations

import copy
import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.agent.planning.library import BUILTIN
from lingxi.agent.planning.models import PlanMethod
from lingxi.errors import Conflict, NotFound, ValidationFailed
from lingxi.tenancy.context import Actor

KEY = re.compile(r"^[a-z][a-z0-9_]{1,63}$")
MAX_NODES = 200


def _builtin(key: str) -> dict[str, Any]:
    m = copy.deepcopy(BUILTIN[key])
    m.update(enabled=True, version=1, builtin=True, customized=False)
    return m


def _from_row(row: PlanMethod) -> dict[str, Any]:
    m = copy.deepcopy(row.definition or {})
    m.update(key=row.key, goal_type=row.goal_type, enabled=row.enabled, version=row.version,
             builtin=row.key in BUILTIN, customized=True, updated_at=row.updated_at.isoformat() if row.updated_at else None)
    return m


async def all_methods(session: AsyncSession, *, include_disabled: bool = False) -> list[dict[str, Any]]:
    out = {key: _builtin(key) for key in BUILTIN}
    for row in (await session.scalars(select(PlanMethod))).all():
        out[row.key] = _from_row(row)
    methods = sorted(out.values(), key=lambda m: (m["goal_type"], m["key"]))
    return methods if include_disabled else [m for m in methods if m.get("enabled", True)]


async def get_method(session: AsyncSession, key: str) -> dict[str, Any]:
    row = await session.scalar(select(PlanMethod).where(PlanMethod.key == key))
    if row is not None:
        return _from_row(row)
    if key in BUILTIN:
        return _builtin(key)
    raise NotFound(f"no method {key!r}", code="method_not_found", details={"key": key})


def check_tree(tree: Any, *, check_tools: bool = True) -> list[dict[str, Any]]:
    """Problems of a step tree: phases, steps and tasks under the goal (3 levels at least), every leaf
    with a valid executor, a known tool for automatic leaves, instructions for person leaves."""
    from lingxi.agent.tools.registry import get_tool

    problems: list[dict[str, Any]] = []
    count = 0
    keys: set[str] = set()

    def walk(items: Any, depth: int, path: str) -> int:
        nonlocal count
        if not isinstance(items, list) or not items:
            problems.append({"field": path, "code": "children_required"})
            return depth
        deepest = depth
        for i, item in enumerate(items):
            here = f"{path}[{i}]"
            count += 1
            if not isinstance(item, dict):
                problems.append({"field": here, "code": "node_invalid"})
                continue
            key = item.get("key")
            if not isinstance(key, str) or not KEY.match(key):
                problems.append({"field": f"{here}.key", "code": "key_invalid", "message": "lower-case letters, digits and _"})
            elif key in keys:
                problems.append({"field": f"{here}.key", "code": "key_duplicate"})
            else:
                keys.add(key)
            if not item.get("title") or not item.get("why"):
                problems.append({"field": here, "code": "title_and_why_required", "message": "every step says what it is and why"})
            if item.get("children"):
                if item.get("mode", "sequence") not in ("sequence", "parallel"):
                    problems.append({"field": f"{here}.mode", "code": "mode_invalid"})
                deepest = max(deepest, walk(item["children"], depth + 1, f"{here}.children"))
                continue
            executor = item.get("executor")
            if executor not in ("system", "person", "external"):
                problems.append({"field": f"{here}.executor", "code": "executor_invalid", "message": "system, person or external"})
            elif executor == "person":
                if not item.get("instructions"):
                    problems.append({"field": f"{here}.instructions", "code": "instructions_required"})
                if item.get("assignee", "record_owner") not in ("owner", "record_owner", "manager"):
                    problems.append({"field": f"{here}.assignee", "code": "assignee_invalid", "message": "owner, record_owner or manager"})
            elif check_tools:
                for j, name in enumerate([item.get("tool")] + [a.get("tool") for a in item.get("alternatives") or [] if isinstance(a, dict)]):
                    if not name or get_tool(str(name)) is None:
                        problems.append({"field": f"{here}.tool" if j == 0 else f"{here}.alternatives[{j - 1}].tool", "code": "tool_unknown",
                                         "message": f"no tool named {name!r}"})
            deepest = max(deepest, depth)
        return deepest

    deepest = walk(tree, 2, "tree")
    if deepest < 4:
        problems.append({"field": "tree", "code": "too_shallow", "message": "phases, steps and tasks under the goal: at least 3 levels"})
    if count > MAX_NODES:
        problems.append({"field": "tree", "code": "too_many_steps", "message": f"at most {MAX_NODES} steps"})
    return problems


def check_slots(slots: Any) -> list[dict[str, Any]]:
    """Each slot: a ``name``; ``entity`` (a record the goal names) or ``kind: text``; ``required``."""
    from lingxi.meta.registry import registry

    problems: list[dict[str, Any]] = []
    for i, slot in enumerate(slots if isinstance(slots, list) else [None]):
        here = f"slots[{i}]"
        if not isinstance(slot, dict) or not isinstance(slot.get("name"), str) or not KEY.match(slot["name"]):
            problems.append({"field": here, "code": "slot_invalid", "message": 'a slot is {"name": "account", "entity": "accounts"}'})
        elif slot.get("entity") is not None and registry.get(str(slot["entity"])) is None:
            problems.append({"field": f"{here}.entity", "code": "entity_unknown"})
    return problems


def _definition(body: dict[str, Any]) -> dict[str, Any]:
    return {k: body[k] for k in ("name", "description", "examples", "keywords", "slots", "success", "tree") if body.get(k) is not None}


async def save_method(session: AsyncSession, actor: Actor, key: str, body: dict[str, Any], *, create: bool) -> dict[str, Any]:
    """Create a method (``create``) or change one: a built-in is copied into the tenant's rows first."""
    if not KEY.match(key):
        raise ValidationFailed("invalid method key", code="method_key_invalid", details=[{"field": "key"}])
    row = await session.scalar(select(PlanMethod).where(PlanMethod.key == key))
    if create and (row is not None or key in BUILTIN):
        raise Conflict("a method with this key exists", code="method_exists", details={"key": key})
    if row is None and not create:
        base = await get_method(session, key)  # 404 for an unknown key
        row = PlanMethod(tenant_id=actor.tenant_id, key=key, goal_type=base["goal_type"], enabled=True, version=1,
                         definition=_definition(base))
        session.add(row)
    merged = {**(row.definition if row is not None else {}), **_definition(body)}
    goal_type = body.get("goal_type") or (row.goal_type if row is not None else None)
    if not goal_type:
        raise ValidationFailed("goal_type is required", code="validation_error", details=[{"field": "goal_type", "code": "required"}])
    if body.get("tree") is not None or body.get("slots") is not None or create:
        problems = check_tree(merged.get("tree")) + check_slots(merged.get("slots") or [])
        if problems:
            raise ValidationFailed("the method's steps are invalid", code="method_invalid", details=problems)
    if row is None:
        row = PlanMethod(tenant_id=actor.tenant_id, key=key, goal_type=goal_type, enabled=True, version=1, definition=merged)
        session.add(row)
    else:
        if row.definition != merged or row.goal_type != goal_type:
            row.version = (row.version or 1) + (0 if row.id is None or row in session.new else 1)
        row.definition = merged
        row.goal_type = goal_type
    if body.get("enabled") is not None:
        row.enabled = bool(body["enabled"])
    row.updated_by_id = actor.user_id
    await session.flush()
    return _from_row(row)


async def delete_method(session: AsyncSession, key: str) -> None:
    """A tenant's own method is deleted; an edited built-in goes back to the original."""
    row = await session.scalar(select(PlanMethod).where(PlanMethod.key == key))
    if row is None:
        if key in BUILTIN:
            raise Conflict("a built-in method cannot be deleted; disable it instead", code="method_builtin")
        raise NotFound(f"no method {key!r}", code="method_not_found")
    await session.delete(row)
    await session.flush()


