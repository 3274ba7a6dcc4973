"""Users, teams and departments."""

from __future__ import annotations

import secrets
import string
import uuid
from typing import Any

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import String, delete, func, literal, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.auth.passwords import check_policy, hash_password, policy_of
from lingxi.authz.models import Role, UserRole
from lingxi.errors import Conflict, NotFound, ValidationFailed
from lingxi.kit.models import utcnow
from lingxi.org.models import Department, Team, TeamMember, User
from lingxi.tenancy.models import Tenant


def normalise_email(email: str) -> str:
    try:
        return validate_email(email, check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise ValidationFailed(f"invalid email: {exc}", code="invalid_email", details=[{"field": "email"}]) from exc


async def create_user(
    session: AsyncSession,
    tenant: Tenant,
    *,
    email: str,
    name: str,
    password: str | None,
    role_names: list[str] | tuple[str, ...] = (),
    is_admin: bool = False,
    department_id: uuid.UUID | None = None,
    manager_id: uuid.UUID | None = None,
    title: str | None = None,
    enforce_policy: bool = True,
) -> User:
    email = normalise_email(email)
    if await session.scalar(select(User.id).where(User.tenant_id == tenant.id, User.email == email)):
        raise Conflict(f"user {email} exists in this tenant", code="user_exists")
    if password is not None and enforce_policy:
        check_policy(password, policy_of(tenant.settings))
    user = User(
        tenant_id=tenant.id,
        email=email,
        name=name,
        password_hash=hash_password(password) if password else None,
        password_changed_at=utcnow() if password else None,
        is_admin=is_admin,
        department_id=department_id,
        manager_id=manager_id,
        title=title,
    )
    session.add(user)
    await session.flush()
    for role_name in role_names:
        role = await session.scalar(select(Role).where(Role.tenant_id == tenant.id, Role.name == role_name))
        if role is None:
            raise NotFound(f"role {role_name!r} not found", code="role_not_found")
        session.add(UserRole(tenant_id=tenant.id, user_id=user.id, role_id=role.id))
    await session.flush()
    return user


async def create_department(
    session: AsyncSession, tenant_id: uuid.UUID, name: str, parent: Department | None = None
) -> Department:
    dept = Department(tenant_id=tenant_id, name=name, parent_id=parent.id if parent else None)
    session.add(dept)
    await session.flush()
    dept.path = f"{parent.path if parent else '/'}{dept.id.hex}/"
    await session.flush()
    return dept


async def create_team(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    name: str,
    member_ids: list[uuid.UUID],
    lead_id: uuid.UUID | None = None,
) -> Team:
    team = Team(tenant_id=tenant_id, name=name, lead_id=lead_id)
    session.add(team)
    await session.flush()
    for uid in member_ids:
        session.add(TeamMember(tenant_id=tenant_id, team_id=team.id, user_id=uid))
    await session.flush()
    return team


# --- administration of users, teams and departments ---------------------------------------------------
# Tenant scope comes from the session's Actor (the tenant wall); these functions only add the rules.


def _forget_actors(session: AsyncSession) -> None:
    """Cached Actors carry roles, teams and departments: drop them now and after commit."""
    from lingxi.auth.service import forget_after_commit  # auth imports this module

    forget_after_commit(session)


def _page_bounds(limit: int, offset: int) -> tuple[int, int]:
    return max(1, min(limit, 500)), max(0, offset)


def temporary_password(policy: dict[str, object]) -> str:
    """A random password that meets ``policy`` (at least 16 characters, every character class)."""
    length = max(16, int(str(policy.get("min_length", 10))))
    alphabet = string.ascii_letters + string.digits + "-_!@#%"
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(length))
        if (
            any(c.islower() for c in candidate)
            and any(c.isupper() for c in candidate)
            and any(c.isdigit() for c in candidate)
            and any(not c.isalnum() for c in candidate)
        ):
            return candidate


async def get_user(session: AsyncSession, user_id: uuid.UUID) -> User:
    user = await session.get(User, user_id)
    if user is None:
        raise NotFound(f"user {user_id} not found", code="user_not_found")
    return user


async def role_ids_of(session: AsyncSession, user_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[uuid.UUID]]:
    out: dict[uuid.UUID, list[uuid.UUID]] = {uid: [] for uid in user_ids}
    if user_ids:
        rows = await session.execute(select(UserRole.user_id, UserRole.role_id).where(UserRole.user_id.in_(user_ids)))
        for uid, rid in rows:
            out[uid].append(rid)
    return out


