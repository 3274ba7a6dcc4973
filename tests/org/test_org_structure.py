"""Roles, teams, departments and tenant settings administered through the API."""

from __future__ import annotations

from sqlalchemy import select

from lingxi.authz.models import Role
from lingxi.tenancy.context import Actor


async def _role_id(tenant, name: str) -> str:
    async with tenant.db.unit_of_work(Actor.system(tenant.id), write=False) as s:
        return str(await s.scalar(select(Role.id).where(Role.name == name)))


async def test_role_validation_reports_each_problem(client, tenant):
    h = tenant.headers()
    body = {
        "name": "坏角色",
        "permissions": {"accounts": {"read": "everything", "fly": "all"}, "spaceships": {"read": "all"}},
        "field_rules": {"contacts": {"no_such_field": "hidden", "phone": "invisible"}, "nope": {}},
    }
    r = await client.post("/api/v1/roles", json=body, headers=h)
    assert r.status_code == 422, r.text
    err = r.json()["error"]
    assert err["code"] == "invalid_permissions"
    got = {(d["field"], d["code"]) for d in err["details"]}
    assert got == {
        ("permissions.accounts.read", "unknown_scope"),
        ("permissions.accounts.fly", "unknown_action"),
        ("permissions.spaceships", "unknown_entity"),
        ("field_rules.contacts.no_such_field", "unknown_field"),
        ("field_rules.contacts.phone", "unknown_rule"),
        ("field_rules.nope", "unknown_entity"),
    }


async def test_role_crud_matrix_and_in_use(client, tenant):
    h = tenant.headers()
    r = await client.post(
        "/api/v1/roles",
        json={
            "name": "只读",
            "permissions": {"accounts": {"read": "all"}},
            "field_rules": {"accounts": {"annual_revenue": "masked"}},
        },
        headers=h,
    )
    assert r.status_code == 201, r.text
    role = r.json()
    row = next(m for m in role["matrix"] if m["entity"] == "accounts")
    assert row["actions"] == {
        "read": "all",
        "create": "none",
        "update": "none",
        "delete": "none",
        "export": "none",
        "import": "none",
    }
    assert (await client.post("/api/v1/roles", json={"name": "只读"}, headers=h)).status_code == 409
    r = await client.patch(
        f"/api/v1/roles/{role['id']}", json={"permissions": {"contacts": {"read": "own"}}}, headers=h
    )
    assert r.status_code == 200 and r.json()["permissions"] == {"contacts": {"read": "own"}}
    assert (await client.get(f"/api/v1/roles/{role['id']}", headers=h)).json()["user_count"] == 0
    roles = (await client.get("/api/v1/roles", headers=h)).json()
    assert roles["total"] == 7

    user, _ = await tenant.add_user("holder")
    await client.post(f"/api/v1/users/{user.id}/roles", json={"role_ids": [role["id"]]}, headers=h)
    r = await client.delete(f"/api/v1/roles/{role['id']}", headers=h)
    assert r.status_code == 409 and r.json()["error"]["code"] == "role_in_use"
    await client.post(f"/api/v1/users/{user.id}/roles", json={"role_ids": []}, headers=h)
    assert (await client.delete(f"/api/v1/roles/{role['id']}", headers=h)).status_code == 204
    assert (await client.get(f"/api/v1/roles/{role['id']}", headers=h)).status_code == 404
    # The only admin role cannot stop being one.
    admin_role = await _role_id(tenant, "管理员")
    r = await client.patch(f"/api/v1/roles/{admin_role}", json={"is_admin": False}, headers=h)
    assert r.status_code == 409 and r.json()["error"]["code"] == "last_admin"


