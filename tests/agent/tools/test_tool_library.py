"""The library's tools: the registry's shape, data and analytics tools, import/export, process tools."""

from __future__ import annotations

import importlib.util
import uuid
from collections import Counter

import pytest

from lingxi.agent.tools.registry import CATEGORIES, list_tools
from lingxi.jobs.runner import execute_job

IDEMPOTENCY = {"safe", "idempotent", "keyed", "once"}


def test_the_registry_holds_at_least_sixty_typed_tools_in_every_category():
    tools = list_tools()
    assert len(tools) >= 60
    by_category = Counter(t.category for t in tools)
    assert set(by_category) == set(CATEGORIES) and all(n >= 2 for n in by_category.values())
    for t in tools:
        assert t.description["zh"] and t.description["en"] and t.description["zh"] != t.description["en"], t.name
        assert t.input_schema()["type"] == "object", t.name
        assert t.idempotency in IDEMPOTENCY, t.name
        assert not (t.side_effects and t.idempotency == "safe"), t.name  # a write is never "retry freely"
        out = t.output_schema()
        assert out is None or out["type"] == "object", t.name
    for entity in ("accounts", "contacts", "leads", "opportunities", "tickets", "activities"):
        names = {t.name for t in tools if t.name.startswith(entity + ".")}
        assert {f"{entity}.{op}" for op in ("search", "get", "create", "update", "relate", "aggregate")} <= names


async def _stages(client, kit):
    r = await client.get("/api/v1/pipeline_stages", params={"sort": "position"}, headers=kit.headers())
    return {s["name"]: s for s in r.json()["data"]}


async def test_opportunity_tools_relate_aggregate_and_guard_versions(client, tenant, tools):
    stages = await _stages(client, tenant)
    first, last_open = list(stages.values())[0], [s for s in stages.values() if not s["is_closed"]][-1]
    acct = (await tools.call(tenant, "accounts.create", {"name": "星河集团"}))["output"]
    made = []
    for i, (stage, amount, close) in enumerate([(first, 100000, "2026-01-15"), (first, 50000, "2026-02-10"),
                                                (last_open, 200000, "2026-02-20")]):
        out = await tools.call(tenant, "opportunities.create", {
            "name": f"商机{i}", "account_id": acct["id"], "stage_id": stage["id"], "amount": amount, "close_date": close,
            "probability": 50})
        made.append(out["output"])
    related = await tools.call(tenant, "accounts.relate", {"id": acct["id"], "related": "opportunities", "sort": "name"})
    assert [r["name"] for r in related["output"]["data"]] == ["商机0", "商机1", "商机2"]
    by_stage = await tools.call(tenant, "opportunities.aggregate", {"metric": "sum", "field": "amount", "group_by": "stage_id"})
    groups = {g["label"]: (g["count"], g["value"]) for g in by_stage["output"]["groups"]}
    assert groups == {first["name"]: (2, 150000.0), last_open["name"]: (1, 200000.0)}
    assert by_stage["output"]["total_value"] == 350000.0
    monthly = await tools.call(tenant, "analytics.group_by", {"entity": "opportunities", "group_by": "close_date",
                                                             "bucket": "month", "metric": "count"})
    assert {g["key"]: g["count"] for g in monthly["output"]["groups"]} == {"2026-01": 1, "2026-02": 2}
    avg = await tools.call(tenant, "analytics.group_by", {"entity": "opportunities", "group_by": "account_id",
                                                         "metric": "avg", "field": "amount"})
    assert avg["output"]["groups"][0]["label"] == "星河集团" and round(avg["output"]["groups"][0]["value"]) == 116667
    top = await tools.call(tenant, "analytics.top", {"entity": "opportunities", "field": "amount", "n": 2})
    assert [r["name"] for r in top["output"]["data"]] == ["商机2", "商机0"]
    pipeline = (await tools.call(tenant, "analytics.pipeline", {}))["output"]
    assert pipeline["open_count"] == 3 and pipeline["open_amount"] == 350000.0 and pipeline["weighted_amount"] == 175000.0
    bad = await tools.call(tenant, "opportunities.aggregate", {"metric": "sum", "field": "name"}, ok=False)
    assert bad["error"]["code"] == "not_numeric"
    bad = await tools.call(tenant, "opportunities.aggregate", {"group_by": "description"}, ok=False)
    assert bad["error"]["code"] == "not_groupable"
    # update is idempotent; a stale version is refused, not silently overwritten
    opp = made[0]
    upd = await tools.call(tenant, "opportunities.update", {"id": opp["id"], "next_step": "报价", "version": opp["version"]})
    assert upd["output"]["next_step"] == "报价" and upd["output"]["version"] == opp["version"] + 1
    stale = await tools.call(tenant, "opportunities.update", {"id": opp["id"], "next_step": "签约", "version": opp["version"]}, ok=False)
    assert stale["error"]["code"] == "version_conflict"
    won = [s for s in stages.values() if s["is_won"]][0]
    await tools.call(tenant, "opportunities.update", {"id": made[1]["id"], "stage_id": won["id"], "close_date": "2026-11-01"})
    rate = (await tools.call(tenant, "analytics.win_rate", {"days": 3650}))["output"]
    assert rate["won"] == 1 and rate["won_amount"] == 50000.0


