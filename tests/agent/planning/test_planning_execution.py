"""Execution: automatic tasks run in order, survive a restart, retry and escalate; person tasks remind
and record the result; the outcome is compared with the goal."""

from __future__ import annotations

import uuid
from datetime import timedelta

from conftest import CALLS, add_method, leaf, method, person_leaf, wait_for
from sqlalchemy import select, update

from lingxi.activities.models import Activity
from lingxi.agent.planning.models import PlanTask
from lingxi.agent.planning.scheduler import Scheduler
from lingxi.kit.models import utcnow
from lingxi.notifications.models import Notification


async def _plan(client, kit, goal, key, token=None):
    r = await client.post("/api/v1/plans", json={"goal": goal, "method_key": key}, headers=kit.headers(token))
    assert r.status_code == 201, r.text
    return r.json()


async def _detail(client, kit, plan_id, token=None):
    r = await client.get(f"/api/v1/plans/{plan_id}", headers=kit.headers(token))
    assert r.status_code == 200, r.text
    return r.json()


def _leaves(detail):
    out = []

    def walk(nodes):
        for n in nodes:
            if n["kind"] == "task":
                out.append(n)
            walk(n["children"])

    walk(detail["tree"])
    return {n["key"]: n for n in out}


async def test_automatic_tasks_run_in_order_and_the_plan_ends_with_an_outcome(client, tenant, scheduler):
    tag = uuid.uuid4().hex[:6]
    await add_method(client, tenant, method(f"seq_{tag}", [leaf(f"a_{tag}", "plantest.ok"), leaf(f"b_{tag}", "plantest.ok")]))
    plan = await _plan(client, tenant, "run the sequence", f"seq_{tag}")
    assert plan["depth"] == 4 and plan["planner"] == "offline"

    async def finished():
        d = await _detail(client, tenant, plan["id"])
        return d if d["status"] == "done" else None

    d = await finished() or await wait_for(finished)
    leaves = _leaves(d)
    a, b = leaves[f"a_{tag}"], leaves[f"b_{tag}"]
    assert a["status"] == b["status"] == "done"
    assert b["depends_on"] == [f"a_{tag}"] and a["finished_at"] <= b["started_at"]
    assert a["result"]["output"]["label"] == f"a_{tag}"
    assert d["outcome"]["goal_met"] is True and d["outcome"]["done"] == 2
    # The step above the tasks follows them, and the timeline says what happened.
    assert d["tree"][0]["children"][0]["status"] == "done"
    hist = (await client.get(f"/api/v1/plans/{plan['id']}/history", headers=tenant.headers())).json()["items"]
    kinds = [e["kind"] for e in hist]
    assert kinds[0] == "plan.created" and "task.running" in kinds and kinds[-1] == "plan.done"


async def test_a_task_survives_a_restart_mid_plan(client, tenant, database):
    tag = uuid.uuid4().hex[:6]
    await add_method(client, tenant, method(f"rs_{tag}", [leaf(f"a_{tag}", "plantest.ok"), leaf(f"b_{tag}", "plantest.block"),
                                                        leaf(f"c_{tag}", "plantest.ok")]))
    first = await Scheduler(database, poll_s=0.05, sweep_s=0.2).start()
    plan = await _plan(client, tenant, "restart me", f"rs_{tag}")

    async def b_running():  # claimed, and its tool is at work
        return _leaves(await _detail(client, tenant, plan["id"]))[f"b_{tag}"]["status"] == "running" and CALLS.get(f"b_{tag}") == 1

    await wait_for(b_running)
    await first.stop()  # the process dies while b runs: its row stays "running"
    d = await _detail(client, tenant, plan["id"])
    assert _leaves(d)[f"b_{tag}"]["status"] == "running" and _leaves(d)[f"c_{tag}"]["status"] == "pending"
    assert f"c_{tag}" not in CALLS

    second = await Scheduler(database, poll_s=0.05, sweep_s=0.2).start()  # a restart recovers at once
    try:
        async def finished():
            d = await _detail(client, tenant, plan["id"])
            return d if d["status"] == "done" else None

        d = await wait_for(finished, 30)
    finally:
        await second.stop()
    leaves = _leaves(d)
    assert leaves[f"b_{tag}"]["status"] == "done" and leaves[f"b_{tag}"]["attempts"] == 2
    assert CALLS[f"a_{tag}"] == 1 and CALLS[f"c_{tag}"] == 1  # nothing ran twice but the interrupted task
    hist = (await client.get(f"/api/v1/plans/{plan['id']}/history", headers=tenant.headers())).json()["items"]
    assert any(e["kind"] == "task.pending" and e["data"].get("recovered_from") for e in hist)


