"""Knowledge bases end to end: upload, ingest, search, ask, delete, failures, formats."""

from __future__ import annotations

import io

RETURNS = """# 退货与退款政策

## 退货期限
客户自签收之日起 30 天内可以申请无理由退货，定制产品除外。退货需保持包装完好。

## 退款到账
退款在我们收到退货后 5 个工作日内原路退回，银行卡可能再需要 1-3 天到账。
"""
SSO = """Single sign-on setup

Lingxi Enterprise supports SAML 2.0 and OIDC single sign-on. An administrator enters the identity
provider's metadata URL under Settings > Security, then maps the email claim to the user's login.

Users who sign in through SSO for the first time are created automatically with the Sales role.
"""
PRICING = """价格方案

标准版每个用户每月 199 元，专业版每个用户每月 399 元，按年付费享受八五折优惠。
企业版需要联系销售报价，包含专属客户成功经理和私有化部署。
"""


async def test_contract_upload_status_search(client, tenant, kb):
    kb_id = await kb.base(tenant, name="政策", top_k=3)
    doc = await kb.upload(tenant, kb_id, "returns.md", RETURNS)
    assert doc["status"] == "ready" and doc["chunk_count"] >= 2 and doc["error"] is None
    await kb.upload(tenant, kb_id, "sso.txt", SSO)
    await kb.upload(tenant, kb_id, "pricing.txt", PRICING)

    hits = await kb.search(tenant, [kb_id], "买了东西不想要了多久内能退？")
    assert hits and hits[0]["document_id"] == doc["id"]
    assert set(hits[0]) >= {"document_id", "chunk_id", "score", "text", "document_title"}
    assert "30 天" in hits[0]["text"] and hits[0]["document_title"] == "returns"
    assert 0 < hits[0]["score"] <= 1
    assert len(hits) <= 3  # the base's top_k

    # English question, Chinese document (and the reverse).
    hits = await kb.search(tenant, [kb_id], "How much does the professional edition cost per user?", top_k=1)
    assert hits[0]["document_title"] == "pricing"
    hits = await kb.search(tenant, [kb_id], "如何配置单点登录", top_k=1)
    assert hits[0]["document_title"] == "sso"

    # min_score filters; a high one leaves nothing.
    assert await kb.search(tenant, [kb_id], "退款多久到账", min_score=0.99) == []


async def test_ask_extractive_with_citations_and_dont_know(client, tenant, kb):
    kb_id = await kb.base(tenant)
    doc = await kb.upload(tenant, kb_id, "returns.md", RETURNS)
    await kb.upload(tenant, kb_id, "sso.txt", SSO)
    out = await kb.ask(tenant, [kb_id], "退款多久能到账？")
    assert out["grounded"] and out["mode"] == "extractive"
    assert "5 个工作日" in out["answer"]
    assert out["citations"][0]["document_id"] == doc["id"] and out["citations"][0]["score"] > 0
    assert "[1]" in out["answer"]

    out = await kb.ask(tenant, [kb_id], "火星上的天气怎么样，需要带伞吗？")
    assert out["grounded"] is False and out["mode"] == "none" and out["citations"] == []
    assert "不知道" in out["answer"]


async def test_failed_ingestion_reports_reason_and_base_stays_usable(client, tenant, kb):
    kb_id = await kb.base(tenant)
    good = await kb.upload(tenant, kb_id, "returns.md", RETURNS)
    bad = await kb.upload(tenant, kb_id, "broken.pdf", b"%PDF-1.7 this is not really a pdf", expect="failed")
    assert bad["error"].startswith("unreadable_file") or bad["error"].startswith("no_text"), bad["error"]
    empty = await kb.upload(tenant, kb_id, "empty.txt", b"   \n\n ", expect="failed")
    assert empty["error"].startswith("no_text")
    job = (await client.get(f"/api/v1/jobs/{bad['job_id']}", headers=tenant.headers())).json()
    assert job["status"] == "failed"
    hits = await kb.search(tenant, [kb_id], "退货期限")
    assert [h["document_id"] for h in hits] == [good["id"]]
    # An unsupported type is refused at once.
    r = await client.post(f"/api/v1/knowledge/bases/{kb_id}/documents", files={"file": ("x.exe", b"MZ...")}, headers=tenant.headers())
    assert r.status_code == 415 and r.json()["error"]["code"] == "unsupported_file_type"


