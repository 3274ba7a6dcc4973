"""Interaction history: kept and retrievable within the tenant's retention, gone past it (hidden at once,
deleted by the purge); long-term memory keeps unfinished topics across days; the timeline links causes."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from lingxi.agent.context.calendar import business_time, day_status
from lingxi.agent.context.models import BehaviourEvent, Interaction, MemoryTopic
from lingxi.agent.context.retention import purge_tenant
from lingxi.agent.context.settings import ContextSettings
from lingxi.tenancy.context import Actor
from tests.agent.context.conftest import backdate_ticket, make_customer


def _ago(days: float) -> str:
    return (datetime.now(UTC) - timedelta(days=days)).isoformat()


async def _count(kit, model) -> int:
    async with kit.db.unit_of_work(Actor.system(kit.id), write=False) as s:
        return int(await s.scalar(select(func.count()).select_from(model)) or 0)


async def test_history_past_retention_is_gone_and_newer_is_retrievable(client, tenant):
    h = tenant.headers()
    assert (await client.get("/api/v1/context/settings", headers=h)).json()["retention_days"] >= 90
    assert (await client.put("/api/v1/context/settings", json={"retention_days": 90}, headers=h)).status_code == 200
    conversation = str(uuid.uuid4())
    for days, text in (
        (120, "去年的报价问题"),
        (95, "三个月前的交付问题"),
        (85, "上季度的合同条款"),
        (1, "昨天的发票问题"),
        (0, "今天的续约"),
    ):
        r = await client.post(
            "/api/v1/context/interactions",
            json={"text": text, "conversation_id": conversation, "at": _ago(days)},
            headers=h,
        )
        assert r.status_code == 201, r.text
    events = [{"kind": "search", "query": f"q{d}", "at": _ago(d)} for d in (100, 89, 2)]
    assert (await client.post("/api/v1/context/events", json={"events": events}, headers=h)).status_code == 201

    page1 = (await client.get("/api/v1/context/history", params={"limit": 2}, headers=h)).json()
    assert [t["text"] for t in page1["data"]] == ["今天的续约", "昨天的发票问题"] and page1["next_cursor"]
    page2 = (
        await client.get("/api/v1/context/history", params={"limit": 2, "cursor": page1["next_cursor"]}, headers=h)
    ).json()
    assert [t["text"] for t in page2["data"]] == ["上季度的合同条款"] and page2["next_cursor"] is None
    listed = (await client.get("/api/v1/context/events", headers=h)).json()["data"]
    assert [e["query"] for e in listed] == ["q2", "q89"]

    async with tenant.db.unit_of_work(Actor.system(tenant.id)) as s:
        removed = await purge_tenant(s, tenant.id)
    assert removed["interactions"] == 2 and removed["events"] == 1 and removed["retention_days"] == 90
    assert await _count(tenant, Interaction) == 3 and await _count(tenant, BehaviourEvent) == 2
    # A longer retention shows everything still stored: nothing newer than 90 days was deleted.
    await client.put("/api/v1/context/settings", json={"retention_days": 365}, headers=h)
    texts = [t["text"] for t in (await client.get("/api/v1/context/history", headers=h)).json()["data"]]
    assert texts == ["今天的续约", "昨天的发票问题", "上季度的合同条款"]


async def test_purge_is_a_job_for_admins(client, tenant):
    r = await client.post("/api/v1/context/purge", headers=tenant.headers())
    assert r.status_code == 202 and r.json()["job_id"]
    _, rep = await tenant.add_user("rep", roles=("销售代表",))
    assert (await client.post("/api/v1/context/purge", headers=tenant.headers(rep))).status_code == 403


async def test_unfinished_topics_are_remembered_across_days_until_resolved(client, tenant):
    h = tenant.headers()
    acc = (await client.post("/api/v1/accounts", json={"name": "华鼎科技"}, headers=h)).json()
    about = {"entity": "accounts", "record_id": acc["id"]}
    first = (
        await client.post(
            "/api/v1/context/interactions",
            json={"text": "华鼎的设备一直报错，帮我解决一下", **about, "at": _ago(3)},
            headers=h,
        )
    ).json()
    assert first["intent"] == "resolve_problem" and first["topic_id"]
    await client.post(
        "/api/v1/context/interactions",
        json={"text": "已经安排工程师排查", "role": "assistant", "conversation_id": first["conversation_id"]},
        headers=h,
    )
    again = (
        await client.post(
            "/api/v1/context/interactions", json={"text": "华鼎的系统还是报错，登录不了", **about}, headers=h
        )
    ).json()
    assert again["topic_id"] == first["topic_id"]  # the same unfinished topic, days later

    topics = (await client.get("/api/v1/context/memory", headers=h)).json()["data"]
    assert len(topics) == 1 and topics[0]["mentions"] == 2 and topics[0]["status"] == "open"
    assert datetime.fromisoformat(topics[0]["first_seen_at"]) < datetime.now(UTC) - timedelta(days=2)
    ctx = (await client.get("/api/v1/context", headers=h)).json()
    remembered = [i for i in ctx["items"] if i["kind"] == "unfinished_topic"]
    assert remembered and remembered[0]["value"]["title"].startswith("华鼎的设备一直报错")

    done = await client.post(
        "/api/v1/context/interactions",
        json={"text": "问题已经解决了，谢谢", "conversation_id": again["conversation_id"], "resolved": True, **about},
        headers=h,
    )
    assert done.status_code == 201
    assert (await client.get("/api/v1/context/memory", headers=h)).json()["data"] == []
    closed = (await client.get("/api/v1/context/memory", params={"status": "closed"}, headers=h)).json()["data"]
    assert closed[0]["resolution"] == "问题已经解决了，谢谢"
    ctx = (await client.get("/api/v1/context", headers=h)).json()
    assert not [i for i in ctx["items"] if i["kind"] == "unfinished_topic"]

    reopened = await client.post(f"/api/v1/context/memory/{closed[0]['id']}/reopen", headers=h)
    assert reopened.json()["status"] == "open"
    r = await client.post(f"/api/v1/context/memory/{closed[0]['id']}/close", json={"resolution": "客户确认"}, headers=h)
    assert r.json()["status"] == "closed" and r.json()["resolution"] == "客户确认"
    _, rep = await tenant.add_user("rep", roles=("销售代表",))
    assert (
        await client.post(f"/api/v1/context/memory/{closed[0]['id']}/reopen", headers=tenant.headers(rep))
    ).status_code == 404
    async with tenant.db.unit_of_work(Actor.system(tenant.id), write=False) as s:
        assert await s.scalar(select(func.count()).select_from(MemoryTopic)) == 1


async def test_timeline_links_a_complaint_to_a_later_after_sales_visit(client, tenant):
    h = tenant.headers()
    c = await make_customer(client, tenant)
    await backdate_ticket(tenant, c["complaint"]["id"], datetime.now(UTC) - timedelta(days=1))
    visit = {
        "kind": "page_view",
        "subject": "customer",
        "page": "/售后服务/报修",
        "entity": "contacts",
        "record_id": c["contact"]["id"],
        "at": _ago(0.1),
    }
    r = await client.post("/api/v1/context/events", json={"events": [visit]}, headers=h)
    assert r.status_code == 201
    visit_id = r.json()["ids"][0]
    r = await client.get(
        "/api/v1/context/timeline", params={"entity": "contacts", "record_id": c["contact"]["id"]}, headers=h
    )
    assert r.status_code == 200, r.text
    t = r.json()
    ats = [e["at"] for e in t["entries"]]
    assert ats == sorted(ats)
    kinds = {e["kind"] for e in t["entries"]}
    assert {"complaint", "behaviour", "order", "opportunity", "campaign_touch", "activity"} <= kinds
    link = next(x for x in t["links"] if x["rule"] == "complaint_then_after_sales")
    assert link["cause_id"] == f"tickets/{c['complaint']['id']}"
    assert link["effect_id"] == f"events/{visit_id}"
    assert 20 <= link["gap_hours"] <= 24 and "after-sales" in link["why"]


def test_business_calendar_knows_holidays_adjusted_workdays_and_hours():
    s = ContextSettings()
    assert day_status(datetime(2026, 10, 1).date(), s) == (False, "National Day")
    assert day_status(datetime(2026, 11, 23).date(), s) == (True, None)  # a Monday
    assert day_status(datetime(2026, 11, 22).date(), s)[0] is False  # a Sunday
    own = ContextSettings(holidays=["2026-11-23"], extra_workdays=["2026-11-22"])
    assert day_status(datetime(2026, 11, 23).date(), own) == (False, "company holiday")
    assert day_status(datetime(2026, 11, 22).date(), own) == (True, None)
    monday_morning = business_time(datetime(2026, 11, 23, 2, 0, tzinfo=UTC), s, "Asia/Shanghai")  # 10:00 local
    assert monday_morning["in_working_hours"] is True and monday_morning["local_time"].startswith("2026-11-23T10:00")
    holiday = business_time(datetime(2026, 10, 1, 2, 0, tzinfo=UTC), s, "Asia/Shanghai")
    assert holiday["in_working_hours"] is False and holiday["holiday"] == "National Day"
    assert holiday["next_working_start"].startswith("2026-10-")
    assert (
        business_time(datetime(2027, 3, 2, 2, 0, tzinfo=UTC), s, "Asia/Shanghai")["is_workday"] is True
    )  # past the data