async def list_users(
    session: AsyncSession,
    *,
    q: str | None = None,
    active: bool | None = None,
    role_id: uuid.UUID | None = None,
    department_id: uuid.UUID | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[User], int]:
    limit, offset = _page_bounds(limit, offset)
    stmt = select(User)
    if q:
        pattern = f"%{q.strip().lower()}%"
        stmt = stmt.where(or_(func.lower(User.name).like(pattern), func.lower(User.email).like(pattern)))
    if active is not None:
        stmt = stmt.where(User.is_active.is_(active))
    if role_id is not None:
        stmt = stmt.where(User.id.in_(select(UserRole.user_id).where(UserRole.role_id == role_id)))
    if department_id is not None:
        stmt = stmt.where(User.department_id == department_id)
    total = int(await session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)
    users = (await session.scalars(stmt.order_by(User.name, User.id).limit(limit).offset(offset))).all()
    return list(users), total


async def _roles_by_ids(session: AsyncSession, role_ids: list[uuid.UUID]) -> list[Role]:
    wanted = list(dict.fromkeys(role_ids))
    roles = (await session.scalars(select(Role).where(Role.id.in_(wanted)))).all() if wanted else []
    missing = set(wanted) - {r.id for r in roles}
    if missing:
        raise ValidationFailed(
            "unknown roles", code="role_not_found", details=[{"field": "role_ids", "value": str(m)} for m in missing]
        )
    return list(roles)


async def _check_refs(
    session: AsyncSession, *, department_id: uuid.UUID | None = None, manager_id: uuid.UUID | None = None
) -> None:
    problems = []
    if department_id is not None and await session.get(Department, department_id) is None:
        problems.append({"field": "department_id", "code": "reference_not_found", "message": "no such department"})
    if manager_id is not None and await session.get(User, manager_id) is None:
        problems.append({"field": "manager_id", "code": "reference_not_found", "message": "no such user"})
    if problems:
        raise ValidationFailed("unknown references", details=problems)


async def active_admin_count(session: AsyncSession) -> int:
    admin_roles = select(UserRole.user_id).join(Role, Role.id == UserRole.role_id).where(Role.is_admin.is_(True))
    stmt = select(func.count(User.id)).where(
        User.is_active.is_(True), or_(User.is_admin.is_(True), User.id.in_(admin_roles))
    )
    return int(await session.scalar(stmt) or 0)


async def ensure_an_admin_remains(session: AsyncSession) -> None:
    """Call after a change (flushed) that may have removed an administrator."""
    await session.flush()
    if await active_admin_count(session) == 0:
        raise Conflict("the tenant must keep at least one active administrator", code="last_admin")


async def invite_user(session: AsyncSession, tenant: Tenant, data: dict[str, Any]) -> tuple[User, str | None]:
    """Create a user; returns the generated temporary password when none was given."""
    await _check_refs(session, department_id=data.get("department_id"), manager_id=data.get("manager_id"))
    roles = await _roles_by_ids(session, data.get("role_ids") or [])
    password = data.get("password")
    generated = None
    if not password:
        password = generated = temporary_password(policy_of(tenant.settings))
    user = await create_user(
        session,
        tenant,
        email=data["email"],
        name=data["name"],
        password=password,
        department_id=data.get("department_id"),
        manager_id=data.get("manager_id"),
        title=data.get("title"),
    )
    for role in roles:
        session.add(UserRole(tenant_id=tenant.id, user_id=user.id, role_id=role.id))
    await session.flush()
    return user, generated


async def update_user(
    session: AsyncSession, actor_user_id: uuid.UUID | None, user_id: uuid.UUID, data: dict[str, Any]
) -> User:
    user = await get_user(session, user_id)
    await _check_refs(session, department_id=data.get("department_id"), manager_id=data.get("manager_id"))
    if data.get("manager_id") == user.id:
        raise ValidationFailed(
            "a user cannot be their own manager", details=[{"field": "manager_id", "code": "invalid_value"}]
        )
    if "name" in data and data["name"] is None:
        raise ValidationFailed("name cannot be empty", details=[{"field": "name", "code": "required"}])
    deactivating = data.get("is_active") is False and user.is_active
    if deactivating and user.id == actor_user_id:
        raise Conflict("you cannot deactivate yourself", code="cannot_deactivate_self")
    for key in ("name", "title", "department_id", "manager_id", "is_active"):
        if key in data and (key != "is_active" or data[key] is not None):
            setattr(user, key, data[key])
    if deactivating:
        await ensure_an_admin_remains(session)
        await revoke_sessions(session, user.id)
    if "department_id" in data:
        _forget_actors(session)
    await session.flush()
    return user


