"""The offline planner: recognise the goal, pick a method, fill its slots, build the step tree.

Recognition scores each enabled method against the goal text: the multilingual sentence encoder's best
cosine similarity to the method's example goals, plus its trigger keywords. Slots that name records
(the customer, the deal) are found in the goal text among the records the user may read. Each node
keeps its ``why``; the plan's ``explanation`` keeps the scores, the keywords that matched, the method's
past success rate and how every slot was filled.
"""

from __future__ import annotations

import re
import threading
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import numpy as np
from pydantic import ValidationError
from sqlalchemy import func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.authz import service as authz
from lingxi.errors import NotFound, ValidationFailed
from lingxi.kit.models import utcnow
from lingxi.meta.registry import registry
from lingxi.org.models import User
from lingxi.tenancy.context import Actor

MIN_SCORE = 0.30  # below this no method fits the goal
_REF = re.compile(r"\{\{\s*([a-zA-Z0-9_.]+)\s*\}\}")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def language_of(text: str) -> str:
    cjk = len(_CJK.findall(text))
    return "zh" if cjk and cjk * 3 >= len(re.sub(r"\s", "", text)) * 0.5 else "en"


def _text(value: Any, lang: str) -> str:
    if isinstance(value, dict):
        return str(value.get(lang) or value.get("zh") or value.get("en") or "")
    return str(value or "")


# -- recognising the goal -------------------------------------------------------------------------

_embed_lock = threading.Lock()
_example_vectors: dict[tuple[str, str], np.ndarray] = {}


def _embed(texts: list[str]) -> np.ndarray:
    from lingxi.ai.embeddings import default_embedder

    return default_embedder().embed(texts)


def _examples_of(method: dict[str, Any]) -> np.ndarray:
    examples = [*method.get("examples", []), _text(method.get("name"), "zh"), _text(method.get("name"), "en")]
    key = (method["key"], "\n".join(examples))
    with _embed_lock:
        vec = _example_vectors.get(key)
    if vec is None:
        vec = _embed(examples)
        with _embed_lock:
            _example_vectors[key] = vec
    return vec


def _keyword_hits(goal: str, keywords: list[str]) -> list[str]:
    low = goal.lower()
    hits = []
    for kw in keywords:
        k = kw.lower()
        if _CJK.search(k):
            if k in low:
                hits.append(kw)
        elif re.search(r"(?<![a-z])" + re.escape(k) + r"(?![a-z])", low):
            hits.append(kw)
    return hits


@dataclass
class Candidate:
    method: dict[str, Any]
    score: float
    similarity: float
    keywords: list[str]
    success_rate: float | None = None
    plans: int = 0

    def explain(self, lang: str) -> dict[str, Any]:
        return {
            "method": self.method["key"], "goal_type": self.method["goal_type"], "name": _text(self.method.get("name"), lang),
            "score": round(self.score, 3), "similarity": round(self.similarity, 3), "keywords": self.keywords,
            "success_rate": None if self.success_rate is None else round(self.success_rate, 3), "past_plans": self.plans,
        }


def rank_methods(goal: str, methods: list[dict[str, Any]], stats: dict[str, tuple[int, int]] | None = None) -> list[Candidate]:
    """Methods by fit to ``goal``, best first. ``stats``: ``{method_key: (plans, goals_met)}`` of this
    tenant; among methods of the same goal type, past success moves one ahead."""
    if not methods:
        return []
    query = _embed([goal])[0]
    out: list[Candidate] = []
    for m in methods:
        sim = float(np.max(_examples_of(m) @ query))
        hits = _keyword_hits(goal, m.get("keywords", []))
        kw = 1 - 0.5 ** len(hits)
        score = 0.6 * sim + 0.4 * kw
        plans, met = (stats or {}).get(m["key"], (0, 0))
        rate = (met + 1) / (plans + 2) if plans else None
        out.append(Candidate(m, score, sim, hits, rate, plans))
    # Several methods of one goal type: the goal type's best fit decides, past success orders them.
    best_of_type: dict[str, float] = {}
    for c in out:
        best_of_type[c.method["goal_type"]] = max(best_of_type.get(c.method["goal_type"], 0.0), c.score)
    out.sort(key=lambda c: (-best_of_type[c.method["goal_type"]], -(c.success_rate if c.success_rate is not None else 0.5), -c.score))
    return out


# -- filling slots --------------------------------------------------------------------------------

