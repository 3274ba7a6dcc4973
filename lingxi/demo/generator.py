"""The demo tenant: a deterministic, bilingual CRM company with users in every role.

``generate`` turns a seed into rows (no database, no network); ``load_demo`` creates tenant ``demo`` with its
departments, teams and users through the org services, then writes the rows with Core ``insert()`` in
batches. Bulk rows bypass the ORM flush hooks (audit, outbox, search), so the search index is rebuilt
afterwards through ``lingxi.search.index.reindex`` and the planner statistics refreshed.
"""

from __future__ import annotations

import logging
import random
import secrets
import string
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

import lingxi.models  # noqa: F401  (complete metadata)
from lingxi.db import Base, Database, get_database
from lingxi.demo.engagement import EngagementBuilder
from lingxi.demo.people import mobile
from lingxi.demo.records import DemoContext, DemoData, Frame, StageRef
from lingxi.demo.sales import SalesBuilder
from lingxi.demo.scale import MAX_SCALE, scale_chunks
from lingxi.opportunities.models import Pipeline, PipelineStage
from lingxi.org.models import Department, User
from lingxi.org.service import create_department, create_team, create_user
from lingxi.search.index import refresh_statistics, reindex
from lingxi.tenancy.context import Actor
from lingxi.tenancy.models import Tenant
from lingxi.tenancy.service import create_tenant, tenant_by_slug

log = logging.getLogger(__name__)

DEMO_SLUG = "demo"
DEMO_NAME = "灵犀演示公司"
EMAIL_DOMAIN = "demo.lingxi"
LOGIN_URL = "http://127.0.0.1:8000"
BATCH = 2_000
SCALE_COMMIT_EVERY = 100_000

# key (e-mail local part), name, role, department, team, title
DEMO_USERS: tuple[tuple[str, str, str, str | None, str | None, str], ...] = (
    ("admin", "系统管理员", "管理员", "总经办", None, "系统管理员"),
    ("zhang.wei", "张伟", "销售经理", "销售部", None, "销售总监"),
    ("li.na", "李娜", "销售代表", "华东大区", "华东销售一组", "高级客户经理"),
    ("sun.hao", "孙浩", "销售代表", "华东大区", "华东销售一组", "客户经理"),
    ("wang.fang", "王芳", "销售代表", "华北大区", "华北销售组", "客户经理"),
    ("chen.jie", "陈杰", "客服专员", "客服部", "客服一组", "客服主管"),
    ("zhao.lei", "赵磊", "客服专员", "客服部", "客服一组", "客服专员"),
    ("he.ping", "何平", "客服专员", "客服部", "客服二组", "客服专员"),
    ("liu.yang", "刘洋", "市场专员", "市场部", None, "市场经理"),
    ("auditor", "周静", "审计员", "总经办", None, "内审专员"),
)
DEPARTMENTS = (("总经办", None), ("销售部", None), ("华东大区", "销售部"), ("华北大区", "销售部"), ("客服部", None), ("市场部", None))
DEPARTMENT_HEADS = {"销售部": "zhang.wei", "华东大区": "li.na", "华北大区": "wang.fang", "客服部": "chen.jie", "市场部": "liu.yang"}
TEAM_LEADS = {"华东销售一组": "li.na", "华北销售组": "wang.fang", "客服一组": "chen.jie", "客服二组": "he.ping"}


@dataclass
class DemoResult:
    slug: str
    tenant_id: uuid.UUID
    created: bool
    reset: bool = False
    password: str | None = None
    password_source: str | None = None  # "argument", "LINGXI_DEMO_PASSWORD" or "generated"
    admin_email: str = f"admin@{EMAIL_DOMAIN}"
    login_url: str = LOGIN_URL
    users: list[tuple[str, str, str]] = field(default_factory=list)  # email, name, role
    counts: dict[str, int] = field(default_factory=dict)
    scale_contacts: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def generate(ctx: DemoContext, *, seed: int = 42, size: float = 1.0) -> DemoData:
    """All rows of the demo tenant. ``size`` scales every volume (1.0: ~200 accounts, 600 contacts...)."""
    data = DemoData()
    frame = Frame(ctx, random.Random(seed))
    sales = SalesBuilder(frame, data, size)
    sales.build()
    engagement = EngagementBuilder(frame, data, sales, size)
    engagement.build()
    for name, value in {"ticket": engagement.ticket_count, "order": sales.order_count}.items():
        data.add("counter", {"tenant_id": ctx.tenant_id, "name": name, "value": value})
    return data


