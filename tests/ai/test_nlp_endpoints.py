"""Intent, sentiment and extraction through the API, as a user would notice them."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.asyncio


async def test_intent_answers_with_the_ten_labels(client, tenant):
    r = await client.post("/api/v1/ai/intent", json={"text": "帮我查一下上个月华东区的销售额"}, headers=tenant.headers())
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["intent"] == "query_data"
    assert 0 < body["confidence"] <= 1
    labels = {body["intent"], *(a["intent"] for a in body["alternatives"])}
    assert labels == {
        "query_data", "analyze_data", "seek_advice", "resolve_problem", "create_record",
        "update_record", "search_knowledge", "generate_content", "schedule_task", "other",
    }


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("为什么这个季度的赢单率掉了这么多", "analyze_data"),
        ("remind me to call Acme next Tuesday", "schedule_task"),
        ("帮我写一封跟进邮件给张总", "generate_content"),
        ("the export keeps failing with an error", "resolve_problem"),
        ("你好", "other"),
    ],
)
async def test_intent_in_chinese_and_english(client, tenant, text, intent):
    r = await client.post("/api/v1/ai/intent", json={"text": text}, headers=tenant.headers())
    assert r.json()["intent"] == intent


async def test_tenant_examples_change_that_tenant_only(client, tenant, other_tenant):
    text = "开一下蓝鲸看板"
    before = (await client.post("/api/v1/ai/intent", json={"text": text}, headers=tenant.headers())).json()["intent"]
    target = "analyze_data" if before != "analyze_data" else "query_data"
    r = await client.post("/api/v1/ai/intent/examples", json={"text": text, "intent": target}, headers=tenant.headers())
    assert r.status_code == 201, r.text
    mine = (await client.post("/api/v1/ai/intent", json={"text": text}, headers=tenant.headers())).json()
    theirs = (await client.post("/api/v1/ai/intent", json={"text": text}, headers=other_tenant.headers())).json()
    assert mine["intent"] == target
    assert theirs["intent"] == before

    listed = (await client.get("/api/v1/ai/intent/examples", headers=tenant.headers())).json()
    assert [e["text"] for e in listed["items"]] == [text]
    assert (await client.get("/api/v1/ai/intent/examples", headers=other_tenant.headers())).json()["total"] == 0

    r = await client.delete(f"/api/v1/ai/intent/examples/{listed['items'][0]['id']}", headers=other_tenant.headers())
    assert r.status_code == 404
    r = await client.delete(f"/api/v1/ai/intent/examples/{listed['items'][0]['id']}", headers=tenant.headers())
    assert r.status_code == 204
    again = (await client.post("/api/v1/ai/intent", json={"text": text}, headers=tenant.headers())).json()
    assert again["intent"] == before


async def test_an_example_written_by_another_process_acts_within_the_cache_ttl(client, tenant, monkeypatch):
    """The endpoint keeps a tenant's examples in memory; a row another API process wrote is picked up once the
    entry expires (here shortened from 5 s), without a restart."""
    import asyncio

    from lingxi.ai.nlp import service
    from lingxi.ai.nlp.models import IntentExample

    monkeypatch.setattr(service, "EXAMPLES_TTL_S", 0.3)
    text = "把蓝鲸大屏点亮"
    before = (await client.post("/api/v1/ai/intent", json={"text": text}, headers=tenant.headers())).json()["intent"]
    target = "query_data" if before != "query_data" else "analyze_data"
    async with tenant.db.unit_of_work(tenant.actor()) as s:  # as another process would: not through the service
        s.add(IntentExample(text=text, intent=target, source="example"))
    await asyncio.sleep(0.35)
    after = (await client.post("/api/v1/ai/intent", json={"text": text}, headers=tenant.headers())).json()["intent"]
    assert after == target


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # words the training corpus never saw, understood through the sentence encoder
        ("Z9000的额定功率是多少瓦", "search_knowledge"),
        ("can you tell me what the max payload of the K2 drone is per the datasheet", "search_knowledge"),
        ("客户那边反映小程序下单后一直没扣款成功", "resolve_problem"),
        ("给老客户写一段双十一的回馈活动推送", "generate_content"),
    ],
)
async def test_intent_generalises_to_unseen_words(client, tenant, text, intent):
    r = await client.post("/api/v1/ai/intent", json={"text": text}, headers=tenant.headers())
    assert r.json()["intent"] == intent


async def test_feedback_corrects_the_next_answer(client, tenant):
    _, token = await tenant.add_user("rep")
    text = "康康华鼎那边的情况"
    r = await client.post(
        "/api/v1/ai/intent/feedback", json={"text": text, "intent": "query_data", "predicted": "other"},
        headers=tenant.headers(token),
    )
    assert r.status_code == 201, r.text
    assert r.json()["source"] == "feedback"
    r = await client.post("/api/v1/ai/intent", json={"text": text}, headers=tenant.headers(token))
    assert r.json()["intent"] == "query_data"


async def test_only_admins_add_examples(client, tenant):
    _, token = await tenant.add_user("rep2")
    r = await client.post(
        "/api/v1/ai/intent/examples", json={"text": "看板", "intent": "query_data"}, headers=tenant.headers(token)
    )
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "admin_required"


async def test_retrain_is_a_job(client, tenant):
    await client.post("/api/v1/ai/intent/examples", json={"text": "开一下鲸鱼大屏", "intent": "query_data"},
                      headers=tenant.headers())
    r = await client.post("/api/v1/ai/intent/retrain", headers=tenant.headers())
    assert r.status_code == 202, r.text
    assert r.json()["status"] == "queued"


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("你们的售后太差了，问题拖了一个礼拜都没人管", "negative"),
        ("不太满意，和宣传的差很多", "negative"),
        ("谢谢您的回复，不过问题还是没有解决", "negative"),
        ("请问发票什么时候能开出来？", "neutral"),
        ("工程师很专业，半小时就修好了，点赞", "positive"),
        ("The onboarding was smooth, thanks a lot!", "positive"),
    ],
)
async def test_sentiment_reads_business_text(client, tenant, text, label):
    r = await client.post("/api/v1/ai/sentiment", json={"text": text}, headers=tenant.headers())
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["label"] == label
    assert -1 <= body["score"] <= 1
    if label == "negative":
        assert body["score"] < 0


async def test_extract_fields(client, tenant):
    text = "今天拜访了华鼎科技的张伟，采购总监，电话13812345678，预算五十万，要20台智能门锁X2，下周三安排演示"
    r = await client.post(
        "/api/v1/ai/extract", json={"text": text, "reference_date": "2025-03-12"}, headers=tenant.headers()
    )
    assert r.status_code == 200, r.text
    f = r.json()["fields"]
    assert f["company_name"] == "华鼎科技"
    assert f["contact_name"] == "张伟"
    assert f["contact_title"] == "采购总监"
    assert f["phone"] == "13812345678"
    assert f["amount"] == 500000 and f["currency"] == "CNY"
    assert f["quantity"] == 20
    assert f["next_step_date"] == "2025-03-19"
    assert f["email"] is None


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/ai/intent", {"text": ""}),
        ("/api/v1/ai/intent", {"text": "   "}),
        ("/api/v1/ai/sentiment", {}),
        ("/api/v1/ai/extract", {"text": "hi", "reference_date": "next week"}),
        ("/api/v1/ai/intent", {"text": "x" * 2001}),
        ("/api/v1/ai/intent/examples", {"text": "看板", "intent": "not_a_label"}),
    ],
)
async def test_bad_input_is_a_typed_422(client, tenant, path, body):
    r = await client.post(path, json=body, headers=tenant.headers())
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["code"] == "validation_error"
    assert error["details"]


@pytest.mark.parametrize("path", ["/api/v1/ai/intent", "/api/v1/ai/sentiment", "/api/v1/ai/extract"])
async def test_authentication_is_required(client, path):
    r = await client.post(path, json={"text": "你好"})
    assert r.status_code == 401
    assert r.json()["error"]["code"]


async def test_extract_knows_the_tenants_products(client, tenant):
    r = await client.post(
        "/api/v1/products", json={"name": "鲸鱼大屏 W9（含安装）", "code": "W9"}, headers=tenant.headers()
    )
    assert r.status_code == 201, r.text
    from lingxi.ai.nlp import service

    service._catalogues.clear()
    r = await client.post(
        "/api/v1/ai/extract", json={"text": "客户对鲸鱼大屏W9很感兴趣，下周三来看样机", "reference_date": "2025-03-12"},
        headers=tenant.headers(),
    )
    assert r.status_code == 200, r.text
    assert r.json()["fields"]["product"] == "鲸鱼大屏W9"
