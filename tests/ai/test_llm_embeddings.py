"""Embeddings: the OpenAI-compatible provider against the fake server (batched, cached) and the
offline encoder's cross-language behaviour."""

from __future__ import annotations

import asyncio

import numpy as np
import pytest
from llm_fake_server import FakeOpenAI

from lingxi.ai import embeddings
from lingxi.ai.embeddings import OpenAIEmbedder, default_embedder


@pytest.fixture(scope="module")
def fake():
    server = FakeOpenAI().start()
    yield server
    server.stop()


async def test_openai_embedder_batches_and_caches(fake, monkeypatch):
    fake.reset()
    monkeypatch.setattr(embeddings, "BATCH_SIZE", 2)
    emb = OpenAIEmbedder(base_url=fake.base_url, api_key="k", model="text-embedding-x", dim=3)
    vectors = await asyncio.to_thread(emb.embed, ["a", "bb", "ccc", "a"])
    assert vectors.shape == (4, 3) and np.allclose(np.linalg.norm(vectors, axis=1), 1.0)
    assert np.allclose(vectors[0], vectors[3])
    assert [r["input"] for r in fake.requests] == [["a", "bb"], ["ccc"]]  # "a" twice is sent once
    await asyncio.to_thread(emb.embed, ["bb", "ccc"])
    assert len(fake.requests) == 2  # served from the cache


def test_offline_encoder_places_languages_in_one_space():
    enc = default_embedder()
    zh, en, other = enc.embed(["如何申请退款？", "How do I request a refund?", "公司年会在三亚举办"])
    assert float(zh @ en) > float(zh @ other) + 0.2
    assert enc.embed_one("如何申请退款？") is not None and np.allclose(enc.embed_one("如何申请退款？"), zh)