_QUOTED = re.compile(r"[「“\"《『']([^」”\"》』']{2,40})[」”\"》』']")
_CN_COMPANY = re.compile(r"([\u4e00-\u9fffA-Za-z0-9]{2,16}?(?:有限公司|股份公司|集团|科技|公司|银行|医院|大学|实业|电子|物流|医疗|制造|能源|传媒|软件|网络|地产|汽车|食品|化工|药业|机械|电气))")
_EN_NAME = re.compile(r"\b([A-Z][\w&'.-]*(?:\s+(?:[A-Z][\w&'.-]*|of|and|&))*)")
_EN_STOP = {"Win", "Prepare", "Handle", "Onboard", "Launch", "Renew", "Close", "Follow", "Help", "Please", "The", "A", "An", "Our",
            "We", "I", "Get", "Run", "Send", "Find", "Make", "Move", "Push", "Collect", "Chase", "Remind", "Secure", "Drive",
            "Upsell", "Expand", "Grow", "Qualify", "Kick", "Start", "Set", "Build", "Save", "Plan", "Promote", "Re-engage",
            "Prevent", "Resolve", "Nurture", "QBR", "Q1", "Q2", "Q3", "Q4", "VIP", "SMB", "CEO", "ERP", "SMS", "Email", "CRM"}


def name_candidates(goal: str) -> list[str]:
    """Spans of the goal that may name a customer: quoted text, Chinese company names, capitalised words."""
    found: list[str] = []
    found += _QUOTED.findall(goal)
    found += _CN_COMPANY.findall(goal)
    for m in _EN_NAME.findall(goal):
        words = [w for w in m.split() if w not in _EN_STOP]
        if words:
            found.append(" ".join(words))
    out: list[str] = []
    for c in found:
        c = re.sub(r"['’]s$", "", c.strip(" ,.，。!?的"))  # "Acme's" names Acme
        if len(c) >= 2 and c not in out:
            out.append(c)
    return out


_PREFIXES = re.compile(r"^(?:给|为|帮|替|对|向|跟|和|与|把|让|请|推进|挽回|处理|准备|催收|跟进|挖掘|推动|召回|留住|新签客户)+")


async def find_record(session: AsyncSession, actor: Actor, entity_name: str, goal: str) -> dict[str, Any] | None:
    """The readable record of ``entity_name`` whose title the goal names: a title contained in the goal
    (longest first), else a title containing one of the goal's name candidates."""
    entity = registry.get(entity_name)
    if entity is None or authz.scope_of(actor, entity, "read") == "none":
        return None
    model = entity.model
    title = getattr(model, entity.spec.title_field)
    visible = authz.scope_filter(actor, entity, "read")
    # Titles the goal contains; PostgreSQL spells SQLite's instr() strpos().
    bind = session.bind
    position = func.strpos if bind is not None and bind.dialect.name == "postgresql" else func.instr
    contained = (
        select(model.id, title)
        .where(visible, func.length(title) >= 2, position(func.lower(literal(goal)), func.lower(title)) > 0)
        .order_by(func.length(title).desc())
        .limit(1)
    )
    row = (await session.execute(contained)).first()
    if row is not None:
        return {"id": str(row[0]), "name": row[1], "entity": entity_name, "matched": row[1], "how": "title in goal"}
    for cand in name_candidates(goal):
        core = _PREFIXES.sub("", cand)
        if len(core) < 2:
            continue
        like = f"%{core.lower().replace('%', '').replace('_', '')}%"
        row = (
            await session.execute(
                select(model.id, title).where(visible, func.lower(title).like(like)).order_by(func.length(title)).limit(1)
            )
        ).first()
        if row is not None:
            return {"id": str(row[0]), "name": row[1], "entity": entity_name, "matched": core, "how": "name in goal"}
    return None


async def load_record(session: AsyncSession, actor: Actor, entity_name: str, record_id: uuid.UUID) -> dict[str, Any]:
    entity = registry.get(entity_name)
    if entity is None:
        raise NotFound(f"unknown entity {entity_name!r}", code="unknown_entity")
    authz.require(actor, entity, "read")
    model = entity.model
    row = await session.scalar(select(model).where(model.id == record_id, authz.scope_filter(actor, entity, "read")))
    if row is None:
        raise NotFound(f"{entity_name} {record_id} not found", code="record_not_found")
    out = {"id": str(row.id), "name": getattr(row, entity.spec.title_field, None), "entity": entity_name, "how": "given"}
    if getattr(row, "owner_id", None):
        out["owner_id"] = str(row.owner_id)
    if getattr(row, "account_id", None):
        out["account_id"] = str(row.account_id)
    return out


