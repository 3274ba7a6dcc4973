"""The transactional outbox: events are written with the change and delivered to subscribers."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from lingxi.accounts.models import Account
from lingxi.events import dispatcher
from lingxi.events.dispatcher import dispatch_all, dispatch_pending, purge_dispatched
from lingxi.events.models import OutboxEvent
from lingxi.events.subscribers import DomainEvent, subscribe, unsubscribe
from lingxi.kit.models import utcnow
from lingxi.tenancy.context import Actor


def actor_of(kit) -> Actor:
    return Actor(tenant_id=kit.id, user_id=kit.admin.id, is_admin=True)


async def events_of(kit, record_id: uuid.UUID) -> list[OutboxEvent]:
    async with kit.db.unit_of_work(Actor.system(kit.id), write=False) as s:
        rows = list(
            (
                await s.scalars(select(OutboxEvent).where(OutboxEvent.record_id == record_id).order_by(OutboxEvent.id))
            ).all()
        )
        s.expunge_all()
        return rows


@pytest.fixture
def received():
    """Events of the test's tenant seen by a ``accounts.*`` subscriber."""
    seen: list[DomainEvent] = []
    tenants: set[uuid.UUID] = set()

    @subscribe("accounts.*")
    async def on_account(event: DomainEvent, db) -> None:
        if event.tenant_id in tenants:
            seen.append(event)

    yield seen, tenants
    unsubscribe(on_account)


async def test_events_are_written_in_the_same_transaction(tenant):
    db = tenant.db
    async with db.unit_of_work(actor_of(tenant)) as s:
        account = Account(name="Outbox Co")
        s.add(account)
        await s.flush()
        # Visible inside the transaction, before commit.
        inside = (await s.scalars(select(OutboxEvent).where(OutboxEvent.record_id == account.id))).all()
        assert [e.topic for e in inside] == ["accounts.created"]
    async with db.unit_of_work(actor_of(tenant)) as s:
        acc = await s.get(Account, account.id)
        acc.phone = "13912345678"
        acc.city = "上海"
    async with db.unit_of_work(actor_of(tenant)) as s:
        acc = await s.get(Account, account.id)
        acc.deleted_at = utcnow()
    async with db.unit_of_work(actor_of(tenant)) as s:
        acc = await s.get(Account, account.id, execution_options={"include_deleted": True})
        acc.deleted_at = None

    events = await events_of(tenant, account.id)
    assert [e.topic for e in events] == [
        "accounts.created",
        "accounts.updated",
        "accounts.deleted",
        "accounts.restored",
    ]
    created, updated = events[0], events[1]
    assert created.payload["id"] == str(account.id) and "name" in created.payload["changed"]
    assert updated.payload["changed"] == ["city", "phone"]
    assert all(e.tenant_id == tenant.id and e.actor_id == tenant.admin.id and e.entity == "accounts" for e in events)


async def test_rolled_back_transaction_leaves_no_event(tenant):
    with pytest.raises(RuntimeError):
        async with tenant.db.unit_of_work(actor_of(tenant)) as s:
            account = Account(name="Never")
            s.add(account)
            await s.flush()
            raise RuntimeError("abort")
    assert await events_of(tenant, account.id) == []


async def test_dispatch_delivers_to_subscribers_in_order(tenant, received):
    seen, tenants = received
    tenants.add(tenant.id)
    async with tenant.db.unit_of_work(actor_of(tenant)) as s:
        account = Account(name="Deliver")
        s.add(account)
    async with tenant.db.unit_of_work(actor_of(tenant)) as s:
        (await s.get(Account, account.id)).name = "Delivered"
    await dispatch_all(tenant.db)
    assert [(e.topic, e.record_id) for e in seen] == [
        ("accounts.created", account.id),
        ("accounts.updated", account.id),
    ]
    assert all(e.attempt == 1 for e in seen)
    events = await events_of(tenant, account.id)
    assert all(e.dispatched_at is not None and e.attempts == 1 and e.last_error is None for e in events)

    await dispatch_all(tenant.db)  # nothing is delivered twice
    assert len(seen) == 2


