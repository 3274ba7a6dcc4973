"""Per-document permissions are applied inside retrieval: a user never gets a hit, a snippet,
a citation or a status from a document they may not read. And tenants never see each other."""

from __future__ import annotations

from sqlalchemy import select

from lingxi.authz.models import Role
from lingxi.org.service import create_team

PUBLIC = "员工手册\n\n公司年假：入职满一年的员工每年享有 10 天带薪年假。"
SECRET = "薪酬调整方案（机密）\n\n2027 年销售团队提成比例由 3% 上调到 5%，华东区额外奖金 20 万元。"
TEAM_DOC = "大客户攻坚手册\n\n对华鼎科技的报价底线是每套 88 万元，不得低于此价格。"
USER_DOC = "个人绩效面谈记录\n\n王五的 2026 年绩效评级为 B+，建议参加谈判技巧培训。"


async def _role_id(kit, name):
    async with kit.db.unit_of_work(kit.actor(), write=False) as s:
        return str(await s.scalar(select(Role.id).where(Role.name == name)))


async def test_restricted_documents_never_leak_through_search_ask_or_status(client, tenant, kb):
    rep, rep_token = await tenant.add_user("rep", roles=("销售代表",))
    mgr, mgr_token = await tenant.add_user("mgr", roles=("销售经理",))
    member, member_token = await tenant.add_user("member", roles=("销售代表",))
    async with tenant.db.unit_of_work(tenant.actor()) as s:
        team = await create_team(s, tenant.id, "大客户组", [member.id])
    kb_id = await kb.base(tenant, members_can_upload=True)
    public = await kb.upload(tenant, kb_id, "handbook.txt", PUBLIC)
    secret = await kb.upload(tenant, kb_id, "salary.txt", SECRET,
                             permissions={"visibility": "restricted", "role_ids": [await _role_id(tenant, "销售经理")]})
    team_doc = await kb.upload(tenant, kb_id, "keyaccount.txt", TEAM_DOC,
                               permissions={"visibility": "restricted", "team_ids": [str(team.id)]})
    user_doc = await kb.upload(tenant, kb_id, "review.txt", USER_DOC,
                               permissions={"visibility": "restricted", "user_ids": [str(member.id)]})
    restricted = {secret["id"], team_doc["id"], user_doc["id"]}

    queries = ["销售提成比例调整", "华鼎科技报价底线", "王五绩效评级", "薪酬 奖金 机密", "年假"]
    for q in queries:
        for h in await kb.search(tenant, [kb_id], q, token=rep_token, top_k=10):
            assert h["document_id"] not in restricted, (q, h)
            assert "5%" not in h["text"] and "88 万" not in h["text"] and "B+" not in h["text"]
        out = await kb.ask(tenant, [kb_id], q, token=rep_token)
        assert all(c["document_id"] not in restricted for c in out["citations"])
        assert "88 万" not in out["answer"] and "5%" not in out["answer"] and "B+" not in out["answer"]
    assert (await kb.search(tenant, [kb_id], "年假多少天", token=rep_token))[0]["document_id"] == public["id"]
    for doc in (secret, team_doc, user_doc):
        r = await client.get(f"/api/v1/knowledge/documents/{doc['id']}", headers=tenant.headers(rep_token))
        assert r.status_code == 404
    listed = (await client.get(f"/api/v1/knowledge/bases/{kb_id}/documents", headers=tenant.headers(rep_token))).json()["items"]
    assert [d["id"] for d in listed] == [public["id"]]

    # Each grant opens exactly its own document.
    assert (await kb.search(tenant, [kb_id], "销售提成比例调整", token=mgr_token, top_k=1))[0]["document_id"] == secret["id"]
    mgr_ids = {h["document_id"] for h in await kb.search(tenant, [kb_id], "华鼎科技报价底线 王五绩效", token=mgr_token, top_k=10)}
    assert not mgr_ids & {team_doc["id"], user_doc["id"]}
    assert (await kb.search(tenant, [kb_id], "华鼎科技报价底线", token=member_token, top_k=1))[0]["document_id"] == team_doc["id"]
    assert (await kb.search(tenant, [kb_id], "王五绩效评级", token=member_token, top_k=1))[0]["document_id"] == user_doc["id"]
    out = await kb.ask(tenant, [kb_id], "对华鼎科技的报价底线是多少？", token=member_token)
    assert "88 万" in out["answer"] and out["citations"][0]["document_id"] == team_doc["id"]
    # Admins read everything.
    assert (await kb.search(tenant, [kb_id], "王五绩效评级", top_k=1))[0]["document_id"] == user_doc["id"]

    # Opening a document to everyone applies at once; only its owner or an admin may do that.
    r = await client.patch(f"/api/v1/knowledge/documents/{secret['id']}", json={"permissions": {"visibility": "everyone"}},
                           headers=tenant.headers(mgr_token))
    assert r.status_code == 403
    r = await client.patch(f"/api/v1/knowledge/documents/{secret['id']}", json={"permissions": {"visibility": "everyone"}},
                           headers=tenant.headers())
    assert r.status_code == 200 and r.json()["permissions"]["visibility"] == "everyone"
    assert (await kb.search(tenant, [kb_id], "销售提成比例调整", token=rep_token, top_k=1))[0]["document_id"] == secret["id"]

    # A user's own upload is theirs to read, even when restricted to nobody else.
    mine = await kb.upload(tenant, kb_id, "notes.txt", "拜访笔记\n\n客户希望下周三演示移动端审批流程。", token=rep_token,
                           permissions={"visibility": "restricted"})
    assert (await kb.search(tenant, [kb_id], "移动端审批演示", token=rep_token, top_k=1))[0]["document_id"] == mine["id"]
    assert all(h["document_id"] != mine["id"] for h in await kb.search(tenant, [kb_id], "移动端审批演示", token=member_token, top_k=10))


