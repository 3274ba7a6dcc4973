"""The Alembic migrations build exactly the schema the models describe."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from lingxi.config import Settings
from lingxi.db import Base
from lingxi.migrate import upgrade


@pytest.mark.skipif(bool(os.environ.get("LINGXI_TEST_DATABASE_URL")), reason="checked once, on SQLite")
def test_migrations_match_models(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, database_url=None)
    upgrade(settings)
    engine = create_engine(f"sqlite:///{tmp_path / 'lingxi.db'}")
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": False}), Base.metadata)
    engine.dispose()
    assert diff == [], diff
