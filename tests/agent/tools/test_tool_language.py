"""Language, knowledge and communication tools on the embedded offline models."""

from __future__ import annotations

import json
import uuid

from sqlalchemy import select

from lingxi.jobs.runner import execute_job
from lingxi.notifications.models import Notification
from lingxi.tenancy.context import Actor


async def test_intent_sentiment_and_extraction(tenant, tools):
    intent = (await tools.call(tenant, "language.intent", {"text": "帮我查一下上个月华东区的销售额是多少"}))["output"]
    assert intent["intent"] == "query_data" and intent["alternatives"]
    neg = (await tools.call(tenant, "language.sentiment", {"text": "你们的产品太差了，三次维修都没修好，我要投诉！"}))["output"]
    pos = (await tools.call(tenant, "language.sentiment", {"text": "服务非常好，问题当天就解决了，谢谢你们"}))["output"]
    assert neg["label"] == "negative" and pos["label"] == "positive"
    fields = (await tools.call(tenant, "language.extract", {
        "text": "明天下午和华鼎科技的张伟总监电话沟通，他的手机13912345678，邮箱zhang.wei@huading.com，预算五十万",
        "reference_date": "2026-03-02"}))["output"]["fields"]
    assert fields["phone"] == "13912345678" and fields["email"] == "zhang.wei@huading.com"
    assert fields["amount"] == 500000 and fields["next_step_date"] == "2026-03-03"
    empty = await tools.call(tenant, "language.intent", {"text": ""}, expect=422)
    assert empty["error"]["details"]["errors"][0]["field"] == "text"


async def test_summary_keywords_and_classification(tenant, tools):
    text = ("华鼎科技计划在第三季度升级其客户服务系统。该公司目前使用的系统响应缓慢，客户投诉率较高。"
            "今天天气不错。华鼎科技的预算约为八十万元，希望在九月前完成客户服务系统的部署。"
            "他们特别关注系统与企业微信的集成能力。")
    out = (await tools.call(tenant, "language.summarise", {"text": text, "max_sentences": 2}))["output"]
    assert out["mode"] == "extractive" and len(out["sentences"]) == 2
    assert "今天天气不错。" not in out["sentences"] and all(s in text for s in out["sentences"])
    kw = (await tools.call(tenant, "language.keywords", {"text": text, "top_k": 5}))["output"]["keywords"]
    assert any("客户" in k or "系统" in k or "华鼎" in k for k in kw)
    labels = [{"label": "billing", "description": "invoices, payments, refunds and charges"},
              {"label": "technical", "description": "errors, crashes, bugs, a system that does not work"},
              {"label": "sales", "description": "pricing questions, wanting to buy more licences"}]
    got = (await tools.call(tenant, "language.classify", {"text": "系统一直报错，登录后就崩溃了", "labels": labels}))["output"]
    assert got["label"] == "technical" and set(got["scores"]) == {"billing", "technical", "sales"}
    one = await tools.call(tenant, "language.classify", {"text": "x", "labels": labels[:1]}, expect=422)
    assert one["error"]["code"] == "validation_error"


async def test_ticket_classifier_learns_from_the_tenants_tickets(tenant, tools):
    early = await tools.call(tenant, "tickets.classify", {"text": "发票开错了"}, ok=False)
    assert early["error"]["code"] == "not_enough_examples"
    examples = {
        "账单": ["发票抬头开错了需要重开", "上个月的账单金额不对", "付款后没有收到发票", "重复扣费了请退款"],
        "故障": ["系统登录后白屏", "导出报表时报错500", "手机端打不开页面", "数据同步失败一直转圈"],
        "功能建议": ["希望增加批量导入功能", "建议报表支持自定义列", "能否加个深色模式", "希望支持企业微信登录"],
    }
    for category, texts in examples.items():
        for text in texts:
            await tools.call(tenant, "tickets.create", {"subject": text, "category": category})
    from lingxi.agent.tools.library import language

    language._ticket_models.clear()
    got = (await tools.call(tenant, "tickets.classify", {"text": "发票金额开错了，麻烦重新开一张"}))["output"]
    assert got["category"] == "账单" and got["trained_on"] == 12
    got = (await tools.call(tenant, "tickets.classify", {"text": "页面报错打不开"}))["output"]
    assert got["category"] == "故障"


async def test_translation_needs_an_llm(tenant, tools):
    out = await tools.call(tenant, "language.translate", {"text": "你好", "target": "en"}, ok=False)
    assert out["error"]["code"] == "unavailable" and "LLM" in out["error"]["message"]