_SEGMENT_ZH = re.compile(r"(?:给|对|向|面向|针对)(.{2,30}?)(?:发起|做|开展|推|发送|群发|发|搞|策划|进行)")
_SEGMENT_EN = re.compile(r"\b(?:to|for|targeting|at)\s+(?:the\s+|our\s+|all\s+)?(.{3,60}?)(?:\s+segment|\s+customers|\s+accounts|\s+clients|\s+users|[.,;]|$)", re.I)


def text_slot(name: str, goal: str) -> str | None:
    if name == "segment":
        m = _SEGMENT_ZH.search(goal) or _SEGMENT_EN.search(goal)
        return (m.group(1).strip() if m else goal.strip())[:100]
    if name == "period":
        m = re.search(r"(Q[1-4]|第?[一二三四1-4]季度|本季度|上季度|this quarter|last quarter|next quarter)", goal, re.I)
        return m.group(1) if m else None
    return None


async def fill_slots(
    session: AsyncSession, actor: Actor, method: dict[str, Any], goal: str, record: dict[str, Any] | None
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """``(slots, problems)``: each slot's value, and the required slots left empty."""
    given: dict[str, Any] | None = None
    if record and record.get("entity") and record.get("id"):
        given = await load_record(session, actor, str(record["entity"]), uuid.UUID(str(record["id"])))
    slots: dict[str, Any] = {}
    problems: list[dict[str, Any]] = []
    for slot in method.get("slots", []):
        name, entity = slot["name"], slot.get("entity")
        value: Any = None
        if entity:
            if given and given["entity"] == entity:
                value = given
            elif given and entity == "accounts" and given.get("account_id"):
                value = await load_record(session, actor, "accounts", uuid.UUID(given["account_id"]))
                value["how"] = f"account of the given {given['entity']}"
            else:
                value = await find_record(session, actor, entity, goal)
        else:
            value = text_slot(name, goal)
        if value is None and slot.get("required"):
            problems.append({"slot": name, "entity": entity, "code": "slot_unfilled"})
        slots[name] = value
    if given and given["entity"] not in {s.get("entity") for s in method.get("slots", [])}:
        slots["record"] = given
    return slots, problems


# -- building the tree ----------------------------------------------------------------------------


def lookup(path: str, ctx: dict[str, Any]) -> Any:
    cur: Any = ctx
    for part in path.split("."):
        if isinstance(cur, dict) and part in cur:
            cur = cur[part]
        elif isinstance(cur, list) and part.isdigit() and int(part) < len(cur):
            cur = cur[int(part)]
        else:
            return None
    return cur


def fill(value: Any, ctx: dict[str, Any], *, keep: tuple[str, ...] = ()) -> Any:
    """Replace ``{{path}}`` references from ``ctx``. A string that is one reference takes the value
    itself; references starting with a prefix in ``keep`` are left for later."""
    if isinstance(value, dict):
        return {k: fill(v, ctx, keep=keep) for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, ctx, keep=keep) for v in value]
    if not isinstance(value, str) or "{{" not in value:
        return value
    whole = _REF.fullmatch(value.strip())
    if whole and not whole.group(1).startswith(keep or ("\0",)):
        return lookup(whole.group(1), ctx)

    def sub(m: re.Match[str]) -> str:
        if keep and m.group(1).startswith(keep):
            return m.group(0)
        found = lookup(m.group(1), ctx)
        return "" if found is None else str(found)

    return _REF.sub(sub, value)


def has_refs(value: Any) -> bool:
    if isinstance(value, dict):
        return any(has_refs(v) for v in value.values())
    if isinstance(value, list):
        return any(has_refs(v) for v in value)
    return isinstance(value, str) and "{{" in value


@dataclass
class Node:
    key: str
    kind: str
    depth: int
    title: str
    why: str
    parent: str | None = None
    executor: str | None = None
    tool: str | None = None
    args: dict[str, Any] = field(default_factory=dict)
    alternatives: list[dict[str, Any]] = field(default_factory=list)
    assignee_id: uuid.UUID | None = None
    instructions: str | None = None
    references: list[dict[str, Any]] = field(default_factory=list)
    due_in_hours: float | None = None
    depends_on: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class PlanInvalid(ValidationFailed):
    code = "plan_invalid"


