"""Sending and reading notifications.

``notify`` is what other parts call: it adds the notification to the caller's unit of work, lets each
channel queue its delivery there, and delivers live only after the commit (never for a rollback).
Users read, and mark read, only their own.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import structlog
from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from lingxi.audit.changes import json_safe
from lingxi.errors import BadRequest, NotFound, ValidationFailed
from lingxi.events.transaction import register_key, tx_list
from lingxi.kit.models import utcnow
from lingxi.notifications.channels import Message, channel
from lingxi.notifications.models import PRIORITIES, Notification
from lingxi.tenancy.context import Actor

log = structlog.get_logger("lingxi.notifications")
TO_DELIVER = "notifications_to_deliver"
TITLE_MAX = 300
LINK_MAX = 500


def _deliver_committed(_session: Session, items: list[tuple[tuple[str, ...], Message]]) -> None:
    for names, message in items:
        for name in names:
            ch = channel(name)
            if ch is None:
                continue
            try:
                ch.deliver(message)
            except Exception:  # noqa: BLE001 - stored already; the stream's catch-up finds it
                log.exception("notification_delivery_failed", channel=name, notification_id=message.id)


register_key(TO_DELIVER, _deliver_committed)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


async def notify(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID,
    user_id: uuid.UUID,
    kind: str,
    title: str,
    body: str = "",
    link: str | None = None,
    data: dict[str, Any] | None = None,
    priority: str = "normal",
    channels: Sequence[str] = (),
) -> Notification:
    """Add a notification for ``user_id`` to the caller's transaction. ``channels`` names extra
    delivery channels (see ``lingxi.notifications.channels``); the in-app one is always used."""
    if priority not in PRIORITIES:
        raise ValidationFailed(
            f"priority must be one of {', '.join(PRIORITIES)}",
            code="invalid_priority",
            details={"priority": priority},
        )
    kind = (kind or "").strip()
    if not kind or len(kind) > 64:
        raise ValidationFailed("kind must be 1-64 characters", code="invalid_kind", details={"kind": kind})
    if link is not None and len(link) > LINK_MAX:
        raise ValidationFailed(f"link longer than {LINK_MAX} characters", code="invalid_link")
    names = ("in_app", *(n for n in channels if n != "in_app"))
    unknown = [n for n in names if channel(n) is None]
    if unknown:
        raise ValidationFailed("unknown notification channel", code="unknown_channel", details={"channels": unknown})
    row = Notification(
        tenant_id=tenant_id,
        user_id=user_id,
        kind=kind,
        title=_clip(title.strip() or kind, TITLE_MAX),
        body=body or "",
        link=link,
        data=json_safe(data or {}),
        priority=priority,
        created_at=utcnow(),
    )
    session.add(row)
    await session.flush()
    for name in names:
        ch = channel(name)
        if ch is not None:
            await ch.queue(session, row)
    tx_list(session, TO_DELIVER).append((names, Message.of(row)))
    return row


def _user(actor: Actor) -> uuid.UUID:
    if actor.user_id is None:
        raise NotFound("notifications belong to users", code="notification_not_found")
    return actor.user_id


def encode_cursor(n: Notification) -> str:
    return base64.urlsafe_b64encode(f"{n.created_at.isoformat()}|{n.id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        at, row_id = raw.split("|", 1)
        return datetime.fromisoformat(at), uuid.UUID(row_id)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadRequest("invalid cursor", code="invalid_cursor") from exc


async def unread_count(session: AsyncSession, actor: Actor) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == _user(actor), Notification.read_at.is_(None))
    )
    return int(count or 0)


async def list_notifications(
    session: AsyncSession, actor: Actor, *, unread: bool | None = None, cursor: str | None = None, limit: int = 20
) -> tuple[list[Notification], str | None, int]:
    """The user's notifications, newest first, keyset-paginated; with their unread count."""
    query = (
        select(Notification)
        .where(Notification.user_id == _user(actor))
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(limit + 1)
    )
    if unread is True:
        query = query.where(Notification.read_at.is_(None))
    elif unread is False:
        query = query.where(Notification.read_at.is_not(None))
    if cursor:
        at, last_id = decode_cursor(cursor)
        query = query.where(
            or_(Notification.created_at < at, and_(Notification.created_at == at, Notification.id < last_id))
        )
    rows = list((await session.scalars(query)).all())
    next_cursor = encode_cursor(rows[limit - 1]) if len(rows) > limit else None
    return rows[:limit], next_cursor, await unread_count(session, actor)


async def mark_read(session: AsyncSession, actor: Actor, notification_id: uuid.UUID) -> Notification:
    row = await session.scalar(
        select(Notification).where(Notification.id == notification_id, Notification.user_id == _user(actor))
    )
    if row is None:
        raise NotFound("no such notification", code="notification_not_found", details={"id": str(notification_id)})
    if row.read_at is None:
        row.read_at = utcnow()
        await session.flush()
    return row


async def mark_all_read(session: AsyncSession, actor: Actor) -> int:
    result = await session.execute(
        update(Notification)
        .where(Notification.user_id == _user(actor), Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def created_since(
    session: AsyncSession, actor: Actor, since: datetime, *, limit: int = 100
) -> list[Notification]:
    """The user's notifications created at or after ``since``, oldest first (a stream's catch-up)."""
    rows = await session.scalars(
        select(Notification)
        .where(Notification.user_id == _user(actor), Notification.created_at >= since)
        .order_by(Notification.created_at, Notification.id)
        .limit(limit)
    )
    return list(rows.all())


async def created_at_of(session: AsyncSession, actor: Actor, notification_id: uuid.UUID) -> datetime | None:
    return await session.scalar(
        select(Notification.created_at).where(Notification.id == notification_id, Notification.user_id == _user(actor))
    )
