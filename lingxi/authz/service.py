"""The one place that decides who may do what.

Roles grant ``{entity: {action: scope}}``; a user's roles merge to the widest scope per action.
Scopes become SQL filters (``scope_filter``): lists, search, export and related lists never load
rows and filter them afterwards. Field rules (hidden, masked, readonly) merge to the most permissive.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, false, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.authz.models import RecordShare, Role, UserRole
from lingxi.errors import Forbidden
from lingxi.meta.registry import Entity, registry
from lingxi.org.models import Department, TeamMember, User
from lingxi.tenancy.context import Actor

ACTIONS = ("read", "create", "update", "delete", "export", "import")
SCOPES = ("none", "own", "team", "department", "all")
SCOPE_RANK = {s: i for i, s in enumerate(SCOPES)}
FIELD_RULES = ("hidden", "masked", "readonly")  # least to most permissive; no rule = editable
RULE_RANK = {"hidden": 0, "masked": 1, "readonly": 2, "edit": 3}
# Which token scope an action needs.
TOKEN_SCOPE_OF = {
    "read": "read",
    "create": "write",
    "update": "write",
    "delete": "write",
    "export": "export",
    "import": "import",
}
TOKEN_SCOPES = ("read", "write", "export", "import", "admin")


@dataclass
class Grants:
    perms: dict[str, dict[str, str]] = field(default_factory=dict)
    fields: dict[str, dict[str, str]] = field(default_factory=dict)
    role_ids: tuple[uuid.UUID, ...] = ()
    role_names: tuple[str, ...] = ()


def merge_roles(roles: list[Role]) -> Grants:
    perms: dict[str, dict[str, str]] = {}
    for role in roles:
        for entity, actions in (role.permissions or {}).items():
            slot = perms.setdefault(entity, {})
            for action, scope in actions.items():
                if SCOPE_RANK.get(scope, 0) > SCOPE_RANK.get(slot.get(action, "none"), 0):
                    slot[action] = scope
    # A field is as open as the most open role makes it; a role without a rule leaves it editable.
    fields: dict[str, dict[str, str]] = {}
    entities = {e for r in roles for e in (r.field_rules or {})}
    for entity in entities:
        names = {f for r in roles for f in (r.field_rules or {}).get(entity, {})}
        merged = {}
        for name in names:
            best = max(RULE_RANK[(r.field_rules or {}).get(entity, {}).get(name, "edit")] for r in roles)
            if best < RULE_RANK["edit"]:
                merged[name] = FIELD_RULES[best]
        if merged:
            fields[entity] = merged
    return Grants(
        perms=perms,
        fields=fields,
        role_ids=tuple(r.id for r in roles),
        role_names=tuple(r.name for r in roles),
    )


async def load_actor(
    session: AsyncSession,
    user: User,
    *,
    session_id: uuid.UUID | None = None,
    token_scopes: frozenset[str] | None = None,
    ip: str | None = None,
    request_id: str | None = None,
) -> Actor:
    """The Actor of ``user``: roles merged, teams and department resolved. ``session`` may be a
    system session; every query here names the user's tenant explicitly."""
    roles = (
        await session.scalars(
            select(Role)
            .join(UserRole, UserRole.role_id == Role.id)
            .where(UserRole.user_id == user.id, Role.tenant_id == user.tenant_id)
        )
    ).all()
    team_ids = tuple(
        (
            await session.scalars(
                select(TeamMember.team_id).where(TeamMember.user_id == user.id, TeamMember.tenant_id == user.tenant_id)
            )
        ).all()
    )
    # An admin's token without the "admin" scope still reads and writes data as the admin (within
    # its read/write scopes); only settings endpoints need the scope (see lingxi.deps.admin_actor).
    is_admin = user.is_admin or any(r.is_admin for r in roles)
    return Actor(
        tenant_id=user.tenant_id,
        user_id=user.id,
        is_admin=is_admin,
        department_id=user.department_id,
        team_ids=team_ids,
        grants=merge_roles(list(roles)),
        session_id=session_id,
        token_scopes=token_scopes,
        ip=ip,
        request_id=request_id,
    )


def _token_allows(actor: Actor, action: str) -> bool:
    if actor.token_scopes is None:
        return True
    return TOKEN_SCOPE_OF.get(action, "admin") in actor.token_scopes or "admin" in actor.token_scopes


