"""Context engine bench: assembly latency and behaviour-event-to-context latency on the demo tenant.

    .venv/bin/python bench/context_bench/run.py [--requests 200] [--url postgresql://...] [--size 1.0]

Builds a fresh database (a temporary SQLite file, or the PostgreSQL database at --url, whose schema is
dropped and recreated), loads the demo tenant (``lingxi.demo.generator``), adds 30 days of context history
per demo user (behaviour events, conversation turns, customers' events), then, through the real ASGI app
in this process (authentication, routing, validation, JSON included):

1. ``GET /api/v1/context`` with a current record, page, selection and an utterance, as four users with
   different scopes (admin: all; manager: department; sales rep: own; service agent: tickets of all,
   masked fields): p50/p95/p99 of the request and of the assembly itself (``took_ms``);
2. ``POST /api/v1/context/events`` with a new search, then ``GET /api/v1/context`` until it shows it:
   p50/p95 of the time from sending the event to a context that contains it.

Appends the figures to bench/context_bench/RESULTS.md. Not collected by pytest.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

UTTERANCES = [
    "设备又宕机了，一直报错，帮我解决一下",
    "这个客户最近的订单情况怎么样",
    "帮我安排明天下午回访",
    "给客户写一封续约提醒邮件",
    "为什么这个季度华东的回款下降了",
    "What is the status of this deal?",
    "客户投诉发货太慢，怎么安抚比较好",
    "把这个商机的阶段改成方案报价",
]
PAGES = ["/records/{entity}/{id}", "/records/{entity}", "/dashboard", "/search", "/knowledge", "/ai/chat"]


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


async def seed_history(db, tenant_id: uuid.UUID, users: list, rng: random.Random) -> dict[str, int]:
    from sqlalchemy import insert, select

    from lingxi.agent.context.models import BehaviourEvent, Interaction
    from lingxi.contacts.models import Contact
    from lingxi.tenancy.context import Actor

    now = datetime.now(UTC)
    async with db.unit_of_work(Actor.system(tenant_id), write=False) as s:
        contacts = list((await s.scalars(select(Contact.id).limit(2000))).all())
    events, turns = [], []
    for user in users:
        for _ in range(300):
            at = now - timedelta(minutes=rng.randint(1, 30 * 24 * 60))
            kind = rng.choice(["page_view", "page_view", "click", "search", "download", "open_record"])
            cid = rng.choice(contacts)
            events.append(
                {
                    "id": uuid.uuid4(),
                    "tenant_id": tenant_id,
                    "user_id": user.id,
                    "subject": "user",
                    "kind": kind,
                    "page": f"/records/contacts/{cid}",
                    "module": "contacts",
                    "entity": "contacts" if kind == "open_record" else None,
                    "record_id": cid if kind == "open_record" else None,
                    "query": "华鼎 报价" if kind == "search" else None,
                    "target": "按钮" if kind == "click" else None,
                    "duration_ms": None,
                    "channel": "web",
                    "device": "desktop",
                    "data": {},
                    "occurred_at": at,
                    "received_at": at,
                }
            )
        for _ in range(60):
            at = now - timedelta(minutes=rng.randint(1, 60 * 24 * 60))
            turns.append(
                {
                    "id": uuid.uuid4(),
                    "tenant_id": tenant_id,
                    "user_id": user.id,
                    "conversation_id": uuid.uuid4(),
                    "role": rng.choice(["user", "assistant"]),
                    "channel": "web",
                    "text": rng.choice(UTTERANCES),
                    "intent": "query_data",
                    "intent_confidence": 0.9,
                    "sentiment": "neutral",
                    "sentiment_score": 0.0,
                    "page": None,
                    "entity": "contacts",
                    "record_id": rng.choice(contacts),
                    "topic_id": None,
                    "created_at": at,
                }
            )
    for cid in contacts[:500]:
        for _ in range(3):
            at = now - timedelta(minutes=rng.randint(1, 20 * 24 * 60))
            events.append(
                {
                    "id": uuid.uuid4(),
                    "tenant_id": tenant_id,
                    "user_id": users[0].id,
                    "subject": "customer",
                    "kind": "page_view",
                    "page": rng.choice(["/售后服务", "/pricing", "/products/x1", "/support/refund"]),
                    "module": None,
                    "entity": "contacts",
                    "record_id": cid,
                    "query": None,
                    "target": None,
                    "duration_ms": rng.randint(1000, 90000),
                    "channel": "web",
                    "device": "mobile",
                    "data": {},
                    "occurred_at": at,
                    "received_at": at,
                }
            )
    async with db.unit_of_work(Actor.system(tenant_id)) as s:
        conn = await s.connection()
        for i in range(0, len(events), 2000):
            await conn.execute(insert(BehaviourEvent.__table__), events[i : i + 2000])
        for i in range(0, len(turns), 2000):
            await conn.execute(insert(Interaction.__table__), turns[i : i + 2000])
    return {"behaviour_events": len(events), "interactions": len(turns)}


async def readable_records(db, actor, entity_name: str, limit: int) -> list[str]:
    from lingxi.meta.registry import registry
    from lingxi.records.service import RecordService

    async with db.unit_of_work(actor, write=False) as s:
        page = await RecordService(s, actor, registry.get(entity_name)).list(limit=limit, only=["id"])
    return [r["id"] for r in page.data]


async def main() -> tuple[str, str]:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200, help="context requests per user")
    parser.add_argument("--events", type=int, default=200, help="event-to-context trials")
    parser.add_argument("--url", default=None, help="PostgreSQL URL (its schema is dropped!)")
    parser.add_argument("--size", type=float, default=1.0, help="demo size")
    parser.add_argument("--results", default=str(ROOT / "bench/context_bench/RESULTS.md"))
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="lingxi-context-bench-"))
    os.environ["LINGXI_DATA_DIR"] = str(data_dir)
    if args.url:
        os.environ["LINGXI_DATABASE_URL"] = args.url
    os.environ["LINGXI_LOG_LEVEL"] = "WARNING"

    import httpx
    from sqlalchemy import select, text

    import lingxi.models  # noqa: F401
    from lingxi.ai.nlp.service import warm_up
    from lingxi.app import create_app
    from lingxi.auth.service import issue_session
    from lingxi.authz.service import load_actor
    from lingxi.config import get_settings
    from lingxi.db import Base, Database, set_database
    from lingxi.demo.generator import load_demo
    from lingxi.org.models import User
    from lingxi.tenancy.context import Actor

    get_settings.cache_clear() if hasattr(get_settings, "cache_clear") else None
    settings = get_settings()
    db = Database(settings)
    async with db.writer.begin() as conn:
        if not db.is_sqlite:
            await conn.execute(text("DROP SCHEMA public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
        await conn.run_sync(Base.metadata.create_all)
    set_database(db)
    t0 = time.perf_counter()
    demo = await load_demo(db, password="Bench-pass-2025", size=args.size)
    load_s = time.perf_counter() - t0
    await asyncio.to_thread(warm_up)
    rng = random.Random(7)

    keys = {"admin": "all", "zhang.wei": "department", "li.na": "own", "chen.jie": "service"}
    async with db.unit_of_work(Actor.system(demo.tenant_id)) as s:
        users = {u.email.split("@")[0]: u for u in (await s.scalars(select(User))).all()}
        tokens = {k: (await issue_session(s, users[k]))[0] for k in keys}
        actors = {k: await load_actor(s, users[k]) for k in keys}
    seeded = await seed_history(db, demo.tenant_id, list(users.values()), rng)

    app = create_app(run_worker=False)
    load_before = os.getloadavg()[0]
    transport = httpx.ASGITransport(app=app)
    totals: dict[str, list[float]] = {}
    assembly: dict[str, list[float]] = {}
    cpu_ms: dict[str, list[float]] = {}
    kinds_seen: list[int] = []
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        for key, scope in keys.items():
            h = {"Authorization": f"Bearer {tokens[key]}"}
            entities = (
                ["tickets", "contacts", "accounts"]
                if key == "chen.jie"
                else ["contacts", "accounts", "opportunities", "tickets"]
            )
            pools = {e: await readable_records(db, actors[key], e, 200) for e in entities}
            pools = {e: ids for e, ids in pools.items() if ids}
            for i in range(args.requests + 10):
                entity = rng.choice(list(pools))
                rid = rng.choice(pools[entity])
                params = {
                    "entity": entity,
                    "record_id": rid,
                    "page": rng.choice(PAGES).format(entity=entity, id=rid),
                    "q": rng.choice(UTTERANCES),
                    "device": "desktop",
                    "selection_entity": entity,
                    "selection": rng.sample(pools[entity], min(3, len(pools[entity]))),
                }
                started, cpu_started = time.perf_counter(), time.thread_time()
                r = await client.get("/api/v1/context", params=params, headers=h)
                elapsed = (time.perf_counter() - started) * 1000
                cpu = (time.thread_time() - cpu_started) * 1000
                assert r.status_code == 200, r.text
                if i >= 10:  # warm-up
                    body = r.json()
                    totals.setdefault(f"{key} ({scope})", []).append(elapsed)
                    assembly.setdefault(f"{key} ({scope})", []).append(body["took_ms"])
                    cpu_ms.setdefault(f"{key} ({scope})", []).append(cpu)
                    kinds_seen.append(len(body["kinds"]))

        h = {"Authorization": f"Bearer {tokens['li.na']}"}
        visible: list[float] = []
        stored: list[float] = []
        retries = 0
        for i in range(args.events + 5):
            marker = f"bench-{uuid.uuid4().hex[:8]}"
            started = time.perf_counter()
            r = await client.post(
                "/api/v1/context/events",
                json={"events": [{"kind": "search", "query": marker, "page": "/search"}]},
                headers=h,
            )
            assert r.status_code == 201, r.text
            committed = time.perf_counter()
            while True:
                ctx = (await client.get("/api/v1/context", params={"page": "/search"}, headers=h)).json()
                if any(it["kind"] == "recent_search" and it["value"].get("query") == marker for it in ctx["items"]):
                    break
                retries += 1
            if i >= 5:
                stored.append((committed - started) * 1000)
                visible.append((time.perf_counter() - started) * 1000)

    backend = "PostgreSQL" if args.url else "SQLite"
    all_totals = [v for vs in totals.values() for v in vs]
    all_assembly = [v for vs in assembly.values() for v in vs]
    all_cpu = [v for vs in cpu_ms.values() for v in vs]
    lines = [
        f"\n## Context engine, {backend}, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, load average "
        f"{load_before:.1f} before and {os.getloadavg()[0]:.1f} after the run (other work shared the cores). Demo tenant "
        f"(size {args.size}: {demo.counts.get('contact', '?')} contacts, {demo.counts.get('ticket', '?')} tickets, "
        f"{demo.counts.get('activity', '?')} activities; loaded in {load_s:.0f} s) plus {seeded['behaviour_events']} "
        f"behaviour events and {seeded['interactions']} conversation turns. In-process ASGI client, one request at a time.",
        f"Command: `.venv/bin/python bench/context_bench/run.py --requests {args.requests} --events {args.events}"
        + (f" --url {args.url}`" if args.url else "`"),
        "",
        "| GET /api/v1/context (record, page, selection, utterance) | n | p50 ms | p95 ms | p99 ms | assembly p95 ms "
        "| CPU p50 ms | CPU p95 ms |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, vals in totals.items():
        lines.append(
            f"| {name} | {len(vals)} | {statistics.median(vals):.1f} | {pct(vals, 95):.1f} | {pct(vals, 99):.1f} | {pct(assembly[name], 95):.1f} | {statistics.median(cpu_ms[name]):.1f} | {pct(cpu_ms[name], 95):.1f} |"
        )
    lines.append(
        f"| **all** | {len(all_totals)} | {statistics.median(all_totals):.1f} | **{pct(all_totals, 95):.1f}** | {pct(all_totals, 99):.1f} | {pct(all_assembly, 95):.1f} | {statistics.median(all_cpu):.1f} | **{pct(all_cpu, 95):.1f}** |"
    )
    lines += [
        "",
        "Wall times are from request to response; CPU is this thread's CPU time for the request (the app, "
        "SQLite's reads and asyncpg all run in it; PostgreSQL's own work is in its server process), i.e. what "
        "the request costs when it does not wait for the cores.",
        "",
        f"Kinds of context per response: min {min(kinds_seen)}, median {statistics.median(kinds_seen):.0f}, max {max(kinds_seen)}.",
        "",
        f"Behaviour event → in the context (n={len(visible)}): the event is visible to every read once "
        f"`POST /context/events` returns (committed): p50 {statistics.median(stored):.1f} ms, **p95 {pct(stored, 95):.1f} ms**; "
        f"the next `GET /context` showed it every time ({retries} retries); sending it and getting a context that "
        f"contains it (POST + a whole GET): p50 {statistics.median(visible):.1f} ms, p95 {pct(visible, 95):.1f} ms.",
        "",
    ]
    await db.dispose()
    return args.results, "\n".join(lines)


if __name__ == "__main__":
    results, report = asyncio.run(main())
    print(report)
    with open(results, "a", encoding="utf-8") as f:
        f.write(report)