async def test_failing_subscriber_is_retried(tenant, monkeypatch):
    monkeypatch.setattr(dispatcher, "RETRY_BASE_SECONDS", 0.0)
    calls: list[int] = []

    @subscribe("accounts.created")
    async def flaky(event: DomainEvent, db) -> None:
        if event.tenant_id != tenant.id:
            return
        calls.append(event.attempt)
        if len(calls) == 1:
            raise ConnectionError("webhook down")

    try:
        async with tenant.db.unit_of_work(actor_of(tenant)) as s:
            account = Account(name="Flaky")
            s.add(account)
        await dispatch_all(tenant.db)
        [event] = await events_of(tenant, account.id)
        assert event.dispatched_at is None and event.attempts == 1
        assert "ConnectionError: webhook down" in event.last_error
        assert event.next_attempt_at is not None

        await dispatch_all(tenant.db)
        [event] = await events_of(tenant, account.id)
        assert calls == [1, 2]
        assert event.dispatched_at is not None and event.attempts == 2 and event.last_error is None
    finally:
        unsubscribe(flaky)


async def test_undeliverable_event_is_given_up(tenant, monkeypatch):
    monkeypatch.setattr(dispatcher, "RETRY_BASE_SECONDS", 0.0)
    monkeypatch.setattr(dispatcher, "MAX_ATTEMPTS", 3)
    calls: list[int] = []

    @subscribe("accounts.created")
    async def broken(event: DomainEvent, db) -> None:
        if event.tenant_id == tenant.id:
            calls.append(event.attempt)
            raise ValueError("always")

    try:
        async with tenant.db.unit_of_work(actor_of(tenant)) as s:
            account = Account(name="Broken")
            s.add(account)
        for _ in range(5):
            await dispatch_all(tenant.db)
    finally:
        unsubscribe(broken)
    assert calls == [1, 2, 3]
    [event] = await events_of(tenant, account.id)
    assert event.dispatched_at is None and event.attempts == 3 and "ValueError: always" in event.last_error


async def test_backoff_delays_the_retry(tenant):
    calls: list[int] = []

    @subscribe("accounts.created")
    async def once_broken(event: DomainEvent, db) -> None:
        if event.tenant_id == tenant.id:
            calls.append(event.attempt)
            raise ValueError("later")

    try:
        async with tenant.db.unit_of_work(actor_of(tenant)) as s:
            s.add(Account(name="Backoff"))
        await dispatch_all(tenant.db)
        await dispatch_all(tenant.db)  # the retry is not due yet
    finally:
        unsubscribe(once_broken)
    assert calls == [1]


async def test_concurrent_dispatchers_deliver_each_event_once(tenant, received):
    seen, tenants = received
    tenants.add(tenant.id)
    async with tenant.db.unit_of_work(actor_of(tenant)) as s:
        for i in range(30):
            s.add(Account(name=f"Concurrent {i}"))
    await asyncio.gather(*(dispatch_pending(tenant.db, batch=7) for _ in range(6)))
    await dispatch_all(tenant.db)
    ids = [e.id for e in seen]
    assert len(ids) == 30 and len(set(ids)) == 30


async def test_delivered_events_are_purged_after_a_while(tenant):
    async with tenant.db.unit_of_work(actor_of(tenant)) as s:
        old, fresh, stuck = Account(name="Old"), Account(name="Fresh"), Account(name="Stuck")
        s.add_all([old, fresh, stuck])
    t = OutboxEvent.__table__
    async with tenant.db.writer.begin() as conn:
        long_ago = utcnow() - timedelta(days=30)
        await conn.execute(update(t).where(t.c.record_id == old.id).values(dispatched_at=long_ago))
        await conn.execute(update(t).where(t.c.record_id == fresh.id).values(dispatched_at=utcnow()))
        await conn.execute(update(t).where(t.c.record_id == stuck.id).values(attempts=99, created_at=long_ago))
    assert await purge_dispatched(tenant.db) >= 1
    assert await events_of(tenant, old.id) == []
    assert len(await events_of(tenant, fresh.id)) == 1
    assert len(await events_of(tenant, stuck.id)) == 1  # never delivered: kept for an operator
