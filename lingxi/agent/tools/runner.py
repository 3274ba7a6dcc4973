"""Calling a tool: validate, authorise, run as the caller under a timeout, retry what may be retried,
audit, and log the outcome. ``call_tool`` never raises for a tool failure; it answers a ``ToolResult``.

Exactly-once writes: a tool's effects, its ``tool_call`` row and its audit entry commit in one
transaction. Before a retry the runner looks for that row; if the failed attempt did commit after all
(a lost acknowledgement), the call is done and nothing runs twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import random
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import orjson
import structlog
from prometheus_client import Counter, Histogram
from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.agent.tools.base import Source, Tool, ToolContext, ToolError, ToolResult
from lingxi.agent.tools.models import ToolCall
from lingxi.agent.tools.registry import get_tool
from lingxi.audit.service import record_event
from lingxi.authz import service as authz
from lingxi.db import Database
from lingxi.errors import Forbidden, LingxiError
from lingxi.tenancy.context import Actor

log = structlog.get_logger("lingxi.agent.tools")

CALLS = Counter("lingxi_tool_calls_total", "Tool calls by outcome (ok or the error code)", ["tool", "source", "outcome"])
LATENCY = Histogram("lingxi_tool_call_seconds", "Tool call latency, retries included", ["tool"])
MAX_ATTEMPTS = 5
BACKOFF_BASE_S = 0.02
BACKOFF_MAX_S = 0.5
LOG_ATTEMPTS = 5
# PostgreSQL SQLSTATEs worth another try: serialization failure, deadlock, connection failures.
_TRANSIENT_SQLSTATES = frozenset({"40001", "40P01", "08000", "08003", "08006", "57P01", "53300"})


@dataclass(frozen=True)
class FaultPoint:
    """Where an injected fault may strike: ``run`` (inside the handler's timeout, before the handler),
    ``commit`` (after the handler and the call row, before the transaction commits) or ``acknowledge``
    (after a writing tool's transaction committed)."""

    tool: str
    attempt: int
    phase: str
    call_id: uuid.UUID


FaultInjector = Callable[[FaultPoint], Awaitable[None]]
_fault_injector: FaultInjector | None = None


def set_fault_injector(injector: FaultInjector | None) -> None:
    """Installs (or, with None, removes) a fault injector: tests and the benchmark raise transient
    database errors or hang past the timeout through it. Off unless installed."""
    global _fault_injector
    _fault_injector = injector


def is_transient(exc: BaseException) -> bool:
    if isinstance(exc, IntegrityError):
        return False
    if isinstance(exc, (OperationalError, InterfaceError, TimeoutError, ConnectionError)):
        return True
    if isinstance(exc, DBAPIError):
        if exc.connection_invalidated:
            return True
        state = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
        return state in _TRANSIENT_SQLSTATES
    return False


def _digest(data: Any) -> str:
    return hashlib.sha256(orjson.dumps(data, option=orjson.OPT_SORT_KEYS, default=str)).hexdigest()


def json_safe(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    return orjson.loads(orjson.dumps(value, default=str, option=orjson.OPT_NON_STR_KEYS))


def _may_retry(t: Tool) -> bool:
    return t.idempotency != "once"


def _backoff(attempt: int) -> float:
    return min(BACKOFF_MAX_S, BACKOFF_BASE_S * 2 ** (attempt - 1)) * (0.5 + random.random())


def _check_permission(t: Tool, actor: Actor, args: BaseModel) -> None:
    p = t.permission
    if p.admin:
        authz.require_admin(actor)
        if actor.token_scopes is not None and "admin" not in actor.token_scopes:
            raise Forbidden("this API token lacks the admin scope", code="token_scope_required", details={"scope": "admin"})
    entity = p.entity or (getattr(args, p.entity_arg, None) if p.entity_arg else None)
    if entity:
        authz.require(actor, str(entity), p.action)
    if t.side_effects and actor.token_scopes is not None and not ({"write", "admin"} & actor.token_scopes):
        raise Forbidden("this API token may not change data", code="token_scope_required", details={"scope": "write"})


def _row(
    call_id: uuid.UUID,
    t_name: str,
    actor: Actor,
    source: str,
    digest: str,
    result: ToolResult,
    *,
    idempotency_key: str | None,
    plan_task_id: uuid.UUID | None,
) -> ToolCall:
    return ToolCall(
        id=call_id,
        tenant_id=actor.tenant_id,
        user_id=actor.user_id,
        tool=t_name[:100],
        source=source,
        args_digest=digest,
        idempotency_key=idempotency_key if result.ok else None,
        ok=result.ok,
        error_code=result.error.code[:64] if result.error else None,
        error_message=result.error.message[:500] if result.error else None,
        attempts=result.attempts,
        latency_ms=round(result.latency_ms, 3),
        plan_task_id=plan_task_id,
        output=result.output if (result.ok and idempotency_key) else None,
    )


def _audit(session: Any, actor: Actor, row: ToolCall) -> None:
    record_event(
        session,
        action="tool_call",
        tenant_id=actor.tenant_id,
        actor_id=actor.user_id,
        entity="tool",
        record_id=row.id,
        changes={
            "tool": row.tool,
            "source": row.source,
            "ok": row.ok,
            "error": row.error_code,
            "attempts": row.attempts,
            "latency_ms": row.latency_ms,
            "args_digest": row.args_digest,
            "plan_task_id": row.plan_task_id,
        },
        ip=actor.ip,
        request_id=actor.request_id,
    )


async def _write_log(db: Database, actor: Actor, row: ToolCall) -> None:
    """The call row and audit entry of a call whose work did not commit them itself (reads, failures)."""
    if actor.tenant_id is None:
        return
    for attempt in range(1, LOG_ATTEMPTS + 1):
        try:
            async with db.unit_of_work(actor) as session:
                fresh = ToolCall(**{c: getattr(row, c) for c in ToolCall.__table__.columns.keys()})  # noqa: SIM118
                session.add(fresh)
                _audit(session, actor, fresh)
            return
        except Exception as exc:  # noqa: BLE001 - the call's result stands; the log is retried, then reported
            if attempt == LOG_ATTEMPTS or not is_transient(exc):
                log.error("tool_call_log_failed", tool=row.tool, call_id=str(row.id), error=repr(exc))
                return
            await asyncio.sleep(_backoff(attempt))


async def _previous(db: Database, actor: Actor, *, call_id: uuid.UUID | None = None, tool: str = "",
                    key: str | None = None) -> ToolCall | None:
    """The committed call row with ``call_id``, or the caller's successful call of ``tool`` with ``key``."""
    for attempt in range(1, LOG_ATTEMPTS + 1):
        try:
            async with db.unit_of_work(actor, write=False) as session:
                if call_id is not None:
                    row = await session.get(ToolCall, call_id)
                else:
                    same_user = ToolCall.user_id.is_(None) if actor.user_id is None else ToolCall.user_id == actor.user_id
                    query = select(ToolCall).where(same_user, ToolCall.tool == tool, ToolCall.idempotency_key == key)
                    row = (await session.scalars(query)).first()
                if row is not None:
                    session.expunge(row)  # read after the session ends
                return row
        except Exception as exc:
            if attempt == LOG_ATTEMPTS or not is_transient(exc):
                raise
            await asyncio.sleep(_backoff(attempt))
    return None


def _replay(row: ToolCall, digest: str, call_id: uuid.UUID, started: float) -> ToolResult:
    latency = (time.perf_counter() - started) * 1000
    if row.args_digest != digest:
        return ToolResult(
            call_id, row.tool, False,
            error=ToolError("idempotency_conflict", "this idempotency key was used with other arguments",
                            {"first_call_id": str(row.id)}),
            attempts=0, latency_ms=latency, rejected=True,
        )
    return ToolResult(row.id, row.tool, True, output=row.output, attempts=0, latency_ms=latency, replayed=True)


async def call_tool(
    db: Database,
    actor: Actor,
    name: str,
    args: dict[str, Any] | None,
    *,
    source: Source = "api",
    idempotency_key: str | None = None,
    plan_task_id: uuid.UUID | None = None,
    locale: str = "zh",
    timeout_s: float | None = None,
) -> ToolResult:
    """Runs tool ``name`` with ``args`` as ``actor``. See the module docstring."""
    result = await _call(db, actor, name, args, source=source, idempotency_key=idempotency_key,
                         plan_task_id=plan_task_id, locale=locale, timeout_s=timeout_s)
    known = get_tool(name) is not None
    outcome = "ok" if result.ok else (result.error.code if result.error else "failed")
    CALLS.labels(name if known else "(unknown)", source, outcome[:40]).inc()
    if known:
        LATENCY.labels(name).observe(result.latency_ms / 1000)
    return result


async def _call(
    db: Database,
    actor: Actor,
    name: str,
    args: dict[str, Any] | None,
    *,
    source: Source = "api",
    idempotency_key: str | None = None,
    plan_task_id: uuid.UUID | None = None,
    locale: str = "zh",
    timeout_s: float | None = None,
) -> ToolResult:
    started = time.perf_counter()
    call_id = uuid.uuid4()
    t = get_tool(name)
    raw_args = args or {}

    def finish(result: ToolResult) -> ToolResult:
        result.latency_ms = (time.perf_counter() - started) * 1000
        return result

    if t is None:
        result = finish(ToolResult(call_id, name, False, error=ToolError("not_found", f"no tool named {name!r}"),
                                   attempts=0, rejected=True))
        await _write_log(db, actor, _row(call_id, name, actor, source, _digest(raw_args), result,
                                         idempotency_key=None, plan_task_id=plan_task_id))
        return result
    try:
        parsed = t.input_model.model_validate(raw_args)
    except ValidationError as exc:
        problems = [
            {"field": ".".join(str(p) for p in e["loc"]), "code": e["type"], "message": e["msg"]} for e in exc.errors()
        ]
        result = finish(ToolResult(call_id, name, False, error=ToolError("validation_error", "invalid tool input", problems),
                                   attempts=0, rejected=True))
        await _write_log(db, actor, _row(call_id, name, actor, source, _digest(raw_args), result,
                                         idempotency_key=None, plan_task_id=plan_task_id))
        return result
    digest = _digest(parsed.model_dump(mode="json"))
    try:
        _check_permission(t, actor, parsed)
    except LingxiError as exc:
        result = finish(ToolResult(call_id, name, False, error=ToolError("forbidden", exc.message, {"reason": exc.code, **(
            exc.details if isinstance(exc.details, dict) else {})}), attempts=0, rejected=True))
        await _write_log(db, actor, _row(call_id, name, actor, source, digest, result,
                                         idempotency_key=None, plan_task_id=plan_task_id))
        return result

    if idempotency_key:
        try:
            earlier = await _previous(db, actor, tool=name, key=idempotency_key)
        except Exception as exc:  # noqa: BLE001
            return finish(ToolResult(call_id, name, False, error=ToolError("transient", f"call log unavailable: {exc!r}")))
        if earlier is not None:
            return _replay(earlier, digest, call_id, started)

    limit = timeout_s if timeout_s is not None else t.timeout_s
    attempt = 0
    last_error: ToolError | None = None
    while True:
        attempt += 1
        try:
            output = await _attempt(db, actor, t, parsed, call_id, attempt, limit, source, locale, plan_task_id,
                                    digest, idempotency_key, started)
            result = finish(ToolResult(call_id, name, True, output=output, attempts=attempt))
            if not t.writes:
                await _write_log(db, actor, _row(call_id, name, actor, source, digest, result,
                                                 idempotency_key=idempotency_key, plan_task_id=plan_task_id))
            return result
        except IntegrityError as exc:
            # A concurrent call with the same idempotency key committed first: answer with its result.
            if idempotency_key:
                earlier = await _previous(db, actor, tool=name, key=idempotency_key)
                if earlier is not None:
                    return _replay(earlier, digest, call_id, started)
            last_error = ToolError("conflict", "the change conflicts with existing data", str(exc.orig)[:300])
            break
        except LingxiError as exc:
            last_error = ToolError(exc.code, exc.message, exc.details)
            break
        except ValidationError as exc:
            last_error = ToolError("validation_error", "invalid data", json_safe(exc.errors(include_url=False)))
            break
        except TimeoutError:
            last_error = ToolError("timeout", f"no answer within {limit:g} s")
        except Exception as exc:  # noqa: BLE001 - a tool failure is an answer, not a crash
            if not is_transient(exc):
                log.exception("tool_failed", tool=name, call_id=str(call_id))
                last_error = ToolError("tool_failed", f"{type(exc).__name__}: {str(exc)[:300]}")
                break
            last_error = ToolError("transient", f"{type(exc).__name__}: {str(exc)[:300]}")
        if attempt >= MAX_ATTEMPTS or not _may_retry(t):
            break
        await asyncio.sleep(_backoff(attempt))
        if t.writes:
            # The failed attempt may have committed after all (a lost acknowledgement): then it is done.
            try:
                done_row = await _previous(db, actor, call_id=call_id)
            except Exception:  # noqa: BLE001 - unknown: do not risk running twice
                break
            if done_row is not None and done_row.ok:
                return finish(ToolResult(call_id, name, True, output=done_row.output, attempts=attempt))
    result = finish(ToolResult(call_id, name, False, error=last_error, attempts=attempt))
    await _write_log(db, actor, _row(call_id, name, actor, source, digest, result,
                                     idempotency_key=None, plan_task_id=plan_task_id))
    return result


@contextlib.asynccontextmanager
async def _unit_of_work(db: Database, actor: Actor, *, write: bool) -> AsyncIterator[AsyncSession]:
    """``Database.unit_of_work``, except that a failure while rolling back (a connection left mid-query by a
    timeout) never hides the error that caused it: the caller must see the timeout to retry it."""
    session = db.session(actor, write=write)
    try:
        yield session
        if write:
            await session.commit()
        else:
            await session.rollback()
    except BaseException:
        try:
            await session.rollback()
        except Exception as exc:  # noqa: BLE001 - the connection is dropped with the session below
            log.warning("tool_rollback_failed", error=repr(exc))
        raise
    finally:
        try:
            await session.close()
        except Exception as exc:  # noqa: BLE001
            log.warning("tool_session_close_failed", error=repr(exc))
            with contextlib.suppress(Exception):
                await session.invalidate()


async def _attempt(
    db: Database,
    actor: Actor,
    t: Tool,
    args: BaseModel,
    call_id: uuid.UUID,
    attempt: int,
    limit: float,
    source: Source,
    locale: str,
    plan_task_id: uuid.UUID | None,
    digest: str,
    idempotency_key: str | None,
    started: float,
) -> Any:
    """One try in a unit of work of its own; a tool with side effects commits its call row with its work."""
    async with _unit_of_work(db, actor, write=t.writes) as session:
        ctx = ToolContext(session=session, actor=actor, db=db, call_id=call_id, source=source, locale=locale,
                          plan_task_id=plan_task_id)

        async def run() -> Any:
            if _fault_injector is not None:
                await _fault_injector(FaultPoint(t.name, attempt, "run", call_id))
            return await t.handler(ctx, args)

        output = json_safe(await asyncio.wait_for(run(), limit))
        if t.writes:
            result = ToolResult(call_id, t.name, True, output=output, attempts=attempt,
                                latency_ms=(time.perf_counter() - started) * 1000)
            row = _row(call_id, t.name, actor, source, digest, result, idempotency_key=idempotency_key,
                       plan_task_id=plan_task_id)
            if idempotency_key is None:
                row.output = output  # kept so that a retry after a lost commit acknowledgement can answer
            session.add(row)
            _audit(session, actor, row)
            await session.flush()
            if _fault_injector is not None:
                await _fault_injector(FaultPoint(t.name, attempt, "commit", call_id))
    if t.writes and _fault_injector is not None:
        # After the commit: a fault here is a lost acknowledgement (the work is done; the caller did not hear).
        await _fault_injector(FaultPoint(t.name, attempt, "acknowledge", call_id))
    return output
