"""Metadata through the API: custom field lifecycle, standard-field overrides, field rules in the
field list, layouts and tenant isolation."""

from __future__ import annotations

import json

FIELDS = "/api/v1/meta/entities/accounts/fields"


async def _add_region(client, h, **extra):
    body = {
        "name": "cf_region",
        "type": "picklist",
        "label_zh": "区域",
        "label_en": "Region",
        "options": ["华东", "华北"],
        **extra,
    }
    r = await client.post(FIELDS, json=body, headers=h)
    assert r.status_code == 201, r.text
    return r.json()


async def test_custom_field_lifecycle(client, tenant):
    h = tenant.headers()
    field = await _add_region(client, h)
    assert field["is_custom"] and field["options"] == ["华东", "华北"]
    assert (
        await client.post(
            FIELDS, json={"name": "cf_region", "type": "text", "label_zh": "x", "label_en": "x"}, headers=h
        )
    ).status_code == 409

    for name, region in (("上海客户", "华东"), ("北京客户", "华北"), ("杭州客户", "华东")):
        r = await client.post("/api/v1/accounts", json={"name": name, "cf_region": region}, headers=h)
        assert r.status_code == 201, r.text
        assert r.json()["cf_region"] == region
    r = await client.get(
        "/api/v1/accounts", params={"filter": json.dumps({"cf_region": "华东"}), "sort": "name"}, headers=h
    )
    assert r.status_code == 200, r.text
    assert sorted(a["name"] for a in r.json()["data"]) == ["上海客户", "杭州客户"]
    r = await client.get("/api/v1/accounts", params={"sort": "-cf_region,name"}, headers=h)
    assert [a["cf_region"] for a in r.json()["data"]] == ["华北", "华东", "华东"]
    r = await client.post("/api/v1/accounts", json={"name": "x", "cf_region": "火星"}, headers=h)
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "cf_region"

    r = await client.patch(
        f"{FIELDS}/cf_region", json={"required": True, "options": ["华东", "华北", "华南"]}, headers=h
    )
    assert r.status_code == 200, r.text
    r = await client.post("/api/v1/accounts", json={"name": "无区域"}, headers=h)
    assert r.status_code == 422
    assert {"field": "cf_region", "code": "required"}.items() <= r.json()["error"]["details"][0].items()
    assert (
        await client.post("/api/v1/accounts", json={"name": "广州", "cf_region": "华南"}, headers=h)
    ).status_code == 201

    assert (await client.delete(f"{FIELDS}/cf_region", headers=h)).status_code == 204
    names = [f["name"] for f in (await client.get(FIELDS, headers=h)).json()]
    assert "cf_region" not in names
    assert (await client.post("/api/v1/accounts", json={"name": "无区域"}, headers=h)).status_code == 201
    assert (
        await client.post("/api/v1/accounts", json={"name": "y", "cf_region": "华东"}, headers=h)
    ).status_code == 422
    r = await client.patch(f"{FIELDS}/cf_region", json={"is_active": True}, headers=h)
    assert r.status_code == 200
    assert "cf_region" in [f["name"] for f in (await client.get(FIELDS, headers=h)).json()]


async def test_custom_field_validation(client, tenant):
    h = tenant.headers()

    async def bad(body: dict, field: str) -> None:
        full = {"label_zh": "字段", "label_en": "Field", **body}
        r = await client.post(FIELDS, json=full, headers=h)
        assert r.status_code == 422, (body, r.text)
        fields = {d.get("field") or (d.get("loc") or [None])[-1] for d in r.json()["error"]["details"]}
        assert field in fields, (body, r.json())

    await bad({"name": "region", "type": "text"}, "name")
    await bad({"name": "cf_Region", "type": "text"}, "name")
    await bad({"name": "cf_x", "type": "colour"}, "type")
    await bad({"name": "cf_x", "type": "picklist"}, "options")
    await bad({"name": "cf_x", "type": "multi_picklist", "options": ["a", "a"]}, "options")
    await bad({"name": "cf_x", "type": "text", "pattern": "([a-z"}, "pattern")
    await bad({"name": "cf_x", "type": "lookup"}, "lookup")
    await bad({"name": "cf_x", "type": "lookup", "lookup": "planets"}, "lookup")
    r = await client.post(
        FIELDS,
        json={"name": "cf_partner", "type": "lookup", "lookup": "accounts", "label_zh": "伙伴", "label_en": "Partner"},
        headers=h,
    )
    assert r.status_code == 201
    r = await client.post(
        FIELDS,
        json={"name": "cf_code", "type": "text", "pattern": "^[A-Z]{3}$", "label_zh": "代码", "label_en": "Code"},
        headers=h,
    )
    assert r.status_code == 201
    assert (await client.post("/api/v1/accounts", json={"name": "a", "cf_code": "abc"}, headers=h)).status_code == 422
    assert (await client.post("/api/v1/accounts", json={"name": "a", "cf_code": "ABC"}, headers=h)).status_code == 201
    assert (
        await client.post(
            "/api/v1/meta/entities/planets/fields",
            json={"name": "cf_x", "type": "text", "label_zh": "x", "label_en": "x"},
            headers=h,
        )
    ).status_code == 404


