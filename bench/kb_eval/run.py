"""Knowledge-base evaluation against a RUNNING Lingxi server, through the public contracts only.

    python bench/kb_eval/run.py --base-url http://127.0.0.1:8000 --email admin@demo.lingxi --password ... [--tenant demo]

Creates a fresh knowledge base, uploads every document of ``data/docs`` (some as Markdown, some
converted to plain text or HTML so several parsers are exercised), waits until each is ``ready``,
then asks every question of ``data/questions.tsv`` through ``POST /api/v1/knowledge/search`` with
``top_k`` 5 and measures single-document recall@5 (the gold document among the top five hits),
recall@1, MRR and the latency of each search (client side, after a warm-up with other queries; run
it against a freshly started server, since the server caches the vectors of queries it has seen). Results are
printed and appended to bench/RESULTS.md (``--results`` to change, ``--no-write`` to skip).
"""

from __future__ import annotations

import argparse
import csv
import html
import os
import platform
import re
import sys
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"


def as_text(md: str) -> str:
    return re.sub(r"^#+\s*", "", md, flags=re.M).replace("**", "")


def as_html(md: str) -> str:
    out = ["<html><head><meta charset='utf-8'></head><body>"]
    for line in md.splitlines():
        if m := re.match(r"^(#+)\s*(.*)", line):
            level = len(m.group(1))
            out.append(f"<h{level}>{html.escape(m.group(2))}</h{level}>")
        elif m := re.match(r"^\s*(?:[-*]|\d+\.)\s+(.*)", line):
            out.append(f"<li>{html.escape(m.group(1))}</li>")
        elif line.strip():
            out.append(f"<p>{html.escape(line.replace('**', ''))}</p>")
    out.append("<script>console.log('not content')</script></body></html>")
    return "\n".join(out)


def documents() -> list[tuple[str, str, bytes]]:
    """(gold name, upload filename, bytes): every 4th document as HTML, every 4th+1 as plain text."""
    docs = []
    for i, path in enumerate(sorted((DATA / "docs").glob("*.md"))):
        md = path.read_text(encoding="utf-8")
        stem = path.stem
        if i % 4 == 0:
            docs.append((path.name, f"{stem}.html", as_html(md).encode()))
        elif i % 4 == 1:
            docs.append((path.name, f"{stem}.txt", as_text(md).encode()))
        else:
            docs.append((path.name, path.name, md.encode()))
    return docs


