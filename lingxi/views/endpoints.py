"""/api/v1/views: the signed-in user's saved list views."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from lingxi.deps import CurrentActor, DbSession
from lingxi.errors import error_responses
from lingxi.views import service
from lingxi.views.schemas import SavedViewIn, SavedViewOut, SavedViewUpdate

router = APIRouter(prefix="/views", tags=["saved-views"])


@router.get("", response_model=list[SavedViewOut], responses=error_responses(401, 422), summary="My saved views")
async def list_views(
    session: DbSession, actor: CurrentActor, entity: Annotated[str | None, Query(max_length=64)] = None
) -> list[SavedViewOut]:
    return [SavedViewOut.model_validate(v) for v in await service.list_views(session, actor, entity)]


@router.post(
    "",
    response_model=SavedViewOut,
    status_code=201,
    responses=error_responses(401, 404, 409, 422),
    summary="Save a view",
)
async def create_view(session: DbSession, actor: CurrentActor, body: SavedViewIn) -> SavedViewOut:
    view = await service.create_view(
        session, actor, entity=body.entity, name=body.name, state=body.state, is_default=body.is_default
    )
    return SavedViewOut.model_validate(view)


@router.patch(
    "/{view_id}",
    response_model=SavedViewOut,
    responses=error_responses(401, 404, 409, 422),
    summary="Rename or change a view",
)
async def update_view(
    session: DbSession, actor: CurrentActor, view_id: uuid.UUID, body: SavedViewUpdate
) -> SavedViewOut:
    view = await service.update_view(session, actor, view_id, body.model_dump(exclude_unset=True))
    return SavedViewOut.model_validate(view)


@router.delete("/{view_id}", status_code=204, responses=error_responses(401, 404), summary="Delete a view")
async def delete_view(session: DbSession, actor: CurrentActor, view_id: uuid.UUID) -> Response:
    await service.delete_view(session, actor, view_id)
    return Response(status_code=204)
