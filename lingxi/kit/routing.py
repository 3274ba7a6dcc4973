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
from starlette._utils import get_route_path


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


class IndexedRouter(APIRouter):
    """An ``APIRouter`` that tries, for an HTTP request, only the routes whose literal path start fits
    the request's path, instead of matching ~400 compiled paths one after another (the record routes
    come last, so a list request paid ~150 regex matches, about 0.5 ms of CPU).

    Same result as the plain walk: the candidates keep the routes' order and include every route that
    could match the path (a route is left out only when one of its literal leading segments differs from
    the request's). When no candidate matches fully, the plain walk runs and decides (405, slash
    redirects, 404) exactly as before. The app's router becomes one with ``use_indexed_routing``."""

    _INDEX_DEPTH = 3
    _CACHE_MAX = 2048

    def _route_index(self) -> tuple[list[tuple[tuple[str, ...], Any]], dict[tuple[str, ...], list[Any]]]:
        state = getattr(self, "_lingxi_index", None)
        stamp = (len(self.routes), self._routes_version)
        if state is None or state[0] != stamp:
            keyed = [(_literal_segments(route, self._INDEX_DEPTH), route) for route in self.routes]
            state = (stamp, keyed, {})
            self._lingxi_index = state
        return state[1], state[2]

    def _candidates(self, path: str) -> list[Any]:
        keyed, cache = self._route_index()
        key = tuple(path.split("/", self._INDEX_DEPTH + 1)[1 : self._INDEX_DEPTH + 1])
        found = cache.get(key)
        if found is None:
            found = [route for prefix, route in keyed if prefix is None or key[: len(prefix)] == prefix]
            if len(cache) < self._CACHE_MAX:  # paths come from clients: bound what they can make us keep
                cache[key] = found
        return found

    async def app(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope.get("fastapi.telemetry") is None:  # telemetry: the plain walk
            if "router" not in scope:
                scope["router"] = self
            for route in self._candidates(get_route_path(scope)):
                match, child_scope = route.matches(scope)
                if match == routing.Match.FULL:
                    scope.update(child_scope)
                    await route.handle(scope, receive, send)
                    return
        await super().app(scope, receive, send)


def _literal_segments(route: Any, depth: int) -> tuple[str, ...] | None:
    """The leading path segments of ``route`` that are plain text (at most ``depth``); None when the
    route may match any path (no path, or a parameter in its first segment)."""
    path = getattr(route, "path", None)
    if not isinstance(path, str) or not path.startswith("/") or not isinstance(route, routing.Route | routing.Mount):
        return None
    segments: list[str] = []
    for part in path.split("/")[1:]:
        if len(segments) == depth or "{" in part or (isinstance(route, routing.Mount) and part == ""):
            break
        segments.append(part)
    if isinstance(route, routing.Route) and len(segments) < depth and "{" not in path:
        # A fully literal path shorter than the key: only that exact path (or with a slash) matches.
        return tuple(segments) if segments else None
    return tuple(segments) or None


def use_indexed_routing(router: APIRouter) -> None:
    """Make the app's router an ``IndexedRouter`` (FastAPI builds its router itself). The router's
    ``middleware_stack`` was bound to the old ``app`` when it was built: it is rebuilt on the new one
    (FastAPI's app router has no router-level middleware; one that has is refused)."""
    if router.middleware_stack != router.app:
        raise TypeError("use_indexed_routing: the router has router-level middleware")
    router.__class__ = IndexedRouter
    router.middleware_stack = router.app
