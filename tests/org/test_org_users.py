"""Users administered through the API: invitation, roles, deactivation, two-factor reset, the
directory non-admins see, and the last-administrator guard."""

from __future__ import annotations

from sqlalchemy import select

from lingxi.auth.models import LoginSession
from lingxi.authz.models import Role
from lingxi.org.models import User
from lingxi.tenancy.context import Actor


async def _role_id(tenant, name: str) -> str:
    async with tenant.db.unit_of_work(Actor.system(tenant.id), write=False) as s:
        return str(await s.scalar(select(Role.id).where(Role.name == name)))


async def _login(client, email: str, password: str, slug: str) -> str:
    r = await client.post("/api/v1/auth/login", json={"email": email, "password": password, "tenant": slug})
    assert r.status_code == 200, r.text
    return r.json()["access_token"]


async def test_admin_invites_a_user_who_signs_in_and_gets_a_role(client, tenant):
    h = tenant.headers()
    r = await client.post(
        "/api/v1/users", json={"email": "Wang.Fang@Example.com", "name": "王芳", "title": "销售"}, headers=h
    )
    assert r.status_code == 201, r.text
    created = r.json()
    temp = created["temporary_password"]
    assert temp and len(temp) >= 16
    assert created["email"] == "wang.fang@example.com" and created["role_ids"] == []
    token = await _login(client, "wang.fang@example.com", temp, tenant.slug)
    # No role yet: no access to accounts.
    assert (await client.get("/api/v1/accounts", headers=tenant.headers(token))).status_code == 403

    rep = await _role_id(tenant, "销售代表")
    r = await client.post(f"/api/v1/users/{created['id']}/roles", json={"role_ids": [rep]}, headers=h)
    assert r.status_code == 200, r.text
    assert r.json()["role_ids"] == [rep]
    assert (await client.get("/api/v1/accounts", headers=tenant.headers(token))).status_code == 200

    r = await client.post("/api/v1/users", json={"email": "wang.fang@example.com", "name": "again"}, headers=h)
    assert r.status_code == 409 and r.json()["error"]["code"] == "user_exists"
    r = await client.post("/api/v1/users", json={"email": "x@example.com", "name": "x", "password": "short"}, headers=h)
    assert r.status_code == 422 and r.json()["error"]["code"] == "weak_password"
    r = await client.post(
        "/api/v1/users", json={"email": "y@example.com", "name": "y", "role_ids": [created["id"]]}, headers=h
    )
    assert r.status_code == 422 and r.json()["error"]["code"] == "role_not_found"


async def test_list_filters_and_directory_for_non_admins(client, tenant):
    h = tenant.headers()
    rep_user, rep_token = await tenant.add_user("rep", roles=("销售代表",))
    await tenant.add_user("auditor", roles=("审计员",))
    rep = await _role_id(tenant, "销售代表")
    r = await client.get("/api/v1/users", params={"role_id": rep}, headers=h)
    assert r.status_code == 200, r.text
    assert [u["id"] for u in r.json()["data"]] == [str(rep_user.id)]
    assert r.json()["data"][0]["role_ids"] == [rep]
    r = await client.get("/api/v1/users", params={"q": "AUDIT", "limit": 1}, headers=h)
    assert r.json()["total"] == 1 and r.json()["data"][0]["name"] == "auditor"
    assert (await client.get("/api/v1/users", params={"limit": 501}, headers=h)).status_code == 422

    r = await client.get("/api/v1/users", headers=tenant.headers(rep_token))
    assert r.status_code == 200
    assert r.json()["total"] == 3
    assert set(r.json()["data"][0]) == {"id", "name", "email", "title", "department_id"}
    rt = tenant.headers(rep_token)
    assert (await client.get(f"/api/v1/users/{rep_user.id}", headers=rt)).status_code == 403
    assert (
        await client.post("/api/v1/users", json={"email": "z@example.com", "name": "z"}, headers=rt)
    ).status_code == 403
    assert (await client.patch(f"/api/v1/users/{rep_user.id}", json={"name": "boss"}, headers=rt)).status_code == 403
    assert (
        await client.post(f"/api/v1/users/{rep_user.id}/roles", json={"role_ids": []}, headers=rt)
    ).status_code == 403
    assert (await client.post("/api/v1/teams", json={"name": "t"}, headers=rt)).status_code == 403
    assert (await client.post("/api/v1/departments", json={"name": "d"}, headers=rt)).status_code == 403
    assert (await client.get("/api/v1/roles", headers=rt)).status_code == 403
    assert (await client.patch("/api/v1/tenant/settings", json={"name": "x"}, headers=rt)).status_code == 403


