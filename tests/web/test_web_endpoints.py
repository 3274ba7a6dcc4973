"""The UI-only endpoints (/api/v1/ui) and how the built UI is served at /."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI

from lingxi.web.serve import mount_web_ui


async def test_session_answers_without_401(client: httpx.AsyncClient, tenant: Any) -> None:
    anonymous = await client.get("/api/v1/ui/session")
    assert anonymous.status_code == 200
    assert anonymous.json() == {"me": None, "reason": None}
    stale = await client.get("/api/v1/ui/session", headers={"Authorization": "Bearer not-a-token"})
    assert stale.json() == {"me": None, "reason": "session_invalid"}
    signed_in = await client.get("/api/v1/ui/session", headers=tenant.headers())
    assert signed_in.json()["me"]["user"]["id"] == str(tenant.admin.id)


async def test_branding_for_every_user(client: httpx.AsyncClient, tenant: Any) -> None:
    r = await client.patch(
        "/api/v1/tenant/settings", headers=tenant.headers(), json={"branding": {"name": "星河", "primary_color": "#aa3300"}}
    )
    assert r.status_code == 200, r.text
    _, token = await tenant.add_user("rep")
    brand = (await client.get("/api/v1/ui/branding", headers=tenant.headers(token))).json()
    assert brand["name"] == "星河" and brand["primary_color"] == "#aa3300" and brand["tenant"] == tenant.slug
    assert (await client.get("/api/v1/ui/branding")).status_code == 401


def _app(static: Path) -> FastAPI:
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)  # so the UI routes themselves are tested

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    mount_web_ui(app, static)
    return app


async def test_serves_the_build_with_spa_fallback(tmp_path: Path) -> None:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<div id=root></div>")
    (tmp_path / "assets" / "app-abc123.js").write_text("console.log(1)")
    transport = httpx.ASGITransport(app=_app(tmp_path))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
        asset = await c.get("/assets/app-abc123.js")
        assert asset.status_code == 200 and "immutable" in asset.headers["cache-control"]
        for route in ("/", "/r/accounts/0b3c", "/settings/users"):
            page = await c.get(route)
            assert page.status_code == 200 and "root" in page.text and page.headers["cache-control"] == "no-cache"
        assert (await c.get("/healthz")).json() == {"status": "ok"}
        for reserved in ("/api/v1/nope", "/openapi.json", "/docs", "/metrics", "/readyz"):
            r = await c.get(reserved)
            assert r.status_code == 404 and r.json()["error"]["code"] == "not_found", reserved
        assert (await c.get("/assets/missing.js")).status_code == 404
        assert (await c.get("/../../etc/passwd")).status_code in (200, 404)  # never a file outside the build


async def test_missing_build_explains_itself(tmp_path: Path) -> None:
    transport = httpx.ASGITransport(app=_app(tmp_path / "none"))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
        r = await c.get("/")
        assert r.status_code == 503 and "npm --prefix web ci" in r.text
