"""Delivering outbox events to subscribers.

A dispatcher claims a batch of due events in one short transaction (``FOR UPDATE SKIP LOCKED`` on
PostgreSQL, so several workers share the outbox; SQLite's writers are serialised anyway), which
counts the attempt and leases the rows for ``CLAIM_LEASE``. It then calls the subscribers outside
any transaction and records the outcome: ``dispatched_at`` on success; ``last_error`` and a back-off
before the next try on failure. After ``MAX_ATTEMPTS`` the event is left undelivered with its last
error, for an operator to look at. A dispatcher that dies mid-batch leaves leased rows, which are
claimed again once the lease runs out.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta

import structlog
from sqlalchemy import delete, or_, select, update

from lingxi.db import Database
from lingxi.events.models import OutboxEvent
from lingxi.events.subscribers import DomainEvent, subscribers_of
from lingxi.kit.models import utcnow

log = structlog.get_logger("lingxi.events")

MAX_ATTEMPTS = 8
RETRY_BASE_SECONDS = 2.0  # back-off: base * 2^(attempt-1), capped at RETRY_MAX_SECONDS
RETRY_MAX_SECONDS = 600.0
CLAIM_LEASE = timedelta(minutes=5)
SUBSCRIBER_TIMEOUT_SECONDS = 60.0
OUTBOX_KEEP = timedelta(days=7)  # delivered events are kept this long, then purged


@dataclass(frozen=True)
class DispatchResult:
    claimed: int = 0
    delivered: int = 0
    failed: int = 0


def retry_delay(attempt: int) -> timedelta:
    return timedelta(seconds=min(RETRY_BASE_SECONDS * 2 ** max(attempt - 1, 0), RETRY_MAX_SECONDS))


async def _claim(db: Database, batch: int, now: datetime) -> list[DomainEvent]:
    t = OutboxEvent.__table__
    due = (
        select(t.c.id)
        .where(
            t.c.dispatched_at.is_(None),
            t.c.attempts < MAX_ATTEMPTS,
            or_(t.c.next_attempt_at.is_(None), t.c.next_attempt_at <= now),
        )
        .order_by(t.c.id)
        .limit(batch)
    )
    if not db.is_sqlite:
        due = due.with_for_update(skip_locked=True)
    stmt = (
        update(t)
        .where(t.c.id.in_(due))
        .values(attempts=t.c.attempts + 1, next_attempt_at=now + CLAIM_LEASE)
        .returning(
            t.c.id,
            t.c.topic,
            t.c.tenant_id,
            t.c.entity,
            t.c.record_id,
            t.c.actor_id,
            t.c.payload,
            t.c.created_at,
            t.c.attempts,
        )
    )
    async with db.writer.begin() as conn:
        rows = (await conn.execute(stmt)).all()
    events = [
        DomainEvent(
            id=r.id,
            topic=r.topic,
            tenant_id=r.tenant_id,
            entity=r.entity,
            record_id=r.record_id,
            actor_id=r.actor_id,
            payload=r.payload or {},
            created_at=r.created_at,
            attempt=r.attempts,
        )
        for r in rows
    ]
    events.sort(key=lambda e: e.id)
    return events


async def _deliver(db: Database, event: DomainEvent) -> str | None:
    """Call every subscriber of the event; the error text when one of them failed."""
    errors = []
    for sub in subscribers_of(event.topic):
        try:
            await asyncio.wait_for(sub.handler(event, db), SUBSCRIBER_TIMEOUT_SECONDS)
        except Exception as exc:  # noqa: BLE001 - a subscriber's failure is recorded, not raised
            log.warning("subscriber_failed", subscriber=sub.name, event_id=event.id, topic=event.topic, error=repr(exc))
            errors.append(f"{sub.name}: {type(exc).__name__}: {exc}")
    return "\n".join(errors)[:4000] if errors else None


async def dispatch_pending(db: Database, batch: int = 100) -> DispatchResult:
    """Deliver up to ``batch`` due events, oldest first. Returns what happened to them."""
    events = await _claim(db, batch, utcnow())
    if not events:
        return DispatchResult()
    delivered: list[int] = []
    failures: list[tuple[DomainEvent, str]] = []
    for ev in events:
        error = await _deliver(db, ev)
        if error is None:
            delivered.append(ev.id)
        else:
            failures.append((ev, error))
    t = OutboxEvent.__table__
    done_at = utcnow()
    async with db.writer.begin() as conn:
        if delivered:
            await conn.execute(
                update(t)
                .where(t.c.id.in_(delivered))
                .values(dispatched_at=done_at, next_attempt_at=None, last_error=None)
            )
        for ev, error in failures:
            await conn.execute(
                update(t)
                .where(t.c.id == ev.id)
                .values(last_error=error, next_attempt_at=done_at + retry_delay(ev.attempt))
            )
            if ev.attempt >= MAX_ATTEMPTS:
                log.error("event_undeliverable", event_id=ev.id, topic=ev.topic, attempts=ev.attempt, error=error)
    return DispatchResult(claimed=len(events), delivered=len(delivered), failed=len(failures))


async def dispatch_all(db: Database, batch: int = 100, max_batches: int = 1000) -> DispatchResult:
    """Dispatch until nothing due is left (or ``max_batches`` ran)."""
    claimed = delivered = failed = 0
    for _ in range(max_batches):
        result = await dispatch_pending(db, batch)
        claimed += result.claimed
        delivered += result.delivered
        failed += result.failed
        if result.claimed < batch:
            break
    return DispatchResult(claimed, delivered, failed)


async def purge_dispatched(db: Database, older_than: timedelta = OUTBOX_KEEP) -> int:
    """Delete events delivered more than ``older_than`` ago. Undelivered events are never purged."""
    t = OutboxEvent.__table__
    async with db.writer.begin() as conn:
        result = await conn.execute(delete(t).where(t.c.dispatched_at < utcnow() - older_than))
    return int(result.rowcount or 0)
