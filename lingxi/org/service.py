"""Users, teams and departments."""

from __future__ import annotations

import uuid

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select
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
    session: AsyncSession, tenant_id: uuid.UUID, name: str, member_ids: list[uuid.UUID], lead_id: uuid.UUID | None = None
) -> Team:
    team = Team(tenant_id=tenant_id, name=name, lead_id=lead_id)
    session.add(team)
    await session.flush()
    for uid in member_ids:
        session.add(TeamMember(tenant_id=tenant_id, team_id=team.id, user_id=uid))
    await session.flush()
    return team
