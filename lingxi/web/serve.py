"""Serving the built web UI at ``/`` from the same process as the API.

Hashed files under ``/assets/`` are cached for a year; every other path that is not an API or operations
route gets ``index.html`` (no-cache), so client-side routes such as ``/r/accounts/<id>`` load the app.
Without a build, ``/`` explains how to make one instead of answering 404.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response

STATIC_DIR = Path(__file__).parent / "static"
# Paths the UI must never shadow: the API, its schema and docs, and the operations endpoints.
RESERVED_PREFIXES = ("api/", "mcp")
RESERVED_PATHS = frozenset({"api", "openapi.json", "docs", "redoc", "healthz", "readyz", "metrics", "docs/oauth2-redirect"})
ASSET_CACHE = "public, max-age=31536000, immutable"
INDEX_CACHE = "no-cache"

MISSING_BUILD = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Lingxi CRM: web UI not built</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;line-height:1.6}
code{background:#f4f4f5;padding:.1rem .3rem;border-radius:4px}</style></head>
<body><h1>灵犀 Lingxi CRM</h1>
<p>The API is running, but the web UI has not been built yet. Build it once with Node 20:</p>
<pre><code>npm --prefix web ci &amp;&amp; npm --prefix web run build</code></pre>
<p>then reload this page. The API is documented at <a href="/docs">/docs</a>.</p>
<p>界面尚未构建：请运行上面的命令后刷新本页。</p></body></html>"""


def _is_reserved(path: str) -> bool:
    return path in RESERVED_PATHS or path.startswith(RESERVED_PREFIXES) or path.startswith("docs/")


def _not_found() -> JSONResponse:
    return JSONResponse({"error": {"code": "not_found", "message": "no such endpoint", "details": None}}, status_code=404)


def mount_web_ui(app: FastAPI, static_dir: Path = STATIC_DIR) -> None:
    """Add the UI routes last, after every API route, so they only answer paths nothing else claimed."""
    root = static_dir.resolve()

    @app.get("/{path:path}", include_in_schema=False)
    async def web_ui(path: str) -> Response:
        if _is_reserved(path):
            return _not_found()
        index = root / "index.html"
        if not index.is_file():
            return HTMLResponse(MISSING_BUILD, status_code=503, headers={"cache-control": "no-store"})
        if path:
            candidate = (root / path).resolve()
            if candidate.is_file() and root in candidate.parents:
                cache = ASSET_CACHE if path.startswith("assets/") else INDEX_CACHE
                return FileResponse(candidate, headers={"cache-control": cache})
            if path.startswith("assets/") or "." in path.rsplit("/", 1)[-1]:
                return Response("not found", status_code=404, media_type="text/plain")
        return FileResponse(index, headers={"cache-control": INDEX_CACHE})