async def manager_of(session: AsyncSession, user_id: uuid.UUID | None) -> uuid.UUID | None:
    """The user's manager: ``user.manager_id``, else the manager of their department or of the nearest
    department above it that has one (not themselves), else the tenant's first active administrator."""
    from lingxi.org.models import Department

    if user_id is None:
        return None
    user = await session.get(User, user_id)
    if user is None:
        return None
    if user.manager_id and user.manager_id != user.id:
        return user.manager_id
    dept_id = user.department_id
    seen: set[uuid.UUID] = set()
    while dept_id is not None and dept_id not in seen:
        seen.add(dept_id)
        dept = await session.get(Department, dept_id)
        if dept is None:
            break
        if dept.manager_id and dept.manager_id != user.id:
            return dept.manager_id
        dept_id = dept.parent_id
    admin = await session.scalar(
        select(User.id).where(User.is_admin.is_(True), User.is_active.is_(True), User.id != user.id).order_by(User.created_at).limit(1)
    )
    return admin


async def build_nodes(
    session: AsyncSession,
    actor: Actor,
    method: dict[str, Any],
    tree: list[dict[str, Any]],
    slots: dict[str, Any],
    lang: str,
    goal: str,
    *,
    strict: bool = False,
) -> list[Node]:
    """The plan's nodes in pre-order, the goal first. A system task whose tool is unknown or whose
    arguments do not fit the tool's schema becomes a person task (``strict``: raises ``PlanInvalid``)."""
    from lingxi.agent.tools.registry import get_tool

    today = utcnow().replace(hour=2, minute=0, second=0, microsecond=0)  # 10:00 in China
    ctx = {**slots, "goal": goal, "dates": {f"in_{n}_days": (today + timedelta(days=n)).isoformat() for n in range(1, 31)}}
    owner = actor.user_id
    record_owner = None
    for slot in slots.values():
        if isinstance(slot, dict) and slot.get("owner_id"):
            record_owner = uuid.UUID(slot["owner_id"])
            break
    if record_owner is None:
        for slot in slots.values():
            if isinstance(slot, dict) and slot.get("id") and slot.get("entity"):
                entity = registry.get(slot["entity"])
                if entity is not None and hasattr(entity.model, "owner_id"):
                    found = await session.scalar(select(entity.model.owner_id).where(entity.model.id == uuid.UUID(slot["id"])))
                    record_owner = found
                    break
    assignees = {"owner": owner, "record_owner": record_owner or owner}
    manager: uuid.UUID | None = None
    problems: list[dict[str, Any]] = []
    nodes: list[Node] = [Node("goal", "group", 1, goal[:300], _text(method.get("description"), lang) or _text(method.get("name"), lang))]
    keys: set[str] = {"goal"}

    async def walk(items: list[dict[str, Any]], parent: str, depth: int, before: list[str], mode: str) -> list[str]:
        """Adds ``items`` under ``parent``; returns the leaf keys of this level (what comes after waits for)."""
        nonlocal manager
        leaves_all: list[str] = []
        prev = list(before)
        for item in items:
            key = str(item.get("key") or f"n{len(nodes)}")[:64]
            if key in keys:
                if strict:
                    problems.append({"node": key, "code": "duplicate_key"})
                key = f"{key}_{len(nodes)}"
            keys.add(key)
            title = fill(_text(item.get("title"), lang), ctx)[:300]
            why = fill(_text(item.get("why"), lang), ctx)
            if strict and (not title or not why):
                problems.append({"node": key, "code": "title_and_why_required"})
            children = item.get("children")
            if children:
                node = Node(key, "group", depth, title, why, parent)
                nodes.append(node)
                sub = await walk(children, key, depth + 1, prev if mode == "sequence" else list(before), item.get("mode", "sequence"))
                leaves_all += sub
                if mode == "sequence":
                    prev = sub or prev
                continue
            executor = item.get("executor")
            node = Node(key, "task", depth, title, why, parent, executor=executor,
                        depends_on=list(prev if mode == "sequence" else before))
            if executor in ("system", "external"):
                tool_name = str(item.get("tool") or "")
                args = fill(item.get("args") or {}, ctx, keep=("tasks.",))
                t = get_tool(tool_name) if tool_name else None
                problem = None
                if t is None:
                    problem = f"tool {tool_name!r} is not available"
                elif not has_refs(args):
                    try:
                        t.input_model.model_validate(args)
                    except ValidationError as exc:
                        problem = f"arguments do not fit {tool_name}: {exc.errors()[0]['msg']}"
                if problem and strict:
                    problems.append({"node": key, "code": "tool_invalid", "message": problem})
                if problem:
                    # Never stall on a missing tool: a person does this step by hand.
                    node.executor = "person"
                    node.assignee_id = assignees["owner"]
                    node.instructions = (f"系统无法自动完成此步（{problem}），请手动完成：{title}" if lang == "zh"
                                         else f"This step cannot run automatically ({problem}); please do it by hand: {title}")
                    node.notes.append(problem)
                    node.due_in_hours = 24
                else:
                    node.tool = tool_name
                    node.args = args
                    alts = []
                    for alt in item.get("alternatives") or []:
                        alt_args = fill(alt.get("args") or {}, ctx, keep=("tasks.",))
                        if get_tool(str(alt.get("tool"))) is not None:
                            alts.append({"tool": alt["tool"], "args": alt_args})
                        elif strict:
                            problems.append({"node": key, "code": "tool_invalid", "message": f"backup tool {alt.get('tool')!r} is not available"})
                    node.alternatives = alts
            elif executor == "person":
                who = item.get("assignee", "record_owner")
                if who == "manager":
                    if manager is None:
                        manager = await manager_of(session, assignees["record_owner"]) or assignees["owner"]
                    node.assignee_id = manager
                else:
                    node.assignee_id = assignees.get(who, owner)
                node.instructions = fill(_text(item.get("instructions"), lang), ctx)
                if strict and not node.instructions:
                    problems.append({"node": key, "code": "instructions_required"})
                node.due_in_hours = float(item.get("due_in_hours") or 24)
                refs = []
                for ref in item.get("references") or []:
                    if ref.get("slot"):
                        value = slots.get(ref["slot"])
                        if isinstance(value, dict):
                            refs.append({"kind": "record", "entity": value.get("entity"), "id": value.get("id"), "title": value.get("name")})
                        elif value:
                            refs.append({"kind": "text", "text": str(value)})
                    else:
                        refs.append(fill(ref, ctx))
                node.references = refs
            else:
                problems.append({"node": key, "code": "executor_invalid", "message": f"executor must be system, person or external, not {executor!r}"})
                if not strict:
                    raise PlanInvalid("a method step has no valid executor", details=problems)
            nodes.append(node)
            leaves_all.append(key)
            if mode == "sequence":
                prev = [key]
        return leaves_all

    await walk(tree, "goal", 2, [], "sequence")
    depth = max(n.depth for n in nodes)
    if depth < 4:
        problems.append({"code": "too_shallow", "message": "a plan needs phases, steps and tasks under the goal (at least 3 levels)"})
    if not any(n.kind == "task" for n in nodes):
        problems.append({"code": "no_tasks"})
    if len(nodes) > 200:
        problems.append({"code": "too_many_steps", "message": "at most 200 steps"})
    if problems:
        raise PlanInvalid("the plan does not fit the rules", details=problems)
    return nodes


