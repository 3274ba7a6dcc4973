"""Delivering reminders: each due ``ToolReminder`` becomes an in-app notification, once.

``deliver_due`` claims a reminder with a conditional UPDATE (``sent_at IS NULL``) in the same transaction
as its notification, so two processes never deliver the same one and a failure delivers it later.
The server runs it every few seconds (``lingxi.agent.tools.runtime``)."""

from __future__ import annotations

import asyncio
from datetime import datetime

import structlog
from sqlalchemy import select, update

from lingxi.agent.tools.models import ToolReminder
from lingxi.db import Database
from lingxi.kit.models import utcnow
from lingxi.notifications.service import notify
from lingxi.tenancy.context import Actor

log = structlog.get_logger("lingxi.agent.tools.reminders")
INTERVAL_S = 10.0
BATCH = 100


async def deliver_due(db: Database, now: datetime | None = None) -> int:
    """Delivers the reminders due by ``now``; returns how many."""
    now = now or utcnow()
    async with db.unit_of_work(Actor.system(), write=False) as s:
        due = (await s.execute(
            select(ToolReminder.id, ToolReminder.tenant_id)
            .where(ToolReminder.sent_at.is_(None), ToolReminder.remind_at <= now)
            .order_by(ToolReminder.remind_at)
            .limit(BATCH)
        )).all()
    sent = 0
    for reminder_id, tenant_id in due:
        async with db.unit_of_work(Actor.system(tenant_id)) as s:
            claimed = await s.execute(
                update(ToolReminder)
                .where(ToolReminder.id == reminder_id, ToolReminder.sent_at.is_(None))
                .values(sent_at=now)
                .execution_options(synchronize_session=False)
            )
            if claimed.rowcount != 1:  # type: ignore[attr-defined]
                continue
            r = await s.get(ToolReminder, reminder_id)
            assert r is not None
            await notify(s, tenant_id=tenant_id, user_id=r.user_id, kind="reminder", title=r.title, body=r.body,
                         link=r.link, priority="high",
                         data={"reminder_id": str(r.id), "activity_id": str(r.activity_id) if r.activity_id else None})
            sent += 1
    return sent


async def run_forever(db_of: object) -> None:
    """The server's loop: ``db_of()`` gives the process's Database."""
    while True:
        try:
            await deliver_due(db_of())  # type: ignore[operator]
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 - the next round tries again
            log.exception("reminder_delivery_failed")
        await asyncio.sleep(INTERVAL_S)