async def test_ticket_analytics(client, tenant, tools):
    for subject, status, category, sat in [("无法登录", "new", "故障", None), ("发票抬头", "closed", "账单", 5),
                                           ("系统报错", "open", "故障", None), ("退货", "resolved", "退换货", 3)]:
        await tools.call(tenant, "tickets.create", {"subject": subject, "status": status, "category": category, "satisfaction": sat})
    out = (await tools.call(tenant, "analytics.service_overview", {}))["output"]
    assert out["open"] == 2 and out["by_category"]["故障"] == 2 and out["avg_satisfaction"] == 4.0
    counted = await tools.call(tenant, "analytics.count", {"entity": "tickets", "filter": {"category": "故障"}})
    assert counted["output"]["total_count"] == 2


async def test_import_and_export_run_as_jobs(client, tenant, tools):
    csv_text = "姓名,公司,手机\n周杰,青松科技,13800000001\n吴磊,远山贸易,13800000002\n"
    job = (await tools.call(tenant, "data.import", {"entity": "leads", "csv_text": csv_text,
                                                   "mapping": {"姓名": "name", "公司": "company", "手机": "mobile"}}))["output"]
    assert job["status"] == "queued"
    await execute_job(tenant.db, uuid.UUID(job["job_id"]))
    status = (await tools.call(tenant, "data.job_status", {"job_id": job["job_id"]}))["output"]
    assert status["status"] == "succeeded", status
    assert (await tools.call(tenant, "leads.search", {"with_total": True}))["output"]["total"] == 2
    exported = (await tools.call(tenant, "data.export", {"entity": "leads", "fields": ["name", "company"]}))["output"]
    await execute_job(tenant.db, uuid.UUID(exported["job_id"]))
    r = await client.get(f"/api/v1/exports/{exported['job_id']}/download", headers=tenant.headers())
    assert r.status_code == 200 and "青松科技" in r.content.decode("utf-8-sig")
    bad = await tools.call(tenant, "data.import", {"entity": "leads", "csv_text": "a,b\n1,2\n", "mapping": {"a": "nope"}}, ok=False)
    assert bad["error"]["code"] in ("invalid_mapping", "unknown_field")


@pytest.mark.skipif(importlib.util.find_spec("lingxi.agent.planning.service") is None,
                    reason="the planning engine (lingxi.agent.planning.service) is not in this checkout")
async def test_process_tools_start_a_plan(client, tenant, tools):
    acct = (await tools.call(tenant, "accounts.create", {"name": "远航物流"}))["output"]
    opp = (await tools.call(tenant, "opportunities.create", {"name": "大单", "amount": 1000000, "account_id": acct["id"]}))["output"]
    plan = await tools.call(tenant, "process.start_plan", {"goal_type": "", "goal": "推进这个商机到签约",
                                                          "record": {"entity": "opportunities", "id": opp["id"]}})
    assert plan["output"]["id"] and plan["output"]["status"]
    missing = await tools.call(tenant, "process.report_result", {"task_id": str(uuid.uuid4())}, ok=False)
    assert missing["error"]["code"].endswith("not_found")
