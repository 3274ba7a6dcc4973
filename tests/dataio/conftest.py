"""Helpers for import/export tests: upload a file, run the job in-process, make custom roles."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from lingxi.authz.models import Role
from lingxi.tenancy.context import Actor


@pytest.fixture
def upload(client: Any) -> Any:
    async def _upload(kit: Any, entity: str, name: str, content: bytes, token: str | None = None, **form: Any) -> Any:
        return await client.post(
            f"/api/v1/{entity}/import", files={"file": (name, content)}, data={k: str(v) for k, v in form.items()},
            headers=kit.headers(token),
        )

    return _upload


@pytest.fixture
def make_role() -> Any:
    async def _make_role(kit: Any, name: str, permissions: dict[str, Any], field_rules: dict[str, Any] | None = None) -> None:
        async with kit.db.unit_of_work(Actor.system(kit.id)) as s:
            s.add(Role(id=uuid.uuid4(), tenant_id=kit.id, name=name, permissions=permissions, field_rules=field_rules or {}))

    return _make_role