async def test_three_failures_escalate_to_the_owners_manager(client, tenant, scheduler):
    manager, _ = await tenant.add_user("manager", roles=("销售代表",))
    rep, rep_token = await tenant.add_user("rep", roles=("销售代表",), manager_id=manager.id)
    r = await client.put("/api/v1/plan-escalation-rules", headers=tenant.headers(), json={"rules": [
        {"name": "fast", "match_tool": "plantest.*", "max_attempts": 3, "backoff_s": 0.05, "backoff_factor": 2, "actions": ["escalate"]}]})
    assert r.status_code == 200, r.text
    tag = uuid.uuid4().hex[:6]
    await add_method(client, tenant, method(f"esc_{tag}", [leaf(f"f_{tag}", "plantest.flaky", fail_times=99), leaf(f"n_{tag}", "plantest.ok")]))
    plan = await _plan(client, tenant, "fail please", f"esc_{tag}", rep_token)

    async def escalated():
        d = await _detail(client, tenant, plan["id"], rep_token)
        return d if d["status"] == "escalated" else None

    d = await wait_for(escalated)
    f = _leaves(d)[f"f_{tag}"]
    assert f["status"] == "escalated" and f["attempts"] == 3 and CALLS[f"f_{tag}"] == 3
    assert f["priority"] == "urgent" and f["escalated_to_id"] == str(manager.id)
    assert [h["attempt"] for h in f["error"]["history"]] == [1, 2, 3]
    assert _leaves(d)[f"n_{tag}"]["status"] == "pending"  # what depends on it waits
    async with tenant.db.unit_of_work(tenant.actor(), write=False) as s:
        notes = (await s.execute(select(Notification.user_id, Notification.priority).where(Notification.kind == "task.escalated"))).all()
    assert {n[0] for n in notes} == {manager.id, rep.id}
    assert all(n[1] == "urgent" for n in notes)
    # The manager sees it in their tasks and resolves it by hand; the plan goes on.
    _, mgr_token = await tenant.add_user("manager-login", roles=("销售代表",))
    mine = (await client.get("/api/v1/plan-tasks?status=escalated", headers=tenant.headers())).json()
    assert mine["total"] == 0  # the admin is not the manager
    r = await client.post(f"/api/v1/plan-tasks/{f['id']}/result", headers=tenant.headers(mgr_token), json={"outcome": "success"})
    assert r.status_code == 404  # a stranger does not even see it
    r = await client.post(f"/api/v1/plan-tasks/{f['id']}/result", headers=tenant.headers(rep_token),
                          json={"outcome": "success", "notes": "done by hand"})
    assert r.status_code == 200, r.text

    async def finished():
        d = await _detail(client, tenant, plan["id"], rep_token)
        return d if d["status"] == "done" else None

    d = await wait_for(finished)
    assert _leaves(d)[f"n_{tag}"]["status"] == "done"


