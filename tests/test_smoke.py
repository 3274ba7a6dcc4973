async def test_health_and_auth_required(client, tenant):
    r = await client.get("/healthz")
    assert r.status_code == 200
    r = await client.get("/readyz")
    assert r.json() == {"status": "ready"}
