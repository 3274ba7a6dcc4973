"""Lifecycle hooks: per-entity rules that run before a record is saved (the place where automation
and AI enrichment plug in later). A hook gets the session, the actor, the record and the names of the
fields the client changed, and may change the record or raise a typed error."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.tenancy.context import Actor

Hook = Callable[[AsyncSession, Actor, Any, set[str], bool], Awaitable[None]]
_before_save: dict[str, list[Hook]] = {}
_after_save: dict[str, list[Hook]] = {}


def before_save(entity: str) -> Callable[[Hook], Hook]:
    def register(fn: Hook) -> Hook:
        _before_save.setdefault(entity, []).append(fn)
        return fn

    return register


def after_save(entity: str) -> Callable[[Hook], Hook]:
    def register(fn: Hook) -> Hook:
        _after_save.setdefault(entity, []).append(fn)
        return fn

    return register


async def run_before_save(session: AsyncSession, actor: Actor, entity: str, record: Any, changed: set[str], creating: bool) -> None:
    for hook in _before_save.get(entity, ()):
        await hook(session, actor, record, changed, creating)


async def run_after_save(session: AsyncSession, actor: Actor, entity: str, record: Any, changed: set[str], creating: bool) -> None:
    for hook in _after_save.get(entity, ()):
        await hook(session, actor, record, changed, creating)
