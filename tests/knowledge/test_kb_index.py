"""The retrieval index on its own: parsing and chunking by structure, BM25 statistics limited to
the allowed documents, HNSW agreeing with exact search (and honouring the allowed set), and the
offline encoder loading with no network at all."""

from __future__ import annotations

import subprocess
import sys
import uuid

import numpy as np

from lingxi.ai.embeddings import USE_DIM
from lingxi.knowledge import index as index_mod
from lingxi.knowledge.chunking import MAX_CHARS, chunk_blocks
from lingxi.knowledge.index import ChunkData, TenantIndex, query_terms
from lingxi.knowledge.parsers import ParseError, detect_format, parse


def test_markdown_chunks_keep_their_heading_path():
    md = ("# 手册\n\n## 安装\n\n在官网下载安装包，双击运行，按提示选择安装目录后完成安装。\n\n## 登录\n\n"
          "首次登录时输入租户代码、邮箱和密码。\n\n- 支持指纹登录\n- 支持面容登录\n\n## 注意\n\n短。\n\n## 卸载\n\n在系统设置的应用列表中找到云帆CRM并卸载。\n")
    chunks = chunk_blocks(parse(md.encode(), "markdown"))
    assert [c.heading for c in chunks] == ["手册 > 安装", "手册 > 登录", "手册"]
    assert "指纹" in chunks[1].text and "面容" in chunks[1].text
    assert chunks[2].text.startswith("注意\n短。\n卸载")  # a tiny section joins the next one, labels kept


def test_long_paragraphs_split_at_sentence_ends():
    text = "标题\n\n" + "。".join(f"第{i}句话讲的是一个相当长的事情" for i in range(80)) + "。"
    chunks = chunk_blocks(parse(text.encode(), "text"))
    assert len(chunks) > 3 and all(len(c.text) <= MAX_CHARS for c in chunks)
    assert all(c.text.endswith("。") for c in chunks[:-1])


def test_format_detection_and_parse_errors():
    assert detect_format("a.PDF", None) == "pdf" and detect_format("x", "text/markdown") == "markdown"
    assert detect_format("x.exe", "application/octet-stream") is None
    for data, fmt, code in ((b"", "text", "empty_file"), (b"\x00\x01binary", "text", "binary_file"),
                            (b"not a zip", "docx", "unreadable_file"), (b"not a zip", "xlsx", "unreadable_file")):
        try:
            parse(data, fmt)
        except ParseError as exc:
            assert exc.code == code
        else:
            raise AssertionError(f"{fmt} {data!r} parsed")
    assert parse("中文GBK文本，第二句。".encode("gb18030"), "text")[0].text.startswith("中文GBK")


def _index(n_docs: int, per_doc: int, seed: int = 0) -> tuple[TenantIndex, list[uuid.UUID], np.ndarray]:
    rng = np.random.default_rng(seed)
    idx = TenantIndex(uuid.uuid4())
    docs = []
    for d in range(n_docs):
        doc_id = uuid.uuid4()
        docs.append(doc_id)
        vecs = rng.normal(size=(per_doc, USE_DIM)).astype(np.float32)
        vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
        idx.put_document(doc_id, 1, [ChunkData(uuid.uuid4(), i, "", f"doc{d} passage {i} word{d % 7}", f"t{d}", vecs[i].tobytes()) for i in range(per_doc)])
    return idx, docs, rng.normal(size=USE_DIM).astype(np.float32)


def test_bm25_statistics_come_from_the_allowed_documents_only():
    idx, docs, _ = _index(6, 2)
    cand, _ = idx.candidate_rows(docs[:3])
    rows, scores, coverage = idx.bm25(query_terms("word1 passage"), cand)
    assert set(rows.tolist()) <= set(cand.tolist())
    assert all(idx.rows[r].document_id in docs[:3] for r in rows)
    assert (coverage <= 1.0).all() and (scores > 0).all()


def test_hnsw_agrees_with_exact_search_and_honours_the_allowed_set(monkeypatch, tmp_path):
    idx, docs, query = _index(300, 4, seed=1)
    idx.folder = tmp_path
    query /= np.linalg.norm(query)
    allowed = docs[::3]
    cand, sentences = idx.candidate_rows(allowed)
    exact_rows, _ = idx.dense(query, cand, sentences, 10)
    monkeypatch.setattr(index_mod, "ANN_MIN_ROWS", 100)
    ann_rows, ann_sims = idx.dense(query, cand, sentences, 10)
    assert set(ann_rows.tolist()) <= set(cand.tolist())  # never a row of a document not allowed
    assert len(set(ann_rows.tolist()) & set(exact_rows[:10].tolist())) >= 9
    assert (tmp_path / "ann.bin").exists()
    idx.drop_document(idx.rows[int(ann_rows[0])].document_id)  # deleted rows leave the graph
    cand2, s2 = idx.candidate_rows([d for d in allowed if d in idx.docs])
    assert int(ann_rows[0]) not in idx.dense(query, cand2, s2, 10)[0].tolist()
    # A restart reuses the saved graph when the rows line up.
    again = TenantIndex(idx.tenant_id, tmp_path)
    again.rows, again.alive, again.vectors = idx.rows, idx.alive, idx.vectors
    assert again.load_ann()


def test_the_encoder_loads_and_runs_with_the_network_cut_off():
    code = (
        "import socket\n"
        "def refuse(*a, **k):\n    raise OSError('network disabled in this test')\n"
        "socket.socket.connect = refuse\nsocket.create_connection = refuse\nsocket.getaddrinfo = refuse\n"
        "from lingxi.ai.embeddings import UseEmbedder\n"
        "v = UseEmbedder().embed(['退货政策', 'refund policy', '今天天气不错'])\n"
        "assert v.shape == (3, 512)\n"
        "assert float(v[0] @ v[1]) > float(v[0] @ v[2]) + 0.2, (v[0] @ v[1], v[0] @ v[2])\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0 and "ok" in out.stdout, out.stderr[-2000:]
