"""The offline planner on the built-in methods, the method library API, LLM plans checked before they
run, outcome-based ranking, live status over SSE, and the walls between users and tenants."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import pytest
from conftest import add_method, leaf, method, wait_for
from llm_fake_server import FakeOpenAI, completion

from lingxi.agent.planning.models import Plan
from lingxi.ai.llm.resilience import reset_breakers


async def _account(client, kit, name, token=None):
    r = await client.post("/api/v1/accounts", json={"name": name}, headers=kit.headers(token))
    assert r.status_code == 201, r.text
    return r.json()


def _leaves(nodes):
    out = []
    for n in nodes:
        if n["kind"] == "task":
            out.append(n)
        out += _leaves(n.get("children", []))
    return out


async def test_a_goal_in_words_becomes_a_plan_for_the_named_customer(client, tenant):
    _, rep_token = await tenant.add_user("rep", roles=("销售代表",))
    _, other_token = await tenant.add_user("other", roles=("销售代表",))
    name = f"华鼎科技{uuid.uuid4().hex[:4]}"
    acc = await _account(client, tenant, name, rep_token)
    r = await client.post("/api/v1/plans/preview", json={"goal": f"{name}最近三个月没下单，可能要流失，帮我挽回", "use_llm": False},
                          headers=tenant.headers(rep_token))
    assert r.status_code == 200, r.text
    p = r.json()
    assert p["goal_type"] == "win_back" and p["language"] == "zh" and p["planner"] == "offline"
    assert p["slots"]["account"]["id"] == acc["id"]
    assert p["depth"] >= 4
    tasks = [n for n in p["tree"] if n["kind"] == "task"]
    assert {t["executor"] for t in tasks} >= {"system", "person"}
    assert all(n["why"] for n in p["tree"])
    assert p["explanation"]["candidates"][0]["keywords"]  # why this method: the words that matched
    # Another rep may not read that customer: the planner does not find it for them.
    r = await client.post("/api/v1/plans/preview", json={"goal": f"挽回流失客户{name}", "use_llm": False}, headers=tenant.headers(other_token))
    assert r.status_code == 422 and r.json()["error"]["code"] == "slot_unfilled"
    # English goal, record given explicitly, plan started: the first automatic tasks are ready at once.
    r = await client.post("/api/v1/plans", headers=tenant.headers(rep_token), json={
        "goal": "Prepare the quarterly business review", "record": {"entity": "accounts", "id": acc["id"]}, "use_llm": False})
    assert r.status_code == 201, r.text
    plan = r.json()
    assert plan["goal_type"] == "qbr" and plan["language"] == "en" and plan["record_id"] == acc["id"]
    first = [t for t in _leaves(plan["tree"]) if not t["depends_on"]]
    assert first and all(t["ready_at"] for t in first)
    assert (await client.get(f"/api/v1/plans/{plan['id']}", headers=tenant.headers(other_token))).status_code == 404
    assert (await client.get(f"/api/v1/plans/{plan['id']}", headers=tenant.headers())).status_code == 200  # admin
    r = await client.post("/api/v1/plans", json={"goal": "今天天气不错", "use_llm": False}, headers=tenant.headers(rep_token))
    assert r.status_code == 422 and r.json()["error"]["code"] in ("goal_not_understood", "slot_unfilled")


async def test_the_method_library_is_data_admins_edit(client, tenant):
    _, rep_token = await tenant.add_user("rep", roles=("销售代表",))
    r = await client.get("/api/v1/plan-methods?limit=200", headers=tenant.headers(rep_token))
    assert r.status_code == 200
    items = r.json()["items"]
    assert len({m["goal_type"] for m in items}) >= 8
    assert all(m["name"]["zh"] and m["name"]["en"] and m["builtin"] for m in items)
    body = method("mine_ok", [leaf("only_step", "plantest.ok")])
    assert (await client.post("/api/v1/plan-methods", json=body, headers=tenant.headers(rep_token))).status_code == 403
    shallow = {**body, "key": "too_flat", "tree": [leaf("flat_step", "plantest.ok")]}
    r = await client.post("/api/v1/plan-methods", json=shallow, headers=tenant.headers())
    assert r.status_code == 422 and r.json()["error"]["code"] == "method_invalid"
    assert any(d["code"] == "too_shallow" for d in r.json()["error"]["details"])
    bad_tool = method("bad_tool", [leaf("x_step", "no.such_tool")])
    r = await client.post("/api/v1/plan-methods", json=bad_tool, headers=tenant.headers())
    assert r.status_code == 422 and any(d["code"] == "tool_unknown" for d in r.json()["error"]["details"])
    # Disable a built-in: the other method of that goal type is used instead; delete restores it.
    r = await client.patch("/api/v1/plan-methods/win_back_churning_customer", json={"enabled": False}, headers=tenant.headers())
    assert r.status_code == 200 and r.json()["enabled"] is False and r.json()["customized"] is True
    acc = await _account(client, tenant, f"远航物流{uuid.uuid4().hex[:4]}")
    r = await client.post("/api/v1/plans/preview", json={"goal": f"挽回{acc['name']}", "goal_type": "win_back", "use_llm": False},
                          headers=tenant.headers())
    assert r.json()["method_key"] == "win_back_campaign_first"
    assert (await client.delete("/api/v1/plan-methods/win_back_churning_customer", headers=tenant.headers())).status_code == 204
    assert (await client.get("/api/v1/plan-methods/win_back_churning_customer", headers=tenant.headers())).json()["enabled"] is True
    assert (await client.delete("/api/v1/plan-methods/win_back_churning_customer", headers=tenant.headers())).status_code == 409


async def test_past_outcomes_rank_methods_of_the_same_goal_type(client, tenant):
    tag = uuid.uuid4().hex[:6]
    a = method(f"rank_a_{tag}", [leaf(f"ra_{tag}", "plantest.ok")])
    b = method(f"rank_b_{tag}", [leaf(f"rb_{tag}", "plantest.ok")])
    b["goal_type"] = a["goal_type"]
    a["examples"] = b["examples"] = [f"rank goal {tag}"]
    await add_method(client, tenant, a)
    await add_method(client, tenant, b)
    async with tenant.db.unit_of_work(tenant.actor()) as s:
        for key, met in ((a["key"], False), (a["key"], False), (b["key"], True), (b["key"], True)):
            s.add(Plan(tenant_id=tenant.id, goal="g", goal_type=a["goal_type"], method_key=key, status="done", goal_met=met, score=1.0 if met else 0.0))
    r = await client.post("/api/v1/plans/classify", json={"goal": f"rank goal {tag}"}, headers=tenant.headers())
    top = r.json()["candidates"][:2]
    assert [c["method"] for c in top] == [b["key"], a["key"]]
    assert top[0]["success_rate"] > top[1]["success_rate"]


async def test_live_status_streams_every_change_and_other_tenants_see_nothing(client, tenant, other_tenant, scheduler):
    tag = uuid.uuid4().hex[:6]
    await add_method(client, tenant, method(f"sse_{tag}", [leaf(f"s1_{tag}", "plantest.ok"), leaf(f"s2_{tag}", "plantest.ok")]))
    plan = (await client.post("/api/v1/plans", json={"goal": "stream it", "method_key": f"sse_{tag}"}, headers=tenant.headers())).json()

    async def done():
        return (await client.get(f"/api/v1/plans/{plan['id']}", headers=tenant.headers())).json()["status"] == "done"

    await wait_for(done)
    r = await client.get(f"/api/v1/plans/{plan['id']}/events", headers=tenant.headers())
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
    events = [json.loads(line[6:]) for line in r.text.splitlines() if line.startswith("data: ")]
    kinds = [e["kind"] for e in events]
    assert kinds[0] == "plan.created" and kinds[-1] == "plan.done"
    assert kinds.count("task.done") == 2 and [e["id"] for e in events] == sorted(e["id"] for e in events)
    # Resume after an event id: only what came later.
    r = await client.get(f"/api/v1/plans/{plan['id']}/events", headers={**tenant.headers(), "Last-Event-ID": str(events[-2]["id"])})
    assert [json.loads(x[6:])["kind"] for x in r.text.splitlines() if x.startswith("data: ")] == ["plan.done"]
    for path in (f"/plans/{plan['id']}", f"/plans/{plan['id']}/events", f"/plans/{plan['id']}/history"):
        assert (await client.get(f"/api/v1{path}", headers=other_tenant.headers())).status_code == 404
    assert (await client.get("/api/v1/plans", headers=other_tenant.headers())).json()["total"] == 0


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeOpenAI]:
    server = FakeOpenAI().start()
    yield server
    server.stop()


async def test_llm_plans_are_checked_and_invalid_ones_fall_back(client, tenant, fake):
    fake.reset()
    reset_breakers()
    r = await client.post("/api/v1/ai/providers", headers=tenant.headers(), json={
        "name": "qwen", "kind": "openai", "base_url": fake.base_url, "model": "fake-model", "api_key": "sk-1",
        "is_default": True, "max_retries": 0})
    assert r.status_code == 201, r.text
    acc = await _account(client, tenant, f"星河医疗{uuid.uuid4().hex[:4]}")
    good = {"goal_type": "complaint", "rationale": "calm the customer first", "tree": [
        {"key": "respond", "title": "回应", "why": "先安抚", "children": [
            {"key": "ack", "title": "确认", "why": "让客户知道", "children": [
                {"key": "log_it", "title": "记录", "why": "留痕", "executor": "system", "tool": "plantest.ok", "args": {"label": "{{account.name}}"}},
                {"key": "call_them", "title": "致电客户", "why": "人来沟通", "executor": "person", "assignee": "owner",
                 "instructions": "致电并道歉", "due_in_hours": 4}]}]}]}
    fake.then(json=completion(json.dumps(good, ensure_ascii=False)))
    r = await client.post("/api/v1/plans/preview", json={"goal": f"{acc['name']}投诉很严重，马上处理"}, headers=tenant.headers())
    assert r.status_code == 200, r.text
    p = r.json()
    assert p["planner"] == "llm" and p["explanation"]["llm_rationale"] == "calm the customer first"
    log_it = next(n for n in p["tree"] if n["key"] == "log_it")
    assert log_it["args"] == {"label": acc["name"]} and log_it["executor"] == "system"
    # An unknown tool: rejected (also after the client's one repair round), the offline plan is used.
    bad = json.loads(json.dumps(good))
    bad["tree"][0]["children"][0]["children"][0]["tool"] = "shell.exec"
    fake.then(json=completion(json.dumps(bad))).then(json=completion(json.dumps(bad)))
    r = await client.post("/api/v1/plans/preview", json={"goal": f"{acc['name']}投诉很严重，马上处理"}, headers=tenant.headers())
    p = r.json()
    assert p["planner"] == "offline" and p["method_key"] == "handle_major_complaint"
    assert p["explanation"]["llm_rejected"]["reason"] == "plan_invalid"
    sent = json.dumps(fake.requests[-1], ensure_ascii=False)
    assert "plantest.ok" in sent and "input_schema" in sent  # the model saw the tool catalogue with schemas