async def test_role_change_applies_on_the_next_request(client, tenant):
    h = tenant.headers()
    other, other_token = await tenant.add_user("other", roles=("销售代表",))
    rep, rep_token = await tenant.add_user("rep", roles=("销售代表",))
    acc = (
        await client.post("/api/v1/accounts", json={"name": "别人的客户"}, headers=tenant.headers(other_token))
    ).json()
    rh = tenant.headers(rep_token)
    assert (await client.get("/api/v1/accounts", headers=rh)).json()["data"] == []
    assert (await client.get(f"/api/v1/accounts/{acc['id']}", headers=rh)).status_code == 404

    role_id = await _role_id(tenant, "销售代表")
    perms = (await client.get(f"/api/v1/roles/{role_id}", headers=h)).json()["permissions"]
    perms["accounts"]["read"] = "all"
    assert (await client.patch(f"/api/v1/roles/{role_id}", json={"permissions": perms}, headers=h)).status_code == 200
    assert [a["id"] for a in (await client.get("/api/v1/accounts", headers=rh)).json()["data"]] == [acc["id"]]
    assert (await client.get(f"/api/v1/accounts/{acc['id']}", headers=rh)).status_code == 200


async def test_other_tenants_roles_are_invisible(client, tenant, other_tenant):
    foreign = await _role_id(other_tenant, "销售代表")
    h = tenant.headers()
    assert (await client.get(f"/api/v1/roles/{foreign}", headers=h)).status_code == 404
    assert (await client.patch(f"/api/v1/roles/{foreign}", json={"name": "x"}, headers=h)).status_code == 404
    assert (await client.delete(f"/api/v1/roles/{foreign}", headers=h)).status_code == 404
    names = [r["name"] for r in (await client.get("/api/v1/roles", headers=h)).json()["data"]]
    assert len(names) == 6


async def test_teams_and_members(client, tenant, other_tenant):
    h = tenant.headers()
    a, a_token = await tenant.add_user("a")
    b, _ = await tenant.add_user("b")
    stranger, _ = await other_tenant.add_user("stranger")
    r = await client.post("/api/v1/teams", json={"name": "华东销售", "lead_id": str(a.id)}, headers=h)
    assert r.status_code == 201, r.text
    team = r.json()
    assert (await client.post("/api/v1/teams", json={"name": "华东销售"}, headers=h)).status_code == 409
    r = await client.put(f"/api/v1/teams/{team['id']}/members", json={"user_ids": [str(a.id), str(b.id)]}, headers=h)
    assert r.status_code == 200 and set(r.json()["member_ids"]) == {str(a.id), str(b.id)}
    r = await client.put(f"/api/v1/teams/{team['id']}/members", json={"user_ids": [str(stranger.id)]}, headers=h)
    assert r.status_code == 422
    listed = (await client.get("/api/v1/teams", headers=tenant.headers(a_token))).json()
    assert listed["total"] == 1 and len(listed["data"][0]["member_ids"]) == 2
    r = await client.patch(f"/api/v1/teams/{team['id']}", json={"description": "华东区"}, headers=h)
    assert r.json()["description"] == "华东区"
    oh = other_tenant.headers()
    assert (await client.get(f"/api/v1/teams/{team['id']}", headers=oh)).status_code == 404
    assert (
        await client.put(f"/api/v1/teams/{team['id']}/members", json={"user_ids": []}, headers=oh)
    ).status_code == 404
    assert (await client.delete(f"/api/v1/teams/{team['id']}", headers=h)).status_code == 204
    assert (await client.get("/api/v1/teams", headers=h)).json()["total"] == 0


