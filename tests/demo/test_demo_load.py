"""Loading the demo tenant into the database: users and roles, relations, idempotence, reset and scale."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import func, select

from lingxi.accounts.models import Account
from lingxi.auth.passwords import check_policy, policy_of, verify_password
from lingxi.authz.models import Role, UserRole
from lingxi.contacts.models import Contact
from lingxi.db import Database
from lingxi.demo import generator
from lingxi.demo.generator import DEMO_USERS, load_demo
from lingxi.opportunities.models import Opportunity, PipelineStage
from lingxi.orders.models import Order
from lingxi.org.models import Department, Team, TeamMember, User
from lingxi.tenancy.context import Actor
from lingxi.tenancy.models import Counter, Tenant
from lingxi.tickets.models import Ticket

PASSWORD = "Demo-test-pass-42"
BASE = date(2025, 6, 30)


def new_slug() -> str:
    return f"demo-{uuid.uuid4().hex[:10]}"


async def scalar(db: Database, tenant_id: uuid.UUID, stmt):
    async with db.unit_of_work(Actor.system(tenant_id), write=False) as s:
        return await s.scalar(stmt)


async def rows(db: Database, tenant_id: uuid.UUID, stmt):
    async with db.unit_of_work(Actor.system(tenant_id), write=False) as s:
        result = (await s.execute(stmt)).all()
        s.expunge_all()  # keep loaded objects readable after the read-only session rolls back
        return result


@pytest.fixture(scope="module")
async def loaded(database: Database):
    slug = new_slug()
    result = await load_demo(database, password=PASSWORD, slug=slug, size=0.1, seed=42, base_date=BASE)
    return result


async def test_load_creates_tenant_users_and_records(database, loaded):
    assert loaded.created and loaded.password == PASSWORD and loaded.password_source == "argument"
    assert loaded.admin_email == "admin@demo.lingxi" and loaded.login_url == "http://127.0.0.1:8000"
    c = loaded.counts
    assert 15 <= c["account"] <= 25 and 50 <= c["contact"] <= 70 and 20 <= c["opportunity"] <= 30
    assert 25 <= c["ticket"] <= 35 and 45 <= c["sales_order"] <= 55 and 150 <= c["activity"] <= 250
    assert c["user"] == len(DEMO_USERS)
    [(slug, settings)] = await rows(database, loaded.tenant_id, select(Tenant.slug, Tenant.settings).where(Tenant.id == loaded.tenant_id))
    assert slug == loaded.slug and settings["demo"]["seed"] == 42


async def test_demo_users_have_their_roles_departments_and_teams(database, loaded):
    tid = loaded.tenant_id
    pairs = await rows(database, tid, select(User.email, Role.name).join(UserRole, UserRole.user_id == User.id)
                       .join(Role, Role.id == UserRole.role_id).where(User.tenant_id == tid))
    roles = {email: role for email, role in pairs}
    assert roles["admin@demo.lingxi"] == "管理员"
    assert roles["zhang.wei@demo.lingxi"] == "销售经理"
    assert roles["li.na@demo.lingxi"] == roles["wang.fang@demo.lingxi"] == "销售代表"
    assert roles["chen.jie@demo.lingxi"] == "客服专员"
    assert roles["liu.yang@demo.lingxi"] == "市场专员"
    assert roles["auditor@demo.lingxi"] == "审计员"
    users = {u.email: u for (u,) in await rows(database, tid, select(User).where(User.tenant_id == tid))}
    assert verify_password(users["li.na@demo.lingxi"].password_hash, PASSWORD)
    assert len({u.password_hash for u in users.values()}) == 1  # one password (and one hash) for every demo user
    depts = {d.id: d for (d,) in await rows(database, tid, select(Department).where(Department.tenant_id == tid))}
    by_name = {d.name: d for d in depts.values()}
    assert by_name["华东大区"].parent_id == by_name["销售部"].id == by_name["华北大区"].parent_id
    assert depts[users["li.na@demo.lingxi"].department_id].name == "华东大区"
    assert depts[users["wang.fang@demo.lingxi"].department_id].name == "华北大区"
    memberships = await rows(database, tid, select(Team.name, User.email).join(TeamMember, TeamMember.team_id == Team.id)
                             .join(User, User.id == TeamMember.user_id).where(Team.tenant_id == tid))
    team_of = {email: team for team, email in memberships}
    assert team_of["li.na@demo.lingxi"] != team_of["wang.fang@demo.lingxi"]
    owners = {o for (o,) in await rows(database, tid, select(Account.owner_id).where(Account.tenant_id == tid))}
    assert users["li.na@demo.lingxi"].id in owners and users["wang.fang@demo.lingxi"].id in owners


async def test_relations_hold_in_the_database(database, loaded):
    tid = loaded.tenant_id
    orphan_contacts = await scalar(database, tid, select(func.count()).select_from(Contact).outerjoin(
        Account, Account.id == Contact.account_id).where(Contact.tenant_id == tid, Account.id.is_(None)))
    assert orphan_contacts == 0
    tickets = await rows(database, tid, select(Ticket.account_id, Account.id, Account.type).outerjoin(
        Account, Account.id == Ticket.account_id).where(Ticket.tenant_id == tid))
    assert tickets and all(found is not None and kind == "customer" for _, found, kind in tickets)
    won_accounts = {a for (a,) in await rows(database, tid, select(Opportunity.account_id).join(
        PipelineStage, PipelineStage.id == Opportunity.stage_id).where(Opportunity.tenant_id == tid, PipelineStage.is_won.is_(True)))}
    customers = {a for (a,) in await rows(database, tid, select(Account.id).where(Account.tenant_id == tid, Account.type == "customer"))}
    order_accounts = {a for (a,) in await rows(database, tid, select(Order.account_id).where(Order.tenant_id == tid))}
    assert order_accounts and all(a in won_accounts or a in customers for a in order_accounts)
    counters = dict(await rows(database, tid, select(Counter.name, Counter.value).where(Counter.tenant_id == tid)))
    assert counters["ticket"] == loaded.counts["ticket"]


async def test_loading_twice_leaves_the_tenant_alone(database, loaded):
    again = await load_demo(database, password="Another-pass-99", slug=loaded.slug, size=0.1, base_date=BASE)
    assert not again.created and again.password is None and again.tenant_id == loaded.tenant_id
    assert again.counts == loaded.counts
    assert any("exists" in note for note in again.notes)


async def test_reset_recreates_and_generated_password_meets_the_policy(database, monkeypatch):
    slug = new_slug()
    monkeypatch.setattr(database.settings, "demo_password", None)
    first = await load_demo(database, slug=slug, size=0.05, base_date=BASE)
    assert first.password_source == "generated"
    check_policy(first.password, policy_of({}))
    second = await load_demo(database, slug=slug, size=0.05, base_date=BASE, reset=True, password=PASSWORD)
    assert second.created and second.reset and second.tenant_id != first.tenant_id
    assert second.counts == first.counts
    assert await scalar(database, first.tenant_id, select(func.count()).select_from(Contact).where(
        Contact.tenant_id == first.tenant_id)) == 0
    gone = await rows(database, first.tenant_id, select(Tenant.slug, Tenant.is_active).where(Tenant.id == first.tenant_id))
    assert gone == [] or (gone[0][0] != slug and not gone[0][1])


async def test_password_from_settings(database, monkeypatch):
    monkeypatch.setattr(database.settings, "demo_password", "From-settings-77")
    result = await load_demo(database, slug=new_slug(), size=0.05, base_date=BASE)
    assert result.password == "From-settings-77" and result.password_source == "LINGXI_DEMO_PASSWORD"


async def test_scale_adds_contacts_once_and_tops_up(database, monkeypatch):
    monkeypatch.setattr(generator, "SCALE_COMMIT_EVERY", 1_500)
    reindexed: list[list[str]] = []

    async def record_reindex(db, tenant_id, tables, result):
        reindexed.append(tables)

    monkeypatch.setattr(generator, "_reindex", record_reindex)  # the search index has its own tests
    slug = new_slug()
    result = await load_demo(database, password=PASSWORD, slug=slug, size=0.05, scale_contacts=2_000, base_date=BASE)
    base = await load_demo(database, slug=new_slug(), password=PASSWORD, size=0.05, base_date=BASE)
    assert result.scale_contacts == 2_000
    assert result.counts["contact"] == base.counts["contact"] + 2_000
    assert result.counts["account"] - base.counts["account"] >= 2_000 // 3
    again = await load_demo(database, slug=slug, scale_contacts=2_000)
    assert again.counts["contact"] == result.counts["contact"]
    more = await load_demo(database, slug=slug, scale_contacts=2_600)
    assert more.counts["contact"] == result.counts["contact"] + 600 and more.scale_contacts == 2_600
    assert "scale_s" in result.timings
    assert ["account", "contact"] in reindexed


async def test_demo_admin_signs_in_and_new_numbers_follow_the_demo(client, database, loaded):
    r = await client.post("/api/v1/auth/login", json={"email": "admin@demo.lingxi", "password": PASSWORD, "tenant": loaded.slug})
    assert r.status_code == 200, r.text
    headers = {"Authorization": f"Bearer {r.json()['access_token']}"}
    account_id = await scalar(database, loaded.tenant_id, select(Account.id).where(
        Account.tenant_id == loaded.tenant_id, Account.type == "customer").limit(1))
    ticket = await client.post("/api/v1/tickets", json={"subject": "演示后新建的工单", "account_id": str(account_id)}, headers=headers)
    assert ticket.status_code in (200, 201), ticket.text
    assert ticket.json()["number"] == f"TK-{loaded.counts['ticket'] + 1:06d}"
    order = await client.post("/api/v1/orders", json={"account_id": str(account_id), "order_date": "2025-07-01"}, headers=headers)
    assert order.status_code in (200, 201), order.text
    assert order.json()["order_number"] == f"SO-2025-{loaded.counts['sales_order'] + 1:05d}"
    listed = await client.get("/api/v1/contacts?limit=5", headers=headers)
    assert listed.status_code == 200 and len(listed.json()["data"]) == 5
