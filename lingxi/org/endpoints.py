"""/api/v1 organisation: users, teams, departments, roles and the tenant's settings.

Administrators manage everything here; every signed-in user may read the user directory, teams and
departments (lookups need them)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from lingxi.deps import AdminActor, CurrentActor, DbSession
from lingxi.errors import NotFound, error_responses
from lingxi.kit.params import Offset
from lingxi.org import roles as role_service
from lingxi.org import service, tenant_settings
from lingxi.org.models import User
from lingxi.org.schemas import (
    MAX_LIMIT,
    DepartmentIn,
    DepartmentNode,
    DepartmentOut,
    DepartmentUpdate,
    DirectoryUser,
    Page,
    RoleAssignment,
    RoleDetail,
    RoleIn,
    RoleOut,
    RoleUpdate,
    TeamIn,
    TeamMembers,
    TeamOut,
    TeamUpdate,
    TenantSettingsOut,
    TenantSettingsPatch,
    UserCreate,
    UserCreated,
    UserOut,
    UserUpdate,
    as_dict,
)
from lingxi.tenancy.models import Tenant

router = APIRouter()

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT)]
READ = error_responses(401, 403, 404, 422)
WRITE = error_responses(401, 403, 404, 409, 422)


async def _user_out(session: DbSession, user: User) -> UserOut:
    roles = await service.role_ids_of(session, [user.id])
    return UserOut.model_validate({**_user_fields(user), "role_ids": roles[user.id]})


def _user_fields(user: User) -> dict[str, Any]:
    return {c: getattr(user, c) for c in UserOut.model_fields if c != "role_ids"}


# --- users ---------------------------------------------------------------------------------------------


@router.get(
    "/users",
    response_model=Page[UserOut] | Page[DirectoryUser],
    responses=READ,
    summary="List users",
    description="Administrators get full user records; other users get the directory (id, name, email, title, department).",
)
async def list_users(
    session: DbSession,
    actor: CurrentActor,
    q: Annotated[str | None, Query(max_length=200, pattern=r"^[^\x00]*$", description="Name or email contains")] = None,
    active: bool | None = None,
    role_id: uuid.UUID | None = None,
    department_id: uuid.UUID | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Any:
    users, total = await service.list_users(
        session, q=q, active=active, role_id=role_id, department_id=department_id, limit=limit, offset=offset
    )
    if not actor.is_admin:
        data_dir = [DirectoryUser.model_validate(u) for u in users]
        return Page[DirectoryUser](data=data_dir, total=total, limit=limit, offset=offset)
    roles = await service.role_ids_of(session, [u.id for u in users])
    data = [UserOut.model_validate({**_user_fields(u), "role_ids": roles[u.id]}) for u in users]
    return Page[UserOut](data=data, total=total, limit=limit, offset=offset)


@router.get("/users/{user_id}", response_model=UserOut, responses=READ, summary="Get a user")
async def get_user(session: DbSession, actor: AdminActor, user_id: uuid.UUID) -> UserOut:
    return await _user_out(session, await service.get_user(session, user_id))


@router.post(
    "/users",
    response_model=UserCreated,
    status_code=201,
    responses=WRITE,
    summary="Invite a user",
    description="Without `password` a temporary one is generated and returned once in `temporary_password`.",
)
async def create_user(session: DbSession, actor: AdminActor, body: UserCreate) -> UserCreated:
    tenant = await session.get(Tenant, actor.tenant_id)
    if tenant is None:
        raise NotFound("tenant not found", code="tenant_not_found")
    user, generated = await service.invite_user(session, tenant, as_dict(body))
    out = await _user_out(session, user)
    return UserCreated(**out.model_dump(), temporary_password=generated)


@router.patch(
    "/users/{user_id}",
    response_model=UserOut,
    responses=WRITE,
    summary="Update a user",
    description="Deactivating signs the user out everywhere. `cannot_deactivate_self` and `last_admin` are 409.",
)
async def update_user(session: DbSession, actor: AdminActor, user_id: uuid.UUID, body: UserUpdate) -> UserOut:
    user = await service.update_user(session, actor.user_id, user_id, as_dict(body))
    return await _user_out(session, user)


@router.post(
    "/users/{user_id}/reset-2fa",
    response_model=UserOut,
    responses=WRITE,
    summary="Turn off a user's two-factor sign-in",
)
async def reset_2fa(session: DbSession, actor: AdminActor, user_id: uuid.UUID) -> UserOut:
    return await _user_out(session, await service.reset_2fa(session, user_id))


@router.post(
    "/users/{user_id}/roles",
    response_model=UserOut,
    responses=WRITE,
    summary="Replace a user's roles",
    description="Takes effect on the user's next request. Removing the last administrator is `last_admin` (409).",
)
async def set_roles(session: DbSession, actor: AdminActor, user_id: uuid.UUID, body: RoleAssignment) -> UserOut:
    await service.set_user_roles(session, user_id, body.role_ids)
    return await _user_out(session, await service.get_user(session, user_id))


# --- teams ---------------------------------------------------------------------------------------------


async def _team_out(session: DbSession, team: Any) -> TeamOut:
    members = await service.team_members(session, [team.id])
    return TeamOut(
        id=team.id, name=team.name, description=team.description, lead_id=team.lead_id, member_ids=members[team.id]
    )


@router.get("/teams", response_model=Page[TeamOut], responses=READ, summary="List teams")
async def list_teams(
    session: DbSession,
    actor: CurrentActor,
    q: Annotated[str | None, Query(max_length=200, pattern=r"^[^\x00]*$")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[TeamOut]:
    teams, total = await service.list_teams(session, q=q, limit=limit, offset=offset)
    members = await service.team_members(session, [t.id for t in teams])
    data = [
        TeamOut(id=t.id, name=t.name, description=t.description, lead_id=t.lead_id, member_ids=members[t.id])
        for t in teams
    ]
    return Page[TeamOut](data=data, total=total, limit=limit, offset=offset)


@router.get("/teams/{team_id}", response_model=TeamOut, responses=READ, summary="Get a team")
async def get_team(session: DbSession, actor: CurrentActor, team_id: uuid.UUID) -> TeamOut:
    return await _team_out(session, await service.get_team(session, team_id))


@router.post("/teams", response_model=TeamOut, status_code=201, responses=WRITE, summary="Create a team")
async def create_team(session: DbSession, actor: AdminActor, body: TeamIn) -> TeamOut:
    assert actor.tenant_id is not None
    return await _team_out(session, await service.add_team(session, actor.tenant_id, as_dict(body)))


@router.patch("/teams/{team_id}", response_model=TeamOut, responses=WRITE, summary="Update a team")
async def update_team(session: DbSession, actor: AdminActor, team_id: uuid.UUID, body: TeamUpdate) -> TeamOut:
    return await _team_out(session, await service.update_team(session, team_id, as_dict(body)))


@router.delete("/teams/{team_id}", status_code=204, responses=WRITE, summary="Delete a team")
async def delete_team(session: DbSession, actor: AdminActor, team_id: uuid.UUID) -> Response:
    await service.delete_team(session, team_id)
    return Response(status_code=204)


@router.put("/teams/{team_id}/members", response_model=TeamOut, responses=WRITE, summary="Replace a team's members")
async def set_members(session: DbSession, actor: AdminActor, team_id: uuid.UUID, body: TeamMembers) -> TeamOut:
    await service.set_team_members(session, team_id, body.user_ids)
    return await _team_out(session, await service.get_team(session, team_id))


# --- departments ---------------------------------------------------------------------------------------


@router.get("/departments", response_model=Page[DepartmentOut], responses=READ, summary="List departments")
async def list_departments(
    session: DbSession, actor: CurrentActor, limit: Limit = 500, offset: Offset = 0
) -> Page[DepartmentOut]:
    rows, total = await service.list_departments(session, limit=limit, offset=offset)
    return Page[DepartmentOut](
        data=[DepartmentOut.model_validate(d) for d in rows], total=total, limit=limit, offset=offset
    )


@router.get("/departments/tree", response_model=list[DepartmentNode], responses=READ, summary="The department tree")
async def department_tree(session: DbSession, actor: CurrentActor) -> list[DepartmentNode]:
    return [DepartmentNode.model_validate(n) for n in await service.department_tree(session)]


@router.get("/departments/{dept_id}", response_model=DepartmentOut, responses=READ, summary="Get a department")
async def get_department(session: DbSession, actor: CurrentActor, dept_id: uuid.UUID) -> DepartmentOut:
    return DepartmentOut.model_validate(await service.get_department(session, dept_id))


@router.post(
    "/departments", response_model=DepartmentOut, status_code=201, responses=WRITE, summary="Create a department"
)
async def create_department(session: DbSession, actor: AdminActor, body: DepartmentIn) -> DepartmentOut:
    assert actor.tenant_id is not None
    return DepartmentOut.model_validate(await service.add_department(session, actor.tenant_id, as_dict(body)))


@router.patch(
    "/departments/{dept_id}",
    response_model=DepartmentOut,
    responses=WRITE,
    summary="Rename or move a department",
    description="Moving re-parents the whole subtree; moving under itself or a descendant is `department_cycle` (422).",
)
async def update_department(
    session: DbSession, actor: AdminActor, dept_id: uuid.UUID, body: DepartmentUpdate
) -> DepartmentOut:
    return DepartmentOut.model_validate(await service.update_department(session, dept_id, as_dict(body)))


@router.delete("/departments/{dept_id}", status_code=204, responses=WRITE, summary="Delete an empty department")
async def delete_department(session: DbSession, actor: AdminActor, dept_id: uuid.UUID) -> Response:
    await service.delete_department(session, dept_id)
    return Response(status_code=204)


# --- roles ---------------------------------------------------------------------------------------------


async def _role_detail(session: DbSession, role: Any) -> RoleDetail:
    counts = await role_service.user_counts(session, [role.id])
    return RoleDetail.model_validate(
        {
            **RoleOut.model_validate(role).model_dump(),
            "user_count": counts.get(role.id, 0),
            "matrix": role_service.matrix(role),
        }
    )


@router.get("/roles", response_model=Page[RoleOut], responses=READ, summary="List roles")
async def list_roles(session: DbSession, actor: AdminActor, limit: Limit = 100, offset: Offset = 0) -> Page[RoleOut]:
    rows, total = await role_service.list_roles(session, limit=limit, offset=offset)
    counts = await role_service.user_counts(session, [r.id for r in rows])
    data = [RoleOut.model_validate(r).model_copy(update={"user_count": counts.get(r.id, 0)}) for r in rows]
    return Page[RoleOut](data=data, total=total, limit=limit, offset=offset)


@router.get(
    "/roles/{role_id}", response_model=RoleDetail, responses=READ, summary="Get a role with its permission matrix"
)
async def get_role(session: DbSession, actor: AdminActor, role_id: uuid.UUID) -> RoleDetail:
    return await _role_detail(session, await role_service.get_role(session, role_id))


@router.post(
    "/roles",
    response_model=RoleDetail,
    status_code=201,
    responses=WRITE,
    summary="Create a role",
    description="Unknown entities, actions, scopes, fields or rules are `invalid_permissions` (422) with one detail each.",
)
async def create_role(session: DbSession, actor: AdminActor, body: RoleIn) -> RoleDetail:
    assert actor.tenant_id is not None
    return await _role_detail(session, await role_service.create_role(session, actor.tenant_id, as_dict(body)))


@router.patch("/roles/{role_id}", response_model=RoleDetail, responses=WRITE, summary="Update a role")
async def update_role(session: DbSession, actor: AdminActor, role_id: uuid.UUID, body: RoleUpdate) -> RoleDetail:
    assert actor.tenant_id is not None
    return await _role_detail(session, await role_service.update_role(session, actor.tenant_id, role_id, as_dict(body)))


@router.delete(
    "/roles/{role_id}",
    status_code=204,
    responses=WRITE,
    summary="Delete a role",
    description="A role still assigned is `role_in_use` (409).",
)
async def delete_role(session: DbSession, actor: AdminActor, role_id: uuid.UUID) -> Response:
    await role_service.delete_role(session, role_id)
    return Response(status_code=204)


# --- tenant settings -----------------------------------------------------------------------------------


@router.get("/tenant/settings", response_model=TenantSettingsOut, responses=READ, summary="The tenant's settings")
async def get_settings(session: DbSession, actor: AdminActor) -> Any:
    return await tenant_settings.get_tenant_settings(session, actor)


@router.patch(
    "/tenant/settings", response_model=TenantSettingsOut, responses=WRITE, summary="Change the tenant's settings"
)
async def update_settings(session: DbSession, actor: AdminActor, body: TenantSettingsPatch) -> Any:
    return await tenant_settings.update_tenant_settings(session, actor, as_dict(body))
