"""Evaluate the language models in-process (no server) on a data folder, with aggregate confusion only.

    python bench/nlp_eval/inproc.py bench/nlp_eval/dev bench/nlp_eval/dev2   # the dev sets (tuning)
    python bench/nlp_eval/inproc.py bench/nlp_eval                           # the held-out set (measure only)

Prints intent accuracy and its confusion counts, sentiment macro-F1, extraction F1 per field, and in-process
latency (p50/p95, ms). ``--errors`` lists misses; use it on the dev set only, never on the held-out files.
Models train into a temporary folder, so the figures reflect the current corpus and code.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from run import FIELDS, macro_f1, pct, same  # noqa: E402


def tsv(path: Path) -> list[tuple[str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            label, _, text = line.partition("\t")
            rows.append((label.strip(), text.strip()))
    return rows


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("folders", nargs="+", help="data folders; the models train once for all of them")
    ap.add_argument("--errors", action="store_true")
    ap.add_argument("--only", choices=["intent", "sentiment", "extract"], default=None)
    args = ap.parse_args()
    os.environ.setdefault("LINGXI_DATA_DIR", tempfile.mkdtemp(prefix="nlp-eval-"))
    from lingxi.ai.nlp.extract import extract
    from lingxi.ai.nlp.intent import IntentService
    from lingxi.ai.nlp.sentiment import SentimentService

    model_dir = Path(tempfile.mkdtemp(prefix="nlp-models-"))
    for folder in map(Path, args.folders):
        print(f"== {folder}")
        evaluate(folder, args, model_dir, extract, IntentService, SentimentService)
    return 0


def evaluate(folder: Path, args: argparse.Namespace, model_dir: Path, extract, IntentService, SentimentService) -> None:  # noqa: ANN001, N803
    if args.only in (None, "intent") and (folder / "intent.tsv").exists():
        t = time.perf_counter()
        model = IntentService(model_dir).base()
        print(f"intent model ready in {time.perf_counter() - t:.1f}s")
        rows = tsv(folder / "intent.tsv")
        pairs, ms = [], []
        for gold, text in rows:
            t = time.perf_counter()
            pred = model.predict(text)
            ms.append((time.perf_counter() - t) * 1000)
            pairs.append((gold, pred.label))
            if args.errors and gold != pred.label:
                print(f"  miss {gold:>17} -> {pred.label:<17} {pred.confidence:.2f} {text}")
        acc = sum(g == p for g, p in pairs) / len(pairs)
        print(f"INTENT accuracy {acc:.1%} on {len(rows)}; in-process p50 {statistics.median(ms):.2f} / p95 {pct(ms, .95):.2f} ms")
        conf = Counter((g, p) for g, p in pairs if g != p)
        print("  confusions (gold -> predicted):", ", ".join(f"{g}->{p}:{n}" for (g, p), n in conf.most_common(12)))
    if args.only in (None, "sentiment") and (folder / "sentiment.tsv").exists():
        svc = SentimentService(model_dir)
        svc.classifier()
        rows = tsv(folder / "sentiment.tsv")
        pairs, ms = [], []
        for gold, text in rows:
            t = time.perf_counter()
            s = svc.analyse(text)
            ms.append((time.perf_counter() - t) * 1000)
            pairs.append((gold, s.label))
            if args.errors and gold != s.label:
                print(f"  miss {gold:>8} -> {s.label:<8} {text}")
        f1, per = macro_f1(pairs, ["positive", "neutral", "negative"])
        print(f"SENTIMENT macro-F1 {f1:.3f} on {len(rows)} ({', '.join(f'{k} {v:.3f}' for k, v in per.items())}); "
              f"p50 {statistics.median(ms):.2f} / p95 {pct(ms, .95):.2f} ms")
        conf = Counter((g, p) for g, p in pairs if g != p)
        print("  confusions:", ", ".join(f"{g}->{p}:{n}" for (g, p), n in conf.most_common()))
    for path in sorted(folder.glob("extract*.jsonl")) if args.only in (None, "extract") else []:
        items = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
        extract("明天见", date(2025, 3, 12))
        counts = {f: Counter() for f in FIELDS}
        ms = []
        for item in items:
            t = time.perf_counter()
            got = extract(item["text"], date.fromisoformat(item["reference_date"])).as_dict()
            ms.append((time.perf_counter() - t) * 1000)
            for f in FIELDS:
                gold, pred = item["gold"].get(f), got.get(f)
                if gold is None and pred is None:
                    continue
                if gold is not None and pred is not None and same(f, gold, pred):
                    counts[f]["tp"] += 1
                    continue
                counts[f]["fp" if pred is not None else "fn"] += 1
                if pred is not None and gold is not None:
                    counts[f]["fn"] += 1
                if args.errors:
                    print(f"  {f}: gold={gold!r} got={pred!r} | {item['text'][:60]}")
        print(f"EXTRACT {path.name} on {len(items)}; p50 {statistics.median(ms):.1f} / p95 {pct(ms, .95):.1f} ms")
        for f, c in counts.items():
            prec = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
            rec = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
            f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
            print(f"  {f:<15} F1 {f1:.3f}  tp {c['tp']} fp {c['fp']} fn {c['fn']}")


if __name__ == "__main__":
    sys.exit(main())
