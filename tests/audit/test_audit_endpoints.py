"""GET /api/v1/audit/logs: administrators only, filtered, paginated, one tenant's entries."""

from __future__ import annotations

from datetime import timedelta

from lingxi.accounts.models import Account
from lingxi.kit.models import utcnow
from lingxi.tenancy.context import Actor


async def add_accounts(kit, names: list[str]) -> list[Account]:
    actor = Actor(tenant_id=kit.id, user_id=kit.admin.id, is_admin=True)
    out = []
    for name in names:
        async with kit.db.unit_of_work(actor) as s:
            account = Account(name=name)
            s.add(account)
        out.append(account)
    return out


async def test_admin_filters_and_pages_through_the_log(client, tenant):
    accounts = await add_accounts(tenant, [f"Filter {i}" for i in range(5)])
    async with tenant.db.unit_of_work(Actor(tenant_id=tenant.id, user_id=tenant.admin.id)) as s:
        acc = await s.get(Account, accounts[0].id)
        acc.name = "Renamed"

    r = await client.get(
        "/api/v1/audit/logs", params={"entity": "accounts", "action": "create"}, headers=tenant.headers()
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert {i["record_id"] for i in body["items"]} == {str(a.id) for a in accounts}
    assert body["next_cursor"] is None

    r = await client.get("/api/v1/audit/logs", params={"record_id": str(accounts[0].id)}, headers=tenant.headers())
    items = r.json()["items"]
    assert [i["action"] for i in items] == ["update", "create"]  # newest first
    assert items[0]["changes"] == {"name": ["Filter 0", "Renamed"]}
    assert items[0]["actor_id"] == str(tenant.admin.id)

    r = await client.get(
        "/api/v1/audit/logs", params={"actor_id": str(tenant.admin.id), "entity": "accounts"}, headers=tenant.headers()
    )
    assert len(r.json()["items"]) == 6

    now = utcnow()
    window = {
        "entity": "accounts",
        "from": (now - timedelta(minutes=5)).isoformat(),
        "to": (now + timedelta(minutes=5)).isoformat(),
    }
    assert len((await client.get("/api/v1/audit/logs", params=window, headers=tenant.headers())).json()["items"]) == 6
    future = {"entity": "accounts", "from": (now + timedelta(minutes=5)).isoformat()}
    assert (await client.get("/api/v1/audit/logs", params=future, headers=tenant.headers())).json()["items"] == []

    seen, cursor, pages = [], None, 0
    while True:
        params = {"entity": "accounts", "limit": 2, **({"cursor": cursor} if cursor else {})}
        page = (await client.get("/api/v1/audit/logs", params=params, headers=tenant.headers())).json()
        seen += [i["id"] for i in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == 3 and len(seen) == 6 and seen == sorted(seen, reverse=True)


async def test_limits_and_bad_cursor_are_typed_errors(client, tenant):
    r = await client.get("/api/v1/audit/logs", params={"limit": 501}, headers=tenant.headers())
    assert r.status_code == 422 and r.json()["error"]["code"] == "validation_error"
    r = await client.get("/api/v1/audit/logs", params={"cursor": "not-a-cursor"}, headers=tenant.headers())
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_cursor"


async def test_non_admin_is_forbidden(client, tenant):
    _, token = await tenant.add_user("rep", roles=("销售代表",))
    r = await client.get("/api/v1/audit/logs", headers=tenant.headers(token))
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "admin_required"
    assert (await client.get("/api/v1/audit/logs")).status_code == 401


async def test_other_tenants_entries_never_appear(client, tenant, other_tenant):
    [theirs] = await add_accounts(other_tenant, ["Theirs"])
    [ours] = await add_accounts(tenant, ["Ours"])
    r = await client.get("/api/v1/audit/logs", params={"record_id": str(theirs.id)}, headers=tenant.headers())
    assert r.status_code == 200 and r.json()["items"] == []
    seen, cursor = [], None
    while True:
        params = {"limit": 500, **({"cursor": cursor} if cursor else {})}
        page = (await client.get("/api/v1/audit/logs", params=params, headers=tenant.headers())).json()
        seen += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen and str(ours.id) in {i["record_id"] for i in seen}
    assert str(theirs.id) not in {i["record_id"] for i in seen}
    assert str(other_tenant.admin.id) not in {i["record_id"] for i in seen}
    assert all(i["actor_id"] in (None, str(tenant.admin.id)) for i in seen)
