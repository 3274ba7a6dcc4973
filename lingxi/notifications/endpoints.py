"""/api/v1/notifications: the signed-in user's inbox (the web UI's bell) and its live stream."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections import deque
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import StreamingResponse

from lingxi.db import get_database
from lingxi.deps import CurrentActor, DbSession
from lingxi.errors import error_responses
from lingxi.kit.models import utcnow
from lingxi.notifications import service
from lingxi.notifications.live import get_hub
from lingxi.notifications.schemas import NotificationOut, NotificationPage, ReadAllOut
from lingxi.tenancy.context import Actor

router = APIRouter(prefix="/notifications", tags=["notifications"])

# A stream re-reads the table this often (seconds) for what live delivery missed, and sends a heartbeat.
CATCH_UP_SECONDS = 10.0
# How far back a catch-up looks: a row is stamped at flush and may commit a little later.
CATCH_UP_WINDOW = timedelta(seconds=60)


@router.get(
    "",
    response_model=NotificationPage,
    responses=error_responses(400, 401, 422),
    summary="My notifications, newest first",
)
async def list_notifications(
    session: DbSession,
    actor: CurrentActor,
    unread: Annotated[bool | None, Query(description="true: unread only; false: read only; absent: all")] = None,
    cursor: Annotated[str | None, Query(max_length=200, description="next_cursor of the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> NotificationPage:
    rows, next_cursor, unread_count = await service.list_notifications(
        session, actor, unread=unread, cursor=cursor, limit=limit
    )
    return NotificationPage(
        data=[NotificationOut.model_validate(r) for r in rows], next_cursor=next_cursor, unread_count=unread_count
    )


@router.post("/read-all", response_model=ReadAllOut, responses=error_responses(401), summary="Mark all mine read")
async def read_all(session: DbSession, actor: CurrentActor) -> ReadAllOut:
    return ReadAllOut(updated=await service.mark_all_read(session, actor))


@router.post(
    "/{notification_id}/read",
    response_model=NotificationOut,
    responses=error_responses(401, 404, 422),
    summary="Mark one read",
)
async def read_one(session: DbSession, actor: CurrentActor, notification_id: uuid.UUID) -> NotificationOut:
    return NotificationOut.model_validate(await service.mark_read(session, actor, notification_id))


def _event(payload: dict[str, Any]) -> str:
    body = {k: v for k, v in payload.items() if k not in ("tenant_id", "user_id")}
    return f"id: {body['id']}\nevent: notification\ndata: {json.dumps(body, ensure_ascii=False, default=str)}\n\n"


def _payload(n: Any) -> dict[str, Any]:
    return NotificationOut.model_validate(n).model_dump(mode="json")


async def _stream(request: Request, actor: Actor, last_event_id: str | None, seconds: float) -> AsyncIterator[str]:
    hub = get_hub()
    assert actor.tenant_id is not None and actor.user_id is not None
    sub = hub.subscribe(actor.tenant_id, actor.user_id)  # before the catch-up read, so nothing falls between
    seen: deque[str] = deque(maxlen=500)
    db = get_database()
    try:
        yield "retry: 2000\n\n"
        since = utcnow()
        if last_event_id:
            try:
                resume = uuid.UUID(last_event_id)
            except ValueError:
                resume = None
            if resume is not None:
                missed: list[dict[str, Any]] = []
                async with db.unit_of_work(actor, write=False) as s:  # rows are read inside: a read rolls back
                    at = await service.created_at_of(s, actor, resume)
                    if at is not None:
                        since = at
                        seen.append(str(resume))
                        missed = [_payload(n) for n in await service.created_since(s, actor, at)]
                for payload in missed:
                    if payload["id"] not in seen:
                        seen.append(payload["id"])
                        yield _event(payload)
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                payload = await asyncio.wait_for(sub.queue.get(), timeout=min(CATCH_UP_SECONDS, left))
            except TimeoutError:
                payload = None
            if await request.is_disconnected():
                return
            if payload is not None:
                if payload["id"] not in seen:
                    seen.append(payload["id"])
                    yield _event(payload)
                continue
            if time.monotonic() >= deadline:
                break
            async with db.unit_of_work(actor, write=False) as s:
                found = [
                    (n.created_at, _payload(n)) for n in await service.created_since(s, actor, since - CATCH_UP_WINDOW)
                ]
            for created_at, found_payload in found:
                if found_payload["id"] not in seen:
                    seen.append(found_payload["id"])
                    yield _event(found_payload)
                since = max(since, created_at)
            yield ": ping\n\n"
    finally:
        hub.unsubscribe(sub)


@router.get(
    "/stream",
    response_class=StreamingResponse,
    responses={
        200: {
            "content": {"text/event-stream": {}},
            "description": "Server-sent events: one `notification` event (data: the notification's JSON, id: its"
            " id) per new notification of the signed-in user, and `: ping` comments as heartbeats.",
        },
        **error_responses(401, 422),
    },
    summary="Live stream of my new notifications (server-sent events)",
)
async def stream(
    request: Request,
    actor: CurrentActor,
    seconds: Annotated[
        float, Query(ge=1, le=3600, description="Seconds before the server closes the stream (EventSource reconnects)")
    ] = 300,
    last_event_id: Annotated[
        str | None, Header(max_length=64, description="Resume after this notification id (sent by EventSource)")
    ] = None,
) -> StreamingResponse:
    return StreamingResponse(
        _stream(request, actor, last_event_id, seconds),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
