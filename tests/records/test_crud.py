"""Create, read, update, delete and restore through the REST API, with validation and versions."""


async def test_account_lifecycle(client, tenant):
    h = tenant.headers()
    r = await client.post("/api/v1/accounts", json={"name": "华鼎科技（上海）有限公司", "industry": "制造业", "city": "上海"}, headers=h)
    assert r.status_code == 201, r.text
    acc = r.json()
    assert acc["normalized_name"] == "华鼎科技上海"
    assert acc["owner_id"] == str(tenant.admin.id)
    assert acc["version"] == 1

    r = await client.patch(f"/api/v1/accounts/{acc['id']}", json={"rating": "A", "version": 1}, headers=h)
    assert r.status_code == 200, r.text
    assert r.json()["rating"] == "A" and r.json()["version"] == 2

    r = await client.get(f"/api/v1/accounts/{acc['id']}", headers=h)
    assert r.json()["rating"] == "A"

    r = await client.delete(f"/api/v1/accounts/{acc['id']}", headers=h)
    assert r.status_code == 204
    assert (await client.get(f"/api/v1/accounts/{acc['id']}", headers=h)).status_code == 404
    r = await client.get("/api/v1/accounts", params={"deleted": "true"}, headers=h)
    assert [a["id"] for a in r.json()["data"]] == [acc["id"]]
    r = await client.post(f"/api/v1/accounts/{acc['id']}/restore", headers=h)
    assert r.status_code == 200, r.text
    assert (await client.get(f"/api/v1/accounts/{acc['id']}", headers=h)).status_code == 200


async def test_stale_update_gets_409_and_changes_nothing(client, tenant):
    h = tenant.headers()
    acc = (await client.post("/api/v1/accounts", json={"name": "Acme"}, headers=h)).json()
    assert (await client.patch(f"/api/v1/accounts/{acc['id']}", json={"city": "北京", "version": 1}, headers=h)).status_code == 200
    r = await client.patch(f"/api/v1/accounts/{acc['id']}", json={"city": "深圳", "version": 1}, headers=h)
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "version_conflict"
    r = await client.patch(f"/api/v1/accounts/{acc['id']}", json={"city": "深圳"}, headers={**h, "If-Match": '"1"'})
    assert r.status_code == 409
    assert (await client.get(f"/api/v1/accounts/{acc['id']}", headers=h)).json()["city"] == "北京"


async def test_validation_errors_name_each_field(client, tenant):
    h = tenant.headers()
    r = await client.post("/api/v1/contacts", json={"email": "not-an-email", "lead_source": "nowhere", "birthday": "yesterday"}, headers=h)
    assert r.status_code == 422
    body = r.json()["error"]
    assert body["code"] == "validation_error"
    fields = {d["field"] for d in body["details"]}
    assert {"email", "lead_source", "birthday", "name"} <= fields
    r = await client.post("/api/v1/contacts", json={"name": "x", "no_such_field": 1}, headers=h)
    assert r.status_code == 422 and r.json()["error"]["details"][0]["code"] == "unknown_field"
    r = await client.post("/api/v1/contacts", json={"name": "x", "account_id": "00000000-0000-0000-0000-000000000001"}, headers=h)
    assert r.status_code == 422 and r.json()["error"]["details"][0]["code"] == "reference_not_found"


async def test_list_filter_sort_cursor_and_fields(client, tenant):
    h = tenant.headers()
    for i in range(7):
        r = await client.post("/api/v1/opportunities", json={"name": f"Deal {i}", "amount": 1000 * i}, headers=h)
        assert r.status_code == 201, r.text
    r = await client.get("/api/v1/opportunities", params={"filter": '{"amount": {"gte": 3000}}', "sort": "-amount", "limit": 2, "fields": "name,amount"}, headers=h)
    assert r.status_code == 200, r.text
    page = r.json()
    assert [d["amount"] for d in page["data"]] == [6000.0, 5000.0]
    assert set(page["data"][0]) == {"id", "name", "amount"}
    seen = [d["amount"] for d in page["data"]]
    while page["next_cursor"]:
        page = (await client.get("/api/v1/opportunities", params={"filter": '{"amount": {"gte": 3000}}', "sort": "-amount", "limit": 2, "cursor": page["next_cursor"]}, headers=h)).json()
        seen += [d["amount"] for d in page["data"]]
    assert seen == [6000.0, 5000.0, 4000.0, 3000.0]
    r = await client.get("/api/v1/opportunities", params={"filter[name][contains]": "deal 1"}, headers=h)
    assert [d["name"] for d in r.json()["data"]] == ["Deal 1"]
    r = await client.get("/api/v1/opportunities", params={"filter": '{"amount": {"between": [1000, 2000]}}', "sort": "amount"}, headers=h)
    assert [d["amount"] for d in r.json()["data"]] == [1000.0, 2000.0]
    r = await client.get("/api/v1/opportunities", params={"filter": '{"secret": {"eq": 1}}'}, headers=h)
    assert r.status_code == 422
    r = await client.get("/api/v1/opportunities", params={"sort": "name; drop table x"}, headers=h)
    assert r.status_code == 422