def questions() -> list[dict[str, str]]:
    with (DATA / "questions.tsv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base-url", required=True)
    ap.add_argument("--email", required=True)
    ap.add_argument("--password", required=True)
    ap.add_argument("--tenant", default=None)
    ap.add_argument("--top-k", type=int, default=5)
    ap.add_argument("--min-score", type=float, default=0.0)
    ap.add_argument("--fusion", choices=["blend", "rrf"], default=None, help="ask the server for one fusion (default: its own)")
    ap.add_argument("--results", default=str(HERE.parent / "RESULTS.md"))
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--timeout", type=float, default=600, help="seconds to wait for ingestion")
    args = ap.parse_args()

    client = httpx.Client(base_url=args.base_url.rstrip("/"), timeout=60)
    login = {"email": args.email, "password": args.password, **({"tenant": args.tenant} if args.tenant else {})}
    r = client.post("/api/v1/auth/login", json=login)
    r.raise_for_status()
    client.headers["Authorization"] = f"Bearer {r.json()['access_token']}"

    r = client.post("/api/v1/knowledge/bases", json={"name": f"kb-eval {datetime.now(UTC):%Y-%m-%d %H:%M:%S}"})
    r.raise_for_status()
    kb_id = r.json()["id"]

    started = time.perf_counter()
    doc_ids: dict[str, str] = {}
    for gold, filename, data in documents():
        r = client.post(f"/api/v1/knowledge/bases/{kb_id}/documents", files={"file": (filename, data)})
        r.raise_for_status()
        doc_ids[r.json()["id"]] = gold
    pending = set(doc_ids)
    failed: dict[str, str] = {}
    deadline = time.monotonic() + args.timeout
    while pending and time.monotonic() < deadline:
        for doc_id in list(pending):
            d = client.get(f"/api/v1/knowledge/documents/{doc_id}").json()
            if d["status"] == "ready":
                pending.discard(doc_id)
            elif d["status"] == "failed":
                pending.discard(doc_id)
                failed[doc_ids[doc_id]] = d.get("error") or "?"
        if pending:
            time.sleep(0.5)
    ingest_s = time.perf_counter() - started
    if pending or failed:
        print(f"not ready: {len(pending)}; failed: {failed}", file=sys.stderr)
        if pending:
            return 2
    gold_of = {gold: doc_id for doc_id, gold in doc_ids.items()}

    qs = questions()
    body = {"kb_ids": [kb_id], "top_k": args.top_k, "min_score": args.min_score}
    if args.fusion:
        body["fusion"] = args.fusion
    # Warm-up with other text (the server caches query vectors: a question it has seen is faster).
    for i in range(10):
        client.post("/api/v1/knowledge/search", json={**body, "query": f"warm-up {i} 预热查询"}).raise_for_status()

    latencies: list[float] = []
    hits_at: dict[str, list[int]] = defaultdict(list)  # type -> rank of gold (0 = missing)
    misses = []
    for q in qs:
        t0 = time.perf_counter()
        r = client.post("/api/v1/knowledge/search", json={**body, "query": q["question"]})
        latencies.append((time.perf_counter() - t0) * 1000)
        r.raise_for_status()
        ranked = [h["document_id"] for h in r.json()["hits"]]
        seen: list[str] = list(dict.fromkeys(ranked))
        gold_id = gold_of[q["doc"]]
        rank = seen.index(gold_id) + 1 if gold_id in seen[: args.top_k] else 0
        hits_at[q["type"]].append(rank)
        hits_at["all"].append(rank)
        if rank == 0:
            top = doc_ids.get(seen[0], "-") if seen else "-"
            misses.append(f"{q['type']}: {q['question']} (gold {q['doc']}, top {top})")

    allr = hits_at["all"]
    recall5 = sum(1 for r in allr if r) / len(allr)
    recall1 = sum(1 for r in allr if r == 1) / len(allr)
    mrr = sum(1 / r for r in allr if r) / len(allr)
    p50, p95 = percentile(latencies, 50), percentile(latencies, 95)
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0, 0, 0)
    by_type = ", ".join(f"{t} {sum(1 for r in v if r)}/{len(v)}" for t, v in sorted(hits_at.items()) if t != "all")
    lines = [
        f"## {datetime.now(UTC):%Y-%m-%d %H:%M} UTC · knowledge base retrieval (bench/kb_eval)",
        "",
        f"- Data: {len(doc_ids)} documents (bilingual CRM-company manuals, policies, FAQs, with near-duplicates; "
        f"Markdown, text and HTML uploads), {len(qs)} questions ({by_type}).",
        f"- Server: {args.base_url}; search with top_k {args.top_k}, min_score {args.min_score}"
        f"{', fusion ' + args.fusion if args.fusion else ''}; ingestion of all documents took {ingest_s:.1f} s"
        f"{'; failed: ' + str(failed) if failed else ''}.",
        f"- Machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, load average at the end "
        f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; client and server on one machine.",
        "",
        "| metric | value | target |",
        "|---|---:|---:|",
        f"| single-document recall@5 | {recall5:.1%} | ≥ 95% |",
        f"| recall@1 | {recall1:.1%} | |",
        f"| MRR | {mrr:.3f} | |",
        f"| search latency p50 | {p50:.1f} ms | |",
        f"| search latency p95 | {p95:.1f} ms | ≤ 100 ms |",
        "",
        f"Recall@5 target: **{'met' if recall5 >= 0.95 else 'not met'}**; p95 target: **{'met' if p95 <= 100 else 'not met'}**.",
    ]
    if misses:
        lines += ["", "<details><summary>misses</summary>", "", *[f"- {m}" for m in misses], "", "</details>"]
    report = "\n".join(lines) + "\n"
    print(report)
    if not args.no_write:
        with open(args.results, "a", encoding="utf-8") as fh:
            fh.write("\n" + report)
    client.delete(f"/api/v1/knowledge/bases/{kb_id}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
