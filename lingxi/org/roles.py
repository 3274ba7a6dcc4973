"""Roles: permissions ``{entity: {action: scope}}`` and field rules ``{entity: {field: rule}}``,
validated against the registry and the tenant's metadata before they are stored."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.authz.models import Role, UserRole
from lingxi.authz.service import ACTIONS, FIELD_RULES, SCOPES
from lingxi.errors import Conflict, NotFound, ValidationFailed
from lingxi.meta.registry import registry
from lingxi.meta.service import fields_for
from lingxi.org.service import _forget_actors, _page_bounds, ensure_an_admin_remains


async def validate_grants(
    session: AsyncSession, tenant_id: uuid.UUID, permissions: dict[str, Any] | None, field_rules: dict[str, Any] | None
) -> None:
    """Raise ValidationFailed listing every unknown entity, action, scope, field or rule."""
    problems: list[dict[str, Any]] = []
    for entity_name, actions in (permissions or {}).items():
        where = f"permissions.{entity_name}"
        if registry.get(entity_name) is None:
            problems.append({"field": where, "code": "unknown_entity", "message": f"no entity {entity_name!r}"})
            continue
        if not isinstance(actions, dict):
            problems.append({"field": where, "code": "invalid_value", "message": "expected {action: scope}"})
            continue
        for action, scope in actions.items():
            if action not in ACTIONS:
                problems.append(
                    {"field": f"{where}.{action}", "code": "unknown_action", "message": f"one of {list(ACTIONS)}"}
                )
            elif scope not in SCOPES:
                problems.append(
                    {"field": f"{where}.{action}", "code": "unknown_scope", "message": f"one of {list(SCOPES)}"}
                )
    for entity_name, rules in (field_rules or {}).items():
        where = f"field_rules.{entity_name}"
        entity = registry.get(entity_name)
        if entity is None:
            problems.append({"field": where, "code": "unknown_entity", "message": f"no entity {entity_name!r}"})
            continue
        if not isinstance(rules, dict):
            problems.append({"field": where, "code": "invalid_value", "message": "expected {field: rule}"})
            continue
        fields = await fields_for(session, tenant_id, entity)
        for field_name, rule in rules.items():
            if field_name not in fields or field_name == "id":
                problems.append({"field": f"{where}.{field_name}", "code": "unknown_field", "message": "no such field"})
            elif rule not in FIELD_RULES:
                problems.append(
                    {"field": f"{where}.{field_name}", "code": "unknown_rule", "message": f"one of {list(FIELD_RULES)}"}
                )
    if problems:
        raise ValidationFailed("the role's permissions are invalid", code="invalid_permissions", details=problems)


def matrix(role: Role) -> list[dict[str, Any]]:
    """Every entity × action with the role's scope ("none" when not granted; "all" for admin roles)."""
    rows = []
    for entity in registry.all():
        granted = (role.permissions or {}).get(entity.name, {})
        rows.append(
            {
                "entity": entity.name,
                "label_zh": entity.spec.label_zh,
                "label_en": entity.spec.label_en,
                "actions": {a: ("all" if role.is_admin else granted.get(a, "none")) for a in ACTIONS},
            }
        )
    return rows


async def get_role(session: AsyncSession, role_id: uuid.UUID) -> Role:
    role = await session.get(Role, role_id)
    if role is None:
        raise NotFound(f"role {role_id} not found", code="role_not_found")
    return role


async def user_counts(session: AsyncSession, role_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    if not role_ids:
        return {}
    rows = await session.execute(
        select(UserRole.role_id, func.count()).where(UserRole.role_id.in_(role_ids)).group_by(UserRole.role_id)
    )
    return {rid: int(n) for rid, n in rows}


async def list_roles(session: AsyncSession, *, limit: int, offset: int) -> tuple[list[Role], int]:
    limit, offset = _page_bounds(limit, offset)
    total = int(await session.scalar(select(func.count(Role.id))) or 0)
    rows = (await session.scalars(select(Role).order_by(Role.name, Role.id).limit(limit).offset(offset))).all()
    return list(rows), total


async def _unique_name(session: AsyncSession, name: str, exclude: uuid.UUID | None = None) -> None:
    stmt = select(Role.id).where(Role.name == name)
    if exclude is not None:
        stmt = stmt.where(Role.id != exclude)
    if await session.scalar(stmt):
        raise Conflict(f"role {name!r} exists", code="role_exists")


def _clean(grants: dict[str, Any]) -> dict[str, Any]:
    """Drop empty entity entries so the stored JSON stays small."""
    return {k: v for k, v in grants.items() if v}


async def create_role(session: AsyncSession, tenant_id: uuid.UUID, data: dict[str, Any]) -> Role:
    await validate_grants(session, tenant_id, data.get("permissions"), data.get("field_rules"))
    await _unique_name(session, data["name"])
    role = Role(
        tenant_id=tenant_id,
        name=data["name"],
        description=data.get("description"),
        is_admin=bool(data.get("is_admin")),
        permissions=_clean(data.get("permissions") or {}),
        field_rules=_clean(data.get("field_rules") or {}),
    )
    session.add(role)
    await session.flush()
    return role


async def update_role(session: AsyncSession, tenant_id: uuid.UUID, role_id: uuid.UUID, data: dict[str, Any]) -> Role:
    role = await get_role(session, role_id)
    await validate_grants(session, tenant_id, data.get("permissions"), data.get("field_rules"))
    if data.get("name") and data["name"] != role.name:
        await _unique_name(session, data["name"], exclude=role.id)
        role.name = data["name"]
    if "description" in data:
        role.description = data["description"]
    if data.get("permissions") is not None:
        role.permissions = _clean(data["permissions"])
    if data.get("field_rules") is not None:
        role.field_rules = _clean(data["field_rules"])
    if data.get("is_admin") is not None and data["is_admin"] != role.is_admin:
        role.is_admin = data["is_admin"]
        await ensure_an_admin_remains(session)
    await session.flush()
    _forget_actors(session)
    return role


async def delete_role(session: AsyncSession, role_id: uuid.UUID) -> None:
    role = await get_role(session, role_id)
    in_use = int(
        await session.scalar(select(func.count()).select_from(UserRole).where(UserRole.role_id == role.id)) or 0
    )
    if in_use:
        raise Conflict(f"the role is assigned to {in_use} user(s)", code="role_in_use", details={"users": in_use})
    await session.delete(role)
    await session.flush()
    _forget_actors(session)