async def test_knowledge_tools_cite_only_documents_the_caller_may_read(client, tenant, tools):
    r = await client.post("/api/v1/knowledge/bases", json={"name": "产品手册"}, headers=tenant.headers())
    kb_id = r.json()["id"]
    docs = {
        "保修政策.md": ("# 保修政策\n\n所有硬件产品提供三年免费保修，保修期内免费更换故障部件。", None),
        "内部定价.md": ("# 内部定价\n\n旗舰版的最低折扣为七折，需要销售总监审批。",
                        {"visibility": "restricted", "user_ids": []}),
    }
    for name, (content, perms) in docs.items():
        form = {"permissions": json.dumps(perms)} if perms else {}
        r = await client.post(f"/api/v1/knowledge/bases/{kb_id}/documents", files={"file": (name, content.encode())},
                              data=form, headers=tenant.headers())
        assert r.status_code == 202, r.text
        await execute_job(tenant.db, uuid.UUID(r.json()["job_id"]))
    _, rep = await tenant.add_user("rep", roles=("销售代表",))
    bases = (await tools.call(tenant, "knowledge.list_bases", {}, token=rep))["output"]["bases"]
    assert [(b["name"], b["document_count"]) for b in bases] == [("产品手册", 1)]
    hits = (await tools.call(tenant, "knowledge.search", {"query": "硬件保修多久"}, token=rep))["output"]["hits"]
    assert hits and hits[0]["document_title"] == "保修政策"
    hidden = (await tools.call(tenant, "knowledge.search", {"query": "旗舰版最低折扣", "kb_ids": [kb_id]}, token=rep))["output"]
    assert all(h["document_title"] != "内部定价" for h in hidden["hits"])
    answer = (await tools.call(tenant, "knowledge.ask", {"question": "硬件产品保修几年？"}, token=rep))["output"]
    assert answer["grounded"] and "三年" in answer["answer"] and answer["citations"][0]["document_title"] == "保修政策"
    admin = (await tools.call(tenant, "knowledge.ask", {"question": "旗舰版最低折扣是多少？"}))["output"]
    assert "七折" in admin["answer"]


async def test_draft_email_fills_the_template_from_the_record(client, tenant, tools):
    acct = (await tools.call(tenant, "accounts.create", {"name": "青松科技"}))["output"]
    contact = (await tools.call(tenant, "contacts.create", {"name": "王芳", "account_id": acct["id"], "email": "wang.fang@qingsong.cn"}))["output"]
    opp = (await tools.call(tenant, "opportunities.create", {
        "name": "CRM 升级项目", "account_id": acct["id"], "contact_id": contact["id"], "amount": 350000,
        "next_step": "安排产品演示", "close_date": "2026-12-20"}))["output"]
    out = (await tools.call(tenant, "communication.draft_email", {"entity": "opportunities", "record_id": opp["id"],
                                                                  "purpose": "follow_up", "points": "附上最新案例"}))["output"]
    assert out["to"] == "wang.fang@qingsong.cn" and out["mode"] == "template"
    assert out["subject"] == "关于CRM 升级项目的跟进"
    for fact in ("王芳您好", "青松科技", "35.00 万元", "安排产品演示", "2026-12-20", "附上最新案例", "Admin"):
        assert fact in out["body"], fact
    en = (await tools.call(tenant, "communication.draft_email", {"entity": "contacts", "record_id": contact["id"],
                                                                 "purpose": "meeting_request", "language": "en"}))["output"]
    assert en["body"].startswith("Dear 王芳,") and "{" not in en["body"]
    # the caller's permissions decide what the draft may use
    _, rep = await tenant.add_user("rep", roles=("销售代表",))
    refused = await tools.call(tenant, "communication.draft_email", {"entity": "opportunities", "record_id": opp["id"]},
                               token=rep, ok=False)
    assert refused["error"]["code"] == "record_not_found"


async def test_notify_user_reaches_the_users_inbox(client, tenant, tools):
    user, token = await tenant.add_user("rep", roles=("销售代表",))
    out = (await tools.call(tenant, "communication.notify_user", {"user_id": str(user.id), "title": "请跟进青松科技",
                                                                  "body": "客户已回复", "link": "/accounts"}))["output"]
    async with tenant.db.unit_of_work(Actor.system(tenant.id), write=False) as s:
        row = (await s.execute(select(Notification.user_id, Notification.title, Notification.kind)
                                .where(Notification.id == uuid.UUID(out["notification_id"])))).one()
    assert row.user_id == user.id and row.title == "请跟进青松科技" and row.kind == "agent"
    bad = await tools.call(tenant, "communication.notify_user", {"user_id": str(user.id), "title": "x", "link": "http://evil"}, ok=False)
    assert bad["error"]["code"] == "invalid_link"
