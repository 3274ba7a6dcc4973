"""The audit trail records every change of a record, and of roles, users and metadata."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import select

from lingxi.accounts.models import Account
from lingxi.audit.models import AuditLog
from lingxi.audit.service import record_event
from lingxi.authz.models import Role
from lingxi.events.models import OutboxEvent
from lingxi.kit.models import utcnow
from lingxi.org.models import User
from lingxi.tenancy.context import Actor


def user_actor(tenant, *, ip: str = "10.1.2.3", request_id: str = "req-1") -> Actor:
    return Actor(tenant_id=tenant.id, user_id=tenant.admin.id, is_admin=True, ip=ip, request_id=request_id)


async def entries(db, tenant, **where) -> list[AuditLog]:
    async with db.unit_of_work(Actor.system(tenant.id), write=False) as s:
        query = select(AuditLog).order_by(AuditLog.seq)
        for key, value in where.items():
            query = query.where(getattr(AuditLog, key) == value)
        rows = list((await s.scalars(query)).all())
        s.expunge_all()  # keep them readable after the read-only session rolls back
        return rows


async def test_create_update_delete_restore_are_audited(tenant):
    db = tenant.db
    async with db.unit_of_work(user_actor(tenant)) as s:
        account = Account(
            name="华鼎科技", annual_revenue=Decimal("1000.50"), industry="制造业", custom={"cf_tier": "gold"}
        )
        s.add(account)
    account_id = str(account.id)

    async with db.unit_of_work(user_actor(tenant, request_id="req-2")) as s:
        acc = await s.get(Account, account.id)
        acc.name = "华鼎科技集团"
        acc.annual_revenue = Decimal("2000.00")
        acc.custom["cf_tier"] = "platinum"  # in-place change of the JSON column
        acc.custom["cf_new"] = 3

    async with db.unit_of_work(user_actor(tenant)) as s:
        acc = await s.get(Account, account.id)
        acc.deleted_at = utcnow()

    async with db.unit_of_work(user_actor(tenant)) as s:
        acc = await s.get(Account, account.id, execution_options={"include_deleted": True})
        acc.deleted_at = None

    async with db.unit_of_work(user_actor(tenant)) as s:
        acc = await s.get(Account, account.id)
        await s.delete(acc)

    rows = await entries(db, tenant, record_id=account_id)
    assert [r.action for r in rows] == ["create", "update", "delete", "restore", "hard_delete"]
    create, update, delete, restore, hard = rows
    assert all(r.entity == "accounts" and r.actor_id == tenant.admin.id for r in rows)
    assert create.changes["name"] == [None, "华鼎科技"]
    assert create.changes["annual_revenue"] == [None, "1000.50"]
    assert create.changes["cf_tier"] == [None, "gold"]
    assert "version" not in create.changes and "tenant_id" not in create.changes
    assert create.ip == "10.1.2.3" and create.request_id == "req-1"
    assert update.changes == {
        "name": ["华鼎科技", "华鼎科技集团"],
        "annual_revenue": ["1000.50", "2000.00"],
        "cf_tier": ["gold", "platinum"],
        "cf_new": [None, 3],
    }
    assert update.request_id == "req-2"
    assert delete.changes == {} and restore.changes == {}
    assert hard.changes["name"] == ["华鼎科技集团", None]


async def test_unchanged_flush_writes_nothing(tenant):
    db = tenant.db
    async with db.unit_of_work(user_actor(tenant)) as s:
        account = Account(name="Acme")
        s.add(account)
    async with db.unit_of_work(user_actor(tenant)) as s:
        acc = await s.get(Account, account.id)
        acc.name = "Acme"  # same value
    rows = await entries(db, tenant, record_id=str(account.id))
    assert [r.action for r in rows] == ["create"]


async def test_rolled_back_transaction_leaves_no_audit_or_event(tenant):
    db = tenant.db
    marker = f"rollback-{uuid.uuid4().hex[:6]}"
    try:
        async with db.unit_of_work(user_actor(tenant)) as s:
            account = Account(name=marker)
            s.add(account)
            await s.flush()
            record_event(s, action="export", tenant_id=tenant.id, actor_id=tenant.admin.id, entity="accounts")
            raise RuntimeError("abort")
    except RuntimeError:
        pass
    assert await entries(db, tenant, record_id=str(account.id)) == []
    assert await entries(db, tenant, action="export") == []
    async with db.unit_of_work(Actor.system(tenant.id), write=False) as s:
        assert (await s.scalars(select(OutboxEvent).where(OutboxEvent.record_id == account.id))).all() == []

    # The same session object used again does not carry the dropped entries into a later commit.
    session = db.session(user_actor(tenant))
    try:
        session.add(Account(name=marker + "-a"))
        await session.flush()
        await session.rollback()
        session.add(Account(name=marker + "-b"))
        await session.commit()
    finally:
        await session.close()
    created = [r.changes["name"][1] for r in await entries(db, tenant, action="create", entity="accounts")]
    assert marker + "-b" in created and marker + "-a" not in created


async def test_savepoint_rollback_drops_only_its_entries(tenant):
    db = tenant.db
    async with db.unit_of_work(user_actor(tenant)) as s:
        kept = Account(name="kept")
        s.add(kept)
        await s.flush()
        try:
            async with s.begin_nested():
                s.add(Account(name="dropped"))
                await s.flush()
                raise RuntimeError("savepoint")
        except RuntimeError:
            pass
    names = [r.changes["name"][1] for r in await entries(db, tenant, action="create", entity="accounts")]
    assert "kept" in names and "dropped" not in names


async def test_role_user_and_metadata_changes_are_audited_without_secrets(tenant):
    db = tenant.db
    user, _ = await tenant.add_user("rep", roles=("销售代表",))
    async with db.unit_of_work(user_actor(tenant)) as s:
        role = (await s.scalars(select(Role).where(Role.name == "销售代表"))).one()
        role.permissions = {**role.permissions, "accounts": {"read": "all"}}
        u = await s.get(User, user.id)
        u.password_hash = "argon2$new-secret-hash"
        u.totp_secret = "JBSWY3DPEHPK3PXP"
        u.title = "Senior rep"
        u.last_login_at = utcnow()  # bookkeeping, not audited

    role_rows = await entries(db, tenant, action="role_change", entity="roles", record_id=str(role.id))
    assert role_rows[-1].changes["_op"] == "update"
    assert role_rows[-1].changes["permissions"][1]["accounts"] == {"read": "all"}

    grant_rows = await entries(db, tenant, action="role_change", entity="user_roles", record_id=str(user.id))
    assert grant_rows and grant_rows[0].changes["_op"] == "create"
    assert grant_rows[0].changes["role_id"] == [None, str(role.id)]

    user_rows = await entries(db, tenant, action="user_change", record_id=str(user.id))
    created, changed = user_rows[0], user_rows[-1]
    assert created.changes["_op"] == "create"
    assert created.changes["password_hash"] == [None, "***"]
    assert changed.changes == {
        "_op": "update",
        "password_hash": ["***", "***"],
        "totp_secret": [None, "***"],
        "title": [None, "Senior rep"],
    }
    everything = " ".join(str(r.changes) for r in await entries(db, tenant))
    assert "new-secret-hash" not in everything and "JBSWY3DPEHPK3PXP" not in everything and "argon2" not in everything


async def test_record_event_entries_are_chained_with_actor_details(tenant):
    db = tenant.db
    async with db.unit_of_work(user_actor(tenant, ip="192.0.2.7", request_id="req-login")) as s:
        record_event(s, action="login", tenant_id=tenant.id, actor_id=tenant.admin.id)
    [row] = await entries(db, tenant, action="login", request_id="req-login")
    assert row.ip == "192.0.2.7" and row.chain == str(tenant.id) and row.seq > 1
