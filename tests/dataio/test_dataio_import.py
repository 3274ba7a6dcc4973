"""Import: good rows stored, bad rows reported with field and code, duplicates skipped or merged,
XLSX and GBK files, permissions and tenant isolation of the report."""

from __future__ import annotations

import io
import json
import uuid

from openpyxl import Workbook

from lingxi.dataio.importer import run_import

GOOD_AND_BAD = (
    "姓名,邮箱,手机,来源,城市\n"
    "张伟,zhang.wei@example.com,13800138001,website,上海\n"
    "李娜,li.na@example.com,13800138002,referral,北京\n"
    "王芳,wang.fang@example.com,,event,深圳\n"
    ",nobody@example.com,13800138003,website,杭州\n"  # row 5: missing name
    "刘洋,not-an-email,,website,广州\n"  # row 6: bad email
    "陈静,chen.jing@example.com,,nowhere,成都\n"  # row 7: unknown picklist value
    "Alice Smith,alice@example.com,+86 138-0013-8004,partner,Shanghai\n"
    "Bob Jones,bob@example.com,,other,Beijing\n"
)


async def _import(client, kit, upload, name, content, token=None, **form):
    r = await upload(kit, "contacts", name, content, token, **form)
    assert r.status_code == 202, r.text
    job_id = r.json()["job_id"]
    await run_import(uuid.UUID(job_id))
    report = await client.get(f"/api/v1/imports/{job_id}/report", headers=kit.headers(token))
    assert report.status_code == 200, report.text
    return job_id, report.json()


async def _contacts(client, kit):
    r = await client.get("/api/v1/contacts", params={"limit": 500}, headers=kit.headers())
    return r.json()["data"]


async def test_csv_with_bad_rows_stores_good_ones_and_reports_each_bad_row(client, tenant, upload):
    job_id, report = await _import(client, tenant, upload, "contacts.csv", GOOD_AND_BAD.encode("utf-8-sig"))
    assert report["status"] == "succeeded"
    assert report["totals"] == {"created": 5, "merged": 0, "skipped": 0, "failed": 3, "rows": 8}
    failed = {row["row"]: row["errors"] for row in report["rows"] if row["status"] == "failed"}
    assert set(failed) == {5, 6, 7}
    assert {"field": "name", "code": "required"} in [{"field": e["field"], "code": e["code"]} for e in failed[5]]
    assert [(e["field"], e["code"]) for e in failed[6]] == [("email", "invalid_value")]
    assert [(e["field"], e["code"]) for e in failed[7]] == [("lead_source", "invalid_value")]
    stored = await _contacts(client, tenant)
    assert sorted(c["name"] for c in stored) == sorted(["张伟", "李娜", "王芳", "Alice Smith", "Bob Jones"])
    created_ids = {row["record_id"] for row in report["rows"] if row["status"] == "created"}
    assert created_ids == {c["id"] for c in stored}
    # Paging and filtering the report.
    page = (await client.get(f"/api/v1/imports/{job_id}/report", params={"limit": 3}, headers=tenant.headers())).json()
    assert [r["row"] for r in page["rows"]] == [2, 3, 4] and page["next_offset"] == 3
    page = (await client.get(f"/api/v1/imports/{job_id}/report", params={"status": "failed"}, headers=tenant.headers())).json()
    assert [r["row"] for r in page["rows"]] == [5, 6, 7]
    job = await client.get(f"/api/v1/jobs/{job_id}", headers=tenant.headers())
    assert job.status_code == 200 and job.json()["status"] == "succeeded"


async def test_xlsx_import_with_english_headers_and_explicit_mapping(client, tenant, upload):
    wb = Workbook()
    ws = wb.active
    ws.append(["Name", "Email", "Mobile phone number", "Notes to skip"])
    ws.append(["Carol", "carol@example.com", 13900001111, "x"])
    ws.append(["Dave", "dave@example.com", 13900002222, "y"])
    buf = io.BytesIO()
    wb.save(buf)
    _, report = await _import(client, tenant, upload, "people.xlsx", buf.getvalue(), mapping=json.dumps({"Mobile phone number": "mobile"}))
    assert report["totals"]["created"] == 2, report
    assert report["ignored_columns"] == ["Notes to skip"]
    by_name = {c["name"]: c for c in await _contacts(client, tenant)}
    assert by_name["Carol"]["mobile"] == "13900001111" and by_name["Dave"]["email"] == "dave@example.com"


async def test_gbk_csv(client, tenant, upload):
    content = "姓名,城市,职务\n赵敏,杭州,总经理\n周杰,苏州,采购经理\n".encode("gbk")
    _, report = await _import(client, tenant, upload, "gbk.csv", content)
    assert report["totals"]["created"] == 2
    assert {c["city"] for c in await _contacts(client, tenant)} == {"杭州", "苏州"}


async def test_duplicates_by_email_are_skipped_or_merged(client, tenant, upload):
    h = tenant.headers()
    existing = (await client.post("/api/v1/contacts", json={"name": "张伟", "email": "Zhang.Wei@example.com"}, headers=h)).json()
    content = "姓名,邮箱,城市\n张伟,zhang.wei@example.com,上海\n".encode()
    _, report = await _import(client, tenant, upload, "dup.csv", content)
    assert report["totals"]["skipped"] == 1 and report["totals"]["created"] == 0
    assert report["rows"][0]["record_id"] == existing["id"]
    assert report["rows"][0]["errors"][0]["code"] == "duplicate"
    assert (await client.get(f"/api/v1/contacts/{existing['id']}", headers=h)).json()["city"] is None

    _, report = await _import(client, tenant, upload, "dup.csv", content, on_duplicate="merge")
    assert report["totals"]["merged"] == 1
    merged = (await client.get(f"/api/v1/contacts/{existing['id']}", headers=h)).json()
    assert merged["city"] == "上海" and merged["email"] == "zhang.wei@example.com"  # given values win
    assert len(await _contacts(client, tenant)) == 1


