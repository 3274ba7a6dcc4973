"""Fixtures for search tests: records made through the ORM in the tenant's system context (so the
index hooks run as they do for the API), roles, and the Actor of a signed-in user."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from lingxi.authz.models import Role
from lingxi.authz.service import load_actor
from lingxi.org.models import User
from lingxi.tenancy.context import Actor


async def _make(kit: Any, model: type[Any], **values: Any) -> Any:
    values.setdefault("owner_id", kit.admin.id)
    async with kit.db.unit_of_work(kit.actor()) as s:
        record = model(**values)
        s.add(record)
    return record


async def _actor_of(kit: Any, user: User) -> Actor:
    async with kit.db.unit_of_work(kit.actor(), write=False) as s:
        return await load_actor(s, user)


async def _add_role(kit: Any, name: str, *, permissions: dict[str, Any], field_rules: dict[str, Any]) -> None:
    async with kit.db.unit_of_work(kit.actor()) as s:
        s.add(Role(tenant_id=kit.id, name=name, permissions=permissions, field_rules=field_rules))


@pytest.fixture
def make() -> Callable[..., Awaitable[Any]]:
    """``await make(kit, Model, **values)``: one record in ``kit``'s tenant, owned by its admin
    unless ``owner_id`` is given."""
    return _make


@pytest.fixture
def actor_of() -> Callable[[Any, User], Awaitable[Actor]]:
    return _actor_of


@pytest.fixture
def add_role() -> Callable[..., Awaitable[None]]:
    return _add_role
