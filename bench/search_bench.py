"""Search at scale: index N contacts (default 50,000) in one tenant, then time searches.

    .venv/bin/python bench/search_bench.py [--contacts 50000] [--url postgresql://...]

Not collected by pytest (no ``test_`` prefix). Prints the reindex time, index size and per-query
latency (median and p95 over repeated runs) for an admin, an own-scope sales rep and a service agent.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import func, insert, select, text

import lingxi.models  # noqa: F401
from lingxi.authz.service import load_actor
from lingxi.config import Settings
from lingxi.contacts.models import Contact
from lingxi.db import Base, Database
from lingxi.org.models import User
from lingxi.org.service import create_user
from lingxi.search.index import reindex
from lingxi.search.models import SearchTerm
from lingxi.search.service import matching_ids, search
from lingxi.search.tokenize import warm_up
from lingxi.tenancy.context import Actor
from lingxi.tenancy.models import Tenant
from lingxi.tenancy.service import create_tenant

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉晨宇浩然子轩欣怡思雨梓涵"
CITIES = [
    "北京",
    "上海",
    "广州",
    "深圳",
    "杭州",
    "南京",
    "成都",
    "武汉",
    "西安",
    "苏州",
    "天津",
    "重庆",
    "厦门",
    "青岛",
]
TITLES = [
    "销售总监",
    "采购经理",
    "技术总监",
    "总经理",
    "财务主管",
    "市场经理",
    "项目经理",
    "运营专员",
    "CTO",
    "VP Sales",
]
FIRST = ["John", "Mary", "David", "Linda", "Michael", "Susan", "James", "Karen", "Robert", "Emily", "Daniel", "Grace"]
LAST = ["Smith", "Johnson", "Brown", "Taylor", "Miller", "Wilson", "Moore", "Clark", "Lewis", "Walker", "Hall", "Young"]
WORDS = ["对", "产品", "价格", "比较", "关注", "希望", "下季度", "采购", "预算", "interested", "in", "pricing", "demo"]


def fake_contact(rng: random.Random, tenant_id: uuid.UUID, owners: list[uuid.UUID], n: int) -> dict:
    if rng.random() < 0.8:
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        email = f"user{n}@{rng.choice(['qq.com', '163.com', 'huading.cn', 'example.com'])}"
    else:
        first, last = rng.choice(FIRST), rng.choice(LAST)
        name = f"{first} {last}"
        email = f"{first.lower()}.{last.lower()}{n}@example.com"
    return {
        "id": uuid.uuid4(),
        "tenant_id": tenant_id,
        "owner_id": rng.choice(owners),
        "name": name,
        "title": rng.choice(TITLES),
        "email": email,
        "mobile": f"1{rng.choice('3589')}{rng.randrange(10**9):09d}",
        "phone": f"0{rng.randrange(10, 999)}-{rng.randrange(10**7, 10**8)}",
        "city": rng.choice(CITIES),
        "description": "".join(rng.choice(WORDS) for _ in range(rng.randrange(0, 8))) or None,
        "custom": {"cf_wechat": f"wx_{n}"} if n % 3 == 0 else {},
    }


async def timed(label: str, fn, runs: int) -> None:
    samples = []
    cpu = []
    result = await fn()  # warm the statement cache
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = await fn()
        samples.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    samples.sort()
    p95 = samples[max(0, int(len(samples) * 0.95) - 1)]
    print(
        f"  {label:<36} hits={len(result):>3}  median={statistics.median(samples):7.2f} ms"
        f"  p95={p95:7.2f} ms  cpu={statistics.median(cpu):6.2f} ms"
    )


async def build(db: Database, n_contacts: int) -> tuple[Tenant, list[User], User, list[dict]]:
    async with db.writer.begin() as conn:
        if not db.is_sqlite:
            await conn.execute(text("DROP SCHEMA public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
        await conn.run_sync(Base.metadata.create_all)
    async with db.unit_of_work(Actor.system()) as s:
        tenant = await create_tenant(s, "bench", "Bench")
        users = [
            await create_user(
                s, tenant, email=f"rep{i}@bench.example", name=f"rep{i}", password=None, role_names=("销售代表",)
            )
            for i in range(10)
        ]
        agent = await create_user(
            s, tenant, email="agent@bench.example", name="agent", password=None, role_names=("客服专员",)
        )
    system = Actor.system(tenant.id)
    rng = random.Random(42)
    rows = [fake_contact(rng, tenant.id, [u.id for u in users], n) for n in range(n_contacts)]

    start = time.perf_counter()
    async with db.unit_of_work(system) as s:
        for i in range(0, len(rows), 5000):
            await s.execute(insert(Contact), rows[i : i + 5000])
    kind = "sqlite" if db.is_sqlite else "postgresql"
    print(f"database: {kind}; inserted {len(rows)} contacts (no index) in {time.perf_counter() - start:.1f} s")

    start, start_cpu = time.perf_counter(), time.process_time()
    async with db.unit_of_work(system) as s:
        written = await reindex(s, tenant.id)
    elapsed = time.perf_counter() - start
    print(
        f"reindex: {written} index rows in {elapsed:.1f} s ({len(rows) / elapsed:.0f} contacts/s;"
        f" process cpu {time.process_time() - start_cpu:.1f} s)"
    )

    start = time.perf_counter()
    async with db.unit_of_work(system) as s:
        for n in range(200):
            s.add(Contact(**{**fake_contact(rng, tenant.id, [users[0].id], 10**7 + n), "id": uuid.uuid4()}))
    print(
        f"ORM insert of 200 contacts in one unit of work, index hooks included: {(time.perf_counter() - start) * 1000:.0f} ms"
    )
    return tenant, users, agent, rows


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contacts", type=int, default=50_000)
    parser.add_argument("--url", default=None)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--data-dir", default=None, help="SQLite: keep the database here (default: a temp dir)")
    parser.add_argument("--reuse", action="store_true", help="SQLite: search the database already in --data-dir")
    args = parser.parse_args()

    warm_up()
    db = Database(
        Settings(
            data_dir=Path(args.data_dir or tempfile.mkdtemp()), database_url=args.url, secret_key="bench", worker=False
        )
    )
    if args.reuse:
        async with db.unit_of_work(Actor.system()) as s:  # commits: the objects stay loaded
            tenant = await s.scalar(select(Tenant).where(Tenant.slug == "bench"))
            users = list((await s.scalars(select(User).where(User.tenant_id == tenant.id))).all())
            agent = next(u for u in users if u.email.startswith("agent"))
            users = sorted((u for u in users if u.email.startswith("rep")), key=lambda u: int(u.name[3:]))
        rng = random.Random(42)
        rows = [fake_contact(rng, tenant.id, [u.id for u in users], n) for n in range(args.contacts)]
    else:
        tenant, users, agent, rows = await build(db, args.contacts)
    system = Actor.system(tenant.id)
    sample = rows[len(rows) // 2]

    async with db.unit_of_work(system, write=False) as s:
        total = await s.scalar(select(func.count()).select_from(SearchTerm))
    print(f"index rows: {total}")

    queries = [
        ("name", sample["name"]),
        ("surname (CJK prefix)", sample["name"][0]),
        ("city", "上海"),
        ("name + city", f"{sample['name']} {sample['city']}"),
        ("full mobile", sample["mobile"]),
        ("mobile prefix (7 digits)", sample["mobile"][:7]),
        ("broad mobile prefix (3 digits)", sample["mobile"][:3]),
        ("email", sample["email"]),
        ("email domain", "huading.cn"),
        ("english word", "john"),
        ("custom field", "wx_3"),
        ("no match", "不存在的词"),
    ]
    async with db.unit_of_work(system, write=False) as s:
        rep = await load_actor(s, users[0])
        service_agent = await load_actor(s, agent)
    for who, actor in (
        ("admin", system),
        ("sales rep (own scope)", rep),
        ("service agent (masked phones)", service_agent),
    ):
        print(f"{who}:")
        for label, q in queries:

            async def run(q: str = q, actor: Actor = actor) -> list:
                async with db.unit_of_work(actor, write=False) as s:
                    return await search(s, actor, q)

            await timed(f"{label} [{q}]", run, args.runs)

    async def count_filter() -> list:
        async with db.unit_of_work(system, write=False) as s:
            stmt = select(func.count()).where(Contact.id.in_(matching_ids(system, "contacts", "上海 销售")))
            return [await s.scalar(stmt)]

    print("list filter:")
    await timed("count(contacts where q='上海 销售')", count_filter, max(5, args.runs // 3))
    await db.dispose()


if __name__ == "__main__":
    asyncio.run(main())