def demo_password(explicit: str | None, configured: str | None) -> tuple[str, str]:
    if explicit:
        return explicit, "argument"
    if configured:
        return configured, "LINGXI_DEMO_PASSWORD"
    alphabet = string.ascii_lowercase + string.digits
    while True:
        groups = ["".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(4)]
        candidate = "-".join(groups)
        if any(c.isdigit() for c in candidate) and any(c.isalpha() for c in candidate):
            return candidate, "generated"


async def load_demo(
    db: Database | None = None,
    *,
    password: str | None = None,
    scale_contacts: int | None = None,
    seed: int = 42,
    reset: bool = False,
    size: float = 1.0,
    slug: str = DEMO_SLUG,
    name: str = DEMO_NAME,
    base_date: date | None = None,
) -> DemoResult:
    """Create the demo tenant unless it exists (``reset`` deletes and recreates it); then top up scaled
    contacts to ``scale_contacts``. ``base_date`` anchors all dates (default: today), so open deals close
    in the future and past activities are done."""
    db = db or get_database()
    if scale_contacts is not None and not 0 <= scale_contacts <= MAX_SCALE:
        raise ValueError(f"scale_contacts must be between 0 and {MAX_SCALE:,}")
    base_date = base_date or datetime.now(UTC).date()
    async with db.unit_of_work(Actor.system(), write=False) as s:
        existing = await tenant_by_slug(s, slug)
        existing_id = existing.id if existing else None
        scaled_before = int(((existing.settings or {}).get("demo") or {}).get("scale_contacts", 0)) if existing else 0
    did_reset = False
    if existing_id is not None and reset:
        started = time.perf_counter()
        await _remove_tenant(db, existing_id, slug)
        existing_id, did_reset = None, True
        log.info("demo tenant %s removed in %.1fs", slug, time.perf_counter() - started)
    if existing_id is None:
        result = await _create(db, slug=slug, name=name, password=password, seed=seed, size=size, base_date=base_date)
        result.reset = did_reset
    else:
        result = DemoResult(slug=slug, tenant_id=existing_id, created=False, scale_contacts=scaled_before)
        result.notes.append(f"tenant {slug!r} exists and was left as it is (reset it to load it again)")
    if scale_contacts:
        await _scale(db, result, target=scale_contacts, seed=seed)
    result.counts = await _count(db, result.tenant_id)
    return result


async def _create(db: Database, *, slug: str, name: str, password: str | None, seed: int, size: float,
                  base_date: date) -> DemoResult:
    secret, source = demo_password(password, db.settings.demo_password)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    async with db.unit_of_work(Actor.system()) as s:
        tenant = await create_tenant(s, slug, name)
        users = await _create_org(s, tenant, secret)
        ctx = await _context(s, tenant, users, base_date)
        timings["org_s"] = time.perf_counter() - started
        mark = time.perf_counter()
        data = generate(ctx, seed=seed, size=size)
        timings["generate_s"] = time.perf_counter() - mark
        mark = time.perf_counter()
        conn = await s.connection()
        for table, rows in data.tables.items():
            await insert_rows(conn, table, rows)
        tenant.settings = {**(tenant.settings or {}), "demo": {"seed": seed, "size": size, "base_date": base_date.isoformat(),
                                                               "loaded_at": datetime.now(UTC).isoformat(), "scale_contacts": 0}}
        timings["insert_s"] = time.perf_counter() - mark
    result = DemoResult(slug=slug, tenant_id=tenant.id, created=True, password=secret, password_source=source)
    result.users = [(f"{key}@{EMAIL_DOMAIN}", person, role) for key, person, role, *_ in DEMO_USERS]
    mark = time.perf_counter()
    await _reindex(db, tenant.id, list(data.tables), result)
    timings["reindex_s"] = time.perf_counter() - mark
    timings["total_s"] = time.perf_counter() - started
    result.timings.update(timings)
    return result


