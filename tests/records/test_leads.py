"""Lead conversion creates account, contact and opportunity together, or nothing at all."""


async def test_convert_lead(client, tenant):
    h = tenant.headers()
    lead = (await client.post("/api/v1/leads", json={"name": "陈杰", "company": "云帆信息技术有限公司", "email": "chen@yunfan.cn", "city": "杭州"}, headers=h)).json()
    r = await client.post(f"/api/v1/leads/{lead['id']}/convert", json={"amount": 120000, "close_date": "2026-12-31"}, headers=h)
    assert r.status_code == 200, r.text
    out = r.json()
    acc = (await client.get(f"/api/v1/accounts/{out['account_id']}", headers=h)).json()
    assert acc["name"] == "云帆信息技术有限公司"
    contact = (await client.get(f"/api/v1/contacts/{out['contact_id']}", headers=h)).json()
    assert contact["account_id"] == out["account_id"] and contact["email"] == "chen@yunfan.cn"
    opp = (await client.get(f"/api/v1/opportunities/{out['opportunity_id']}", headers=h)).json()
    assert opp["amount"] == 120000.0 and opp["stage_id"] is not None and opp["probability"] == 10.0
    lead = (await client.get(f"/api/v1/leads/{lead['id']}", headers=h)).json()
    assert lead["status"] == "converted" and lead["converted_opportunity_id"] == out["opportunity_id"]
    r = await client.post(f"/api/v1/leads/{lead['id']}/convert", json={}, headers=h)
    assert r.status_code == 409


async def test_conversion_is_all_or_nothing(client, tenant):
    h = tenant.headers()
    # The lead's email is valid for a lead but the opportunity step fails (name too long) after the
    # account and contact were created: nothing may remain.
    lead = (await client.post("/api/v1/leads", json={"name": "Rollback Person", "company": "Rollback Co"}, headers=h)).json()
    r = await client.post(f"/api/v1/leads/{lead['id']}/convert", json={"opportunity_name": "x" * 200 + "y", "amount": 1}, headers=h)
    assert r.status_code == 422, r.text
    accounts = (await client.get("/api/v1/accounts", params={"filter": '{"name": "Rollback Co"}'}, headers=h)).json()["data"]
    contacts = (await client.get("/api/v1/contacts", params={"filter": '{"name": "Rollback Person"}'}, headers=h)).json()["data"]
    assert accounts == [] and contacts == []
    lead = (await client.get(f"/api/v1/leads/{lead['id']}", headers=h)).json()
    assert lead["status"] == "new" and lead["converted_account_id"] is None
