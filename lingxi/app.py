"""The ASGI application."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from lingxi import __version__
from lingxi.config import get_settings
from lingxi.db import TenantContextMissing, TenantMismatch, get_database
from lingxi.errors import LingxiError

log = structlog.get_logger("lingxi")

REQUESTS = Counter("lingxi_http_requests_total", "HTTP requests", ["method", "route", "status"])
LATENCY = Histogram("lingxi_http_request_seconds", "HTTP request latency", ["method", "route"])


class ObserveMiddleware:
    """Request id, metrics and security headers, as plain ASGI (no per-request task overhead)."""

    _HEADERS = ((b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin"), (b"x-frame-options", b"DENY"))

    def __init__(self, app: Any):
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"x-request-id"), None) or uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        start = time.perf_counter()
        status = 500

        async def send_wrapper(message: Any) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in self._HEADERS if k not in names]
                message["headers"] = [*message.get("headers", []), (b"x-request-id", request_id.encode("latin-1")), *extra]
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            route = scope.get("route")
            path = getattr(route, "path", "unmatched")
            REQUESTS.labels(scope["method"], path, str(status)).inc()
            LATENCY.labels(scope["method"], path).observe(time.perf_counter() - start)


def _error(status: int, code: str, message: str, details: object = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message, "details": details}}, status_code=status)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    from lingxi.search.tokenize import warm_up

    warm_up()
    if get_settings().ai_warm_up:
        threading.Thread(target=_warm_up_models, name="ai-warm-up", daemon=True).start()
    await _refresh_sqlite_statistics()
    worker = None
    if app.state.run_worker:
        from lingxi.jobs.worker import start_worker

        worker = start_worker()
    from lingxi.agent import runtime as agent_runtime

    await agent_runtime.start()
    try:
        yield
    finally:
        await agent_runtime.stop()
        if worker is not None:
            worker.stop()
        await get_database().dispose()


def _warm_up_models() -> None:
    """Load the language models and the sentence encoder in the background when the server starts, so
    that the first request that needs one does not wait seconds for it to load (or train)."""
    from lingxi.ai.embeddings import default_embedder
    from lingxi.ai.nlp import service as nlp

    try:
        nlp.warm_up()
        default_embedder().warm_up()
    except Exception:  # noqa: BLE001  (a failure here only means the first request loads it)
        log.exception("ai_warm_up_failed")


async def _refresh_sqlite_statistics() -> None:
    """Give SQLite's planner statistics at start (sampled, so it stays fast on big tables); without them
    it may scan a whole tenant instead of using the id index. PostgreSQL's autovacuum does this itself."""
    db = get_database()
    if not db.is_sqlite:
        return
    try:
        async with db.writer.begin() as conn:
            await conn.exec_driver_sql("PRAGMA analysis_limit=1000")
            await conn.exec_driver_sql("ANALYZE")
    except OperationalError as exc:  # another process holds the write lock: its statistics will do
        log.warning("analyze_skipped", error=str(exc.orig))


def create_app(*, run_worker: bool = False) -> FastAPI:
    app = FastAPI(
        title="Lingxi CRM API",
        version=__version__,
        description="灵犀 CRM: REST API. Errors are `{\"error\": {\"code\", \"message\", \"details\"}}`.",
        lifespan=lifespan,
    )
    app.state.run_worker = run_worker

    @app.exception_handler(LingxiError)
    async def _lingxi_error(request: Request, exc: LingxiError) -> JSONResponse:
        return JSONResponse(exc.body(), status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        details = [
            {"field": ".".join(str(p) for p in e.get("loc", ()) if p != "body"), "code": e.get("type"), "message": e.get("msg")}
            for e in exc.errors()
        ]
        return _error(422, "validation_error", "request validation failed", details)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        codes = {404: "not_found", 405: "method_not_allowed", 401: "unauthenticated", 403: "forbidden"}
        return _error(exc.status_code, codes.get(exc.status_code, "http_error"), str(exc.detail))

    @app.exception_handler(IntegrityError)
    async def _integrity_error(request: Request, exc: IntegrityError) -> JSONResponse:
        log.info("integrity_error", error=str(exc.orig)[:300])
        return _error(409, "conflict", "the change conflicts with existing data (duplicate or missing reference)")

    @app.exception_handler(StaleDataError)
    async def _stale(request: Request, exc: StaleDataError) -> JSONResponse:
        return _error(409, "version_conflict", "the record was changed by someone else; reload and try again")

    @app.exception_handler(OperationalError)
    @app.exception_handler(PoolTimeout)
    async def _busy(request: Request, exc: Exception) -> JSONResponse:
        """The database is overloaded (a write lock or a pooled connection not had in time): tell the client
        to retry instead of failing with 500. Anything else operational is a real error."""
        message = str(getattr(exc, "orig", None) or exc)
        if isinstance(exc, PoolTimeout) or "locked" in message or "busy" in message:
            log.warning("database_busy", path=request.url.path, error=message[:200])
            response = _error(503, "database_busy", "the database is busy; retry in a moment")
            response.headers["Retry-After"] = "1"
            return response
        return await _unexpected(request, exc)

    @app.exception_handler(TenantContextMissing)
    @app.exception_handler(TenantMismatch)
    async def _tenant_error(request: Request, exc: Exception) -> JSONResponse:
        log.error("tenant_wall", error=str(exc))
        return _error(403, "tenant_violation", "the request crossed a tenant boundary")

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled_error", path=request.url.path)
        return _error(500, "internal_error", "an unexpected error occurred; it has been logged")

    app.add_middleware(ObserveMiddleware)

    @app.get("/healthz", tags=["ops"], summary="Liveness")
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    @app.get("/readyz", tags=["ops"], summary="Readiness: the database answers")
    async def readyz() -> JSONResponse:
        try:
            async with get_database().reader.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except Exception as exc:  # noqa: BLE001
            return _error(503, "not_ready", f"database unavailable: {type(exc).__name__}")
        return JSONResponse({"status": "ready"})

    @app.get("/metrics", tags=["ops"], summary="Prometheus metrics", include_in_schema=False)
    async def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    from lingxi.api import api_router
    from lingxi.kit.routing import include_flat, use_indexed_routing

    include_flat(app.router, api_router, prefix="/api/v1")
    use_indexed_routing(app.router)

    from lingxi.agent.tools.mcp_server import mount as mount_mcp
    from lingxi.web.serve import mount_web_ui

    mount_mcp(app)  # the MCP server at /mcp

    mount_web_ui(app)  # the built web UI at / (after every API route, so it never shadows one)
    return app


def app_from_settings() -> FastAPI:
    """The app as configured by the environment (used by multi-process serving)."""
    from lingxi.logging import configure_logging

    configure_logging(get_settings())
    return create_app(run_worker=get_settings().worker)
