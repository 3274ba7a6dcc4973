"""Append a locust run's summary to bench/RESULTS.md: p50/p95/p99, throughput and errors per endpoint.

Usage: python bench/summarize.py --backend sqlite --stats bench/out/sqlite-..._stats.csv [--results bench/RESULTS.md]
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
from datetime import UTC, datetime
from pathlib import Path

TARGET_P95_MS = 200


def read_stats(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as fh:
        return list(csv.DictReader(fh))


def _num(row: dict[str, str], key: str) -> float:
    value = row.get(key) or "0"
    return float(value) if value not in ("N/A", "") else 0.0


def _reused(demo_log: str | None) -> bool:
    return bool(demo_log) and Path(demo_log).exists() and "exists" in Path(demo_log).read_text()


def render(args: argparse.Namespace, rows: list[dict[str, str]]) -> str:
    total = next((r for r in rows if r["Name"] == "Aggregated"), None)
    endpoints = [r for r in rows if r["Name"] != "Aggregated" and _num(r, "Request Count") > 0]
    lines = [
        f"## {datetime.now(UTC):%Y-%m-%d %H:%M} UTC · {args.backend}",
        "",
        f"- Load: {args.users} users, spawn {args.spawn_rate}/s, run time {args.run_time}; statistics reset once all "
        f"users were running (steady state only). Think time 1-3 s. Server: `lingxi serve --workers {args.serve_workers}`.",
        f"- Data: demo tenant + {int(args.scale):,} scaled contacts; "
        + ("reused from an earlier run (KEEP_DATA=1)." if _reused(args.demo_log) else f"`lingxi demo --scale` took {args.load_seconds} s."),
        f"- Machine: {os.cpu_count()} CPUs, {platform.python_implementation()} {platform.python_version()}, load average "
        f"before the run {args.loadavg}; server and locust share the machine.",
    ]
    if args.demo_log and Path(args.demo_log).exists():
        detail = [ln.strip() for ln in Path(args.demo_log).read_text().splitlines() if "scaled contacts" in ln or "created" in ln]
        lines += [f"- Demo load: {'; '.join(detail)}"] if detail else []
    lines += [
        "",
        "| endpoint | requests | failures | p50 ms | p95 ms | p99 ms | max ms | req/s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in endpoints + ([total] if total else []):
        name = "**all**" if r["Name"] == "Aggregated" else f"{r['Type']} {r['Name'].split(' ', 1)[-1]}"
        lines.append(
            f"| {name} | {int(_num(r, 'Request Count')):,} | {int(_num(r, 'Failure Count')):,} | {_num(r, '50%'):.0f} | "
            f"{_num(r, '95%'):.0f} | {_num(r, '99%'):.0f} | {_num(r, 'Max Response Time'):.0f} | {_num(r, 'Requests/s'):.1f} |"
        )
    if total:
        failures = int(_num(total, "Failure Count"))
        p95 = _num(total, "95%")
        met = p95 <= TARGET_P95_MS and failures == 0
        lines += ["", f"Target p95 ≤ {TARGET_P95_MS} ms and no errors: **{'met' if met else 'not met'}** "
                      f"(p95 {p95:.0f} ms, {failures:,} failures, {_num(total, 'Requests/s'):.1f} req/s)."]
    else:
        lines += ["", "No requests were recorded (see the locust log in bench/out/)."]
    return "\n".join(lines) + "\n"


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--backend", required=True)
    p.add_argument("--stats", required=True, type=Path)
    p.add_argument("--results", default=Path(__file__).with_name("RESULTS.md"), type=Path)
    p.add_argument("--users", default="1000")
    p.add_argument("--spawn-rate", default="20")
    p.add_argument("--run-time", default="4m")
    p.add_argument("--scale", default="50000")
    p.add_argument("--load-seconds", default="?")
    p.add_argument("--demo-log", default=None)
    p.add_argument("--loadavg", default="?")
    p.add_argument("--serve-workers", default="1")
    args = p.parse_args()
    rows = read_stats(args.stats) if args.stats.exists() else []
    text = render(args, rows)
    if not args.results.exists():
        args.results.write_text("# Load test results\n\nAppended by `bench/run_load.sh` (see bench/README.md).\n\n")
    with args.results.open("a") as fh:
        fh.write("\n" + text)
    print(text)


if __name__ == "__main__":
    main()
