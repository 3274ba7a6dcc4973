"""Own/team/department/all scopes, sharing, and field security in get, list and related lists."""

from sqlalchemy import select

from lingxi.authz.models import Role
from lingxi.tenancy.context import Actor


async def test_own_scope_vs_all(client, tenant):
    _, rep1 = await tenant.add_user("rep1", roles=("销售代表",))
    _, rep2 = await tenant.add_user("rep2", roles=("销售代表",))
    mine = (await client.post("/api/v1/accounts", json={"name": "Rep1 Co"}, headers=tenant.headers(rep1))).json()
    theirs = (await client.post("/api/v1/accounts", json={"name": "Rep2 Co"}, headers=tenant.headers(rep2))).json()

    listed = {a["id"] for a in (await client.get("/api/v1/accounts", headers=tenant.headers(rep1))).json()["data"]}
    assert mine["id"] in listed and theirs["id"] not in listed
    assert (await client.get(f"/api/v1/accounts/{theirs['id']}", headers=tenant.headers(rep1))).status_code == 404
    assert (await client.patch(f"/api/v1/accounts/{theirs['id']}", json={"city": "x"}, headers=tenant.headers(rep1))).status_code == 404
    # The admin (scope all) sees both.
    listed = {a["id"] for a in (await client.get("/api/v1/accounts", headers=tenant.headers())).json()["data"]}
    assert {mine["id"], theirs["id"]} <= listed
    # A rep may not create records owned by someone else.
    r = await client.post("/api/v1/accounts", json={"name": "X", "owner_id": str(tenant.users["rep2"].id)}, headers=tenant.headers(rep1))
    assert r.status_code == 403 and r.json()["error"]["code"] == "owner_not_allowed"


async def test_sharing_grants_read_then_edit(client, tenant):
    rep1_user, rep1 = await tenant.add_user("rep1", roles=("销售代表",))
    _, rep2 = await tenant.add_user("rep2", roles=("销售代表",))
    acc = (await client.post("/api/v1/accounts", json={"name": "Shared Co"}, headers=tenant.headers(rep2))).json()
    r = await client.post(f"/api/v1/accounts/{acc['id']}/shares", json={"user_id": str(rep1_user.id)}, headers=tenant.headers(rep2))
    assert r.status_code == 201, r.text
    assert (await client.get(f"/api/v1/accounts/{acc['id']}", headers=tenant.headers(rep1))).status_code == 200
    r = await client.patch(f"/api/v1/accounts/{acc['id']}", json={"city": "杭州"}, headers=tenant.headers(rep1))
    assert r.status_code == 403
    await client.post(f"/api/v1/accounts/{acc['id']}/shares", json={"user_id": str(rep1_user.id), "access": "edit"}, headers=tenant.headers(rep2))
    r = await client.patch(f"/api/v1/accounts/{acc['id']}", json={"city": "杭州"}, headers=tenant.headers(rep1))
    assert r.status_code == 200 and r.json()["city"] == "杭州"


async def test_field_security_hidden_masked_readonly(client, tenant):
    async with tenant.db.unit_of_work(Actor.system(tenant.id)) as s:
        role = await s.scalar(select(Role).where(Role.tenant_id == tenant.id, Role.name == "客服专员"))
        role.field_rules = {**role.field_rules, "contacts": {**role.field_rules["contacts"], "title": "readonly"}}
    _, agent = await tenant.add_user("agent", roles=("客服专员",))
    acc = (await client.post("/api/v1/accounts", json={"name": "华鼎"}, headers=tenant.headers())).json()
    c = (
        await client.post(
            "/api/v1/contacts",
            json={"name": "张伟", "account_id": acc["id"], "mobile": "13912345678", "email": "zhang.wei@huading.cn", "birthday": "1990-05-01", "title": "CTO"},
            headers=tenant.headers(),
        )
    ).json()
    got = (await client.get(f"/api/v1/contacts/{c['id']}", headers=tenant.headers(agent))).json()
    assert got["mobile"] == "139****5678"
    assert got["email"].endswith("@huading.cn") and got["email"] != "zhang.wei@huading.cn"
    assert "birthday" not in got
    listed = (await client.get("/api/v1/contacts", headers=tenant.headers(agent))).json()["data"]
    row = next(x for x in listed if x["id"] == c["id"])
    assert row["mobile"] == "139****5678" and "birthday" not in row
    related = (await client.get(f"/api/v1/accounts/{acc['id']}/contacts", headers=tenant.headers(agent))).json()["data"]
    assert related[0]["mobile"] == "139****5678" and "birthday" not in related[0]
    # Hidden or masked fields can't be used to probe values.
    r = await client.get("/api/v1/contacts", params={"filter": '{"mobile": "13912345678"}'}, headers=tenant.headers(agent))
    assert r.status_code == 403
    r = await client.get("/api/v1/contacts", params={"sort": "birthday"}, headers=tenant.headers(agent))
    assert r.status_code == 403
    # The admin still sees everything.
    full = (await client.get(f"/api/v1/contacts/{c['id']}", headers=tenant.headers())).json()
    assert full["mobile"] == "13912345678" and full["birthday"] == "1990-05-01"
