"""Engines, sessions and the tenant wall.

Tenant isolation is applied in one place: ``_apply_tenant_criteria`` adds ``tenant_id = :tenant`` to
every ORM SELECT, UPDATE and DELETE touching a ``TenantScoped`` table, and ``_stamp_tenant`` sets or
checks ``tenant_id`` on every flushed row. A session without an ``Actor`` refuses to run such queries.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, MetaData, Uuid, event, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    ORMExecuteState,
    Session,
    declared_attr,
    mapped_column,
    with_loader_criteria,
)

from lingxi.config import Settings, get_settings
from lingxi.kit.sqlite_inline import inline_creator
from lingxi.kit.types import UtcDateTime, use_fast_char_uuid
from lingxi.tenancy.context import Actor

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class TenantScoped:
    """Rows belong to one tenant. The tenant wall below adds ``tenant_id = :tenant`` to every query."""

    @declared_attr
    def tenant_id(cls) -> Mapped[uuid.UUID]:
        return mapped_column(Uuid, ForeignKey("tenant.id", ondelete="CASCADE"), nullable=False, index=True)


class SoftDeletable:
    """Rows have ``deleted_at`` and are hidden from queries unless ``include_deleted`` is set."""

    @declared_attr
    def deleted_at(cls) -> Mapped[datetime | None]:
        return mapped_column(UtcDateTime, nullable=True, index=True)


class TenantContextMissing(RuntimeError):
    pass


class TenantMismatch(RuntimeError):
    pass


def actor_of(session: Session | AsyncSession) -> Actor | None:
    return session.info.get("actor")


@event.listens_for(Session, "do_orm_execute")
def _apply_tenant_criteria(state: ORMExecuteState) -> None:
    if not (state.is_select or state.is_update or state.is_delete):
        return
    if state.is_column_load or state.is_relationship_load:
        return
    actor: Actor | None = state.session.info.get("actor")
    opts = state.execution_options
    if actor is None:
        raise TenantContextMissing("query run without an Actor; use lingxi.db.session_for()")
    if actor.tenant_id is not None and not opts.get("all_tenants", False):
        tenant_id = actor.tenant_id
        state.statement = state.statement.options(
            with_loader_criteria(TenantScoped, lambda cls: cls.tenant_id == tenant_id, include_aliases=True)
        )
    elif not actor.is_system:
        raise TenantContextMissing("a non-system Actor without a tenant")
    if state.is_select and not opts.get("include_deleted", False):
        state.statement = state.statement.options(
            with_loader_criteria(SoftDeletable, lambda cls: cls.deleted_at.is_(None), include_aliases=True)
        )


@event.listens_for(Session, "before_flush")
def _stamp_tenant(session: Session, flush_context: Any, instances: Any) -> None:
    actor: Actor | None = session.info.get("actor")
    for obj in list(session.new) + list(session.dirty) + list(session.deleted):
        if not isinstance(obj, TenantScoped):
            continue
        if actor is None:
            raise TenantContextMissing("write without an Actor")
        if obj.tenant_id is None:
            if actor.tenant_id is None:
                raise TenantContextMissing(f"{type(obj).__name__} has no tenant and the actor has none")
            obj.tenant_id = actor.tenant_id
        elif actor.tenant_id is not None and obj.tenant_id != actor.tenant_id:
            raise TenantMismatch(f"{type(obj).__name__} belongs to another tenant")


class Database:
    """The engines of one process. SQLite gets a reader and a writer engine: writers start with
    ``BEGIN IMMEDIATE`` so concurrent writers queue on SQLite's lock instead of failing."""

    def __init__(self, settings: Settings | None = None):
        self.settings = settings or get_settings()
        url = self.settings.sqlalchemy_url
        self.is_sqlite = url.startswith("sqlite")
        if self.is_sqlite:
            self.settings.data_dir.mkdir(parents=True, exist_ok=True)
            self.reader = self._sqlite_engine(url, immediate=False, inline=self.settings.sqlite_inline_reads)
            self.writer = self._sqlite_engine(url, immediate=True, inline=self.settings.sqlite_inline_writes)
        else:
            self.writer = create_async_engine(
                url,
                pool_size=self.settings.db_pool_size,
                max_overflow=self.settings.db_pool_size,
                pool_pre_ping=True,
            )
            self.reader = self.writer
        self.read_sessions = async_sessionmaker(self.reader, expire_on_commit=False)
        self.write_sessions = async_sessionmaker(self.writer, expire_on_commit=False)

    @staticmethod
    def _sqlite_engine(url: str, *, immediate: bool, inline: bool = False) -> AsyncEngine:
        """``inline``: connections answer in the loop's thread (see lingxi.kit.sqlite_inline)."""
        if inline:
            path = make_url(url).database or ""
            # No thread per connection here, so a request waiting for its turn in a busy process need
            # not wait for a pooled connection as well.
            engine = create_async_engine(
                url, async_creator=inline_creator(path, timeout=30, write=immediate), pool_size=32, max_overflow=32
            )
        else:
            engine = create_async_engine(url, connect_args={"timeout": 30}, pool_size=8, max_overflow=8)
        use_fast_char_uuid(engine.dialect)
        begin_sql = "BEGIN IMMEDIATE" if immediate else "BEGIN"

        @event.listens_for(engine.sync_engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            if not inline:  # inline connections are created in autocommit mode
                dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            for pragma in (
                "PRAGMA busy_timeout=30000",
                "PRAGMA journal_mode=WAL",
                "PRAGMA foreign_keys=ON",
                "PRAGMA synchronous=NORMAL",
                # Connections share the file's pages through the OS (mmap) and keep a small private cache.
                "PRAGMA mmap_size=268435456",
                "PRAGMA cache_size=-16384",
                "PRAGMA temp_store=MEMORY",
                # Inline writers wait for the lock themselves, suspending (lingxi.kit.sqlite_inline).
                *(("PRAGMA busy_timeout=0",) if inline and immediate else ()),
            ):
                cursor.execute(pragma)
            cursor.close()

        @event.listens_for(engine.sync_engine, "begin")
        def _on_begin(conn: Any) -> None:
            conn.exec_driver_sql(begin_sql)

        return engine

    def session(self, actor: Actor, *, write: bool = True) -> AsyncSession:
        maker = self.write_sessions if write else self.read_sessions
        session = maker()
        session.info["actor"] = actor
        session.info["db"] = self
        return session

    @asynccontextmanager
    async def unit_of_work(self, actor: Actor, *, write: bool = True) -> AsyncIterator[AsyncSession]:
        """A session that commits on success and rolls back on error."""
        session = self.session(actor, write=write)
        try:
            yield session
            if write:
                await session.commit()
            else:
                await session.rollback()
        except BaseException:
            await session.rollback()
            raise
        finally:
            await session.close()

    async def dispose(self) -> None:
        await self.writer.dispose()
        if self.reader is not self.writer:
            await self.reader.dispose()


_db: Database | None = None


def get_database() -> Database:
    global _db
    if _db is None:
        _db = Database()
    return _db


def database_of(session: AsyncSession | None) -> Database:
    """The Database a session came from (a job's own, in a worker thread), else the process's."""
    db = session.info.get("db") if session is not None else None
    return db if isinstance(db, Database) else get_database()


def set_database(db: Database | None) -> None:
    global _db
    _db = db


def new_id() -> uuid.UUID:
    return uuid.uuid4()
