"""Helpers for knowledge-base tests: make a base, upload a file and run its ingestion job here."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest

from lingxi.jobs.runner import execute_job


class Kb:
    def __init__(self, client: Any):
        self.client = client

    async def base(self, kit: Any, token: str | None = None, **body: Any) -> str:
        r = await self.client.post("/api/v1/knowledge/bases", json={"name": "KB", **body}, headers=kit.headers(token))
        assert r.status_code == 201, r.text
        return r.json()["id"]

    async def upload(self, kit: Any, kb_id: str, name: str, content: bytes | str, *, token: str | None = None,
                     permissions: dict[str, Any] | None = None, run: bool = True, expect: str = "ready") -> dict[str, Any]:
        data = content.encode() if isinstance(content, str) else content
        form = {"permissions": json.dumps(permissions)} if permissions else {}
        r = await self.client.post(f"/api/v1/knowledge/bases/{kb_id}/documents", files={"file": (name, data)}, data=form,
                                   headers=kit.headers(token))
        assert r.status_code == 202, r.text
        doc = r.json()
        assert doc["status"] == "queued"
        if run:
            doc = await self.run(kit, doc, expect=expect)
        return doc

    async def run(self, kit: Any, doc: dict[str, Any], expect: str = "ready") -> dict[str, Any]:
        await execute_job(kit.db, uuid.UUID(doc["job_id"]))
        r = await self.client.get(f"/api/v1/knowledge/documents/{doc['id']}", headers=kit.headers())
        assert r.status_code == 200, r.text
        assert r.json()["status"] == expect, r.json()
        return r.json()

    async def search(self, kit: Any, kb_ids: list[str], query: str, token: str | None = None, **body: Any) -> list[dict[str, Any]]:
        r = await self.client.post("/api/v1/knowledge/search", json={"kb_ids": kb_ids, "query": query, **body}, headers=kit.headers(token))
        assert r.status_code == 200, r.text
        return r.json()["hits"]

    async def ask(self, kit: Any, kb_ids: list[str], question: str, token: str | None = None, **body: Any) -> dict[str, Any]:
        r = await self.client.post("/api/v1/knowledge/ask", json={"kb_ids": kb_ids, "question": question, **body}, headers=kit.headers(token))
        assert r.status_code == 200, r.text
        return r.json()


@pytest.fixture
def kb(client: Any) -> Kb:
    return Kb(client)