def due(hours: float | None) -> Any:
    return utcnow() + timedelta(hours=hours) if hours else None


async def method_stats(session: AsyncSession) -> dict[str, tuple[int, int]]:
    """``{method_key: (finished plans, goals met)}`` of the session's tenant."""
    from lingxi.agent.planning.models import Plan

    rows = await session.execute(
        select(Plan.method_key, func.count(), func.sum(func.coalesce(func.cast(Plan.goal_met, type_=_int()), 0)))
        .where(Plan.goal_met.is_not(None), Plan.method_key.is_not(None))
        .group_by(Plan.method_key)
    )
    return {k: (int(n), int(m or 0)) for k, n, m in rows.all()}


def _int() -> Any:
    from sqlalchemy import Integer

    return Integer()


async def tool_stats(session: AsyncSession, tools: list[str]) -> dict[str, tuple[int, int]]:
    """``{tool: (finished tasks, done)}`` of this tenant's plan tasks, to order a task's channels."""
    from lingxi.agent.planning.models import PlanTask

    if not tools:
        return {}
    rows = await session.execute(
        select(PlanTask.tool, PlanTask.status, func.count())
        .where(PlanTask.tool.in_(tools), PlanTask.status.in_(("done", "failed", "escalated")))
        .group_by(PlanTask.tool, PlanTask.status)
    )
    out: dict[str, list[int]] = {}
    for t, status, n in rows.all():
        slot = out.setdefault(t, [0, 0])
        slot[0] += int(n)
        if status == "done":
            slot[1] += int(n)
    return {k: (v[0], v[1]) for k, v in out.items()}


