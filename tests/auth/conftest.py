"""Helpers for the sign-in tests: a clean rate limiter and actor cache per test, users with known
passwords, and direct row edits for what a user cannot do through the API (time passing, an
administrator disabling an account)."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from lingxi.auth.login import login_failures
from lingxi.auth.service import forget_cached
from lingxi.db import Database
from lingxi.org.models import User
from lingxi.org.service import create_user
from lingxi.tenancy.context import Actor
from lingxi.tenancy.models import Tenant

LOGIN = "/api/v1/auth/login"
# The password of the users made by ``add_member``; it meets the default policy.
PASSWORD = "Sign-in-test-42"


@dataclass
class Member:
    user: User
    email: str
    password: str
    tenant_slug: str

    @property
    def id(self) -> uuid.UUID:
        return self.user.id


@pytest.fixture(autouse=True)
def _fresh_auth_state() -> Iterator[None]:
    login_failures.reset()
    forget_cached()
    yield
    login_failures.reset()


@pytest.fixture
def add_member(database: Database) -> Callable[..., Awaitable[Member]]:
    """``await add_member(tenant, email=None, password=None, role_names=(...), is_admin=False)``; the
    same email may be given in several tenants."""

    async def _add(kit: Any, *, email: str | None = None, password: str = PASSWORD, **kw: Any) -> Member:
        email = email or f"user-{uuid.uuid4().hex[:8]}@example.com"
        async with database.unit_of_work(Actor.system(kit.id)) as s:
            tenant = await s.get(Tenant, kit.id)
            assert tenant is not None
            user = await create_user(s, tenant, email=email, name=email.split("@")[0], password=password, **kw)
        return Member(user=user, email=email, password=password, tenant_slug=kit.slug)

    return _add


@pytest.fixture
def sign_in(client: httpx.AsyncClient) -> Callable[..., Awaitable[httpx.Response]]:
    """``await sign_in(member)`` or ``await sign_in(member, password="...", otp="...", tenant="...")``."""

    async def _sign_in(who: Member | str, password: str | None = None, **extra: Any) -> httpx.Response:
        email = who.email if isinstance(who, Member) else who
        secret = password if password is not None else (who.password if isinstance(who, Member) else PASSWORD)
        return await client.post(LOGIN, json={"email": email, "password": secret, **extra})

    return _sign_in


@pytest.fixture
def edit_row(database: Database) -> Callable[..., Awaitable[None]]:
    """``await edit_row(User, user_id, locked_until=...)``: change a row as the system."""

    async def _edit(model: type[Any], row_id: Any, **values: Any) -> None:
        async with database.unit_of_work(Actor.system()) as s:
            row = await s.get(model, row_id)
            assert row is not None
            for key, value in values.items():
                setattr(row, key, value)
        forget_cached()

    return _edit


@pytest.fixture
def load_row(database: Database) -> Callable[..., Awaitable[Any]]:
    """``await load_row(User, user_id)``: the row as it is now in the database."""

    async def _load(model: type[Any], row_id: Any) -> Any:
        async with database.unit_of_work(Actor.system(), write=False) as s:
            row = await s.get(model, row_id)
            if row is not None:
                s.expunge(row)
            return row

    return _load
