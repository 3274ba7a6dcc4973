"""The tool library's REST API: listing (only usable tools), one tool, calling, and the call log."""

from __future__ import annotations

from lingxi.agent.tools.registry import list_tools


async def test_listing_shows_both_descriptions_and_schemas(client, tenant):
    r = await client.get("/api/v1/tools", params={"limit": 200}, headers=tenant.headers())
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["total"] == len(list_tools()) >= 60
    first = body["items"][0]
    assert set(first["description"]) >= {"zh", "en"} and first["input_schema"]["type"] == "object"
    assert {t["category"] for t in body["items"]} == {"data", "knowledge", "language", "communication", "calendar",
                                                       "analytics", "process"}
    page = (await client.get("/api/v1/tools", params={"limit": 10, "offset": 10}, headers=tenant.headers())).json()
    assert [t["name"] for t in page["items"]] == [t["name"] for t in body["items"][10:20]] and page["next_offset"] == 20
    lang = (await client.get("/api/v1/tools", params={"category": "language"}, headers=tenant.headers())).json()
    assert lang["items"] and all(t["category"] == "language" for t in lang["items"])
    bad = await client.get("/api/v1/tools", params={"category": "nope"}, headers=tenant.headers())
    assert bad.status_code == 422


async def test_a_user_sees_only_the_tools_they_may_use(client, tenant):
    _, token = await tenant.add_user("svc", roles=("客服专员",))
    names = {t["name"] for t in (await client.get("/api/v1/tools", params={"limit": 200}, headers=tenant.headers(token))).json()["items"]}
    assert "tickets.create" in names and "accounts.search" in names
    assert "accounts.create" not in names and "opportunities.search" not in names and "analytics.pipeline" not in names
    r = await client.get("/api/v1/tools/accounts.create", headers=tenant.headers(token))
    assert r.status_code == 403
    r = await client.get("/api/v1/tools/accounts.search", headers=tenant.headers(token))
    assert r.status_code == 200 and r.json()["permission"] == {"action": "read", "entity": "accounts", "entity_arg": None, "admin": False}
    assert (await client.get("/api/v1/tools/no.such", headers=tenant.headers(token))).status_code == 404


async def test_calling_answers_the_result_or_a_typed_refusal(client, tenant, tools):
    made = await tools.call(tenant, "accounts.create", {"name": "华鼎科技", "industry": "制造业"})
    assert made["output"]["name"] == "华鼎科技" and made["attempts"] == 1
    got = await tools.call(tenant, "accounts.get", {"id": made["output"]["id"]})
    assert got["output"]["id"] == made["output"]["id"]
    # The tool ran and failed: 200 with ok=false and the service's own code.
    missing = await tools.call(tenant, "accounts.get", {"id": "00000000-0000-0000-0000-000000000000"}, ok=False)
    assert missing["error"]["code"] == "record_not_found"
    invalid = await tools.call(tenant, "accounts.create", {"name": ""}, ok=False)
    assert invalid["error"]["code"] == "validation_error"
    # Refused before running: 404, 422, 403.
    r = await tools.call(tenant, "no.such_tool", expect=404)
    assert r["error"]["code"] == "tool_not_found"
    r = await tools.call(tenant, "accounts.get", {"id": "not-a-uuid"}, expect=422)
    assert r["error"]["details"]["errors"][0]["field"] == "id"
    _, token = await tenant.add_user("svc", roles=("客服专员",))
    r = await tools.call(tenant, "accounts.create", {"name": "x"}, token=token, expect=403)
    assert r["error"]["code"] == "forbidden"
    r = await client.post("/api/v1/tools/accounts.get/call", json={"args": {}, "bogus": 1}, headers=tenant.headers())
    assert r.status_code == 422


async def test_an_idempotency_key_makes_a_repeated_call_harmless(client, tenant, tools):
    first = await tools.call(tenant, "leads.create", {"name": "王五", "company": "云杉"}, idempotency_key="lead-1")
    again = await tools.call(tenant, "leads.create", {"name": "王五", "company": "云杉"}, idempotency_key="lead-1")
    assert again["replayed"] and again["output"]["id"] == first["output"]["id"]
    found = await tools.call(tenant, "leads.search", {"filter": {"company": "云杉"}, "with_total": True})
    assert found["output"]["total"] == 1
    r = await tools.call(tenant, "leads.create", {"name": "赵六"}, idempotency_key="lead-1", expect=409)
    assert r["error"]["code"] == "idempotency_conflict"


async def test_the_call_log_shows_own_calls_and_admins_see_all(client, tenant, tools):
    user, token = await tenant.add_user("rep", roles=("销售代表",))
    await tools.call(tenant, "language.sentiment", {"text": "非常满意"}, token=token)
    await tools.call(tenant, "accounts.get", {"id": "00000000-0000-0000-0000-000000000000"}, token=token, ok=False)
    await tools.call(tenant, "language.sentiment", {"text": "admin call"})
    mine = (await client.get("/api/v1/tools/calls", headers=tenant.headers(token))).json()["items"]
    assert {c["user_id"] for c in mine} == {str(user.id)} and len(mine) == 2
    assert {(c["tool"], c["ok"], c["error_code"]) for c in mine} == {("language.sentiment", True, None),
                                                                     ("accounts.get", False, "record_not_found")}
    assert all(c["latency_ms"] > 0 and c["attempts"] == 1 and c["source"] == "api" for c in mine)
    everyone = (await client.get("/api/v1/tools/calls", params={"limit": 2}, headers=tenant.headers())).json()
    assert len(everyone["items"]) == 2 and everyone["next_cursor"]
    rest = (await client.get("/api/v1/tools/calls", params={"cursor": everyone["next_cursor"]}, headers=tenant.headers())).json()
    assert len(rest["items"]) == 1 and rest["next_cursor"] is None
    failed = (await client.get("/api/v1/tools/calls", params={"ok": "false"}, headers=tenant.headers())).json()["items"]
    assert [c["tool"] for c in failed] == ["accounts.get"]
    assert (await client.get("/api/v1/tools/calls", params={"cursor": "garbage"}, headers=tenant.headers())).status_code == 400
    audit = (await client.get("/api/v1/audit/logs", params={"action": "tool_call"}, headers=tenant.headers())).json()
    assert len(audit["items"]) == 3
