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
