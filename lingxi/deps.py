"""Request dependencies: who is asking (``CurrentActor``) and one unit of work (``DbSession``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.db import get_database
from lingxi.errors import Forbidden
from lingxi.tenancy.context import Actor

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def current_actor(request: Request) -> Actor:
    from lingxi.auth.service import authenticate_request

    actor = await authenticate_request(request)
    request.state.actor = actor
    return actor


CurrentActor = Annotated[Actor, Depends(current_actor)]


async def admin_actor(actor: CurrentActor) -> Actor:
    if not actor.is_admin:
        raise Forbidden("administrators only", code="admin_required")
    if actor.token_scopes is not None and "admin" not in actor.token_scopes:
        raise Forbidden("this API token lacks the admin scope", code="token_scope_required", details={"scope": "admin"})
    return actor


AdminActor = Annotated[Actor, Depends(admin_actor)]


async def db_session(request: Request, actor: CurrentActor) -> AsyncIterator[AsyncSession]:
    """One transaction per request: committed when the endpoint returns, rolled back on error.
    Reads use SQLite's reader engine; writes its ``BEGIN IMMEDIATE`` writer."""
    write = request.method not in SAFE_METHODS
    async with get_database().unit_of_work(actor, write=write) as session:
        yield session


DbSession = Annotated[AsyncSession, Depends(db_session, scope="function")]