def scope_of(actor: Actor, entity: Entity | str, action: str) -> str:
    """The widest scope the actor has for ``action`` on ``entity`` ("none" when not granted)."""
    ent = registry.get(entity) if isinstance(entity, str) else entity
    if ent is None:
        return "none"
    if not _token_allows(actor, action):
        return "none"
    if actor.is_system or actor.is_admin:
        return "all"
    if ent.spec.admin_only_write and action != "read":
        return "none"
    if ent.spec.parent and action in ("read", "create", "update", "delete"):
        parent_name, _ = ent.spec.parent
        # Children follow their parent: reading needs read on it, changing needs update on it.
        return scope_of(actor, parent_name, "read" if action == "read" else "update")
    grants: Grants = actor.grants or Grants()
    scope = grants.perms.get(ent.name, {}).get(action, "none")
    if scope != "none" and not ent.spec.owned:
        return "all"
    return scope


def require(actor: Actor, entity: Entity | str, action: str) -> str:
    scope = scope_of(actor, entity, action)
    if scope == "none":
        name = entity if isinstance(entity, str) else entity.name
        raise Forbidden(f"not allowed to {action} {name}", code="permission_denied", details={"entity": name, "action": action})
    return scope


def require_admin(actor: Actor) -> None:
    if not (actor.is_admin or actor.is_system):
        raise Forbidden("administrators only", code="admin_required")


def scope_filter(actor: Actor, entity: Entity, action: str = "read") -> ColumnElement[bool]:
    """A WHERE clause limiting ``entity`` rows to those the actor may ``action``."""
    scope = scope_of(actor, entity, action)
    model = entity.model
    if scope == "none":
        return false()
    if scope == "all":
        return true()
    if entity.spec.parent:
        parent_name, fk = entity.spec.parent
        parent = registry.get(parent_name)
        assert parent is not None
        parent_action = "read" if action == "read" else "update"
        return getattr(model, fk).in_(select(parent.model.id).where(scope_filter(actor, parent, parent_action)))
    # Every subquery names the tenant itself, so the filter holds in Core statements too (search).
    tenant = actor.tenant_id
    me = actor.user_id
    clauses: list[ColumnElement[bool]] = [model.owner_id == me]
    if scope == "team" and actor.team_ids:
        members = select(TeamMember.user_id).where(TeamMember.tenant_id == tenant, TeamMember.team_id.in_(actor.team_ids))
        clauses.append(model.owner_id.in_(members))
    if scope == "department" and actor.department_id is not None:
        dept_path = (
            select(Department.path)
            .where(Department.tenant_id == tenant, Department.id == actor.department_id)
            .scalar_subquery()
        )
        subtree = select(Department.id).where(
            Department.tenant_id == tenant, Department.path.startswith(dept_path, autoescape=False)
        )
        clauses.append(model.owner_id.in_(select(User.id).where(User.tenant_id == tenant, User.department_id.in_(subtree))))
    share_who = [RecordShare.user_id == me]
    if actor.team_ids:
        share_who.append(RecordShare.team_id.in_(actor.team_ids))
    shares = select(RecordShare.record_id).where(
        RecordShare.tenant_id == tenant, RecordShare.entity == entity.name, or_(*share_who)
    )
    if action in ("update", "delete"):
        shares = shares.where(RecordShare.access == "edit")
    clauses.append(model.id.in_(shares))
    return or_(*clauses)


def field_rules(actor: Actor, entity: Entity | str) -> dict[str, str]:
    """``{field: hidden|masked|readonly}`` for the actor on ``entity``; empty for admins."""
    if actor.is_system or actor.is_admin:
        return {}
    name = entity if isinstance(entity, str) else entity.name
    grants: Grants = actor.grants or Grants()
    return grants.fields.get(name, {})


def mask_value(value: Any, field_type: str) -> Any:
    """``13912345678`` → ``139****5678``; ``li.lei@example.com`` → ``l*****@example.com``."""
    if value is None or value == "":
        return value
    text = str(value)
    if field_type == "phone":
        digits = text.replace(" ", "").replace("-", "")
        if len(digits) >= 7:
            return digits[:3] + "****" + digits[-4:]
        return "*" * len(digits)
    if field_type == "email" and "@" in text:
        local, _, domain = text.partition("@")
        return (local[:1] + "*" * max(len(local) - 1, 3)) + "@" + domain
    if len(text) <= 2:
        return "*" * len(text)
    return text[:1] + "*" * (len(text) - 2) + text[-1:]
