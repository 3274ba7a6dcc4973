"""GET /api/v1/search."""

from __future__ import annotations

from lingxi.accounts.models import Account
from lingxi.contacts.models import Contact


async def test_search_returns_typed_hits(client, tenant, make) -> None:
    account = await make(tenant, Account, name="华鼎科技有限公司", city="上海")
    r = await client.get("/api/v1/search", params={"q": " 华鼎 "}, headers=tenant.headers())
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["query"] == "华鼎"
    assert body["terms"] == ["华鼎"]
    [hit] = body["hits"]
    assert hit["entity"] == "accounts" and hit["id"] == str(account.id)
    assert hit["title"] == "华鼎科技有限公司"
    assert hit["matched_terms"] == 1 and hit["score"] > 0
    assert hit["fields"] == [{"field": "name", "snippet": "华鼎科技有限公司"}]


async def test_entities_and_limit(client, tenant, make) -> None:
    await make(tenant, Account, name="Nimbus Cloud")
    contact = await make(tenant, Contact, name="Nimbus Wang")
    r = await client.get("/api/v1/search", params={"q": "nimbus", "entities": "contacts"}, headers=tenant.headers())
    assert [h["id"] for h in r.json()["hits"]] == [str(contact.id)]
    r = await client.get("/api/v1/search", params={"q": "nimbus", "limit": 1}, headers=tenant.headers())
    assert len(r.json()["hits"]) == 1


async def test_bad_queries_are_422_with_a_code(client, tenant) -> None:
    cases = [
        ({"q": ""}, "query_empty"),
        ({"q": "   "}, "query_empty"),
        ({}, "query_empty"),
        ({"q": "x" * 201}, "query_too_long"),
        ({"q": "a", "entities": "contacts,nope"}, "unknown_entity"),
        ({"q": "a", "entities": "pipelines"}, "unknown_entity"),  # exists, not searchable
        ({"q": "a", "limit": 0}, "validation_error"),
    ]
    for params, code in cases:
        r = await client.get("/api/v1/search", params=params, headers=tenant.headers())
        assert r.status_code == 422, (params, r.text)
        assert r.json()["error"]["code"] == code, params


async def test_stop_words_only_give_no_hits(client, tenant) -> None:
    r = await client.get("/api/v1/search", params={"q": "的 the"}, headers=tenant.headers())
    assert r.status_code == 200
    assert r.json() == {"query": "的 the", "terms": [], "hits": []}


async def test_needs_authentication(client) -> None:
    r = await client.get("/api/v1/search", params={"q": "x"})
    assert r.status_code == 401


async def test_tenants_and_field_rules_hold_over_http(client, tenant, other_tenant, make) -> None:
    contact = await make(tenant, Contact, name="孙丽", mobile="13912345678")
    await make(other_tenant, Contact, name="孙丽", mobile="13912345678")
    _, agent_token = await tenant.add_user("agent", roles=("客服专员",))
    _, rep_token = await tenant.add_user("rep", roles=("销售代表",))

    r = await client.get("/api/v1/search", params={"q": "13912345678"}, headers=tenant.headers())
    assert [h["id"] for h in r.json()["hits"]] == [str(contact.id)]
    r = await client.get("/api/v1/search", params={"q": "13912345678"}, headers=tenant.headers(agent_token))
    assert r.json()["hits"] == []
    r = await client.get("/api/v1/search", params={"q": "孙丽"}, headers=tenant.headers(agent_token))
    assert [h["id"] for h in r.json()["hits"]] == [str(contact.id)]
    assert "13912345678" not in r.text
    r = await client.get("/api/v1/search", params={"q": "孙丽"}, headers=tenant.headers(rep_token))
    assert r.json()["hits"] == []  # owned by the admin, not shared
    r = await client.get("/api/v1/search", params={"q": "孙丽"}, headers=other_tenant.headers())
    assert str(contact.id) not in r.text


async def test_search_is_in_the_openapi_schema(client) -> None:
    schema = (await client.get("/openapi.json")).json()
    op = schema["paths"]["/api/v1/search"]["get"]
    assert "422" in op["responses"]
    assert op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("SearchResponse")
