"""A tool call never exceeds the caller's permissions: scope, field rules, token scopes, tenants."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select

from lingxi.notifications.models import Notification
from lingxi.tenancy.context import Actor


async def _account(tools, kit, token, name):
    return (await tools.call(kit, "accounts.create", {"name": name, "industry": "制造业", "annual_revenue": 500},
                             token=token))["output"]


async def test_a_rep_reaches_only_their_own_records_through_every_data_tool(client, tenant, tools):
    _, alice = await tenant.add_user("alice", roles=("销售代表",))
    _, bob = await tenant.add_user("bob", roles=("销售代表",))
    mine = await _account(tools, tenant, alice, "爱丽丝公司")
    theirs = await _account(tools, tenant, bob, "鲍勃公司")
    await tools.call(tenant, "contacts.create", {"name": "张三", "account_id": theirs["id"]}, token=bob)

    found = await tools.call(tenant, "accounts.search", {"with_total": True}, token=alice)
    assert [r["name"] for r in found["output"]["data"]] == ["爱丽丝公司"] and found["output"]["total"] == 1
    assert (await tools.call(tenant, "accounts.search", {"keyword": "鲍勃"}, token=alice))["output"]["data"] == []
    got = await tools.call(tenant, "accounts.get", {"id": theirs["id"]}, token=alice, ok=False)
    assert got["error"]["code"] == "record_not_found"
    upd = await tools.call(tenant, "accounts.update", {"id": theirs["id"], "name": "改名"}, token=alice, ok=False)
    assert upd["error"]["code"] == "record_not_found"
    rel = await tools.call(tenant, "accounts.relate", {"id": theirs["id"], "related": "contacts"}, token=alice, ok=False)
    assert rel["error"]["code"] == "record_not_found"
    agg = await tools.call(tenant, "accounts.aggregate", {"metric": "sum", "field": "annual_revenue"}, token=alice)
    assert agg["output"]["total_count"] == 1 and agg["output"]["total_value"] == 500
    count = await tools.call(tenant, "analytics.count", {"entity": "accounts", "group_by": "owner_id"}, token=alice)
    assert [(g["count"], g["label"]) for g in count["output"]["groups"]] == [(1, "alice")]
    # The owner's own view of the same record still works.
    assert (await tools.call(tenant, "accounts.get", {"id": theirs["id"]}, token=bob))["output"]["name"] == "鲍勃公司"
    # A rep may not hand a record to someone else, nor export.
    _, carol = await tenant.add_user("carol", roles=("销售代表",))
    me = (await client.get("/api/v1/auth/me", headers=tenant.headers(bob))).json()["user"]["id"]
    stolen = await tools.call(tenant, "accounts.create", {"name": "给鲍勃", "owner_id": me}, token=carol, ok=False)
    assert stolen["error"]["code"] == "owner_not_allowed"
    r = await tools.call(tenant, "data.export", {"entity": "accounts"}, token=alice, expect=403)
    assert r["error"]["details"]["errors"]["reason"] == "permission_denied"
    assert mine["owner_id"] != theirs["owner_id"]


async def test_field_rules_hold_in_tool_results_filters_and_aggregates(client, tenant, tools):
    acct = await _account(tools, tenant, None, "华鼎")
    await tools.call(tenant, "contacts.create", {"name": "李雷", "account_id": acct["id"], "mobile": "13912345678",
                                                 "email": "li.lei@example.com", "city": "上海"})
    _, agent = await tenant.add_user("agent", roles=("客服专员",))
    rows = (await tools.call(tenant, "contacts.search", {"keyword": "李雷"}, token=agent))["output"]["data"]
    assert rows[0]["mobile"] == "139****5678" and rows[0]["email"].startswith("l*") and "birthday" not in rows[0]
    got = (await tools.call(tenant, "contacts.get", {"id": rows[0]["id"]}, token=agent))["output"]
    assert got["mobile"] == "139****5678"
    by_filter = await tools.call(tenant, "contacts.search", {"filter": {"mobile": "13912345678"}}, token=agent, ok=False)
    assert by_filter["error"]["code"] == "field_forbidden"
    grouped = await tools.call(tenant, "analytics.count", {"entity": "contacts", "group_by": "mobile"}, token=agent, ok=False)
    assert grouped["error"]["code"] == "field_forbidden"
    summed = await tools.call(tenant, "accounts.aggregate", {"metric": "sum", "field": "annual_revenue"}, token=agent, ok=False)
    assert summed["error"]["code"] == "field_forbidden"  # hidden from this role
    by_city = await tools.call(tenant, "analytics.count", {"entity": "contacts", "group_by": "city"}, token=agent)
    assert by_city["output"]["groups"] == [{"key": "上海", "label": None, "count": 1, "value": 1.0}]
    changed = await tools.call(tenant, "contacts.update", {"id": rows[0]["id"], "mobile": "1"}, token=agent, expect=403)
    assert changed["error"]["code"] == "forbidden"  # agents may not update contacts at all


async def test_a_read_only_api_token_cannot_change_anything(client, tenant, tools):
    r = await client.post("/api/v1/auth/tokens", json={"name": "ro", "scopes": ["read"]}, headers=tenant.headers())
    assert r.status_code == 201, r.text
    token = r.json()["token"]
    assert (await tools.call(tenant, "accounts.search", {}, token=token))["ok"]
    for name, args in [
        ("accounts.create", {"name": "x"}),
        ("communication.notify_user", {"user_id": str(tenant.admin.id), "title": "hi"}),
        ("calendar.create_reminder", {"title": "t", "remind_at": "2999-01-01T00:00:00Z"}),
    ]:
        refused = await tools.call(tenant, name, args, token=token, expect=403)
        assert refused["error"]["details"]["errors"]["reason"] in ("permission_denied", "token_scope_required")
    listed = {t["name"] for t in (await client.get("/api/v1/tools", params={"limit": 200}, headers=tenant.headers(token))).json()["items"]}
    assert "accounts.search" in listed and "accounts.create" not in listed and "communication.notify_user" not in listed
    async with tenant.db.unit_of_work(Actor.system(tenant.id), write=False) as s:
        assert await s.scalar(select(func.count()).select_from(Notification)) == 0


async def test_tools_never_cross_tenants(client, tenant, other_tenant, tools):
    theirs = await _account(tools, other_tenant, None, "别家公司")
    got = await tools.call(tenant, "accounts.get", {"id": theirs["id"]}, ok=False)
    assert got["error"]["code"] == "record_not_found"
    found = await tools.call(tenant, "accounts.search", {"keyword": "别家公司"})
    assert found["output"]["data"] == []
    notify = await tools.call(tenant, "communication.notify_user", {"user_id": str(other_tenant.admin.id), "title": "hi"}, ok=False)
    assert notify["error"]["code"] == "user_not_found"
    assert (await tools.call(tenant, "accounts.aggregate", {}))["output"]["total_count"] == 0
    calls = (await client.get("/api/v1/tools/calls", headers=other_tenant.headers())).json()["items"]
    assert [c["tool"] for c in calls] == ["accounts.create"]


async def test_a_rep_cannot_assign_a_task_to_someone_else(client, tenant, tools):
    rep, rep_token = await tenant.add_user("rep", roles=("销售代表",))
    other, _ = await tenant.add_user("other", roles=("销售代表",))
    refused = await tools.call(tenant, "tasks.assign", {"assignee_id": str(other.id), "subject": "跟进"}, token=rep_token, ok=False)
    assert refused["error"]["code"] == "owner_not_allowed"
    own = await tools.call(tenant, "tasks.assign", {"assignee_id": str(rep.id), "subject": "自己跟进"}, token=rep_token)
    assert own["output"]["task"]["owner_id"] == str(rep.id) and own["output"]["notified"] is False
    async with tenant.db.unit_of_work(Actor.system(tenant.id), write=False) as s:
        assert await s.scalar(select(func.count()).select_from(Notification).where(Notification.user_id == other.id)) == 0
    assert uuid.UUID(own["call_id"])
