"""The hash chain: continuous across commits, and any changed, deleted or moved row is found."""

from __future__ import annotations

import asyncio
import json

from sqlalchemy import select, text
from typer.testing import CliRunner

from lingxi.accounts.models import Account
from lingxi.audit.chain import GENESIS, row_hash, verify
from lingxi.audit.cli import app as audit_cli
from lingxi.audit.models import AuditHead, AuditLog
from lingxi.tenancy.context import Actor


async def make_history(tenant, commits: int = 6) -> None:
    actor = Actor(tenant_id=tenant.id, user_id=tenant.admin.id, is_admin=True)
    for i in range(commits):
        async with tenant.db.unit_of_work(actor) as s:
            s.add(Account(name=f"Account {i}"))


async def chain_rows(tenant) -> list[dict]:
    async with tenant.db.reader.connect() as conn:
        table = AuditLog.__table__
        result = await conn.execute(select(table).where(table.c.chain == str(tenant.id)).order_by(table.c.seq))
        return [dict(r) for r in result.mappings()]


async def execute(db, sql: str, **params) -> None:
    async with db.writer.begin() as conn:
        await conn.execute(text(sql), params)


async def test_chain_is_continuous_across_many_commits(tenant):
    await make_history(tenant, commits=25)

    async def concurrent(i: int) -> None:
        async with tenant.db.unit_of_work(Actor.system(tenant.id)) as s:
            s.add(Account(name=f"Concurrent {i}"))

    await asyncio.gather(*(concurrent(i) for i in range(8)))
    rows = await chain_rows(tenant)
    assert [r["seq"] for r in rows] == list(range(1, len(rows) + 1))
    assert rows[0]["prev_hash"] == GENESIS
    for prev, row in zip(rows, rows[1:], strict=False):
        assert row["prev_hash"] == prev["hash"]
        assert row_hash(row) == row["hash"]
    async with tenant.db.reader.connect() as conn:
        head = (await conn.execute(select(AuditHead.__table__).where(AuditHead.chain == str(tenant.id)))).one()
    assert (head.seq, head.hash) == (rows[-1]["seq"], rows[-1]["hash"])
    report = await verify(tenant.db, tenant.id)
    assert report.ok, report.problems
    assert report.rows == len(rows)


async def test_tampered_row_is_detected(tenant, database):
    await make_history(tenant)
    rows = await chain_rows(tenant)
    target = rows[3]
    forged = json.dumps({"name": [None, "forged"]})
    cast = "CAST(:c AS JSON)" if database.writer.dialect.name == "postgresql" else ":c"
    await execute(
        tenant.db,
        f"UPDATE audit_log SET changes = {cast} WHERE chain = :chain AND seq = :seq",  # noqa: S608
        c=forged,
        chain=str(tenant.id),
        seq=target["seq"],
    )
    report = await verify(tenant.db, tenant.id)
    assert not report.ok
    assert [(p.kind, p.seq) for p in report.problems] == [("modified", target["seq"])]
    assert report.problems[0].chain == str(tenant.id)


async def test_deleted_row_is_detected(tenant):
    await make_history(tenant)
    rows = await chain_rows(tenant)
    await execute(
        tenant.db, "DELETE FROM audit_log WHERE chain = :chain AND seq = :seq", chain=str(tenant.id), seq=rows[2]["seq"]
    )
    report = await verify(tenant.db, tenant.id)
    assert [(p.kind, p.seq) for p in report.problems] == [("missing", rows[2]["seq"])]


async def test_deleting_the_newest_rows_is_detected_by_the_head(tenant):
    await make_history(tenant)
    rows = await chain_rows(tenant)
    await execute(
        tenant.db,
        "DELETE FROM audit_log WHERE chain = :chain AND seq >= :seq",
        chain=str(tenant.id),
        seq=rows[-2]["seq"],
    )
    report = await verify(tenant.db, tenant.id)
    assert [p.kind for p in report.problems] == ["head_mismatch"]
    assert "deleted" in report.problems[0].detail


async def test_reordered_rows_are_detected(tenant):
    await make_history(tenant)
    rows = await chain_rows(tenant)
    a, b = rows[2]["seq"], rows[3]["seq"]
    chain = str(tenant.id)
    await execute(tenant.db, "UPDATE audit_log SET seq = -1 WHERE chain = :chain AND seq = :a", chain=chain, a=a)
    await execute(tenant.db, "UPDATE audit_log SET seq = :a WHERE chain = :chain AND seq = :b", chain=chain, a=a, b=b)
    await execute(tenant.db, "UPDATE audit_log SET seq = :b WHERE chain = :chain AND seq = -1", chain=chain, b=b)
    report = await verify(tenant.db, tenant.id)
    kinds = {(p.kind, p.seq) for p in report.problems}
    assert ("modified", a) in kinds and ("modified", b) in kinds
    assert any(p.kind == "broken_link" for p in report.problems)


async def test_other_chains_are_untouched_by_tampering(tenant, other_tenant):
    await make_history(tenant)
    await make_history(other_tenant)
    rows = await chain_rows(tenant)
    await execute(
        tenant.db, "DELETE FROM audit_log WHERE chain = :chain AND seq = :seq", chain=str(tenant.id), seq=rows[1]["seq"]
    )
    assert (await verify(other_tenant.db, other_tenant.id)).ok
    assert not (await verify(tenant.db, tenant.id)).ok


async def test_cli_exit_codes(tenant, other_tenant, settings, monkeypatch):
    import lingxi.config

    await make_history(tenant)
    await make_history(other_tenant)
    rows = await chain_rows(tenant)
    await execute(
        tenant.db, "DELETE FROM audit_log WHERE chain = :chain AND seq = :seq", chain=str(tenant.id), seq=rows[1]["seq"]
    )

    monkeypatch.setenv("LINGXI_DATABASE_URL", settings.sqlalchemy_url)
    monkeypatch.setenv("LINGXI_DATA_DIR", str(settings.data_dir))
    lingxi.config.get_settings.cache_clear()
    try:
        runner = CliRunner()
        ok = await asyncio.to_thread(runner.invoke, audit_cli, ["verify", "--tenant", str(other_tenant.id)])
        bad = await asyncio.to_thread(runner.invoke, audit_cli, ["verify", "--tenant", str(tenant.id)])
    finally:
        lingxi.config.get_settings.cache_clear()
    assert ok.exit_code == 0, ok.output
    assert "audit log intact: 1 chain(s)" in ok.output
    assert bad.exit_code == 1
    assert "AUDIT LOG TAMPERED" in bad.output and f"{tenant.id}#{rows[1]['seq']}: missing" in bad.output
