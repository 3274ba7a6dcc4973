"""Saved list views through the API: each user's own, one default per list, bounded, tenant-walled."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.asyncio
STATE = {"q": "华鼎", "sort": "-amount", "picks": {"stage": ["won"]}, "columns": ["name", "cf_tier"], "pageSize": 50}


async def test_save_list_change_and_delete_a_view(client, tenant):
    h = tenant.headers()
    r = await client.post(
        "/api/v1/views", json={"entity": "accounts", "name": " 我的大客户 ", "state": STATE}, headers=h
    )
    assert r.status_code == 201, r.text
    view = r.json()
    assert view["name"] == "我的大客户" and view["state"] == STATE and view["is_default"] is False

    other = await client.post("/api/v1/views", json={"entity": "contacts", "name": "全部", "state": {}}, headers=h)
    assert other.status_code == 201
    listed = (await client.get("/api/v1/views", params={"entity": "accounts"}, headers=h)).json()
    assert [v["id"] for v in listed] == [view["id"]]

    r = await client.patch(
        f"/api/v1/views/{view['id']}", json={"name": "重点客户", "state": {"sort": "name"}}, headers=h
    )
    assert r.status_code == 200, r.text
    assert r.json()["name"] == "重点客户" and r.json()["state"] == {"sort": "name"}

    assert (await client.delete(f"/api/v1/views/{view['id']}", headers=h)).status_code == 204
    assert (await client.get("/api/v1/views", params={"entity": "accounts"}, headers=h)).json() == []
    assert (await client.delete(f"/api/v1/views/{view['id']}", headers=h)).status_code == 404


async def test_one_default_per_list_and_unique_names(client, tenant):
    h = tenant.headers()
    a = (
        await client.post("/api/v1/views", json={"entity": "leads", "name": "A", "is_default": True}, headers=h)
    ).json()
    b = (
        await client.post("/api/v1/views", json={"entity": "leads", "name": "B", "is_default": True}, headers=h)
    ).json()
    views = {v["name"]: v["is_default"] for v in (await client.get("/api/v1/views?entity=leads", headers=h)).json()}
    assert views == {"A": False, "B": True}
    r = await client.patch(f"/api/v1/views/{a['id']}", json={"is_default": True}, headers=h)
    assert r.json()["is_default"] is True
    views = {v["name"]: v["is_default"] for v in (await client.get("/api/v1/views?entity=leads", headers=h)).json()}
    assert views == {"A": True, "B": False}

    dup = await client.post("/api/v1/views", json={"entity": "leads", "name": "A"}, headers=h)
    assert dup.status_code == 409 and dup.json()["error"]["code"] == "saved_view_exists"
    rename = await client.patch(f"/api/v1/views/{b['id']}", json={"name": "A"}, headers=h)
    assert rename.status_code == 409


async def test_bad_input_is_rejected(client, tenant):
    h = tenant.headers()
    r = await client.post("/api/v1/views", json={"entity": "no_such_thing", "name": "x"}, headers=h)
    assert r.status_code == 404
    r = await client.post("/api/v1/views", json={"entity": "accounts", "name": "   "}, headers=h)
    assert r.status_code == 422
    r = await client.post(
        "/api/v1/views", json={"entity": "accounts", "name": "big", "state": {"q": "x" * 20_000}}, headers=h
    )
    assert r.status_code == 422
    assert (await client.get("/api/v1/views")).status_code == 401


async def test_views_are_private_to_their_user_and_tenant(client, tenant, other_tenant):
    mine = (
        await client.post("/api/v1/views", json={"entity": "accounts", "name": "私有"}, headers=tenant.headers())
    ).json()
    _, colleague = await tenant.add_user("colleague", roles=("销售代表",))
    assert (await client.get("/api/v1/views?entity=accounts", headers=tenant.headers(colleague))).json() == []
    for headers in (tenant.headers(colleague), other_tenant.headers()):
        assert (
            await client.patch(f"/api/v1/views/{mine['id']}", json={"name": "x"}, headers=headers)
        ).status_code == 404
        assert (await client.delete(f"/api/v1/views/{mine['id']}", headers=headers)).status_code == 404
    assert (await client.get("/api/v1/views?entity=accounts", headers=other_tenant.headers())).json() == []
