"""The in-process retrieval index of a tenant: BM25 postings over jieba terms and a matrix of
chunk embeddings, filled lazily from ``knowledge_chunk`` (the source of truth) one document
version at a time, so every API or worker process serves the same data without a shared server.

Dense search is exact (one matrix-vector product) up to ``ANN_MIN_ROWS`` rows; past that an HNSW
graph (hnswlib) answers, persisted in ``DATA_DIR/knowledge/<tenant>/`` so a restart does not
rebuild it. Which rows may be returned is decided by the caller's allowed-document set, passed
in as a mask: a row of a document the user may not read is never scored, let alone returned.
"""

from __future__ import annotations

import math
import re
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from lingxi.ai.embeddings import USE_DIM
from lingxi.kit.files import private_tmp
from lingxi.search.tokenize import term_counts

ANN_MIN_ROWS = 50_000
BM25_K1 = 1.2
BM25_B = 0.75
_LATIN = re.compile(r"^[a-z]{5,}$")
QUERY_STOP = frozenset(
    "什么 怎么 怎样 如何 哪些 哪个 哪里 为什么 可以 能否 是否 有没有 请问 一下 我们 你们 我 你 吗 呢 吧 啊 呀 要 "
    "what how why which where when who does do did can could should would will is are was the a an i you we my our your "
    "please tell me about there any".split()
)


