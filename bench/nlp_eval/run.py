"""Evaluate intent, sentiment and extraction against a running Lingxi server, through the public API.

    python bench/nlp_eval/run.py --base-url http://127.0.0.1:8000 --email admin@demo.lingxi --password ...

Data sets in this folder were written apart from the training corpora in ``lingxi/ai/nlp/data`` (no
shared lines). Results are printed and appended to ``bench/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import httpx

HERE = Path(__file__).parent
FIELDS = ["company_name", "contact_name", "contact_title", "phone", "email", "amount", "currency", "product",
          "quantity", "next_step", "next_step_date"]


def tsv(name: str) -> list[tuple[str, str]]:
    rows = []
    for line in (HERE / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            label, _, text = line.partition("\t")
            rows.append((label, text))
    return rows


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _norm(v: object) -> str:
    return re.sub(r"[\s.,，。]+", "", str(v)).lower()


def same(field: str, gold: object, pred: object) -> bool:
    if field in ("amount", "quantity"):
        try:
            return abs(float(gold) - float(pred)) < 0.5  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return False
    if field == "phone":
        return re.sub(r"\D", "", str(gold)) == re.sub(r"\D", "", str(pred))
    if field == "next_step":
        g, p = _norm(gold), _norm(pred)
        if not g or not p:
            return False
        if g in p or p in g:
            return True
        common = sum((Counter(g) & Counter(p)).values())
        return 2 * common / (len(g) + len(p)) >= 0.6
    return _norm(gold) == _norm(pred)


def macro_f1(pairs: list[tuple[str, str]], labels: list[str]) -> tuple[float, dict[str, float]]:
    per = {}
    for label in labels:
        tp = sum(1 for g, p in pairs if g == label and p == label)
        fp = sum(1 for g, p in pairs if g != label and p == label)
        fn = sum(1 for g, p in pairs if g == label and p != label)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        per[label] = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return sum(per.values()) / len(per), per


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--base-url", default=os.environ.get("LINGXI_URL", "http://127.0.0.1:8000"))
    ap.add_argument("--email", required=True)
    ap.add_argument("--password", required=True)
    ap.add_argument("--tenant", default=None)
    ap.add_argument("--results", default=str(HERE.parent / "RESULTS.md"))
    ap.add_argument("--show-errors", action="store_true")
    args = ap.parse_args()

    client = httpx.Client(base_url=args.base_url, timeout=60)
    login = {"email": args.email, "password": args.password}
    if args.tenant:
        login["tenant"] = args.tenant
    r = client.post("/api/v1/auth/login", json=login)
    r.raise_for_status()
    client.headers["Authorization"] = f"Bearer {r.json()['access_token']}"
    client.post("/api/v1/ai/intent", json={"text": "warm up"}).raise_for_status()
    client.post("/api/v1/ai/sentiment", json={"text": "warm up"}).raise_for_status()
    client.post("/api/v1/ai/extract", json={"text": "明天见", "reference_date": "2025-03-12"}).raise_for_status()

    def timed(path: str, body: dict) -> tuple[dict, float]:
        t = time.perf_counter()
        resp = client.post(path, json=body)
        ms = (time.perf_counter() - t) * 1000
        resp.raise_for_status()
        return resp.json(), ms

    intent_rows = tsv("intent.tsv")
    intent_pairs, intent_ms = [], []
    for gold, text in intent_rows:
        body, ms = timed("/api/v1/ai/intent", {"text": text})
        intent_pairs.append((gold, body["intent"]))
        intent_ms.append(ms)
        if args.show_errors and gold != body["intent"]:
            print(f"  intent miss: {text!r} gold={gold} got={body['intent']} ({body['confidence']:.2f})")
    intent_acc = sum(g == p for g, p in intent_pairs) / len(intent_pairs)

    sent_rows = tsv("sentiment.tsv")
    sent_pairs, sent_ms = [], []
    for gold, text in sent_rows:
        body, ms = timed("/api/v1/ai/sentiment", {"text": text})
        sent_pairs.append((gold, body["label"]))
        sent_ms.append(ms)
        if args.show_errors and gold != body["label"]:
            print(f"  sentiment miss: {text!r} gold={gold} got={body['label']}")
    sent_f1, sent_per = macro_f1(sent_pairs, ["positive", "neutral", "negative"])

    counts = {f: Counter() for f in FIELDS}
    extract_ms = []
    items = [json.loads(line) for line in (HERE / "extract.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    for item in items:
        body, ms = timed("/api/v1/ai/extract", {"text": item["text"], "reference_date": item["reference_date"]})
        extract_ms.append(ms)
        got = body["fields"]
        for f in FIELDS:
            gold, pred = item["gold"].get(f), got.get(f)
            if gold is None and pred is None:
                continue
            if gold is not None and pred is not None and same(f, gold, pred):
                counts[f]["tp"] += 1
                continue
            if pred is not None:
                counts[f]["fp"] += 1
            if gold is not None:
                counts[f]["fn"] += 1
            if args.show_errors:
                print(f"  extract {f}: gold={gold!r} got={pred!r} | {item['text'][:40]}")
    field_f1 = {}
    for f, c in counts.items():
        prec = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
        rec = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
        field_f1[f] = 2 * prec * rec / (prec + rec) if prec + rec else 0.0

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines = [
        f"## Language AI evaluation ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC, load avg {load:.2f}, {os.cpu_count()} cores)",
        "",
        f"- Intent accuracy: **{intent_acc:.1%}** on {len(intent_rows)} items (target ≥ 95%)",
        f"- Sentiment macro-F1: **{sent_f1:.3f}** on {len(sent_rows)} items (target ≥ 0.85); "
        + ", ".join(f"{k} {v:.3f}" for k, v in sent_per.items()),
        f"- Extraction F1 per field on {len(items)} texts (target ≥ 0.90 each):",
        "",
        "| field | F1 | tp | fp | fn |",
        "| --- | --- | --- | --- | --- |",
        *[f"| {f} | {field_f1[f]:.3f} | {counts[f]['tp']} | {counts[f]['fp']} | {counts[f]['fn']} |" for f in FIELDS],
        "",
        f"- Latency over HTTP (ms): intent p50 {statistics.median(intent_ms):.1f} / p95 {pct(intent_ms, 0.95):.1f}; "
        f"sentiment p50 {statistics.median(sent_ms):.1f} / p95 {pct(sent_ms, 0.95):.1f}; "
        f"extract p50 {statistics.median(extract_ms):.1f} / p95 {pct(extract_ms, 0.95):.1f} (target p95 ≤ 20 for intent and sentiment)",
        "",
    ]
    report = "\n".join(lines)
    print(report)
    with open(args.results, "a", encoding="utf-8") as fh:
        fh.write("\n" + report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