async def test_duplicates_by_phone_digits_and_company_name(client, tenant, upload):
    h = tenant.headers()
    await client.post("/api/v1/contacts", json={"name": "孙丽", "mobile": "138-0013-8000"}, headers=h)
    _, report = await _import(client, tenant, upload, "p.csv", "姓名,手机\n孙丽丽,+86 13800138000\n".encode())
    assert report["totals"]["skipped"] == 1
    acc = (await client.post("/api/v1/accounts", json={"name": "华鼎科技（上海）有限公司"}, headers=h)).json()
    r = await upload(tenant, "accounts", "a.csv", "客户名称,城市\n华鼎科技(上海),上海\n新客户有限公司,北京\n".encode())
    job_id = r.json()["job_id"]
    await run_import(uuid.UUID(job_id))
    rows = (await client.get(f"/api/v1/imports/{job_id}/report", headers=h)).json()["rows"]
    assert [(x["status"], x["record_id"] == acc["id"]) for x in rows] == [("skipped", True), ("created", False)]


async def test_dry_run_saves_nothing(client, tenant, upload):
    _, report = await _import(client, tenant, upload, "c.csv", GOOD_AND_BAD.encode(), dry_run="true")
    assert report["dry_run"] and report["totals"]["created"] == 5 and report["totals"]["failed"] == 3
    assert await _contacts(client, tenant) == []


async def test_bad_files_are_refused_with_clear_codes(client, tenant, upload):
    cases = [
        ("x.txt", b"name\nx\n", "unsupported_file_type"),
        ("x.csv", b"", "empty_file"),
        ("x.xlsx", b"not a zip", "unreadable_file"),
        ("x.csv", "无关列\nx\n".encode(), "no_columns_mapped"),
    ]
    for name, content, code in cases:
        r = await upload(tenant, "contacts", name, content)
        assert r.status_code == 422 and r.json()["error"]["code"] == code, (name, r.text)
    r = await upload(tenant, "contacts", "x.csv", b"name\nx\n", mapping=json.dumps({"name": "no_such_field"}))
    assert r.json()["error"]["code"] == "invalid_mapping"
    r = await upload(tenant, "no_such_entity", "x.csv", b"name\nx\n")
    assert r.status_code == 404


async def test_too_many_rows_and_too_large(client, tenant, upload, monkeypatch):
    import lingxi.dataio.reader as reader

    monkeypatch.setattr(reader, "MAX_ROWS", 3)
    r = await upload(tenant, "contacts", "x.csv", b"name\na\nb\nc\nd\n")
    assert r.status_code == 422 and r.json()["error"]["code"] == "too_many_rows"
    from lingxi.config import get_settings

    monkeypatch.setattr(get_settings(), "max_upload_mb", 0)
    r = await upload(tenant, "contacts", "x.csv", b"name\na\n")
    assert r.status_code == 413 and r.json()["error"]["code"] == "file_too_large"


async def test_import_needs_permission(client, tenant, upload):
    _, rep_token = await tenant.add_user("rep", roles=("销售代表",))
    r = await upload(tenant, "contacts", "x.csv", "姓名\n甲\n".encode(), rep_token)
    assert r.status_code == 403 and r.json()["error"]["code"] == "permission_denied"
    _, mgr_token = await tenant.add_user("mgr", roles=("销售经理",))
    r = await upload(tenant, "contacts", "x.csv", "姓名\n甲\n".encode(), mgr_token)
    assert r.status_code == 202, r.text


async def test_report_only_for_creator_admin_and_own_tenant(client, tenant, other_tenant, upload):
    _, mgr_token = await tenant.add_user("mgr", roles=("销售经理",))
    _, peer_token = await tenant.add_user("peer", roles=("销售经理",))
    r = await upload(tenant, "contacts", "x.csv", "姓名\n甲\n".encode(), mgr_token)
    job_id = r.json()["job_id"]
    await run_import(uuid.UUID(job_id))
    url = f"/api/v1/imports/{job_id}/report"
    assert (await client.get(url, headers=tenant.headers(mgr_token))).status_code == 200
    assert (await client.get(url, headers=tenant.headers())).status_code == 200  # the tenant's admin
    assert (await client.get(url, headers=tenant.headers(peer_token))).status_code == 404
    assert (await client.get(url, headers=other_tenant.headers())).status_code == 404


async def test_import_and_export_through_the_job_runner(client, tenant, upload):
    from lingxi.jobs.runner import execute_job

    r = await upload(tenant, "contacts", "c.csv", GOOD_AND_BAD.encode())
    job_id = r.json()["job_id"]
    assert await execute_job(tenant.db, uuid.UUID(job_id)) == "succeeded"
    report = (await client.get(f"/api/v1/imports/{job_id}/report", params={"status": "failed"}, headers=tenant.headers())).json()
    assert report["status"] == "succeeded" and report["totals"]["created"] == 5
    assert [row["row"] for row in report["rows"]] == [5, 6, 7]

    r = await client.post("/api/v1/contacts/export", json={"format": "xlsx"}, headers=tenant.headers())
    job_id = r.json()["job_id"]
    assert await execute_job(tenant.db, uuid.UUID(job_id)) == "succeeded"
    r = await client.get(f"/api/v1/exports/{job_id}/download", headers=tenant.headers())
    assert r.status_code == 200 and r.content[:2] == b"PK"