async def test_a_failing_channel_switches_to_the_backup(client, tenant, scheduler):
    await client.put("/api/v1/plan-escalation-rules", headers=tenant.headers(), json={"rules": [
        {"name": "fast", "max_attempts": 2, "backoff_s": 0.02, "actions": ["backup_channel", "escalate"]}]})
    tag = uuid.uuid4().hex[:6]
    main = leaf(f"m_{tag}", "plantest.flaky", fail_times=99)
    main["alternatives"] = [{"tool": "plantest.ok", "args": {"label": f"sms_{tag}"}}]
    await add_method(client, tenant, method(f"bk_{tag}", [main]))
    plan = await _plan(client, tenant, "send it", f"bk_{tag}")

    async def finished():
        d = await _detail(client, tenant, plan["id"])
        return d if d["status"] == "done" else None

    d = await wait_for(finished)
    m = _leaves(d)[f"m_{tag}"]
    assert m["tool"] == "plantest.ok" and m["result"]["channels_tried"] == ["plantest.flaky"]
    assert CALLS[f"m_{tag}"] == 2 and CALLS[f"sms_{tag}"] == 1


async def test_a_person_task_reminds_and_records_the_result(client, tenant, scheduler):
    rep, rep_token = await tenant.add_user("rep", roles=("销售代表",))
    tag = uuid.uuid4().hex[:6]
    await add_method(client, tenant, method(f"p_{tag}", [leaf(f"a_{tag}", "plantest.ok"), person_leaf(f"call_{tag}")],
                                            success={"task_outcomes": [f"call_{tag}"]}))
    plan = await _plan(client, tenant, "call the customer", f"p_{tag}", rep_token)

    async def waiting():
        t = _leaves(await _detail(client, tenant, plan["id"], rep_token))[f"call_{tag}"]
        return t if t["status"] == "waiting" else None

    task = await wait_for(waiting)
    assert task["assignee_id"] == str(rep.id) and task["instructions"] and task["activity_id"]
    # It is a CRM task in the rep's list and an in-app notice.
    r = await client.get(f"/api/v1/activities/{task['activity_id']}", headers=tenant.headers(rep_token))
    assert r.status_code == 200 and r.json()["type"] == "task" and r.json()["owner_id"] == str(rep.id)
    mine = (await client.get("/api/v1/plan-tasks?status=waiting", headers=tenant.headers(rep_token))).json()
    assert [t["id"] for t in mine["items"]] == [task["id"]]
    async with tenant.db.unit_of_work(tenant.actor()) as s:
        kinds = (await s.scalars(select(Notification.kind).where(Notification.user_id == rep.id))).all()
        assert "task.assigned" in kinds and "task.reminder" not in kinds
        await s.execute(update(PlanTask).where(PlanTask.id == uuid.UUID(task["id"])).values(due_at=utcnow() - timedelta(minutes=1)))

    async def reminded():
        async with tenant.db.unit_of_work(tenant.actor(), write=False) as s:
            return await s.scalar(select(Notification.id).where(Notification.user_id == rep.id, Notification.kind == "task.reminder"))

    await wait_for(reminded)
    r = await client.post(f"/api/v1/plan-tasks/{task['id']}/result", headers=tenant.headers(rep_token),
                          json={"outcome": "partial", "notes": "客户同意降级续约"})
    assert r.status_code == 200, r.text
    assert r.json()["task"]["status"] == "done" and r.json()["plan_status"] == "done"
    again = await client.post(f"/api/v1/plan-tasks/{task['id']}/result", headers=tenant.headers(rep_token), json={"outcome": "success"})
    assert again.status_code == 409 and again.json()["error"]["code"] == "task_not_waiting"
    d = await _detail(client, tenant, plan["id"], rep_token)
    assert d["outcome"]["criteria"] == [{"task": f"call_{tag}", "title": f"person call_{tag}", "outcome": "partial"}]
    assert d["goal_met"] is False and 0 < d["score"] < 1
    async with tenant.db.unit_of_work(tenant.actor(), write=False) as s:
        act = await s.get(Activity, uuid.UUID(task["activity_id"]))
        assert act.status == "completed" and "降级" in act.outcome
