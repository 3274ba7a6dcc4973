"""Per-tenant provider settings through the API: admins only, keys sealed at rest, token usage
per tenant and feature, and the knowledge base answering through the configured LLM."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from llm_fake_server import FakeOpenAI, completion
from sqlalchemy import select

from lingxi.ai.llm.models import AiProvider
from lingxi.ai.llm.resilience import reset_breakers
from lingxi.ai.llm.secrets import LocalKeyBox, SecretUnreadable, get_secret_box
from lingxi.jobs.runner import execute_job


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeOpenAI]:
    server = FakeOpenAI().start()
    yield server
    server.stop()


@pytest.fixture
def server(fake: FakeOpenAI) -> FakeOpenAI:
    fake.reset()
    reset_breakers()
    return fake


async def _provider(client, kit, server, **extra):
    body = {"name": "qwen", "kind": "openai", "base_url": server.base_url, "model": "fake-model", "api_key": "sk-secret-123456",
            "is_default": True, "max_retries": 0, **extra}
    r = await client.post("/api/v1/ai/providers", json=body, headers=kit.headers())
    assert r.status_code == 201, r.text
    return r.json()


async def test_admin_only_and_key_never_returned_and_sealed(client, tenant, other_tenant, server):
    _, rep_token = await tenant.add_user("rep", roles=("销售代表",))
    r = await client.post("/api/v1/ai/providers", json={"name": "x", "kind": "none"}, headers=tenant.headers(rep_token))
    assert r.status_code == 403
    assert (await client.get("/api/v1/ai/providers", headers=tenant.headers(rep_token))).status_code == 403

    p = await _provider(client, tenant, server)
    assert "api_key" not in p and p["has_api_key"] and p["api_key_hint"] == "…3456"
    async with tenant.db.unit_of_work(tenant.actor(), write=False) as s:
        row = await s.scalar(select(AiProvider).where(AiProvider.id == __import__("uuid").UUID(p["id"])))
        assert row.api_key_sealed and "sk-secret" not in row.api_key_sealed
        assert get_secret_box().open(row.api_key_sealed, context=f"ai_provider:{row.tenant_id}:{row.id}") == "sk-secret-123456"
        with pytest.raises(SecretUnreadable):  # bound to its tenant and row
            get_secret_box().open(row.api_key_sealed, context=f"ai_provider:{other_tenant.id}:{row.id}")

    assert (await client.get(f"/api/v1/ai/providers/{p['id']}", headers=other_tenant.headers())).status_code == 404
    assert (await client.get("/api/v1/ai/providers", headers=other_tenant.headers())).json()["items"] == []

    r = await client.post("/api/v1/ai/providers", json={"name": "bad", "kind": "openai"}, headers=tenant.headers())
    assert r.status_code == 422
    r = await client.post("/api/v1/ai/providers", json={"name": "gguf", "kind": "local_gguf", "model_path": "../../etc/passwd"}, headers=tenant.headers())
    assert r.status_code == 422 and r.json()["error"]["code"] == "provider_bad_path"


async def test_provider_test_endpoint_and_usage_per_feature(client, tenant, server):
    p = await _provider(client, tenant, server)
    server.then(json=completion("pong", prompt_tokens=12, completion_tokens=1))
    r = await client.post(f"/api/v1/ai/providers/{p['id']}/test", headers=tenant.headers())
    assert r.json()["ok"] and r.json()["reply"] == "pong"
    assert server.requests[-1]["model"] == "fake-model"
    server.then(status=500)
    r = await client.post(f"/api/v1/ai/providers/{p['id']}/test", headers=tenant.headers())
    assert r.json()["ok"] is False and "500" in r.json()["error"]
    usage = (await client.get("/api/v1/ai/usage", headers=tenant.headers())).json()["rows"]
    assert usage == [{"feature": "provider_test", "provider_kind": "openai", "model": "fake-model", "calls": 2, "failed_calls": 1,
                      "prompt_tokens": 12, "completion_tokens": 1}]


async def test_ask_uses_the_tenants_llm_with_only_retrieved_passages(client, tenant, server):
    await _provider(client, tenant, server)
    r = await client.post("/api/v1/knowledge/bases", json={"name": "KB"}, headers=tenant.headers())
    kb_id = r.json()["id"]
    for name, text in (("returns.txt", "退货政策\n\n签收 30 天内可无理由退货，联系电话 13812345678。"),
                       ("sso.txt", "SSO\n\nSAML single sign-on is configured under Settings > Security.")):
        r = await client.post(f"/api/v1/knowledge/bases/{kb_id}/documents", files={"file": (name, text.encode())}, headers=tenant.headers())
        await execute_job(tenant.db, __import__("uuid").UUID(r.json()["job_id"]))
    server.then(json=completion("签收后 30 天内可以退货 [1]。", prompt_tokens=300, completion_tokens=20))
    out = (await client.post("/api/v1/knowledge/ask", json={"kb_ids": [kb_id], "question": "多久内可以退货？"}, headers=tenant.headers())).json()
    assert out["mode"] == "llm" and out["answer"] == "签收后 30 天内可以退货 [1]。" and out["grounded"]
    sent = json.dumps(server.requests[-1]["messages"], ensure_ascii=False)
    assert "30 天内可无理由退货" in sent and "13812345678" not in sent and "[PHONE_1]" in sent
    assert "签收 30 天" in out["citations"][0]["passage"]

    # The LLM failing falls back to the extractive answer, saying so.
    server.then(status=500)
    out = (await client.post("/api/v1/knowledge/ask", json={"kb_ids": [kb_id], "question": "多久内可以退货？"}, headers=tenant.headers())).json()
    assert out["mode"] == "extractive" and "30 天" in out["answer"] and "LLM failed" in out["notice"]
    # Nothing relevant: no LLM call at all, and "I don't know".
    calls = len(server.requests)
    out = (await client.post("/api/v1/knowledge/ask", json={"kb_ids": [kb_id], "question": "What's the weather on Mars tomorrow?"}, headers=tenant.headers())).json()
    assert out["grounded"] is False and "don't know" in out["answer"] and len(server.requests) == calls
    rows = (await client.get("/api/v1/ai/usage?feature=knowledge_ask", headers=tenant.headers())).json()["rows"]
    assert rows[0]["calls"] == 2 and rows[0]["failed_calls"] == 1 and rows[0]["prompt_tokens"] == 300


def test_local_key_box_round_trip(tmp_path):
    box = LocalKeyBox(tmp_path / "k.key")
    token = box.seal("sk-abc", context="t1")
    assert token.startswith("lxs1:") and box.open(token, context="t1") == "sk-abc"
    assert (tmp_path / "k.key").stat().st_mode & 0o777 == 0o600
    with pytest.raises(SecretUnreadable):
        LocalKeyBox(tmp_path / "other.key").open(token, context="t1")