async def test_delete_and_reindex_on_update(client, tenant, kb):
    kb_id = await kb.base(tenant)
    doc = await kb.upload(tenant, kb_id, "pricing.txt", PRICING)
    await kb.upload(tenant, kb_id, "sso.txt", SSO)
    assert (await kb.search(tenant, [kb_id], "专业版价格", top_k=1))[0]["document_id"] == doc["id"]

    new = "价格方案\n\n旗舰版每个用户每月 999 元，含无限存储。"
    r = await client.put(f"/api/v1/knowledge/documents/{doc['id']}/file", files={"file": ("pricing.txt", new.encode())}, headers=tenant.headers())
    assert r.status_code == 202 and r.json()["status"] == "queued"
    await kb.run(tenant, r.json())
    hits = await kb.search(tenant, [kb_id], "旗舰版多少钱", top_k=1)
    assert hits[0]["document_id"] == doc["id"] and "999" in hits[0]["text"]
    assert not any("399" in h["text"] for h in await kb.search(tenant, [kb_id], "专业版 399 元", top_k=5))

    assert (await client.delete(f"/api/v1/knowledge/documents/{doc['id']}", headers=tenant.headers())).status_code == 204
    assert all(h["document_id"] != doc["id"] for h in await kb.search(tenant, [kb_id], "旗舰版多少钱", top_k=5))
    assert (await client.get(f"/api/v1/knowledge/documents/{doc['id']}", headers=tenant.headers())).status_code == 404


async def test_formats_docx_xlsx_html_pdf(client, tenant, kb):
    import docx
    from openpyxl import Workbook

    kb_id = await kb.base(tenant)
    d = docx.Document()
    d.add_heading("保修条款", 1)
    d.add_paragraph("整机保修两年，电池保修一年。人为损坏不在保修范围内。")
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "部件", "保修期"
    table.cell(1, 0).text, table.cell(1, 1).text = "屏幕", "18 个月"
    buf = io.BytesIO()
    d.save(buf)
    docx_doc = await kb.upload(tenant, kb_id, "warranty.docx", buf.getvalue())

    wb = Workbook()
    ws = wb.active
    ws.title = "SKU"
    ws.append(["SKU", "Name", "Price"])
    ws.append(["LX-ROUTER-9", "Edge router nine", 2999])
    buf = io.BytesIO()
    wb.save(buf)
    xlsx_doc = await kb.upload(tenant, kb_id, "catalogue.xlsx", buf.getvalue())

    html = "<html><head><title>Onboarding</title><script>var x=1</script></head><body><h1>Onboarding</h1><p>New customers get a kickoff call within three business days.</p></body></html>"
    html_doc = await kb.upload(tenant, kb_id, "onboarding.html", html)

    assert (await kb.search(tenant, [kb_id], "屏幕保修多久", top_k=1))[0]["document_id"] == docx_doc["id"]
    hit = (await kb.search(tenant, [kb_id], "LX-ROUTER-9 price", top_k=1))[0]
    assert hit["document_id"] == xlsx_doc["id"] and "2999" in hit["text"]
    hit = (await kb.search(tenant, [kb_id], "when is the kickoff call", top_k=1))[0]
    assert hit["document_id"] == html_doc["id"] and "var x" not in hit["text"]

    pdf = _tiny_pdf("Invoices are issued on the first business day of each month.")
    pdf_doc = await kb.upload(tenant, kb_id, "billing.pdf", pdf)
    assert (await kb.search(tenant, [kb_id], "when are invoices issued", top_k=1))[0]["document_id"] == pdf_doc["id"]


def _tiny_pdf(text: str) -> bytes:
    """A one-page PDF with a text layer, written by hand (no PDF writer library needed)."""
    stream = f"BT /F1 12 Tf 40 700 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(f"{i} 0 obj\n".encode() + obj + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


async def test_base_settings_and_crud(client, tenant, kb):
    kb_id = await kb.base(tenant, name="FAQ", top_k=2, min_score=0.1)
    r = await client.patch(f"/api/v1/knowledge/bases/{kb_id}", json={"top_k": 1}, headers=tenant.headers())
    assert r.status_code == 200 and r.json()["top_k"] == 1
    await kb.upload(tenant, kb_id, "returns.md", RETURNS)
    await kb.upload(tenant, kb_id, "pricing.txt", PRICING)
    assert len(await kb.search(tenant, [kb_id], "价格 退货")) == 1
    assert len(await kb.search(tenant, [kb_id], "价格 退货", top_k=2)) == 2
    listed = (await client.get("/api/v1/knowledge/bases", headers=tenant.headers())).json()["items"]
    assert [b["document_count"] for b in listed if b["id"] == kb_id] == [2]
    docs = (await client.get(f"/api/v1/knowledge/bases/{kb_id}/documents", headers=tenant.headers())).json()["items"]
    assert len(docs) == 2 and docs[0]["uploader_name"] == "Admin"
    assert (await client.delete(f"/api/v1/knowledge/bases/{kb_id}", headers=tenant.headers())).status_code == 204
    assert (await client.get(f"/api/v1/knowledge/bases/{kb_id}", headers=tenant.headers())).status_code == 404
    assert await kb.search(tenant, [kb_id], "价格") == []
