"""Shared fixtures. The suite runs on SQLite by default and on PostgreSQL when
``LINGXI_TEST_DATABASE_URL`` is set (``.ci/run`` runs it both ways).

Every test makes its own tenants, so tests never see each other's data and need no cleanup.
"""

from __future__ import annotations

import itertools
import os
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text

import lingxi.models  # noqa: F401
from lingxi.app import create_app
from lingxi.auth.service import issue_session
from lingxi.config import Settings
from lingxi.db import Base, Database, set_database
from lingxi.org.models import User
from lingxi.org.service import create_user
from lingxi.tenancy.context import Actor
from lingxi.tenancy.models import Tenant
from lingxi.tenancy.service import create_tenant

TEST_PASSWORD = "Test-password-123"
_counter = itertools.count()


def pytest_report_header(config: pytest.Config) -> str:
    return f"lingxi database: {os.environ.get('LINGXI_TEST_DATABASE_URL') or 'sqlite (temporary)'}"


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("lingxi-data")


def _database_url() -> str | None:
    """``LINGXI_TEST_DATABASE_URL``; under pytest-xdist each worker gets its own PostgreSQL database
    (``test_gw0``, ``test_gw1``...), since every session rebuilds the schema of the one it uses."""
    url = os.environ.get("LINGXI_TEST_DATABASE_URL") or None
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url or not worker or url.startswith("sqlite"):
        return url
    base, _, name = url.rpartition("/")
    name = name.split("?", 1)[0]
    mine = f"{name}_{worker}"

    async def create() -> None:
        import asyncpg

        conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"), timeout=10)
        try:
            if not await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", mine):
                await conn.execute(f'CREATE DATABASE "{mine}"')
        except asyncpg.DuplicateDatabaseError:
            pass
        finally:
            await conn.close()

    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:  # its own thread: a fixture may run while a loop runs
        pool.submit(asyncio.run, create()).result()
    return f"{base}/{mine}"


@pytest.fixture(scope="session")
def settings(data_dir: Path) -> Settings:
    return Settings(
        data_dir=data_dir,
        database_url=_database_url(),
        secret_key="test-secret",
        worker=False,
    )


@pytest.fixture(scope="session")
async def database(settings: Settings) -> AsyncIterator[Database]:
    db = Database(settings)
    async with db.writer.begin() as conn:
        if not db.is_sqlite:
            await conn.execute(text("DROP SCHEMA public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
        await conn.run_sync(Base.metadata.create_all)
    set_database(db)
    yield db
    await db.dispose()
    set_database(None)


@pytest.fixture(scope="session")
async def app(database: Database, settings: Settings) -> Any:
    import lingxi.config

    lingxi.config.get_settings.cache_clear()
    os.environ["LINGXI_DATA_DIR"] = str(settings.data_dir)
    return create_app(run_worker=False)


@pytest.fixture
async def client(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c


@dataclass
class TenantKit:
    """A tenant made for one test, with helpers to add users and sign them in."""

    db: Database
    tenant: Tenant
    admin: User
    admin_token: str
    users: dict[str, User] = field(default_factory=dict)

    @property
    def id(self) -> uuid.UUID:
        return self.tenant.id

    @property
    def slug(self) -> str:
        return self.tenant.slug

    def headers(self, token: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {token or self.admin_token}"}

    async def add_user(self, key: str, *, roles: tuple[str, ...] = (), **kw: Any) -> tuple[User, str]:
        async with self.db.unit_of_work(Actor.system(self.tenant.id)) as s:
            tenant = await s.get(Tenant, self.tenant.id)
            assert tenant is not None
            user = await create_user(
                s, tenant, email=f"{key}-{uuid.uuid4().hex[:6]}@example.com", name=key, password=TEST_PASSWORD,
                role_names=roles, **kw,
            )
            token, _ = await issue_session(s, user)
        self.users[key] = user
        return user, token

    def actor(self) -> Actor:
        return Actor.system(self.tenant.id)


async def make_tenant(db: Database, name: str | None = None) -> TenantKit:
    n = next(_counter)
    slug = f"t{n}-{uuid.uuid4().hex[:8]}"
    async with db.unit_of_work(Actor.system()) as s:
        tenant = await create_tenant(s, slug, name or f"Tenant {n}")
        admin = await create_user(
            s, tenant, email=f"admin@{slug}.example.com", name="Admin", password=TEST_PASSWORD, role_names=("管理员",)
        )
        token, _ = await issue_session(s, admin)
    return TenantKit(db=db, tenant=tenant, admin=admin, admin_token=token)


@pytest.fixture
async def tenant(database: Database) -> TenantKit:
    return await make_tenant(database)


@pytest.fixture
async def other_tenant(database: Database) -> TenantKit:
    return await make_tenant(database)