async def test_deactivation_revokes_sessions_and_guards_the_last_admin(client, tenant):
    h = tenant.headers()
    user, token = await tenant.add_user("leaving", roles=("销售代表",))
    assert (await client.get("/api/v1/accounts", headers=tenant.headers(token))).status_code == 200
    r = await client.patch(f"/api/v1/users/{user.id}", json={"is_active": False, "title": "ex"}, headers=h)
    assert r.status_code == 200 and r.json()["is_active"] is False
    assert (await client.get("/api/v1/accounts", headers=tenant.headers(token))).status_code == 401
    async with tenant.db.unit_of_work(tenant.actor(), write=False) as s:
        sessions = (await s.scalars(select(LoginSession).where(LoginSession.user_id == user.id))).all()
        assert sessions and all(x.revoked_at is not None for x in sessions)

    r = await client.patch(f"/api/v1/users/{tenant.admin.id}", json={"is_active": False}, headers=h)
    assert r.status_code == 409 and r.json()["error"]["code"] == "cannot_deactivate_self"
    r = await client.post(f"/api/v1/users/{tenant.admin.id}/roles", json={"role_ids": []}, headers=h)
    assert r.status_code == 409 and r.json()["error"]["code"] == "last_admin"
    # A second admin makes removing the first possible.
    admin_role = await _role_id(tenant, "管理员")
    second, second_token = await tenant.add_user("admin2", roles=("管理员",))
    r = await client.patch(
        f"/api/v1/users/{tenant.admin.id}", json={"is_active": False}, headers=tenant.headers(second_token)
    )
    assert r.status_code == 200
    r = await client.post(
        f"/api/v1/users/{second.id}/roles", json={"role_ids": []}, headers=tenant.headers(second_token)
    )
    assert r.status_code == 409
    r = await client.post(
        f"/api/v1/users/{second.id}/roles", json={"role_ids": [admin_role]}, headers=tenant.headers(second_token)
    )
    assert r.status_code == 200


async def test_reset_2fa_clears_the_secret(client, tenant):
    user, _ = await tenant.add_user("otp")
    async with tenant.db.unit_of_work(tenant.actor()) as s:
        row = await s.get(User, user.id)
        row.totp_secret, row.totp_enabled, row.recovery_codes = "JBSWY3DPEHPK3PXP", True, ["a"]
    r = await client.post(f"/api/v1/users/{user.id}/reset-2fa", headers=tenant.headers())
    assert r.status_code == 200 and r.json()["totp_enabled"] is False
    async with tenant.db.unit_of_work(tenant.actor(), write=False) as s:
        row = await s.get(User, user.id)
        assert row.totp_secret is None and row.recovery_codes == []


async def test_other_tenants_users_are_invisible(client, tenant, other_tenant):
    stranger, _ = await other_tenant.add_user("stranger")
    h = tenant.headers()
    assert (await client.get(f"/api/v1/users/{stranger.id}", headers=h)).status_code == 404
    assert (await client.patch(f"/api/v1/users/{stranger.id}", json={"name": "x"}, headers=h)).status_code == 404
    assert (await client.post(f"/api/v1/users/{stranger.id}/reset-2fa", headers=h)).status_code == 404
    assert (
        await client.post(f"/api/v1/users/{stranger.id}/roles", json={"role_ids": []}, headers=h)
    ).status_code == 404
    ids = {u["id"] for u in (await client.get("/api/v1/users", params={"limit": 500}, headers=h)).json()["data"]}
    assert str(stranger.id) not in ids
    foreign_role = await _role_id(other_tenant, "销售代表")
    r = await client.post(
        "/api/v1/users", json={"email": "n@example.com", "name": "n", "role_ids": [foreign_role]}, headers=h
    )
    assert r.status_code == 422
    r = await client.patch(f"/api/v1/users/{tenant.admin.id}", json={"manager_id": str(stranger.id)}, headers=h)
    assert r.status_code == 422
