"""``lingxi demo`` prints where and how to log in, and leaves an existing tenant alone."""

from __future__ import annotations

import asyncio

from typer.testing import CliRunner

import lingxi.config
import lingxi.models  # noqa: F401
from lingxi.config import Settings
from lingxi.db import Base, Database
from lingxi.demo.cli import app


def _create_schema(data_dir) -> None:
    async def run() -> None:
        db = Database(Settings(data_dir=data_dir, database_url=None))
        async with db.writer.begin() as conn:
            await conn.run_sync(Base.metadata.create_all)
        await db.dispose()

    asyncio.run(run())


def test_demo_command_prints_the_login_and_is_idempotent(tmp_path, monkeypatch):
    monkeypatch.setenv("LINGXI_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("LINGXI_DATABASE_URL", raising=False)
    monkeypatch.delenv("LINGXI_DEMO_PASSWORD", raising=False)
    monkeypatch.setenv("LINGXI_SECRET_KEY", "cli-test")
    lingxi.config.get_settings.cache_clear()
    try:
        _create_schema(tmp_path)
        runner = CliRunner()
        first = runner.invoke(app, ["--no-migrate", "--size", "0.05", "--password", "Cli-test-pass-1"])
        assert first.exit_code == 0, first.output
        assert "http://127.0.0.1:8000" in first.output
        assert "admin@demo.lingxi" in first.output and "Cli-test-pass-1" in first.output
        second = runner.invoke(app, ["--no-migrate", "--size", "0.05"])
        assert second.exit_code == 0, second.output
        assert "exists" in second.output and "Cli-test-pass-1" not in second.output
    finally:
        lingxi.config.get_settings.cache_clear()


def test_a_weak_password_is_refused_with_a_message(tmp_path, monkeypatch):
    monkeypatch.setenv("LINGXI_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("LINGXI_DATABASE_URL", raising=False)
    lingxi.config.get_settings.cache_clear()
    try:
        _create_schema(tmp_path)
        result = CliRunner().invoke(app, ["--no-migrate", "--size", "0.05", "--password", "short"])
        assert result.exit_code == 1
        assert "password" in result.output
    finally:
        lingxi.config.get_settings.cache_clear()
