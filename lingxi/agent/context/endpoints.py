"""/api/v1/context: the context engine.

- ``POST /context/events``: behaviour events in batches (page views, clicks, searches, downloads...);
  they count in the next ``GET /context``.
- ``GET /context``: the assembled context of the signed-in user's interaction, weighted and explained.
- ``POST /context/interactions``, ``GET /context/history``: conversation turns (classified on arrival).
- ``GET /context/memory``, ``POST /context/memory/{id}/close|reopen``: long-term memory of unfinished topics.
- ``GET /context/timeline``: a record's timeline with cause links.
- ``GET|PUT /context/settings``, ``POST /context/purge``: retention, business calendar, playbooks.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query

import lingxi.agent.context.tasks  # noqa: F401  (registers the context.purge job in this process)
from lingxi.agent.context import history, service
from lingxi.agent.context import settings as context_settings
from lingxi.agent.context.schemas import (
    ContextItemOut,
    ContextOut,
    EventBatch,
    EventOut,
    EventPage,
    EventsAccepted,
    HistoryPage,
    InteractionIn,
    InteractionOut,
    PurgeOut,
    TimelineEntryOut,
    TimelineOut,
    TopicClose,
    TopicOut,
    TopicPage,
)
from lingxi.agent.context.settings import ContextSettings
from lingxi.agent.context.timeline import record_timeline
from lingxi.deps import AdminActor, CurrentActor, DbSession
from lingxi.errors import error_responses
from lingxi.jobs.service import enqueue_job

router = APIRouter(prefix="/context", tags=["context"])

Cursor = Annotated[str | None, Query(max_length=200, description="next_cursor of the previous page")]
Limit = Annotated[int, Query(ge=1, le=200)]
EntityQ = Annotated[str | None, Query(max_length=64, description="Entity of the record, e.g. tickets")]


async def _retention(session: DbSession, actor: CurrentActor) -> int:
    assert actor.tenant_id is not None
    return (await context_settings.load(session, actor.tenant_id)).settings.retention_days


@router.post(
    "/events",
    response_model=EventsAccepted,
    status_code=201,
    responses=error_responses(400, 401, 404, 422),
    summary="Record behaviour events (batch of up to 200)",
)
async def post_events(session: DbSession, actor: CurrentActor, body: EventBatch) -> EventsAccepted:
    rows = await history.ingest_events(session, actor, [e.model_dump() for e in body.events])
    return EventsAccepted(accepted=len(rows), ids=[r.id for r in rows])


@router.get(
    "/events",
    response_model=EventPage,
    responses=error_responses(400, 401, 403, 404, 422),
    summary="Behaviour events: mine, or those about a record I may read",
)
async def get_events(
    session: DbSession,
    actor: CurrentActor,
    kind: Annotated[str | None, Query(max_length=32)] = None,
    entity: EntityQ = None,
    record_id: uuid.UUID | None = None,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> EventPage:
    rows, next_cursor = await history.list_events(
        session,
        actor,
        retention_days=await _retention(session, actor),
        kind=kind,
        entity=entity,
        record_id=record_id,
        cursor=cursor,
        limit=limit,
    )
    return EventPage(data=[EventOut.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get(
    "",
    response_model=ContextOut,
    responses=error_responses(400, 401, 403, 404, 422),
    summary="The context of my interaction now",
    description="At least 20 kinds of context, each with when it happened, a weight and why it is there, "
    "heaviest first, read within the caller's permissions. Give the page, the current record (entity and "
    "record_id), the selection, channel, device and what the user just said (q) when known.",
)
async def get_context(
    session: DbSession,
    actor: CurrentActor,
    page: Annotated[str | None, Query(max_length=500, description="Current page path")] = None,
    entity: EntityQ = None,
    record_id: uuid.UUID | None = None,
    selection: Annotated[list[uuid.UUID] | None, Query(max_length=50, description="Selected record ids")] = None,
    selection_entity: EntityQ = None,
    channel: Annotated[str, Query(pattern=r"^[a-z][a-z0-9_]{0,19}$")] = "web",
    device: Annotated[str | None, Query(max_length=40)] = None,
    locale: Annotated[str | None, Query(max_length=16)] = None,
    q: Annotated[str | None, Query(max_length=2000, description="What the user just said or typed")] = None,
) -> ContextOut:
    ctx = await service.assemble_context(
        session,
        actor,
        page=page,
        entity=entity,
        record_id=record_id,
        selection=selection,
        selection_entity=selection_entity,
        channel=channel,
        device=device,
        locale=locale,
        query=q,
    )
    return ContextOut(
        generated_at=ctx.generated_at,
        took_ms=ctx.took_ms,
        record=ctx.record,
        intent=ctx.intent,
        kinds=ctx.kinds,
        consulted=ctx.consulted,
        items=[
            ContextItemOut(kind=i.kind, value=i.value, at=i.at, weight=i.weight, source=i.source, why=i.why)
            for i in ctx.items
        ],
    )


@router.post(
    "/interactions",
    response_model=InteractionOut,
    status_code=201,
    responses=error_responses(400, 401, 403, 404, 422),
    summary="Record a conversation turn",
)
async def post_interaction(session: DbSession, actor: CurrentActor, body: InteractionIn) -> InteractionOut:
    turn = await history.record_interaction(session, actor, **body.model_dump())
    return InteractionOut.model_validate(turn)


@router.get(
    "/history",
    response_model=HistoryPage,
    responses=error_responses(400, 401, 403, 404, 422),
    summary="Conversation turns: mine, or all about a record I may read; newest first",
)
async def get_history(
    session: DbSession,
    actor: CurrentActor,
    entity: EntityQ = None,
    record_id: uuid.UUID | None = None,
    conversation_id: uuid.UUID | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> HistoryPage:
    rows, next_cursor = await history.list_history(
        session,
        actor,
        retention_days=await _retention(session, actor),
        entity=entity,
        record_id=record_id,
        conversation_id=conversation_id,
        since=since,
        until=until,
        cursor=cursor,
        limit=limit,
    )
    return HistoryPage(data=[InteractionOut.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get(
    "/memory",
    response_model=TopicPage,
    responses=error_responses(400, 401, 422),
    summary="My long-term memory topics (open by default)",
)
async def get_memory(
    session: DbSession,
    actor: CurrentActor,
    status: Literal["open", "closed", "all"] = "open",
    cursor: Cursor = None,
    limit: Limit = 50,
) -> TopicPage:
    rows, next_cursor = await history.list_topics(
        session,
        actor,
        retention_days=await _retention(session, actor),
        status=None if status == "all" else status,
        cursor=cursor,
        limit=limit,
    )
    return TopicPage(data=[TopicOut.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.post(
    "/memory/{topic_id}/close",
    response_model=TopicOut,
    responses=error_responses(401, 404, 422),
    summary="Close a memory topic",
)
async def close_topic(
    session: DbSession, actor: CurrentActor, topic_id: uuid.UUID, body: TopicClose | None = None
) -> TopicOut:
    topic = await history.set_topic_status(session, actor, topic_id, "closed", body.resolution if body else None)
    return TopicOut.model_validate(topic)


@router.post(
    "/memory/{topic_id}/reopen",
    response_model=TopicOut,
    responses=error_responses(401, 404, 422),
    summary="Reopen a memory topic",
)
async def reopen_topic(session: DbSession, actor: CurrentActor, topic_id: uuid.UUID) -> TopicOut:
    return TopicOut.model_validate(await history.set_topic_status(session, actor, topic_id, "open"))


@router.get(
    "/timeline",
    response_model=TimelineOut,
    responses=error_responses(400, 401, 403, 404, 422),
    summary="A record's timeline with cause links",
)
async def get_timeline(
    session: DbSession,
    actor: CurrentActor,
    entity: Annotated[str, Query(max_length=64)],
    record_id: uuid.UUID,
    days: Annotated[int, Query(ge=1, le=3650)] = 30,
) -> TimelineOut:
    t = await record_timeline(session, actor, entity, record_id, days=days)
    return TimelineOut(
        entity=t.entity,
        record_id=t.record_id,
        since=t.since,
        entries=[
            TimelineEntryOut(
                id=e.id, kind=e.kind, at=e.at, title=e.title, source=e.source, tags=sorted(e.tags), data=e.data
            )
            for e in t.entries
        ],
        links=t.links,  # type: ignore[arg-type]
    )


@router.get(
    "/settings",
    response_model=ContextSettings,
    responses=error_responses(401),
    summary="The tenant's context settings",
)
async def get_settings(session: DbSession, actor: CurrentActor) -> ContextSettings:
    assert actor.tenant_id is not None
    return (await context_settings.load(session, actor.tenant_id)).settings


@router.put(
    "/settings",
    response_model=ContextSettings,
    responses=error_responses(401, 403, 422),
    summary="Change the tenant's context settings (administrators)",
)
async def put_settings(session: DbSession, actor: AdminActor, body: ContextSettings) -> ContextSettings:
    assert actor.tenant_id is not None
    return await context_settings.save(session, actor.tenant_id, body)


@router.post(
    "/purge",
    response_model=PurgeOut,
    status_code=202,
    responses=error_responses(401, 403),
    summary="Delete history past the retention now (administrators; a job)",
)
async def purge(session: DbSession, actor: AdminActor) -> PurgeOut:
    job = await enqueue_job(session, actor, "context.purge")
    return PurgeOut(job_id=job.id)