async def test_standard_field_override(client, tenant):
    h = tenant.headers()
    r = await client.patch(f"{FIELDS}/name", json={"required": False}, headers=h)
    assert r.status_code == 422 and r.json()["error"]["details"][0]["code"] == "required_by_code"
    assert (await client.patch(f"{FIELDS}/created_at", json={"label_en": "x"}, headers=h)).status_code == 422
    assert (await client.patch(f"{FIELDS}/cf_nothing", json={"label_en": "x"}, headers=h)).status_code == 404
    r = await client.patch(f"{FIELDS}/city", json={"label_en": "Town", "required": True}, headers=h)
    assert r.status_code == 200, r.text
    assert r.json()["label_en"] == "Town" and r.json()["required"] and r.json()["type"] == "text"
    r = await client.post("/api/v1/accounts", json={"name": "no city"}, headers=h)
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "city"


async def test_fields_list_honours_field_rules(client, tenant):
    h = tenant.headers()
    await _add_region(client, h)
    r = await client.post(
        "/api/v1/roles",
        json={
            "name": "受限",
            "permissions": {"accounts": {"read": "all"}},
            "field_rules": {"accounts": {"annual_revenue": "hidden", "phone": "masked", "cf_region": "readonly"}},
        },
        headers=h,
    )
    assert r.status_code == 201, r.text
    user, token = await tenant.add_user("limited")
    await client.post(f"/api/v1/users/{user.id}/roles", json={"role_ids": [r.json()["id"]]}, headers=h)
    fields = {f["name"]: f for f in (await client.get(FIELDS, headers=tenant.headers(token))).json()}
    assert "annual_revenue" not in fields
    assert fields["phone"]["masked"] and fields["phone"]["readonly"]
    assert fields["cf_region"]["readonly"] and not fields["cf_region"]["masked"]
    assert not fields["name"]["readonly"]
    admin_fields = {f["name"] for f in (await client.get(FIELDS, headers=h)).json()}
    assert "annual_revenue" in admin_fields
    # No read permission on tickets: no field list either.
    assert (await client.get("/api/v1/meta/entities/tickets/fields", headers=tenant.headers(token))).status_code == 403
    assert (
        await client.post(
            FIELDS,
            json={"name": "cf_y", "type": "text", "label_zh": "y", "label_en": "y"},
            headers=tenant.headers(token),
        )
    ).status_code == 403

    entities = {e["name"]: e for e in (await client.get("/api/v1/meta/entities", headers=tenant.headers(token))).json()}
    assert (
        entities["accounts"]["permissions"]["read"] == "all" and entities["accounts"]["permissions"]["create"] == "none"
    )
    schema = (await client.get("/api/v1/meta/permissions-schema", headers=h)).json()
    assert "read" in schema["actions"] and "department" in schema["scopes"]
    assert {e["name"] for e in schema["entities"]} >= {"accounts", "contacts", "tickets"}


async def test_layouts(client, tenant):
    h = tenant.headers()
    url = "/api/v1/meta/entities/accounts/layouts/default"
    r = await client.get(url, headers=h)
    assert r.status_code == 200 and r.json()["is_default"]
    await _add_region(client, h)
    layout = {
        "sections": [{"title_zh": "基本", "title_en": "Basics", "columns": 2, "fields": ["name", "cf_region", "city"]}],
        "related": ["contacts", "activities"],
        "list_columns": ["name", "cf_region"],
    }
    r = await client.put(url, json=layout, headers=h)
    assert r.status_code == 200, r.text
    assert r.json()["sections"][0]["fields"] == ["name", "cf_region", "city"] and not r.json()["is_default"]
    bad = {
        **layout,
        "sections": [{"fields": ["name", "nope", "name"]}],
        "related": ["planets"],
        "list_columns": ["zzz"],
    }
    r = await client.put(url, json=bad, headers=h)
    assert r.status_code == 422
    codes = {d["code"] for d in r.json()["error"]["details"]}
    assert codes == {"unknown_field", "duplicate", "unknown_related"}
    _, token = await tenant.add_user("rep", roles=("客服专员",))
    r = await client.put(url, json=layout, headers=tenant.headers(token))
    assert r.status_code == 403


async def test_other_tenants_fields_are_invisible_and_untouchable(client, tenant, other_tenant):
    await _add_region(client, other_tenant.headers())
    h = tenant.headers()
    assert "cf_region" not in [f["name"] for f in (await client.get(FIELDS, headers=h)).json()]
    assert (await client.patch(f"{FIELDS}/cf_region", json={"label_en": "Mine"}, headers=h)).status_code == 404
    assert (await client.delete(f"{FIELDS}/cf_region", headers=h)).status_code == 404
    assert (
        await client.post("/api/v1/accounts", json={"name": "a", "cf_region": "华东"}, headers=h)
    ).status_code == 422
    # Our own cf_region is independent of theirs.
    await _add_region(client, h)
    assert (await client.delete(f"{FIELDS}/cf_region", headers=h)).status_code == 204
    theirs = [f["name"] for f in (await client.get(FIELDS, headers=other_tenant.headers())).json()]
    assert "cf_region" in theirs
