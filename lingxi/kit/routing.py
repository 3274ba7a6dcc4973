"""Flat routing.

FastAPI 0.160+ keeps an included router as a nested branch and matches a request level by level,
re-walking the router tree on each request; with the ~350 routes of the record API that cost about
4 ms of CPU per request, more than the endpoint itself. ``include_flat`` copies the routes into the
target router instead (what ``include_router`` did before), so a request is matched against one
list of compiled paths. ``FlatRouter`` is an ``APIRouter`` whose ``include_router`` does this.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from typing import Any

from fastapi import APIRouter, params
from fastapi.routing import APIRoute
from starlette import routing


def include_flat(
    target: APIRouter,
    source: APIRouter,
    *,
    prefix: str = "",
    tags: Sequence[str | Enum] | None = None,
    dependencies: Sequence[params.Depends] | None = None,
    responses: dict[int | str, dict[str, Any]] | None = None,
) -> None:
    """Add every route of ``source`` to ``target`` under ``prefix``. ``source`` must hold plain
    routes only (a ``FlatRouter`` that included others holds their routes already). Its startup and
    shutdown handlers are refused: the app's lifespan (``lingxi.app``) is the one place for those."""
    if source.on_startup or source.on_shutdown:
        raise TypeError("routers included flat cannot have startup/shutdown handlers; use lingxi.app's lifespan")
    for route in source.routes:
        if isinstance(route, APIRoute):
            target.add_api_route(
                prefix + route.path,
                route.endpoint,
                response_model=route.response_model,
                status_code=route.status_code,
                tags=[*(tags or ()), *route.tags],
                dependencies=[*(dependencies or ()), *route.dependencies],
                summary=route.summary,
                description=route.description,
                response_description=route.response_description,
                responses={**(responses or {}), **route.responses},
                deprecated=route.deprecated,
                methods=route.methods,
                operation_id=route.operation_id,
                response_model_include=route.response_model_include,
                response_model_exclude=route.response_model_exclude,
                response_model_by_alias=route.response_model_by_alias,
                response_model_exclude_unset=route.response_model_exclude_unset,
                response_model_exclude_defaults=route.response_model_exclude_defaults,
                response_model_exclude_none=route.response_model_exclude_none,
                include_in_schema=route.include_in_schema,
                response_class=route.response_class,
                name=route.name,
                callbacks=route.callbacks,
                openapi_extra=route.openapi_extra,
                generate_unique_id_function=route.generate_unique_id_function,
            )
        elif isinstance(route, routing.Route):
            target.add_route(
                prefix + route.path,
                route.endpoint,
                methods=sorted(route.methods or ()),
                name=route.name,
                include_in_schema=route.include_in_schema,
            )
        else:
            raise TypeError(f"include_flat cannot copy {type(route).__name__}; use FlatRouter for nested routers")


class FlatRouter(APIRouter):
    """An ``APIRouter`` whose ``include_router`` copies routes (see the module docstring)."""

    def include_router(  # type: ignore[override]
        self,
        router: APIRouter,
        *,
        prefix: str = "",
        tags: list[str | Enum] | None = None,
        dependencies: Sequence[params.Depends] | None = None,
        responses: dict[int | str, dict[str, Any]] | None = None,
        **unsupported: Any,
    ) -> None:
        if unsupported:
            raise TypeError(f"FlatRouter.include_router does not support {sorted(unsupported)}")
        include_flat(self, router, prefix=prefix, tags=tags, dependencies=dependencies, responses=responses)
