"""Helpers for tool-library tests: the Actor of a user, and calling a tool through the REST API."""

from __future__ import annotations

from typing import Any

import pytest

from lingxi.authz.service import load_actor
from lingxi.db import Database
from lingxi.org.models import User
from lingxi.tenancy.context import Actor


async def actor_for(db: Database, user: User) -> Actor:
    async with db.unit_of_work(Actor.system(user.tenant_id), write=False) as s:
        return await load_actor(s, user)


class Tools:
    def __init__(self, client: Any):
        self.client = client

    async def call(self, kit: Any, name: str, args: dict[str, Any] | None = None, *, token: str | None = None,
                   expect: int = 200, ok: bool | None = True, **body: Any) -> dict[str, Any]:
        r = await self.client.post(f"/api/v1/tools/{name}/call", json={"args": args or {}, **body}, headers=kit.headers(token))
        assert r.status_code == expect, r.text
        out = r.json()
        if expect == 200 and ok is not None:
            assert out["ok"] is ok, out
        return out


@pytest.fixture
def tools(client: Any) -> Tools:
    return Tools(client)
