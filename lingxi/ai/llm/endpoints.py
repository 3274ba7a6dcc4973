"""Admin settings of the tenant's LLM providers (``/api/v1/ai/providers``) and token usage."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from lingxi.ai.llm import service
from lingxi.ai.llm.models import AiProvider
from lingxi.ai.llm.schemas import ProviderIn, ProviderList, ProviderOut, ProviderPatch, ProviderTestResult, UsageReport
from lingxi.deps import AdminActor, DbSession
from lingxi.errors import error_responses

router = APIRouter(prefix="/ai", tags=["ai"])


def _out(p: AiProvider) -> ProviderOut:
    return ProviderOut.model_validate(
        {**{c: getattr(p, c) for c in ProviderOut.model_fields if c != "has_api_key"}, "has_api_key": bool(p.api_key_sealed)}
    )


@router.get("/providers", response_model=ProviderList, responses=error_responses(401, 403), summary="List LLM providers (admins)")
async def list_providers(session: DbSession, actor: AdminActor) -> Any:
    return ProviderList(items=[_out(p) for p in await service.list_providers(session)])


@router.post("/providers", status_code=201, response_model=ProviderOut, responses=error_responses(401, 403, 409, 422),
             summary="Add an LLM provider (admins); the API key is stored encrypted and never returned")
async def create_provider(session: DbSession, actor: AdminActor, body: ProviderIn) -> Any:
    return _out(await service.create_provider(session, actor, body))


@router.get("/providers/{provider_id}", response_model=ProviderOut, responses=error_responses(401, 403, 404))
async def get_provider(session: DbSession, actor: AdminActor, provider_id: uuid.UUID) -> Any:
    return _out(await service.get_provider(session, provider_id))


@router.patch("/providers/{provider_id}", response_model=ProviderOut, responses=error_responses(401, 403, 404, 422))
async def update_provider(session: DbSession, actor: AdminActor, provider_id: uuid.UUID, body: ProviderPatch) -> Any:
    return _out(await service.update_provider(session, provider_id, body))


@router.delete("/providers/{provider_id}", status_code=204, response_class=Response, responses=error_responses(401, 403, 404))
async def delete_provider(session: DbSession, actor: AdminActor, provider_id: uuid.UUID) -> Response:
    await service.delete_provider(session, provider_id)
    return Response(status_code=204)


@router.post("/providers/{provider_id}/test", response_model=ProviderTestResult, responses=error_responses(401, 403, 404),
             summary="Send a one-word prompt through the provider and report the outcome")
async def test_provider(session: DbSession, actor: AdminActor, provider_id: uuid.UUID) -> Any:
    return await service.test_provider(session, actor, provider_id)


@router.get("/usage", response_model=UsageReport, responses=error_responses(401, 403),
            summary="Token usage per feature, provider and model (admins)")
async def usage(
    session: DbSession, actor: AdminActor,
    since: Annotated[datetime | None, Query()] = None,
    feature: Annotated[str | None, Query(max_length=64)] = None,
) -> Any:
    return await service.usage_report(session, since, feature)
