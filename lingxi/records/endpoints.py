"""REST endpoints for every registered entity, generated from the registry:
``/api/v1/{entity}`` list/create, ``/{id}`` get/patch/delete, restore, bulk, related lists, shares, tags."""


import uuid
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Body, Header, Path, Query, Request
from fastapi.responses import Response
from sqlalchemy import delete, select

from lingxi.authz.models import RecordShare
from lingxi.deps import CurrentActor, DbSession
from lingxi.errors import NotFound, ValidationFailed, error_responses
from lingxi.meta.registry import Entity, registry
from lingxi.org.models import Team, User
from lingxi.records.query import parse_filter_params
from lingxi.records.schemas import (
    ShareIn,
    ShareOut,
    TagIn,
    TagOut,
    create_schema,
    page_schema,
    read_schema,
    update_schema,
)
from lingxi.records.service import MAX_BULK, RecordService, entity_or_404
from lingxi.tags.models import Tag, TagLink

ERRORS = error_responses(400, 401, 403, 404, 409, 422)

LimitQ = Annotated[int, Query(ge=1, le=500, description="Page size (max 500)")]
FilterQ = Annotated[
    str | None,
    Query(
        description='JSON filter, e.g. {"amount": {"gte": 1000}, "stage_id": {"in": ["…"]}, "$or": [...]}; '
        "operators eq, ne, in, nin, contains, starts_with, gt, gte, lt, lte, between, is_null. "
        "Also accepted as filter[field][op]=value parameters.",
        max_length=1500,
    ),
]
SortQ = Annotated[str | None, Query(description="Comma-separated fields, '-' for descending", max_length=200)]
FieldsQ = Annotated[str | None, Query(description="Comma-separated fields to return", max_length=1000)]
CursorQ = Annotated[str | None, Query(description="next_cursor of the previous page", max_length=1000)]
KeywordQ = Annotated[str | None, Query(description="Full-text keyword filter (Chinese and English)", max_length=200)]
IdPath = Annotated[uuid.UUID, Path(description="Record id")]