async def revoke_sessions(session: AsyncSession, user_id: uuid.UUID) -> None:
    from lingxi.auth.models import LoginSession

    await session.execute(
        update(LoginSession)
        .where(LoginSession.user_id == user_id, LoginSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    _forget_actors(session)


async def reset_2fa(session: AsyncSession, user_id: uuid.UUID) -> User:
    user = await get_user(session, user_id)
    user.totp_enabled = False
    user.totp_secret = None
    user.recovery_codes = []
    await session.flush()
    return user


async def set_user_roles(session: AsyncSession, user_id: uuid.UUID, role_ids: list[uuid.UUID]) -> list[uuid.UUID]:
    user = await get_user(session, user_id)
    roles = await _roles_by_ids(session, role_ids)
    current = {
        ur.role_id: ur for ur in (await session.scalars(select(UserRole).where(UserRole.user_id == user.id))).all()
    }
    wanted = {r.id for r in roles}
    for rid, link in current.items():
        if rid not in wanted:
            await session.delete(link)
    for rid in wanted - set(current):
        session.add(UserRole(user_id=user.id, role_id=rid))
    await ensure_an_admin_remains(session)
    _forget_actors(session)
    return [r.id for r in roles]


# --- teams ---------------------------------------------------------------------------------------------


async def get_team(session: AsyncSession, team_id: uuid.UUID) -> Team:
    team = await session.get(Team, team_id)
    if team is None:
        raise NotFound(f"team {team_id} not found", code="team_not_found")
    return team


async def team_members(session: AsyncSession, team_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[uuid.UUID]]:
    out: dict[uuid.UUID, list[uuid.UUID]] = {t: [] for t in team_ids}
    if team_ids:
        for tid, uid in await session.execute(
            select(TeamMember.team_id, TeamMember.user_id).where(TeamMember.team_id.in_(team_ids))
        ):
            out[tid].append(uid)
    return out


async def list_teams(session: AsyncSession, *, q: str | None, limit: int, offset: int) -> tuple[list[Team], int]:
    limit, offset = _page_bounds(limit, offset)
    stmt = select(Team)
    if q:
        stmt = stmt.where(func.lower(Team.name).like(f"%{q.strip().lower()}%"))
    total = int(await session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)
    teams = (await session.scalars(stmt.order_by(Team.name, Team.id).limit(limit).offset(offset))).all()
    return list(teams), total


async def _unique_team_name(session: AsyncSession, name: str, exclude: uuid.UUID | None = None) -> None:
    stmt = select(Team.id).where(Team.name == name)
    if exclude is not None:
        stmt = stmt.where(Team.id != exclude)
    if await session.scalar(stmt):
        raise Conflict(f"team {name!r} exists", code="team_exists")


async def add_team(session: AsyncSession, tenant_id: uuid.UUID, data: dict[str, Any]) -> Team:
    await _unique_team_name(session, data["name"])
    await _check_refs(session, manager_id=data.get("lead_id"))
    return await create_team(session, tenant_id, data["name"], [], lead_id=data.get("lead_id"))


async def update_team(session: AsyncSession, team_id: uuid.UUID, data: dict[str, Any]) -> Team:
    team = await get_team(session, team_id)
    if data.get("name"):
        await _unique_team_name(session, data["name"], exclude=team.id)
        team.name = data["name"]
    if "description" in data:
        team.description = data["description"]
    if "lead_id" in data:
        await _check_refs(session, manager_id=data["lead_id"])
        team.lead_id = data["lead_id"]
    await session.flush()
    return team


async def delete_team(session: AsyncSession, team_id: uuid.UUID) -> None:
    team = await get_team(session, team_id)
    await session.execute(delete(TeamMember).where(TeamMember.team_id == team.id))
    await session.delete(team)
    await session.flush()
    _forget_actors(session)


async def set_team_members(session: AsyncSession, team_id: uuid.UUID, user_ids: list[uuid.UUID]) -> list[uuid.UUID]:
    team = await get_team(session, team_id)
    wanted = list(dict.fromkeys(user_ids))
    found = set((await session.scalars(select(User.id).where(User.id.in_(wanted)))).all()) if wanted else set()
    missing = [u for u in wanted if u not in found]
    if missing:
        raise ValidationFailed(
            "unknown users",
            details=[{"field": "user_ids", "code": "reference_not_found", "value": str(m)} for m in missing],
        )
    await session.execute(delete(TeamMember).where(TeamMember.team_id == team.id))
    for uid in wanted:
        session.add(TeamMember(team_id=team.id, user_id=uid))
    await session.flush()
    _forget_actors(session)
    return wanted


# --- departments ---------------------------------------------------------------------------------------


async def get_department(session: AsyncSession, dept_id: uuid.UUID) -> Department:
    dept = await session.get(Department, dept_id)
    if dept is None:
        raise NotFound(f"department {dept_id} not found", code="department_not_found")
    return dept


async def list_departments(session: AsyncSession, *, limit: int = 500, offset: int = 0) -> tuple[list[Department], int]:
    limit, offset = _page_bounds(limit, offset)
    total = int(await session.scalar(select(func.count(Department.id))) or 0)
    rows = (await session.scalars(select(Department).order_by(Department.path).limit(limit).offset(offset))).all()
    return list(rows), total


async def department_tree(session: AsyncSession) -> list[dict[str, Any]]:
    rows = (await session.scalars(select(Department).order_by(Department.name))).all()
    nodes: dict[uuid.UUID, dict[str, Any]] = {
        d.id: {
            "id": d.id,
            "name": d.name,
            "parent_id": d.parent_id,
            "manager_id": d.manager_id,
            "path": d.path,
            "children": [],
        }
        for d in rows
    }
    roots = []
    for d in rows:
        parent = nodes.get(d.parent_id) if d.parent_id else None
        (parent["children"] if parent else roots).append(nodes[d.id])
    return roots


async def _unique_department_name(
    session: AsyncSession, name: str, parent_id: uuid.UUID | None, exclude: uuid.UUID | None = None
) -> None:
    stmt = select(Department.id).where(
        Department.name == name,
        Department.parent_id.is_(None) if parent_id is None else Department.parent_id == parent_id,
    )
    if exclude is not None:
        stmt = stmt.where(Department.id != exclude)
    if await session.scalar(stmt):
        raise Conflict(f"department {name!r} exists under this parent", code="department_exists")


async def add_department(session: AsyncSession, tenant_id: uuid.UUID, data: dict[str, Any]) -> Department:
    parent = await get_department(session, data["parent_id"]) if data.get("parent_id") else None
    await _check_refs(session, manager_id=data.get("manager_id"))
    await _unique_department_name(session, data["name"], parent.id if parent else None)
    dept = await create_department(session, tenant_id, data["name"], parent)
    dept.manager_id = data.get("manager_id")
    await session.flush()
    return dept


async def update_department(session: AsyncSession, dept_id: uuid.UUID, data: dict[str, Any]) -> Department:
    """Rename, change the manager or move under another parent. Moving rewrites the ``path`` of the
    whole subtree in one UPDATE; a move under itself or a descendant is refused."""
    dept = await get_department(session, dept_id)
    if "manager_id" in data:
        await _check_refs(session, manager_id=data["manager_id"])
        dept.manager_id = data["manager_id"]
    new_parent_id = data.get("parent_id", dept.parent_id)
    name = data.get("name") or dept.name
    if name != dept.name or new_parent_id != dept.parent_id:
        await _unique_department_name(session, name, new_parent_id, exclude=dept.id)
    dept.name = name
    if new_parent_id != dept.parent_id:
        parent = await get_department(session, new_parent_id) if new_parent_id else None
        if parent is not None and parent.path.startswith(dept.path):
            raise ValidationFailed(
                "a department cannot move under itself or its own sub-department",
                code="department_cycle",
                details=[{"field": "parent_id", "code": "cycle", "message": "would create a cycle"}],
            )
        old_path = dept.path
        new_path = f"{parent.path if parent else '/'}{dept.id.hex}/"
        dept.parent_id = parent.id if parent else None
        await session.flush()
        await session.execute(
            update(Department)
            .where(Department.path.startswith(old_path, autoescape=True))
            .values(path=literal(new_path, String) + func.substr(Department.path, len(old_path) + 1))
            .execution_options(synchronize_session=False)
        )
        await session.refresh(dept)
        _forget_actors(session)
    await session.flush()
    return dept


async def delete_department(session: AsyncSession, dept_id: uuid.UUID) -> None:
    dept = await get_department(session, dept_id)
    if await session.scalar(select(Department.id).where(Department.parent_id == dept.id).limit(1)):
        raise Conflict("the department has sub-departments", code="department_has_children")
    if await session.scalar(select(User.id).where(User.department_id == dept.id).limit(1)):
        raise Conflict("the department has members", code="department_in_use")
    await session.delete(dept)
    await session.flush()