async def _create_org(s: AsyncSession, tenant: Tenant, password: str) -> dict[str, User]:
    depts: dict[str, Department] = {}
    for dept_name, parent in DEPARTMENTS:
        depts[dept_name] = await create_department(s, tenant.id, dept_name, depts[parent] if parent else None)
    rng = random.Random(f"users:{tenant.slug}")
    users: dict[str, User] = {}
    for key, person, role, dept, _team, title in DEMO_USERS:
        manager = users.get("zhang.wei") if role == "销售代表" else users.get("chen.jie") if key in ("zhao.lei", "he.ping") else None
        first = users.get("admin")
        user = await create_user(
            s, tenant, email=f"{key}@{EMAIL_DOMAIN}", name=person, password=None if first else password,
            role_names=(role,), department_id=depts[dept].id if dept else None,
            manager_id=manager.id if manager else None, title=title,
        )
        if first is not None:  # one argon2 hash (~0.1-1 s each) serves every demo user: same password
            user.password_hash, user.password_changed_at = first.password_hash, first.password_changed_at
        user.phone = mobile(rng)
        users[key] = user
    for dept_name, head in DEPARTMENT_HEADS.items():
        depts[dept_name].manager_id = users[head].id
    teams: dict[str, list[uuid.UUID]] = {}
    for key, *_rest in DEMO_USERS:
        team = _rest[3]
        if team:
            teams.setdefault(team, []).append(users[key].id)
    for team_name, member_ids in teams.items():
        await create_team(s, tenant.id, team_name, member_ids, users[TEAM_LEADS[team_name]].id)
    await s.flush()
    return users


async def _context(s: AsyncSession, tenant: Tenant, users: dict[str, User], base_date: date) -> DemoContext:
    pipeline = await s.scalar(select(Pipeline).where(Pipeline.tenant_id == tenant.id, Pipeline.is_default.is_(True)))
    assert pipeline is not None, "create_tenant makes the default pipeline"
    stages = (await s.scalars(
        select(PipelineStage).where(PipelineStage.pipeline_id == pipeline.id).order_by(PipelineStage.position)
    )).all()
    uid = {key: u.id for key, u in users.items()}
    return DemoContext(
        tenant_id=tenant.id,
        admin_id=uid["admin"],
        sales_by_region={
            "华东": [uid["li.na"], uid["li.na"], uid["sun.hao"]],
            "华北": [uid["wang.fang"]],
            "*": [uid["zhang.wei"], uid["zhang.wei"], uid["li.na"], uid["sun.hao"], uid["wang.fang"]],
        },
        manager_id=uid["zhang.wei"],
        service_ids=[uid["chen.jie"], uid["zhao.lei"], uid["he.ping"]],
        marketing_ids=[uid["liu.yang"]],
        pipeline_id=pipeline.id,
        stages=[StageRef(st.id, st.name, st.probability, st.is_closed, st.is_won) for st in stages],
        base_date=base_date,
    )


async def insert_rows(conn: AsyncConnection, table_name: str, rows: list[dict[str, Any]], batch: int = BATCH) -> None:
    """Core executemany in batches: no ORM objects, no flush hooks."""
    table = Base.metadata.tables[table_name]
    for i in range(0, len(rows), batch):
        await conn.execute(insert(table), rows[i : i + batch])