class _Json(Response):
    """JSON without re-validating what the service already shaped (field selection, masking)."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


def _only(fields: str | None) -> list[str] | None:
    return [f.strip() for f in fields.split(",") if f.strip()] if fields else None


def _version(if_match: str | None, body_version: Any) -> int | None:
    if body_version is not None:
        if isinstance(body_version, bool) or not isinstance(body_version, (int, str)) or not str(body_version).isdigit():
            raise ValidationFailed("version must be a whole number", details=[{"field": "version", "code": "invalid_value"}])
        return int(body_version)
    if if_match:
        tag = if_match.strip().removeprefix("W/").strip('"')
        if not tag.isdigit():
            raise ValidationFailed("If-Match must be the record version", code="invalid_if_match")
        return int(tag)
    return None


def _payload(body: Any) -> dict[str, Any]:
    data = body.model_dump(exclude_unset=True)
    data.update(body.model_extra or {})
    return data


def _entity_router(entity: Entity) -> APIRouter:
    name = entity.name
    router = APIRouter(prefix=f"/{name}", tags=[name])
    Create = create_schema(entity)
    Update = update_schema(entity)
    Read = read_schema(entity)
    PageModel = page_schema(entity)
    label = entity.spec.label_en

    @router.get("", response_model=PageModel, responses=ERRORS, summary=f"List {label} records")
    async def list_records(
        request: Request,
        session: DbSession,
        actor: CurrentActor,
        filter: FilterQ = None,
        sort: SortQ = None,
        fields: FieldsQ = None,
        cursor: CursorQ = None,
        q: KeywordQ = None,
        limit: LimitQ = 50,
        deleted: Annotated[bool, Query(description="List the recycle bin instead")] = False,
        count: Annotated[bool, Query(description="Also return the total count")] = False,
    ) -> Any:
        spec = parse_filter_params(list(request.query_params.multi_items()), filter)
        page = await RecordService(session, actor, entity).list(
            filter_spec=spec, sort=sort, cursor=cursor, limit=limit, only=_only(fields), keyword=q,
            deleted=deleted, with_total=count,
        )
        return _Json({"data": page.data, "next_cursor": page.next_cursor, "total": page.total})

    @router.post("", response_model=Read, status_code=201, responses=ERRORS, summary=f"Create a {label}")
    async def create_record(session: DbSession, actor: CurrentActor, body: Create) -> Any:  # type: ignore[valid-type]
        svc = RecordService(session, actor, entity)
        return await svc.serialize(await svc.create(_payload(body)))

    @router.post("/bulk", response_model=list[Read], status_code=201, responses=ERRORS, summary=f"Create up to {MAX_BULK} {label} records")
    async def bulk_create(session: DbSession, actor: CurrentActor, body: Annotated[list[Create], Body()]) -> Any:  # type: ignore[valid-type]
        svc = RecordService(session, actor, entity)
        return [await svc.serialize(r) for r in await svc.bulk_create([_payload(b) for b in body])]

    @router.patch("/bulk", response_model=list[Read], responses=ERRORS, summary=f"Update up to {MAX_BULK} {label} records (each with id)")
    async def bulk_update(session: DbSession, actor: CurrentActor, body: Annotated[list[dict[str, Any]], Body()]) -> Any:
        svc = RecordService(session, actor, entity)
        return [await svc.serialize(r) for r in await svc.bulk_update(body)]

    @router.get("/{record_id}", response_model=Read, responses=ERRORS, summary=f"Get a {label}")
    async def get_record(session: DbSession, actor: CurrentActor, record_id: IdPath, fields: FieldsQ = None) -> Any:
        return _Json(await RecordService(session, actor, entity).get(record_id, _only(fields)))

    @router.patch("/{record_id}", response_model=Read, responses=ERRORS, summary=f"Update a {label}")
    async def update_record(
        session: DbSession,
        actor: CurrentActor,
        record_id: IdPath,
        body: Update,  # type: ignore[valid-type]
        if_match: Annotated[str | None, Header(description="Expected version")] = None,
    ) -> Any:
        data = _payload(body)
        version = _version(if_match, data.pop("version", None))
        svc = RecordService(session, actor, entity)
        return await svc.serialize(await svc.update(record_id, data, version))

    @router.delete("/{record_id}", status_code=204, responses=ERRORS, summary=f"Delete a {label} (to the recycle bin)")
    async def delete_record(
        session: DbSession,
        actor: CurrentActor,
        record_id: IdPath,
        if_match: Annotated[str | None, Header(description="Expected version")] = None,
    ) -> Response:
        await RecordService(session, actor, entity).delete(record_id, _version(if_match, None))
        return Response(status_code=204)

    @router.post("/{record_id}/restore", response_model=Read, responses=ERRORS, summary=f"Restore a deleted {label}")
    async def restore_record(session: DbSession, actor: CurrentActor, record_id: IdPath) -> Any:
        svc = RecordService(session, actor, entity)
        return await svc.serialize(await svc.restore(record_id))

    related_names = sorted({child.name for child, _ in registry.children_of(name)} | _polymorphic(entity))
    if related_names:
        from enum import Enum

        Related = Enum(f"{entity.model.__name__}Related", {n: n for n in related_names})  # type: ignore[misc]

        @router.get("/{record_id}/{related}", response_model=dict[str, Any], responses=ERRORS, summary=f"Related records of a {label}")
        async def related_records(
            request: Request,
            session: DbSession,
            actor: CurrentActor,
            record_id: IdPath,
            related: Related,  # type: ignore[valid-type]
            filter: FilterQ = None,
            sort: SortQ = None,
            fields: FieldsQ = None,
            cursor: CursorQ = None,
            limit: LimitQ = 50,
        ) -> Any:
            spec = parse_filter_params(list(request.query_params.multi_items()), filter)
            page = await RecordService(session, actor, entity).related(
                record_id, related.value, filter_spec=spec, sort=sort, cursor=cursor, limit=limit, only=_only(fields)
            )
            return _Json({"data": page.data, "next_cursor": page.next_cursor})

    if entity.spec.owned:
        _share_routes(router, entity)
    if entity.spec.searchable:
        _tag_routes(router, entity)
    return router


def _polymorphic(entity: Entity) -> set[str]:
    if entity.name in ("tags",) or entity.spec.parent:
        return set()
    return {"activities", "attachments"} if entity.name != "activities" else {"attachments"}


def _share_routes(router: APIRouter, entity: Entity) -> None:
    @router.get("/{record_id}/shares", response_model=list[ShareOut], responses=ERRORS, summary="Who this record is shared with")
    async def list_shares(session: DbSession, actor: CurrentActor, record_id: IdPath) -> Any:
        await RecordService(session, actor, entity)._load(record_id)
        rows = await session.scalars(
            select(RecordShare).where(RecordShare.entity == entity.name, RecordShare.record_id == record_id)
        )
        return [ShareOut(id=r.id, user_id=r.user_id, team_id=r.team_id, access=r.access) for r in rows]

    @router.post("/{record_id}/shares", response_model=ShareOut, status_code=201, responses=ERRORS, summary="Share this record")
    async def add_share(session: DbSession, actor: CurrentActor, record_id: IdPath, body: ShareIn) -> Any:
        await RecordService(session, actor, entity)._load(record_id, "update")
        if (body.user_id is None) == (body.team_id is None):
            raise ValidationFailed("give exactly one of user_id and team_id", code="invalid_share")
        target_model = User if body.user_id else Team
        target_id = body.user_id or body.team_id
        if await session.scalar(select(target_model.id).where(target_model.id == target_id)) is None:
            raise NotFound("no such user or team", code="share_target_not_found")
        existing = await session.scalar(
            select(RecordShare).where(
                RecordShare.entity == entity.name, RecordShare.record_id == record_id,
                RecordShare.user_id == body.user_id if body.user_id else RecordShare.team_id == body.team_id,
            )
        )
        share = existing or RecordShare(entity=entity.name, record_id=record_id, user_id=body.user_id, team_id=body.team_id)
        share.access = body.access
        share.created_by_id = actor.user_id
        session.add(share)
        await session.flush()
        return ShareOut(id=share.id, user_id=share.user_id, team_id=share.team_id, access=share.access)

    @router.delete("/{record_id}/shares/{share_id}", status_code=204, responses=ERRORS, summary="Stop sharing")
    async def remove_share(session: DbSession, actor: CurrentActor, record_id: IdPath, share_id: uuid.UUID) -> Response:
        await RecordService(session, actor, entity)._load(record_id, "update")
        share = await session.scalar(
            select(RecordShare).where(RecordShare.id == share_id, RecordShare.record_id == record_id, RecordShare.entity == entity.name)
        )
        if share is None:
            raise NotFound("no such share", code="share_not_found")
        await session.delete(share)
        return Response(status_code=204)


def _tag_routes(router: APIRouter, entity: Entity) -> None:
    @router.get("/{record_id}/tags", response_model=list[TagOut], responses=ERRORS, summary="Tags of this record")
    async def list_tags(session: DbSession, actor: CurrentActor, record_id: IdPath) -> Any:
        await RecordService(session, actor, entity)._load(record_id)
        rows = await session.scalars(
            select(Tag).join(TagLink, TagLink.tag_id == Tag.id).where(TagLink.entity == entity.name, TagLink.record_id == record_id)
        )
        return [TagOut(id=t.id, name=t.name, color=t.color) for t in rows]

    @router.post("/{record_id}/tags", response_model=TagOut, status_code=201, responses=ERRORS, summary="Tag this record")
    async def add_tag(session: DbSession, actor: CurrentActor, record_id: IdPath, body: TagIn) -> Any:
        await RecordService(session, actor, entity)._load(record_id, "update")
        tag = await session.scalar(select(Tag).where(Tag.name == body.name.strip()))
        if tag is None:
            tags = entity_or_404("tags")
            tag = await RecordService(session, actor, tags).create({"name": body.name.strip(), "color": body.color})
        link = await session.scalar(
            select(TagLink).where(TagLink.tag_id == tag.id, TagLink.entity == entity.name, TagLink.record_id == record_id)
        )
        if link is None:
            session.add(TagLink(tag_id=tag.id, entity=entity.name, record_id=record_id))
            await session.flush()
        return TagOut(id=tag.id, name=tag.name, color=tag.color)

    @router.delete("/{record_id}/tags/{tag_id}", status_code=204, responses=ERRORS, summary="Remove a tag")
    async def remove_tag(session: DbSession, actor: CurrentActor, record_id: IdPath, tag_id: uuid.UUID) -> Response:
        await RecordService(session, actor, entity)._load(record_id, "update")
        await session.execute(
            delete(TagLink).where(TagLink.tag_id == tag_id, TagLink.entity == entity.name, TagLink.record_id == record_id)
        )
        return Response(status_code=204)


def build_record_routers() -> list[APIRouter]:
    from lingxi.attachments.endpoints import router as attachments_router
    from lingxi.leads.endpoints import router as leads_router

    # Specific routes first so /leads/{id}/convert and /attachments/upload win over generic ones.
    return [leads_router, attachments_router, *(_entity_router(e) for e in registry.all())]