async def test_department_reparenting_updates_paths_and_department_scope(client, tenant, other_tenant):
    h = tenant.headers()

    async def dept(name: str, parent: str | None = None) -> dict:
        r = await client.post("/api/v1/departments", json={"name": name, "parent_id": parent}, headers=h)
        assert r.status_code == 201, r.text
        return r.json()

    sales = await dept("销售部")
    east = await dept("华东", sales["id"])
    north = await dept("华北")
    beijing = await dept("北京", north["id"])
    assert beijing["path"] == f"/{north['id'].replace('-', '')}/{beijing['id'].replace('-', '')}/"

    import uuid

    mgr, mgr_token = await tenant.add_user("mgr", roles=("销售经理",), department_id=uuid.UUID(sales["id"]))
    rep, rep_token = await tenant.add_user("rep", roles=("销售代表",), department_id=uuid.UUID(beijing["id"]))
    acc = (await client.post("/api/v1/accounts", json={"name": "北京客户"}, headers=tenant.headers(rep_token))).json()
    mh = tenant.headers(mgr_token)
    assert (await client.get("/api/v1/accounts", headers=mh)).json()["data"] == []

    # 华北 (with 北京) moves under 销售部: the manager's department scope now covers the rep's account.
    r = await client.patch(f"/api/v1/departments/{north['id']}", json={"parent_id": sales["id"]}, headers=h)
    assert r.status_code == 200, r.text
    hex_ = {d["name"]: d["id"].replace("-", "") for d in (sales, north, beijing)}
    assert r.json()["path"] == f"/{hex_['销售部']}/{hex_['华北']}/"
    got = (await client.get(f"/api/v1/departments/{beijing['id']}", headers=h)).json()
    assert got["path"] == f"/{hex_['销售部']}/{hex_['华北']}/{hex_['北京']}/"
    assert [a["id"] for a in (await client.get("/api/v1/accounts", headers=mh)).json()["data"]] == [acc["id"]]

    r = await client.patch(f"/api/v1/departments/{sales['id']}", json={"parent_id": beijing["id"]}, headers=h)
    assert r.status_code == 422 and r.json()["error"]["code"] == "department_cycle"
    r = await client.patch(f"/api/v1/departments/{sales['id']}", json={"parent_id": sales["id"]}, headers=h)
    assert r.status_code == 422

    tree = (await client.get("/api/v1/departments/tree", headers=tenant.headers(rep_token))).json()
    assert [n["name"] for n in tree] == ["销售部"]
    assert sorted(c["name"] for c in tree[0]["children"]) == ["华东", "华北"]
    north_node = next(c for c in tree[0]["children"] if c["name"] == "华北")
    assert [c["name"] for c in north_node["children"]] == ["北京"]

    r = await client.delete(f"/api/v1/departments/{north['id']}", headers=h)
    assert r.status_code == 409
    assert (await client.delete(f"/api/v1/departments/{east['id']}", headers=h)).status_code == 204
    oh = other_tenant.headers()
    assert (await client.get(f"/api/v1/departments/{sales['id']}", headers=oh)).status_code == 404
    assert (await client.patch(f"/api/v1/departments/{sales['id']}", json={"name": "x"}, headers=oh)).status_code == 404
    assert (await client.get("/api/v1/departments", headers=oh)).json()["total"] == 0


async def test_tenant_settings(client, tenant, other_tenant):
    h = tenant.headers()
    r = await client.get("/api/v1/tenant/settings", headers=h)
    assert r.status_code == 200 and r.json()["password_policy"]["min_length"] == 10
    patch = {
        "name": "华鼎",
        "timezone": "Europe/Berlin",
        "password_policy": {"min_length": 12, "require_symbol": True},
        "session_idle_minutes": 60,
        "branding": {"name": "华鼎 CRM", "primary_color": "#1677ff", "logo_url": "https://example.com/logo.png"},
    }
    r = await client.patch("/api/v1/tenant/settings", json=patch, headers=h)
    assert r.status_code == 200, r.text
    body = r.json()
    assert (
        body["name"] == "华鼎"
        and body["password_policy"]["min_length"] == 12
        and body["password_policy"]["require_digit"] is True
    )
    assert body["branding"]["primary_color"] == "#1677ff" and body["session_idle_minutes"] == 60
    for bad in (
        {"timezone": "Mars/Base"},
        {"branding": {"primary_color": "blue"}},
        {"branding": {"logo_url": "javascript:alert(1)"}},
        {"password_policy": {"min_length": 3}},
        {"default_currency": "yuan"},
        {"unknown": 1},
    ):
        assert (await client.patch("/api/v1/tenant/settings", json=bad, headers=h)).status_code == 422, bad
    # The new policy applies to invitations.
    r = await client.post(
        "/api/v1/users", json={"email": "p@example.com", "name": "p", "password": "abcdefgh1234"}, headers=h
    )
    assert r.status_code == 422
    assert (await client.get("/api/v1/tenant/settings", headers=other_tenant.headers())).json()["name"] != "华鼎"
