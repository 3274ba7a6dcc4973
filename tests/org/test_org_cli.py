"""``lingxi tenant create`` and ``lingxi user create`` against a fresh SQLite database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SETUP = """
import asyncio, lingxi.models
from lingxi.db import Base, get_database
async def main():
    db = get_database()
    async with db.writer.begin() as c:
        await c.run_sync(Base.metadata.create_all)
    await db.dispose()
asyncio.run(main())
"""


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    code = "import sys; from lingxi.cli import app; sys.argv = ['lingxi', *sys.argv[1:]]; app()"
    return subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.slow
def test_tenant_and_user_create(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LINGXI_")}
    env["LINGXI_DATA_DIR"] = str(tmp_path)
    subprocess.run([sys.executable, "-c", SETUP], env=env, check=True, timeout=120)

    r = _run(env, "tenant", "create", "acme", "--name", "Acme 公司", "--admin-email", "admin@acme.example.com")
    assert r.returncode == 0, r.stderr
    assert "Administrator password (shown once):" in r.stdout
    r = _run(env, "tenant", "create", "acme", "--name", "Acme", "--admin-email", "admin@acme.example.com")
    assert r.returncode == 1 and "tenant_exists" in r.stderr

    r = _run(
        env,
        "user",
        "create",
        "--tenant",
        "acme",
        "--email",
        "li@acme.example.com",
        "--name",
        "小李",
        "--role",
        "销售代表",
        "--password",
        "Good-pass-123",
    )
    assert r.returncode == 0, r.stderr
    assert "Password" not in r.stdout
    r = _run(
        env, "user", "create", "--tenant", "acme", "--email", "x@acme.example.com", "--name", "x", "--role", "没有"
    )
    assert r.returncode == 1 and "role_not_found" in r.stderr
    r = _run(env, "user", "create", "--tenant", "nope", "--email", "x@acme.example.com", "--name", "x")
    assert r.returncode == 1 and "tenant_not_found" in r.stderr
