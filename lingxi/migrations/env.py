"""Alembic environment: runs migrations on the URL from Lingxi's settings (or ``-x url=...``)."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import pool
from sqlalchemy.ext.asyncio import create_async_engine

import lingxi.models  # noqa: F401  (fills Base.metadata)
from lingxi.config import Settings, get_settings
from lingxi.db import Base

target_metadata = Base.metadata


def _url() -> str:
    if context.config.attributes.get("url"):
        return context.config.attributes["url"]
    get_settings().data_dir.mkdir(parents=True, exist_ok=True)
    url = context.get_x_argument(as_dictionary=True).get("url")
    return Settings(database_url=url).sqlalchemy_url if url else get_settings().sqlalchemy_url


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def _do_run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def run_migrations_online() -> None:
    connectable = context.config.attributes.get("connection")
    if connectable is not None:
        _do_run(connectable)
        return
    engine = create_async_engine(_url(), poolclass=pool.NullPool)
    async with engine.connect() as connection:
        await connection.run_sync(_do_run)
    await engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    asyncio.run(run_migrations_online())
