"""GET /api/v1/jobs and /api/v1/jobs/{id}: own jobs for users, all for admins, 404 otherwise."""

from __future__ import annotations

import uuid

from jobkit import cancel

from lingxi.authz.service import load_actor
from lingxi.jobs.service import enqueue_job
from lingxi.tenancy.context import Actor


async def enqueue_as(kit, user, kind: str = "test.echo", **params):
    async with kit.db.unit_of_work(Actor.system(kit.id)) as s:
        actor = await load_actor(s, user)
    async with kit.db.unit_of_work(actor) as s:
        return await enqueue_job(s, actor, kind, params=params)


async def test_users_see_their_own_jobs_admins_see_all(client, tenant, recording_queue):
    alice, alice_token = await tenant.add_user("alice", roles=("销售代表",))
    bob, bob_token = await tenant.add_user("bob", roles=("销售代表",))
    a1 = await enqueue_as(tenant, alice, n=1)
    a2 = await enqueue_as(tenant, alice, n=2)
    b1 = await enqueue_as(tenant, bob, n=3)
    try:
        r = await client.get(f"/api/v1/jobs/{a1.id}", headers=tenant.headers(alice_token))
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["id"] == str(a1.id) and body["status"] == "queued" and body["params"] == {"n": 1}
        assert body["progress"] == 0 and body["result"] == {} and body["error"] is None

        r = await client.get(f"/api/v1/jobs/{a1.id}", headers=tenant.headers(bob_token))
        assert r.status_code == 404 and r.json()["error"]["code"] == "job_not_found"
        assert (await client.get(f"/api/v1/jobs/{a1.id}", headers=tenant.headers())).status_code == 200

        r = await client.get("/api/v1/jobs", headers=tenant.headers(alice_token))
        assert [j["id"] for j in r.json()["items"]] == [str(a2.id), str(a1.id)]
        r = await client.get("/api/v1/jobs", headers=tenant.headers(bob_token))
        assert [j["id"] for j in r.json()["items"]] == [str(b1.id)]
        r = await client.get("/api/v1/jobs", params={"kind": "test.echo"}, headers=tenant.headers())
        assert {str(a1.id), str(a2.id), str(b1.id)} <= {j["id"] for j in r.json()["items"]}

        pages, cursor, seen = 0, None, []
        while True:
            params = {"limit": 1, "kind": "test.echo", **({"cursor": cursor} if cursor else {})}
            page = (await client.get("/api/v1/jobs", params=params, headers=tenant.headers(alice_token))).json()
            seen += [j["id"] for j in page["items"]]
            pages += 1
            cursor = page["next_cursor"]
            if not cursor:
                break
        assert seen == [str(a2.id), str(a1.id)] and pages == 2
    finally:
        await cancel(tenant.db, a1.id, a2.id, b1.id)


async def test_other_tenants_jobs_are_not_found(client, tenant, other_tenant, recording_queue):
    theirs = await enqueue_as(other_tenant, other_tenant.admin)
    try:
        r = await client.get(f"/api/v1/jobs/{theirs.id}", headers=tenant.headers())
        assert r.status_code == 404
        r = await client.get("/api/v1/jobs", params={"limit": 500}, headers=tenant.headers())
        assert str(theirs.id) not in {j["id"] for j in r.json()["items"]}
    finally:
        await cancel(other_tenant.db, theirs.id)


async def test_job_errors_are_typed(client, tenant):
    r = await client.get(f"/api/v1/jobs/{uuid.uuid4()}", headers=tenant.headers())
    assert r.status_code == 404 and r.json()["error"]["code"] == "job_not_found"
    r = await client.get("/api/v1/jobs", params={"cursor": "%%%"}, headers=tenant.headers())
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_cursor"
    r = await client.get("/api/v1/jobs", params={"status": "exploded"}, headers=tenant.headers())
    assert r.status_code == 422
    assert (await client.get("/api/v1/jobs")).status_code == 401