async def _scale(db: Database, result: DemoResult, *, target: int, seed: int) -> None:
    """Top the tenant up to ``target`` scaled contacts, committing every ``SCALE_COMMIT_EVERY`` rows."""
    done = result.scale_contacts
    if target <= done:
        result.notes.append(f"already {done:,} scaled contacts; nothing added")
        return
    started = time.perf_counter()
    async with db.unit_of_work(Actor.system()) as s:
        tenant = await s.get(Tenant, result.tenant_id)
        assert tenant is not None
        users = {u.email.split("@")[0]: u for u in (await s.scalars(select(User).where(User.tenant_id == tenant.id))).all()}
        demo_settings = (tenant.settings or {}).get("demo") or {}
        base_date = date.fromisoformat(demo_settings.get("base_date") or datetime.now(UTC).date().isoformat())
        ctx = await _context(s, tenant, users, base_date)
    while done < target:
        stop = min(target, done + SCALE_COMMIT_EVERY)
        async with db.unit_of_work(Actor.system()) as s:
            conn = await s.connection()
            for accounts, contacts in scale_chunks(ctx, seed=seed, start=done, stop=stop):
                await insert_rows(conn, "account", accounts)
                await insert_rows(conn, "contact", contacts)
            tenant = await s.get(Tenant, result.tenant_id)
            assert tenant is not None
            settings = dict(tenant.settings or {})
            settings["demo"] = {**(settings.get("demo") or {}), "scale_contacts": stop}
            tenant.settings = settings
        done = stop
    added = done - result.scale_contacts
    result.scale_contacts = done
    result.timings["scale_insert_s"] = time.perf_counter() - started
    mark = time.perf_counter()
    await _reindex(db, result.tenant_id, ["account", "contact"], result)
    result.timings["scale_reindex_s"] = time.perf_counter() - mark
    result.timings["scale_s"] = time.perf_counter() - started
    result.notes.append(f"added {added:,} scaled contacts in {result.timings['scale_s']:.1f}s")


def _entity_names(tables: list[str]) -> list[str]:
    names = []
    for mapper in Base.registry.mappers:
        spec = getattr(mapper.class_, "__entity__", None)
        if spec is not None and spec.searchable and mapper.local_table.name in tables:
            names.append(spec.name)
    return sorted(names)


async def _reindex(db: Database, tenant_id: uuid.UUID, tables: list[str], result: DemoResult) -> None:
    for entity in _entity_names(tables):
        async with db.unit_of_work(Actor.system(tenant_id)) as s:
            await reindex(s, tenant_id, entity)
    async with db.unit_of_work(Actor.system(tenant_id)) as s:
        await refresh_statistics(s, tables)


async def _count(db: Database, tenant_id: uuid.UUID) -> dict[str, int]:
    counts = {}
    async with db.unit_of_work(Actor.system(tenant_id), write=False) as s:
        conn = await s.connection()
        for table_name in ("account", "contact", "lead", "opportunity", "activity", "calendar_event", "ticket", "sales_order",
                           "sales_order_line", "product", "quote", "campaign", "campaign_member", "tag_link", "user"):
            table = Base.metadata.tables[table_name]
            counts[table_name] = int(await conn.scalar(select(func.count()).select_from(table).where(table.c.tenant_id == tenant_id)) or 0)
    return counts


async def _remove_tenant(db: Database, tenant_id: uuid.UUID, slug: str) -> None:
    """Delete every row of the tenant. If something refuses (an append-only audit table, say), the old
    tenant is renamed and deactivated instead, so ``slug`` is free either way."""
    try:
        async with db.unit_of_work(Actor.system()) as s:
            conn = await s.connection()
            tables = [t for t in Base.metadata.sorted_tables if "tenant_id" in t.c]
            for table in tables:  # cut self-references and cycles so tables can go in dependency order
                cols = {fk.parent.name for fk in table.foreign_keys
                        if fk.parent.nullable and (fk.column.table is table or fk.constraint.use_alter)}
                if cols:
                    await conn.execute(update(table).where(table.c.tenant_id == tenant_id).values({c: None for c in cols}))
            for table in reversed(tables):
                await conn.execute(delete(table).where(table.c.tenant_id == tenant_id))
            if "audit_head" in Base.metadata.tables:
                head = Base.metadata.tables["audit_head"]
                await conn.execute(delete(head).where(head.c.chain.in_((str(tenant_id), tenant_id.hex))))
            await conn.execute(delete(Tenant.__table__).where(Tenant.__table__.c.id == tenant_id))
    except Exception as exc:  # noqa: BLE001 - fall back to archiving
        log.warning("could not delete demo tenant (%s); archiving it instead", exc)
        async with db.unit_of_work(Actor.system()) as s:
            archived = f"{slug}-old-{uuid.uuid4().hex[:8]}"
            await s.execute(update(Tenant).where(Tenant.id == tenant_id).values(slug=archived, is_active=False))
