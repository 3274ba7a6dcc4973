"""Flat routing: included routers' routes are copied, so the app matches one list of paths."""

import httpx
import pytest
from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute

from lingxi.kit.routing import FlatRouter, include_flat


def _app() -> FastAPI:
    inner = APIRouter(prefix="/things", tags=["things"])

    @inner.get("/{thing_id}", summary="Get a thing", responses={404: {"description": "missing"}})
    async def get_thing(thing_id: int) -> dict[str, int]:
        return {"id": thing_id}

    api = FlatRouter()
    api.include_router(inner, prefix="/v1", tags=["api"], responses={401: {"description": "sign in"}})
    app = FastAPI()
    include_flat(app.router, api, prefix="/api")
    return app


async def test_copied_routes_answer_and_keep_their_documentation():
    app = _app()
    routes = [r for r in app.routes if isinstance(r, APIRoute)]
    assert [r.path for r in routes] == ["/api/v1/things/{thing_id}"]
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        assert (await client.get("/api/v1/things/7")).json() == {"id": 7}
        assert (await client.get("/api/v1/things/x")).status_code == 422
        op = (await client.get("/openapi.json")).json()["paths"]["/api/v1/things/{thing_id}"]["get"]
    assert op["summary"] == "Get a thing"
    assert op["tags"] == ["api", "things"]
    assert {"401", "404"} <= set(op["responses"])


def test_a_router_with_startup_handlers_is_refused():
    router = APIRouter(on_startup=[lambda: None])
    with pytest.raises(TypeError, match="startup"):
        FlatRouter().include_router(router)


def test_the_lingxi_app_has_no_nested_routers():
    from lingxi.app import create_app

    app = create_app()
    nested = [type(r).__name__ for r in app.routes if not hasattr(r, "path")]
    assert nested == []
    paths = {r.path for r in app.routes if isinstance(r, APIRoute)}
    assert {"/api/v1/contacts", "/api/v1/contacts/{record_id}", "/api/v1/search", "/api/v1/auth/login"} <= paths


def _sample_path(path: str) -> str:
    import re

    return re.sub(r"\{[^}:]+(:[^}]+)?\}", lambda m: "00000000-0000-0000-0000-000000000001" if "id" in m.group(0) else "x", path)


def test_indexed_routing_picks_what_the_plain_walk_picks():
    """For a sample path of every route of the real app (and some paths no route has), the indexed
    router's candidates hold the first route that matches fully, in the same order as the walk."""
    from starlette.routing import Match

    from lingxi.app import create_app
    from lingxi.kit.routing import IndexedRouter

    app = create_app()
    router = app.router
    assert isinstance(router, IndexedRouter)
    paths = [_sample_path(r.path) for r in router.routes if isinstance(getattr(r, "path", None), str)]
    paths += ["/", "/login", "/contacts/abc", "/api", "/api/v1", "/api/v1/", "/api/v1/nope/x", "/mcp", "/mcp/", "/healthz/"]
    checked = 0
    for path in paths:
        for method in ("GET", "POST", "PATCH", "DELETE"):
            scope = {"type": "http", "method": method, "path": path, "root_path": "", "headers": [], "query_string": b""}
            walk = next((r for r in router.routes if r.matches(dict(scope))[0] == Match.FULL), None)
            fast = next((r for r in router._candidates(path) if r.matches(dict(scope))[0] == Match.FULL), None)
            assert fast is walk, (method, path, walk, fast)
            checked += 1
    assert checked > 1000


async def test_indexed_routing_keeps_405_404_and_slash_redirects():
    from lingxi.app import create_app

    app = create_app()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        assert (await client.get("/healthz")).status_code == 200
        assert (await client.delete("/healthz")).status_code == 405
        missing = await client.get("/api/v1/no-such-thing/at/all")
        assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
        assert (await client.get("/api/v1/contacts")).status_code == 401
        for i in range(3000):  # paths made up by clients do not grow the index without bound
            await client.get(f"/api/v1/made-up-{i}")
    assert len(app.router._lingxi_index[2]) <= 2048