async def test_linked_attachment_follows_the_records_permissions(client, tenant, kb):
    owner, owner_token = await tenant.add_user("owner", roles=("销售代表",))
    other, other_token = await tenant.add_user("other", roles=("销售代表",))
    r = await client.post("/api/v1/attachments/upload", files={"file": ("方案.md", "# 报价方案\n\n给远航物流的折扣是 12%，有效期到年底。".encode())},
                          headers=tenant.headers(owner_token))
    assert r.status_code == 201, r.text
    attachment_id = r.json()["id"]
    kb_id = await kb.base(tenant)
    r = await client.post(f"/api/v1/knowledge/bases/{kb_id}/attachments", json={"attachment_id": attachment_id}, headers=tenant.headers())
    assert r.status_code == 202, r.text
    doc = await kb.run(tenant, r.json())
    assert doc["permissions"]["visibility"] == "attachment"
    assert (await kb.search(tenant, [kb_id], "远航物流折扣", token=owner_token, top_k=1))[0]["document_id"] == doc["id"]
    assert await kb.search(tenant, [kb_id], "远航物流折扣", token=other_token) == []
    # A user who cannot read the attachment cannot link it either.
    r = await client.post(f"/api/v1/knowledge/bases/{kb_id}/attachments", json={"attachment_id": attachment_id},
                          headers=tenant.headers(other_token))
    assert r.status_code in (403, 404)


async def test_tenants_are_isolated(client, tenant, other_tenant, kb):
    kb_id = await kb.base(tenant)
    doc = await kb.upload(tenant, kb_id, "handbook.txt", PUBLIC)
    assert await kb.search(other_tenant, [kb_id], "年假") == []
    out = await kb.ask(other_tenant, [kb_id], "年假有几天？")
    assert out["citations"] == [] and out["grounded"] is False
    assert (await client.get(f"/api/v1/knowledge/documents/{doc['id']}", headers=other_tenant.headers())).status_code == 404
    assert (await client.get(f"/api/v1/knowledge/bases/{kb_id}", headers=other_tenant.headers())).status_code == 404
    r = await client.post(f"/api/v1/knowledge/bases/{kb_id}/documents", files={"file": ("x.txt", b"hello")}, headers=other_tenant.headers())
    assert r.status_code == 404
    assert (await client.delete(f"/api/v1/knowledge/documents/{doc['id']}", headers=other_tenant.headers())).status_code == 404
    other_kb = await kb.base(other_tenant)
    await kb.upload(other_tenant, other_kb, "handbook.txt", "员工手册\n\n年假是 15 天。")
    hits = await kb.search(other_tenant, [kb_id, other_kb], "年假", top_k=10)
    assert hits and all("15 天" in h["text"] for h in hits)


async def test_members_cannot_upload_unless_allowed(client, tenant, kb):
    _, rep_token = await tenant.add_user("rep", roles=("销售代表",))
    kb_id = await kb.base(tenant)
    r = await client.post(f"/api/v1/knowledge/bases/{kb_id}/documents", files={"file": ("x.txt", b"hello world")}, headers=tenant.headers(rep_token))
    assert r.status_code == 403
    r = await client.patch(f"/api/v1/knowledge/bases/{kb_id}", json={"top_k": 9}, headers=tenant.headers(rep_token))
    assert r.status_code == 403
