"""Tool-call success under injected faults.

    .venv/bin/python bench/agent_tools/run.py [--calls 10000] [--fault-rate 0.08] [--concurrency 8] [--url postgresql://...]

Builds a fresh database (a temporary SQLite file, or the PostgreSQL database at --url, whose schema is dropped
and recreated), loads the demo tenant (``lingxi.demo.generator``), then makes ``--calls`` tool calls through
``lingxi.agent.tools.runner.call_tool`` as four demo users with different permissions (admin, sales manager,
sales rep, service agent), ``--concurrency`` at a time. The mix is about 70% reads (search, get, related
lists, aggregates, analytics, intent, sentiment, agenda) and 30% writes (create activity and lead, update
opportunity, assign task, notify, reminder), every one of them a call that succeeds when nothing goes wrong.

A fault injector (``set_fault_injector``) strikes each attempt with probability ``--fault-rate``: half the
time the attempt hangs past its timeout (``--timeout`` seconds), half the time it raises a transient database
error (``OperationalError``); writes also fail at commit and lose the acknowledgement after commit at half that
rate each. Reported: success %, failures by code, attempts, p50/p95/p99 latency, and whether any write ran
twice (records created vs successful create calls). Appends the figures to bench/agent_tools/RESULTS.md.
Not collected by pytest.
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
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

MARK = "bench-agent-tools"
TEXTS = ["帮我查一下上个月华东区的销售额", "客户投诉发货太慢了，非常不满意", "给华鼎科技写一封跟进邮件",
         "What is the status of this deal?", "服务很好，谢谢", "把这个商机的阶段改成方案报价"]


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))]


async def readable(db: Any, actor: Any, entity: str, limit: int = 200) -> list[str]:
    from lingxi.authz.service import scope_of
    from lingxi.meta.registry import registry
    from lingxi.records.service import RecordService

    if scope_of(actor, entity, "read") == "none":
        return []
    async with db.unit_of_work(actor, write=False) as s:
        page = await RecordService(s, actor, registry.get(entity)).list(limit=limit, only=["id"])
    return [r["id"] for r in page.data]


def workload(rng: random.Random, who: str, actor: Any, pools: dict[str, list[str]]) -> tuple[str, dict[str, Any], bool]:
    """One call (tool, args, needs an idempotency key) that succeeds for ``who`` when nothing goes wrong."""
    me = str(actor.user_id)
    soon = (datetime.now(UTC) + timedelta(days=rng.randint(1, 20))).isoformat()
    reads: list[tuple[str, dict[str, Any]]] = [
        ("accounts.search", {"keyword": rng.choice(["科技", "集团", "贸易", "Tech"]), "limit": 20}),
        ("contacts.search", {"filter": {"city": {"is_null": False}}, "sort": "-created_at", "limit": 20}),
        ("tickets.search", {"filter": {"status": {"in": ["new", "open"]}}, "limit": 20}),
        ("analytics.count", {"entity": "tickets", "group_by": "status"}),
        ("tickets.aggregate", {"group_by": "created_at", "bucket": "month"}),
        ("language.sentiment", {"text": rng.choice(TEXTS)}),
        ("language.intent", {"text": rng.choice(TEXTS)}),
        ("calendar.agenda", {"days": 14}),
    ]
    if pools.get("accounts"):
        reads += [("accounts.get", {"id": rng.choice(pools["accounts"])}),
                  ("accounts.relate", {"id": rng.choice(pools["accounts"]), "related": "contacts", "limit": 10})]
    if pools.get("contacts"):
        reads.append(("contacts.get", {"id": rng.choice(pools["contacts"])}))
    if who != "service":
        reads += [("opportunities.aggregate", {"metric": "sum", "field": "amount", "group_by": "stage_id"}),
                  ("analytics.pipeline", {}), ("analytics.top", {"entity": "opportunities", "field": "amount", "n": 5})]
    writes: list[tuple[str, dict[str, Any], bool]] = [
        ("activities.create", {"type": "call", "subject": f"{MARK} 回访", "status": "completed"}, True),
        ("tasks.assign", {"assignee_id": me, "subject": f"{MARK} 跟进", "due_at": soon}, True),
        ("communication.notify_user", {"user_id": me, "title": f"{MARK} 提醒"}, True),
        ("calendar.create_reminder", {"title": f"{MARK} 回电", "remind_at": soon}, True),
    ]
    if who != "service":
        writes.append(("leads.create", {"name": f"{MARK} 线索", "company": "基准测试公司"}, True))
        if pools.get("opportunities"):
            writes.append(("opportunities.update", {"id": rng.choice(pools["opportunities"]),
                                                    "next_step": rng.choice(["报价", "演示", "签约"])}, False))
    if rng.random() < 0.7:
        name, args = rng.choice(reads)
        return name, args, False
    return rng.choice(writes)


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=10_000)
    parser.add_argument("--fault-rate", type=float, default=0.08, help="probability that an attempt is struck")
    parser.add_argument("--timeout", type=float, default=2.0, help="per-attempt timeout, seconds")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--size", type=float, default=0.5, help="demo size")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--url", default=None, help="PostgreSQL URL (its schema is dropped!)")
    parser.add_argument("--results", default=str(ROOT / "bench/agent_tools/RESULTS.md"))
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="lingxi-tools-bench-"))
    os.environ["LINGXI_DATA_DIR"] = str(data_dir)
    if args.url:
        os.environ["LINGXI_DATABASE_URL"] = args.url
    os.environ["LINGXI_LOG_LEVEL"] = "WARNING"

    from sqlalchemy import func, select, text
    from sqlalchemy.exc import OperationalError

    import lingxi.models  # noqa: F401
    from lingxi.activities.models import Activity
    from lingxi.agent.tools import runner
    from lingxi.agent.tools.models import ToolCall
    from lingxi.ai.nlp.service import warm_up
    from lingxi.authz.service import load_actor
    from lingxi.config import get_settings
    from lingxi.db import Base, Database, set_database
    from lingxi.demo.generator import load_demo
    from lingxi.leads.models import Lead
    from lingxi.org.models import User
    from lingxi.tenancy.context import Actor

    get_settings.cache_clear()
    db = Database(get_settings())
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

    roles = {"admin": "admin", "zhang.wei": "manager", "li.na": "rep", "chen.jie": "service"}
    async with db.unit_of_work(Actor.system(demo.tenant_id), write=False) as s:
        users = {u.email.split("@")[0]: u for u in (await s.scalars(select(User))).all()}
        actors = {roles[k]: await load_actor(s, users[k]) for k in roles}
    pools = {who: {e: await readable(db, a, e) for e in ("accounts", "contacts", "opportunities")} for who, a in actors.items()}

    rng = random.Random(args.seed)
    plan = []
    for _ in range(args.calls):
        who = rng.choice(list(actors))
        name, call_args, keyed = workload(rng, who, actors[who], pools[who])
        plan.append((who, name, call_args, keyed))

    fault_rng = random.Random(args.seed + 1)
    injected: Counter[str] = Counter()

    async def inject(point: runner.FaultPoint) -> None:
        roll = fault_rng.random()
        if point.phase == "run" and roll < args.fault_rate:
            if roll < args.fault_rate / 2:
                injected["timeout"] += 1
                await asyncio.sleep(args.timeout * 20)
            injected["db_error"] += 1
            raise OperationalError("SELECT 1", {}, Exception("database is locked (injected)"))
        if point.phase == "commit" and roll < args.fault_rate / 2:
            injected["commit_error"] += 1
            raise OperationalError("COMMIT", {}, Exception("connection reset (injected)"))
        if point.phase == "acknowledge" and roll < args.fault_rate / 2:
            injected["lost_ack"] += 1
            raise OperationalError("COMMIT", {}, Exception("connection lost after commit (injected)"))

    # Warm-up without faults (models, caches), not counted.
    for who, name, call_args, _ in plan[:20]:
        await runner.call_tool(db, actors[who], name, call_args, source="test", timeout_s=args.timeout * 5)
    async with db.unit_of_work(Actor.system(demo.tenant_id), write=False) as s:
        before = {
            "activities.create": await s.scalar(select(func.count()).select_from(Activity).where(Activity.subject == f"{MARK} 回访")),
            "leads.create": await s.scalar(select(func.count()).select_from(Lead).where(Lead.name == f"{MARK} 线索")),
        }

    runner.set_fault_injector(inject)
    results: list[Any] = []
    queue: asyncio.Queue[tuple[int, str, str, dict[str, Any], bool]] = asyncio.Queue()
    for i, item in enumerate(plan):
        queue.put_nowait((i, *item))

    async def worker() -> None:
        while not queue.empty():
            i, who, name, call_args, keyed = queue.get_nowait()
            key = f"bench-{args.seed}-{i}" if keyed else None
            res = await runner.call_tool(db, actors[who], name, call_args, source="test", idempotency_key=key,
                                         timeout_s=args.timeout)
            results.append((who, name, res))

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(args.concurrency)))
    wall = time.perf_counter() - started
    runner.set_fault_injector(None)

    ok = [r for _, _, r in results if r.ok]
    failed = [(n, r) for _, n, r in results if not r.ok]
    latencies = [r.latency_ms for _, _, r in results]
    attempts = Counter(r.attempts for _, _, r in results)
    async with db.unit_of_work(Actor.system(demo.tenant_id), write=False) as s:
        created = {
            "activities.create": await s.scalar(select(func.count()).select_from(Activity).where(Activity.subject == f"{MARK} 回访")),
            "leads.create": await s.scalar(select(func.count()).select_from(Lead).where(Lead.name == f"{MARK} 线索")),
        }
        logged = await s.scalar(select(func.count()).select_from(ToolCall).where(ToolCall.source == "test"))
    duplicates = {}
    for tool_name in created:
        succeeded = sum(1 for _, n, r in results if n == tool_name and r.ok)
        duplicates[tool_name] = (created[tool_name] - before[tool_name]) - succeeded
    success = 100 * len(ok) / len(results)
    writes = sum(1 for _, n, _ in results if n.split(".")[1] in ("create", "update", "assign", "notify_user", "create_reminder"))

    backend = "PostgreSQL" if args.url else "SQLite"
    cmd = (f".venv/bin/python bench/agent_tools/run.py --calls {args.calls} --fault-rate {args.fault_rate} "
           f"--timeout {args.timeout} --concurrency {args.concurrency} --size {args.size}" + (f" --url {args.url}" if args.url else ""))
    lines = [
        f"\n## Tool calls under injected faults, {backend}, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores (shared), Python {platform.python_version()}. Demo tenant "
        f"(size {args.size}; loaded in {load_s:.0f} s). {len(results)} calls ({writes} writes) by 4 users "
        f"(admin, manager, rep, service agent), {args.concurrency} at a time, {len({n for _, n, _ in results})} different tools.",
        f"Command: `{cmd}`",
        "",
        f"Faults injected: {dict(injected)} (each attempt struck with p={args.fault_rate}; timeouts hang past the "
        f"{args.timeout:g} s limit; writes also fail at commit and lose the acknowledgement after commit).",
        "",
        "| figure | value |",
        "|---|---|",
        f"| success | **{success:.3f}%** ({len(ok)}/{len(results)}) |",
        f"| failures by code | {dict(Counter(r.error.code for _, r in failed)) or 'none'} |",
        f"| attempts per call | {dict(sorted(attempts.items()))} |",
        f"| latency p50 / p95 / p99 ms | {statistics.median(latencies):.1f} / {pct(latencies, 95):.1f} / {pct(latencies, 99):.1f} |",
        f"| throughput | {len(results) / wall:.0f} calls/s ({wall:.0f} s) |",
        f"| writes run twice (records made minus successful calls) | {duplicates} |",
        f"| call-log rows | {logged} (one per call, warm-up included) |",
        "",
    ]
    if failed:
        lines.append("Failed calls (first 10): " + "; ".join(f"{n}: {r.error.code} {r.error.message[:80]}" for n, r in failed[:10]))
        lines.append("")
    text_out = "\n".join(lines)
    print(text_out)
    with Path(args.results).open("a", encoding="utf-8") as fh:  # noqa: ASYNC230 - once, at the end
        fh.write(text_out)
    await db.dispose()


if __name__ == "__main__":
    asyncio.run(main())