def _stem(word: str) -> str:
    for suffix, repl in (("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)] + repl
    return word


def index_terms(text: str) -> Counter[str]:
    """Terms of a passage for BM25: jieba's search segmentation for Chinese, words, numbers,
    codes, phones and emails (``lingxi.search.tokenize``), plus a light English stem."""
    counts = term_counts(text)
    for term, n in list(counts.items()):
        if _LATIN.match(term):
            stem = _stem(term)
            if stem != term:
                counts[stem] += n
    return counts


def query_terms(text: str) -> Counter[str]:
    counts = index_terms(text)
    for stop in QUERY_STOP & counts.keys():
        del counts[stop]
    return counts


@dataclass
class Row:
    chunk_id: uuid.UUID
    document_id: uuid.UUID
    ordinal: int
    heading: str
    text: str


@dataclass
class _Doc:
    version: int
    rows: np.ndarray  # row numbers in the index
    sentences: np.ndarray  # rows of ``sentence_vectors`` belonging to this document's chunks


@dataclass
class ChunkData:
    chunk_id: uuid.UUID
    ordinal: int
    heading: str
    text: str
    title: str
    embedding: bytes
    sentence_embeddings: bytes | None = None


@dataclass
class TenantIndex:
    tenant_id: uuid.UUID
    folder: Path | None = None
    rows: list[Row] = field(default_factory=list)
    docs: dict[uuid.UUID, _Doc] = field(default_factory=dict)
    postings: dict[str, tuple[list[int], list[int]]] = field(default_factory=dict)
    lengths: list[int] = field(default_factory=list)
    alive: list[bool] = field(default_factory=list)
    vectors: np.ndarray = field(default_factory=lambda: np.zeros((256, USE_DIM), dtype=np.float32))
    sentence_vectors: np.ndarray = field(default_factory=lambda: np.zeros((1024, USE_DIM), dtype=np.float32))
    sentence_owner: np.ndarray = field(default_factory=lambda: np.zeros(1024, dtype=np.int64))
    n_sentences: int = 0
    lock: threading.RLock = field(default_factory=threading.RLock)
    dead: int = 0
    _ann: object | None = None
    _ann_rows: int = 0
    _ann_saved_at: float = 0.0

    # ---- keeping it in step with the database ----
    def stale(self, versions: dict[uuid.UUID, int]) -> list[uuid.UUID]:
        with self.lock:
            return [d for d, v in versions.items() if (doc := self.docs.get(d)) is None or doc.version != v]

    def put_document(self, document_id: uuid.UUID, version: int, chunks: list[ChunkData]) -> None:
        with self.lock:
            self.drop_document(document_id)
            start = len(self.rows)
            need = start + len(chunks)
            if need > len(self.vectors):
                grown = np.zeros((max(need, len(self.vectors) * 2), USE_DIM), dtype=np.float32)
                grown[:start] = self.vectors[:start]
                self.vectors = grown
            for i, c in enumerate(chunks):
                row = start + i
                self.rows.append(Row(c.chunk_id, document_id, c.ordinal, c.heading, c.text))
                self.alive.append(True)
                vec = np.frombuffer(c.embedding, dtype=np.float32)
                if vec.shape[0] == USE_DIM:
                    self.vectors[row] = vec
                counts = index_terms(f"{c.title}\n{c.heading}\n{c.text}")
                self.lengths.append(sum(counts.values()))
                for term, tf in counts.items():
                    rows, tfs = self.postings.setdefault(term, ([], []))
                    rows.append(row)
                    tfs.append(tf)
            s_start = self.n_sentences
            for i, c in enumerate(chunks):
                if not c.sentence_embeddings:
                    continue
                vecs = np.frombuffer(c.sentence_embeddings, dtype=np.float32)
                if vecs.size % USE_DIM:
                    continue
                vecs = vecs.reshape(-1, USE_DIM)
                end = self.n_sentences + len(vecs)
                if end > len(self.sentence_vectors):
                    size = max(end, len(self.sentence_vectors) * 2)
                    grown = np.zeros((size, USE_DIM), dtype=np.float32)
                    grown[: self.n_sentences] = self.sentence_vectors[: self.n_sentences]
                    owner = np.zeros(size, dtype=np.int64)
                    owner[: self.n_sentences] = self.sentence_owner[: self.n_sentences]
                    self.sentence_vectors, self.sentence_owner = grown, owner
                self.sentence_vectors[self.n_sentences : end] = vecs
                self.sentence_owner[self.n_sentences : end] = start + i
                self.n_sentences = end
            self.docs[document_id] = _Doc(
                version, np.arange(start, need, dtype=np.int64), np.arange(s_start, self.n_sentences, dtype=np.int64)
            )

    def drop_document(self, document_id: uuid.UUID) -> None:
        with self.lock:
            doc = self.docs.pop(document_id, None)
            if doc is None:
                return
            for row in doc.rows:
                self.alive[row] = False
            self.dead += len(doc.rows)
            if self._ann is not None:
                for row in doc.rows:
                    if row < self._ann_rows:
                        self._ann.mark_deleted(int(row))  # type: ignore[attr-defined]

    def needs_compaction(self) -> bool:
        return self.dead > 1000 and self.dead > len(self.rows) // 2

    # ---- searching ----
    def candidate_rows(self, document_ids: list[uuid.UUID]) -> tuple[np.ndarray, np.ndarray]:
        """(chunk rows, sentence rows) of the given documents."""
        with self.lock:
            docs = [self.docs[d] for d in document_ids if d in self.docs]
        empty = np.zeros(0, dtype=np.int64)
        rows = np.concatenate([d.rows for d in docs]) if docs else empty
        sentences = np.concatenate([d.sentences for d in docs]) if docs else empty
        return rows, sentences

    def bm25(self, terms: Counter[str], cand: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(rows, scores, coverage) for candidate rows matching at least one term. Statistics
        (N, df, average length) come from the candidate set only."""
        n_rows = len(self.rows)
        mask = np.zeros(n_rows, dtype=bool)
        mask[cand] = True
        lengths = np.asarray(self.lengths, dtype=np.float32)
        n = len(cand)
        avgdl = float(lengths[cand].mean()) if n else 1.0
        scores = np.zeros(n_rows, dtype=np.float32)
        covered = np.zeros(n_rows, dtype=np.float32)
        total_idf = 0.0
        for term in terms:
            posting = self.postings.get(term)
            max_idf = math.log(1 + (n + 0.5) / 0.5)
            if posting is None:
                total_idf += max_idf  # a word no passage has: the match is that much less complete
                continue
            rows = np.asarray(posting[0], dtype=np.int64)
            tfs = np.asarray(posting[1], dtype=np.float32)
            keep = mask[rows]
            rows, tfs = rows[keep], tfs[keep]
            df = len(rows)
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
            total_idf += idf
            if not df:
                continue
            dl = lengths[rows]
            scores[rows] += idf * tfs * (BM25_K1 + 1) / (tfs + BM25_K1 * (1 - BM25_B + BM25_B * dl / avgdl))
            covered[rows] += idf
        hit = np.nonzero(scores)[0]
        coverage = np.minimum(covered[hit] / total_idf, 1.0) if total_idf else np.zeros(len(hit), dtype=np.float32)
        return hit, scores[hit], coverage

    def dense(self, query: np.ndarray, cand: np.ndarray, sentences: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(rows, similarity) of candidate rows, the ``k`` nearest first among them. A row's
        similarity is the best of its passage vector and its sentence vectors. Exact search returns
        every candidate (the caller needs each one's similarity); HNSW only the ``k`` nearest."""
        if not len(cand):
            return cand, np.zeros(0, dtype=np.float32)
        if len(self.rows) >= ANN_MIN_ROWS and len(cand) > 4 * k:
            return self._ann_search(query, cand, k)
        with _one_blas_thread():
            sims = self.vectors[cand] @ query
            if len(sentences):
                position = np.zeros(len(self.rows), dtype=np.int64)
                position[cand] = np.arange(len(cand))
                np.maximum.at(sims, position[self.sentence_owner[sentences]], self.sentence_vectors[sentences] @ query)
        order = np.argsort(-sims)
        return cand[order], sims[order]

    def similarity(self, query: np.ndarray, rows: list[int]) -> dict[int, float]:
        """Passage-vector similarity of a few rows (for lexical hits HNSW did not return)."""
        if not rows:
            return {}
        sims = self.vectors[np.asarray(rows, dtype=np.int64)] @ query
        return dict(zip(rows, sims.tolist(), strict=True))

    def _ann_search(self, query: np.ndarray, cand: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        index = self._ensure_ann()
        allowed = np.zeros(len(self.rows), dtype=bool)
        allowed[cand] = True
        index.set_ef(max(64, 2 * k))  # type: ignore[attr-defined]
        labels, distances = index.knn_query(query, k=min(k, len(cand)), filter=lambda label: bool(allowed[label]))  # type: ignore[attr-defined]
        return labels[0].astype(np.int64), (1.0 - distances[0]).astype(np.float32)

    def _ensure_ann(self) -> object:
        import hnswlib

        with self.lock:
            n = len(self.rows)
            if self._ann is None and not self.load_ann():
                index = hnswlib.Index(space="ip", dim=USE_DIM)
                index.init_index(max_elements=max(1024, n * 2), ef_construction=100, M=16, allow_replace_deleted=False)
                self._ann, self._ann_rows = index, 0
            index = self._ann
            if self._ann_rows < n:
                if n > index.get_max_elements():  # type: ignore[attr-defined]
                    index.resize_index(n * 2)  # type: ignore[attr-defined]
                new = np.arange(self._ann_rows, n)
                index.add_items(self.vectors[new], new)  # type: ignore[attr-defined]
                for row in new:
                    if not self.alive[row]:
                        index.mark_deleted(int(row))  # type: ignore[attr-defined]
                self._ann_rows = n
                self._save_ann()
            return index

    def _save_ann(self) -> None:
        """Persist the graph and which chunk each label is, so another process or a restart can
        check it against its rows and reuse it (see ``load_ann``)."""
        if self.folder is None or time.monotonic() - self._ann_saved_at < 30:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = private_tmp(self.folder / "ann.bin")
        self._ann.save_index(str(tmp))  # type: ignore[attr-defined]
        ids = np.frombuffer(b"".join(r.chunk_id.bytes for r in self.rows[: self._ann_rows]), dtype=np.uint8)
        tmp_ids = private_tmp(self.folder / "ann_ids.npy", ".npy")  # np.save adds .npy to other names
        np.save(tmp_ids, ids)
        tmp.replace(self.folder / "ann.bin")
        tmp_ids.replace(self.folder / "ann_ids.npy")
        self._ann_saved_at = time.monotonic()

    def load_ann(self) -> bool:
        """Reuse a saved graph when its labels match the current rows one for one."""
        import hnswlib

        if self.folder is None or not (self.folder / "ann.bin").exists():
            return False
        ids = np.load(self.folder / "ann_ids.npy").tobytes()
        labels = [uuid.UUID(bytes=ids[i : i + 16]) for i in range(0, len(ids), 16)]
        with self.lock:
            if len(labels) > len(self.rows) or any(self.rows[i].chunk_id != c for i, c in enumerate(labels)):
                return False
            index = hnswlib.Index(space="ip", dim=USE_DIM)
            index.load_index(str(self.folder / "ann.bin"), max_elements=max(1024, len(self.rows) * 2))
            for row, ok in enumerate(self.alive[: len(labels)]):
                if not ok:
                    index.mark_deleted(row)
            self._ann, self._ann_rows = index, len(labels)
        return True


_blas: object | None = None


def _one_blas_thread() -> object:
    """Matrix-vector products of one query are too small to gain from BLAS threads, and on a
    busy machine the threads spin against other processes."""
    global _blas
    if _blas is None:
        from threadpoolctl import ThreadpoolController

        _blas = ThreadpoolController()
    return _blas.limit(limits=1, user_api="blas")  # type: ignore[attr-defined]


_indexes: dict[uuid.UUID, TenantIndex] = {}
_indexes_lock = threading.Lock()


def tenant_index(tenant_id: uuid.UUID, folder: Path | None = None) -> TenantIndex:
    with _indexes_lock:
        index = _indexes.get(tenant_id)
        if index is None or index.needs_compaction():
            index = _indexes[tenant_id] = TenantIndex(tenant_id, folder)
        return index


def forget_document(tenant_id: uuid.UUID, document_id: uuid.UUID) -> None:
    with _indexes_lock:
        index = _indexes.get(tenant_id)
    if index is not None:
        index.drop_document(document_id)


def reset_indexes() -> None:
    with _indexes_lock:
        _indexes.clear()
