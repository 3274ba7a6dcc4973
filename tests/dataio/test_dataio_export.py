"""Export: only what the user may see, hidden fields absent, masked values masked, formulas
neutralised in CSV and XLSX, permissions and tenant isolation of the download."""

from __future__ import annotations

import csv
import io
import uuid

from openpyxl import load_workbook

from lingxi.dataio.exporter import neutralise, run_export

EVIL = ["=HYPERLINK(\"http://evil\",\"x\")", "+1", "-2", "@SUM(A1:A2)", "\tcmd", "\rcmd"]


async def _export(client, kit, entity, token=None, lang="zh", **body):
    r = await client.post(f"/api/v1/{entity}/export", params={"lang": lang}, json=body, headers=kit.headers(token))
    assert r.status_code == 202, r.text
    job_id = r.json()["job_id"]
    await run_export(uuid.UUID(job_id))
    r = await client.get(f"/api/v1/exports/{job_id}/download", headers=kit.headers(token))
    assert r.status_code == 200, r.text
    return job_id, r


def _csv(response):
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _xlsx(response):
    ws = load_workbook(io.BytesIO(response.content)).worksheets[0]
    return ws, [[c.value for c in row] for row in ws.iter_rows()]


def test_neutralise():
    for text in EVIL:
        assert neutralise(text) == "'" + text
    assert neutralise("  =1+1") == "'  =1+1"
    assert neutralise("张伟") == "张伟" and neutralise("a-b") == "a-b"


async def test_formula_cells_are_neutralised_in_csv_and_xlsx(client, tenant):
    h = tenant.headers()
    for i, text in enumerate(EVIL):
        r = await client.post("/api/v1/contacts", json={"name": f"c{i}", "description": text}, headers=h)  # long text keeps tabs
        assert r.status_code == 201, r.text
    _, r = await _export(client, tenant, "contacts", format="csv", fields=["name", "description"], sort="name")
    rows = _csv(r)
    assert rows[0] == ["ID", "姓名", "描述"]
    assert [row[2] for row in rows[1:]] == ["'" + t for t in EVIL]
    _, r = await _export(client, tenant, "contacts", lang="en", format="xlsx", fields=["name", "description"], sort="name")
    ws, rows = _xlsx(r)
    assert rows[0] == ["ID", "Name", "Description"]
    # Depending on the XML parser (lxml or the standard library) a stored carriage return reads back
    # as itself or as a line feed.
    assert [row[2].replace("\r", "\n") for row in rows[1:]] == ["'" + t.replace("\r", "\n") for t in EVIL]
    for row in ws.iter_rows(min_row=2):
        assert row[2].data_type == "s"


async def test_export_honours_scope_hidden_and_masked_fields(client, tenant, make_role):
    await make_role(
        tenant, "联系人导出",
        {"contacts": {"read": "own", "create": "own", "export": "own"}},
        {"contacts": {"mobile": "masked", "email": "masked", "birthday": "hidden"}},
    )
    user, token = await tenant.add_user("exporter", roles=("联系人导出",))
    mine = {"name": "我的客户", "mobile": "13912345678", "email": "li.lei@example.com", "owner_id": str(user.id)}
    r = await client.post("/api/v1/contacts", json=mine, headers=tenant.headers())
    assert r.status_code == 201, r.text
    await client.post("/api/v1/contacts", json={"name": "别人的客户", "mobile": "13700000000", "birthday": "1990-01-02"}, headers=tenant.headers())

    _, r = await _export(client, tenant, "contacts", token, format="csv")
    rows = _csv(r)
    header = rows[0]
    assert "生日" not in header and "姓名" in header
    assert len(rows) == 2
    record = dict(zip(header, rows[1], strict=True))
    assert record["姓名"] == "我的客户"
    assert record["手机"] == "139****5678"
    assert record["邮箱"].startswith("l***") and "li.lei" not in record["邮箱"]
    assert "别人的客户" not in r.text and "13912345678" not in r.text

    _, r = await _export(client, tenant, "contacts", token, format="xlsx")
    _, rows = _xlsx(r)
    assert len(rows) == 2 and "生日" not in rows[0]
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["手机"] == "139****5678" and record["姓名"] == "我的客户"

    # The admin sees both records, birthdays included.
    _, r = await _export(client, tenant, "contacts", format="csv", filter={"name": {"contains": "客户"}})
    rows = _csv(r)
    assert len(rows) == 3 and "生日" in rows[0] and "1990-01-02" in r.text

    # Asking for a hidden field is refused up front.
    r = await client.post("/api/v1/contacts/export", json={"fields": ["birthday"]}, headers=tenant.headers(token))
    assert r.status_code == 422


async def test_export_needs_permission(client, tenant):
    _, service_token = await tenant.add_user("agent", roles=("客服专员",))
    r = await client.post("/api/v1/contacts/export", json={"format": "csv"}, headers=tenant.headers(service_token))
    assert r.status_code == 403 and r.json()["error"]["code"] == "permission_denied"
    r = await client.post("/api/v1/tickets/export", json={"format": "csv"}, headers=tenant.headers(service_token))
    assert r.status_code == 202, r.text
    _, rep_token = await tenant.add_user("rep", roles=("销售代表",))
    r = await client.post("/api/v1/contacts/export", json={"format": "xlsx"}, headers=tenant.headers(rep_token))
    assert r.status_code == 403
    r = await client.post("/api/v1/contacts/export", json={"format": "pdf"}, headers=tenant.headers())
    assert r.status_code == 422


async def test_download_only_for_creator_admin_and_own_tenant(client, tenant, other_tenant):
    _, mgr_token = await tenant.add_user("mgr", roles=("销售经理",))
    _, peer_token = await tenant.add_user("peer", roles=("销售经理",))
    await client.post("/api/v1/contacts", json={"name": "机密客户"}, headers=tenant.headers(mgr_token))
    r = await client.post("/api/v1/contacts/export", json={"format": "csv"}, headers=tenant.headers(mgr_token))
    job_id = r.json()["job_id"]
    url = f"/api/v1/exports/{job_id}/download"
    r = await client.get(url, headers=tenant.headers(mgr_token))
    assert r.status_code == 409 and r.json()["error"]["code"] == "export_not_ready"
    await run_export(uuid.UUID(job_id))
    r = await client.get(url, headers=tenant.headers(mgr_token))
    assert r.status_code == 200 and "机密客户" in r.content.decode("utf-8-sig")
    assert (await client.get(url, headers=tenant.headers())).status_code == 200
    assert (await client.get(url, headers=tenant.headers(peer_token))).status_code == 404
    assert (await client.get(url, headers=other_tenant.headers())).status_code == 404
    assert (await client.get(f"/api/v1/imports/{job_id}/report", headers=tenant.headers(mgr_token))).status_code == 404


async def test_export_is_audited(client, tenant):
    await client.post("/api/v1/accounts", json={"name": "Acme"}, headers=tenant.headers())
    await _export(client, tenant, "accounts", format="csv")
    r = await client.get("/api/v1/audit/logs", params={"action": "export", "entity": "accounts"}, headers=tenant.headers())
    assert r.status_code == 200, r.text
    assert [e["action"] for e in r.json()["items"]] == ["export"]
