"""Offline planner evaluation: do goals in plain words (Chinese and English) get the right plan?

    .venv/bin/python bench/planner_eval/run.py            # writes bench/planner_eval/RESULTS.md

Builds a throw-away SQLite database with one tenant and ten customers, then plans every goal of
``scenarios.jsonl`` with the offline planner (no LLM) as the tenant's admin, exactly as
``POST /api/v1/plans/preview`` does (the permission side of the customer lookup is covered by the tests). A scenario is decomposed correctly when
the plan has the expected goal type, names the expected customer (looked up among the records the user
may read), and has the expected shape: at least 3 levels under the goal, every atomic task with an
executor, both automatic and person tasks, every node with its "why". ``dev`` scenarios were used while
building the planner; ``heldout`` ones were written at the same time and never tuned on.
"""

from __future__ import annotations

import asyncio
import json
import platform
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

HERE = Path(__file__).resolve().parent
ACCOUNTS = ["华鼎科技", "远航物流", "星河医疗集团", "蓝海电子", "金桥银行", "Acme Corp", "Globex", "Initech", "Northwind Traders", "Contoso"]


async def main() -> int:
    import lingxi.models  # noqa: F401
    from lingxi.agent.planning.service import propose_plan
    from lingxi.config import Settings
    from lingxi.db import Base, Database, set_database
    from lingxi.org.service import create_user
    from lingxi.records.service import RecordService, entity_or_404
    from lingxi.tenancy.context import Actor
    from lingxi.tenancy.service import create_tenant

    tmp = Path(tempfile.mkdtemp(prefix="planner-eval-"))
    db = Database(Settings(data_dir=tmp, secret_key="bench", worker=False))
    set_database(db)
    async with db.writer.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)
    from lingxi.authz.service import load_actor

    async with db.unit_of_work(Actor.system()) as s:
        tenant = await create_tenant(s, "eval", "Eval")
        admin = await create_user(s, tenant, email="admin@eval.example", name="Admin", password=None, role_names=("管理员",))
    async with db.unit_of_work(Actor.system(tenant.id)) as s:
        actor = await load_actor(s, admin)
        svc = RecordService(s, actor, entity_or_404("accounts"))
        for name in ACCOUNTS:
            await svc.create({"name": name})
    scenarios = [json.loads(line) for line in (HERE / "scenarios.jsonl").read_text().splitlines() if line.strip()]
    rows = []
    async with db.unit_of_work(actor, write=False) as s:
        for sc in scenarios:
            started = time.perf_counter()
            problems: list[str] = []
            got_type = got_account = None
            try:
                p = await propose_plan(s, actor, goal=sc["goal"], use_llm=False)
                got_type = p["method"]["goal_type"]
                acc = p["slots"].get("account")
                got_account = acc.get("name") if isinstance(acc, dict) else None
                nodes = p["nodes"]
                leaves = [n for n in nodes if n.kind == "task"]
                if got_type != sc["goal_type"]:
                    problems.append(f"goal type {got_type} != {sc['goal_type']}")
                if sc.get("account") and got_account != sc["account"]:
                    problems.append(f"customer {got_account!r} != {sc['account']!r}")
                if sc.get("segment") and sc["segment"] not in str(p["slots"].get("segment")):
                    problems.append(f"segment {p['slots'].get('segment')!r} lacks {sc['segment']!r}")
                if max(n.depth for n in nodes) < 4:
                    problems.append("fewer than 3 levels under the goal")
                if any(n.executor not in ("system", "person", "external") for n in leaves):
                    problems.append("a task without an executor")
                if not {"person"} <= {n.executor for n in leaves} or not ({"system", "external"} & {n.executor for n in leaves}):
                    problems.append("not both automatic and person tasks")
                if any(not n.why for n in nodes):
                    problems.append("a step without its why")
            except Exception as exc:  # noqa: BLE001 - a failed scenario, reported as such
                problems.append(f"{type(exc).__name__}: {getattr(exc, 'code', '')} {exc}")
            rows.append({**sc, "ok": not problems, "problems": problems, "got_type": got_type, "got_account": got_account,
                         "ms": (time.perf_counter() - started) * 1000})
    await db.dispose()

    def score(split: str) -> tuple[int, int]:
        sel = [r for r in rows if r["split"] == split]
        return sum(r["ok"] for r in sel), len(sel)

    dev, held = score("dev"), score("heldout")
    total = (dev[0] + held[0], dev[1] + held[1])
    ms = sorted(r["ms"] for r in rows[1:])
    lines = [
        "# Offline planner evaluation",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.machine()} / Python {platform.python_version()}: "
        f"`.venv/bin/python bench/planner_eval/run.py` ({len(rows)} scenarios, Chinese and English).",
        "",
        "| split | decomposed correctly |",
        "|---|---|",
        f"| dev (used while building) | {dev[0]}/{dev[1]} = {dev[0] / dev[1]:.1%} |",
        f"| held-out (never tuned on) | {held[0]}/{held[1]} = {held[0] / held[1]:.1%} |",
        f"| all | {total[0]}/{total[1]} = {total[0] / total[1]:.1%} |",
        "",
        f"Planning time per goal (offline, warm): median {ms[len(ms) // 2]:.0f} ms, max {ms[-1]:.0f} ms.",
        "",
        "Correct = expected goal type, the expected customer found among the records the user may read, "
        "≥ 3 levels under the goal, every task with an executor, both automatic and person tasks, every step with its why.",
        "",
        "| # | split | goal | expected | got | ok |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(f"| {r['id']} | {r['split']} | {r['goal']} | {r['goal_type']} / {r.get('account') or '-'} | "
                     f"{r['got_type']} / {r['got_account'] or '-'} | {'yes' if r['ok'] else 'NO: ' + '; '.join(r['problems'])} |")
    text = "\n".join(lines) + "\n"
    if "--no-write" not in sys.argv:
        (HERE / "RESULTS.md").write_text(text)
    print(text)
    return 0 if total[0] / total[1] >= 0.9 else 1


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
