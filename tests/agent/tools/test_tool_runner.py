"""The runner: validation, permissions, retries by idempotency rule, audit and the call log."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from lingxi.accounts.models import Account
from lingxi.agent.tools import runner
from lingxi.agent.tools.base import Permission, ToolContext
from lingxi.agent.tools.models import ToolCall
from lingxi.agent.tools.registry import tool, unregister
from lingxi.agent.tools.runner import FaultPoint, call_tool, set_fault_injector
from lingxi.audit.models import AuditLog
from lingxi.authz.service import load_actor
from lingxi.org.models import User
from lingxi.tenancy.context import Actor


class EchoIn(BaseModel):
    text: str
    times: int = 1


class EchoOut(BaseModel):
    echoed: str


class NameIn(BaseModel):
    name: str


class IdOut(BaseModel):
    id: str


RUNS: dict[str, int] = {}


@tool(name="test.echo", category="language", description={"zh": "回声", "en": "Echo"}, idempotency="safe")
async def _echo(ctx: ToolContext, args: EchoIn) -> EchoOut:
    RUNS["test.echo"] = RUNS.get("test.echo", 0) + 1
    return EchoOut(echoed=args.text * args.times)


@tool(
    name="test.make_account", category="data", description={"zh": "建客户", "en": "Make an account"},
    permission=Permission(entity="accounts", action="create"), side_effects=True, idempotency="keyed",
)
async def _make(ctx: ToolContext, args: NameIn) -> IdOut:
    RUNS["test.make_account"] = RUNS.get("test.make_account", 0) + 1
    rec = Account(id=uuid.uuid4(), name=args.name, owner_id=ctx.actor.user_id)
    ctx.session.add(rec)
    await ctx.session.flush()
    return IdOut(id=str(rec.id))


@tool(
    name="test.once", category="communication", description={"zh": "一次", "en": "Once"},
    side_effects=True, idempotency="once",
)
async def _once(ctx: ToolContext, args: NameIn) -> IdOut:
    RUNS["test.once"] = RUNS.get("test.once", 0) + 1
    return IdOut(id=args.name)


async def actor_of(db, user: User) -> Actor:
    async with db.unit_of_work(Actor.system(user.tenant_id), write=False) as s:
        return await load_actor(s, user)


@pytest.fixture(autouse=True)
def _no_faults():
    RUNS.clear()
    yield
    set_fault_injector(None)


async def _count(db, tenant_id, model, *where):
    async with db.unit_of_work(Actor.system(tenant_id), write=False) as s:
        return await s.scalar(select(func.count()).select_from(model).where(*where))


async def test_a_call_is_validated_logged_and_audited(database, tenant):
    actor = await actor_of(database, tenant.admin)
    result = await call_tool(database, actor, "test.echo", {"text": "ab", "times": 2})
    assert result.ok and result.output == {"echoed": "abab"} and result.attempts == 1
    assert await _count(database, tenant.id, ToolCall, ToolCall.id == result.call_id, ToolCall.ok.is_(True)) == 1
    assert await _count(database, tenant.id, AuditLog, AuditLog.action == "tool_call",
                        AuditLog.record_id == str(result.call_id)) == 1

    bad = await call_tool(database, actor, "test.echo", {"times": "x"})
    assert not bad.ok and bad.rejected and bad.error.code == "validation_error"
    assert {p["field"] for p in bad.error.details} == {"text", "times"}
    missing = await call_tool(database, actor, "no.such_tool", {})
    assert missing.error.code == "not_found" and missing.rejected


async def test_transient_errors_are_retried_for_safe_tools(database, tenant):
    actor = await actor_of(database, tenant.admin)

    async def flaky(point: FaultPoint) -> None:
        if point.attempt < 3:
            raise OperationalError("SELECT 1", {}, Exception("database is locked"))

    set_fault_injector(flaky)
    result = await call_tool(database, actor, "test.echo", {"text": "x"})
    assert result.ok and result.attempts == 3


async def test_a_timeout_is_retried_and_reported(database, tenant):
    actor = await actor_of(database, tenant.admin)

    async def hang(point: FaultPoint) -> None:
        if point.phase == "run":
            await asyncio.sleep(5)

    set_fault_injector(hang)
    result = await call_tool(database, actor, "test.echo", {"text": "x"}, timeout_s=0.05)
    assert not result.ok and result.error.code == "timeout" and result.attempts == runner.MAX_ATTEMPTS
    assert await _count(database, tenant.id, ToolCall, ToolCall.id == result.call_id, ToolCall.error_code == "timeout") == 1


async def test_a_write_that_fails_at_commit_runs_once_per_success(database, tenant):
    actor = await actor_of(database, tenant.admin)

    async def fail_commit(point: FaultPoint) -> None:
        if point.phase == "commit" and point.attempt == 1:
            raise OperationalError("COMMIT", {}, Exception("connection reset"))

    set_fault_injector(fail_commit)
    name = f"retry-{uuid.uuid4().hex[:6]}"
    result = await call_tool(database, actor, "test.make_account", {"name": name})
    assert result.ok and result.attempts == 2
    assert await _count(database, tenant.id, Account, Account.name == name) == 1


async def test_a_once_tool_is_never_retried(database, tenant):
    actor = await actor_of(database, tenant.admin)

    async def fail(point: FaultPoint) -> None:
        raise OperationalError("X", {}, Exception("gone"))

    set_fault_injector(fail)
    result = await call_tool(database, actor, "test.once", {"name": "n"})
    assert not result.ok and result.attempts == 1 and result.error.code == "transient"


async def test_an_idempotency_key_answers_with_the_first_result(database, tenant):
    actor = await actor_of(database, tenant.admin)
    name = f"key-{uuid.uuid4().hex[:6]}"
    first = await call_tool(database, actor, "test.make_account", {"name": name}, idempotency_key="k1")
    again = await call_tool(database, actor, "test.make_account", {"name": name}, idempotency_key="k1")
    assert first.ok and again.ok and again.replayed and again.output == first.output
    assert await _count(database, tenant.id, Account, Account.name == name) == 1
    other = await call_tool(database, actor, "test.make_account", {"name": name + "x"}, idempotency_key="k1")
    assert not other.ok and other.error.code == "idempotency_conflict"


async def test_permission_is_checked_before_running(database, tenant):
    user, _ = await tenant.add_user("reader", roles=())
    actor = await actor_of(database, user)
    result = await call_tool(database, actor, "test.make_account", {"name": "nope"})
    assert not result.ok and result.rejected and result.error.code == "forbidden"
    assert RUNS.get("test.make_account") is None
    assert await _count(database, tenant.id, ToolCall, ToolCall.id == result.call_id, ToolCall.error_code == "forbidden") == 1


def teardown_module() -> None:
    for name in ("test.echo", "test.make_account", "test.once", "test.slow_query"):
        unregister(name)


async def test_a_lost_acknowledgement_is_not_run_again(database, tenant):
    actor = await actor_of(database, tenant.admin)

    async def lose_ack(point: FaultPoint) -> None:
        if point.phase == "acknowledge" and point.attempt == 1:
            raise OperationalError("COMMIT", {}, Exception("connection lost after commit"))

    set_fault_injector(lose_ack)
    name = f"ack-{uuid.uuid4().hex[:6]}"
    result = await call_tool(database, actor, "test.make_account", {"name": name})
    assert result.ok and result.output["id"] and RUNS["test.make_account"] == 1
    assert await _count(database, tenant.id, Account, Account.name == name) == 1
    assert await _count(database, tenant.id, ToolCall, ToolCall.id == result.call_id) == 1


class SleepIn(BaseModel):
    seconds: float


@tool(name="test.slow_query", category="analytics", description={"zh": "慢查询", "en": "Slow query"}, idempotency="safe")
async def _slow(ctx: ToolContext, args: SleepIn) -> EchoOut:
    from sqlalchemy import text

    await ctx.session.execute(text("SELECT pg_sleep(:s)"), {"s": args.seconds})
    return EchoOut(echoed="done")


async def test_a_query_past_its_timeout_is_retried_and_leaves_the_pool_usable(database, tenant):
    if database.is_sqlite:
        pytest.skip("PostgreSQL cancels a query in flight; SQLite's driver finishes it in its thread")
    actor = await actor_of(database, tenant.admin)
    slow = await call_tool(database, actor, "test.slow_query", {"seconds": 1.0}, timeout_s=0.2)
    assert not slow.ok and slow.error.code == "timeout" and slow.attempts == runner.MAX_ATTEMPTS
    fast = await call_tool(database, actor, "test.slow_query", {"seconds": 0})
    assert fast.ok and fast.attempts == 1
    for _ in range(5):
        assert (await call_tool(database, actor, "test.echo", {"text": "x"})).ok
