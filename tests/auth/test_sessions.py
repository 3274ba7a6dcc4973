"""Signing out, signing out everywhere, the cookie with its CSRF token, and session timeouts."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from lingxi.auth.models import LoginSession
from lingxi.auth.service import hash_token
from lingxi.kit.models import utcnow
from lingxi.tenancy.context import Actor
from lingxi.tenancy.models import Tenant

ME = "/api/v1/auth/me"


async def _session_id(database, token):
    async with database.unit_of_work(Actor.system(), write=False) as s:
        return await s.scalar(select(LoginSession.id).where(LoginSession.token_hash == hash_token(token)))


async def test_logout_revokes_the_token_at_once(client, tenant, add_member, sign_in):
    member = await add_member(tenant)
    token = (await sign_in(member)).json()["access_token"]
    assert (await client.get(ME, headers=tenant.headers(token))).status_code == 200  # now cached

    r = await client.post("/api/v1/auth/logout", headers=tenant.headers(token))
    assert r.status_code == 204
    assert any(c.startswith("lingxi_session=") and "max-age=0" in c.lower() for c in r.headers.get_list("set-cookie"))

    r = await client.get(ME, headers=tenant.headers(token))
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "session_invalid"


async def test_logout_all_ends_every_session_of_the_user_only(client, tenant, add_member, sign_in):
    member = await add_member(tenant)
    other = await add_member(tenant)
    first = (await sign_in(member)).json()["access_token"]
    second = (await sign_in(member)).json()["access_token"]
    others = (await sign_in(other)).json()["access_token"]
    for token in (first, second, others):
        assert (await client.get(ME, headers=tenant.headers(token))).status_code == 200

    assert (await client.post("/api/v1/auth/logout-all", headers=tenant.headers(second))).status_code == 204

    for token in (first, second):
        r = await client.get(ME, headers=tenant.headers(token))
        assert r.status_code == 401 and r.json()["error"]["code"] == "session_invalid"
    assert (await client.get(ME, headers=tenant.headers(others))).status_code == 200
    assert (await sign_in(member)).status_code == 200


async def test_cookie_session_needs_the_csrf_header_on_unsafe_requests(client, tenant, add_member, sign_in):
    member = await add_member(tenant)
    r = await sign_in(member)
    assert client.cookies.get("lingxi_session")
    assert client.cookies["lingxi_csrf"] == r.json()["csrf_token"]

    me = await client.get(ME)  # cookie only, no bearer header
    assert me.status_code == 200 and me.json()["user"]["email"] == member.email

    r = await client.post("/api/v1/auth/logout")
    assert r.status_code == 403 and r.json()["error"]["code"] == "csrf_failed"
    r = await client.post("/api/v1/auth/logout", headers={"x-csrf-token": "not-the-token"})
    assert r.status_code == 403 and r.json()["error"]["code"] == "csrf_failed"
    assert (await client.get(ME)).status_code == 200  # still signed in

    r = await client.post("/api/v1/auth/logout", headers={"x-csrf-token": client.cookies["lingxi_csrf"]})
    assert r.status_code == 204
    assert not client.cookies.get("lingxi_session")
    assert (await client.get(ME)).status_code == 401


async def test_bearer_requests_need_no_csrf_header(client, tenant, add_member, sign_in):
    member = await add_member(tenant)
    token = (await sign_in(member)).json()["access_token"]
    client.cookies.clear()
    r = await client.post("/api/v1/auth/logout", headers=tenant.headers(token))
    assert r.status_code == 204


async def test_idle_session_times_out_per_tenant_setting(client, database, tenant, add_member, sign_in, edit_row):
    await edit_row(Tenant, tenant.id, settings={"session_idle_minutes": 5})
    member = await add_member(tenant)
    login = (await sign_in(member)).json()
    assert login["idle_timeout_minutes"] == 5
    token = login["access_token"]
    session_id = await _session_id(database, token)

    await edit_row(LoginSession, session_id, last_seen_at=utcnow() - timedelta(minutes=4))
    assert (await client.get(ME, headers=tenant.headers(token))).status_code == 200

    await edit_row(LoginSession, session_id, last_seen_at=utcnow() - timedelta(minutes=6))
    r = await client.get(ME, headers=tenant.headers(token))
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "session_idle_timeout"


async def test_activity_keeps_the_session_alive(client, database, tenant, add_member, sign_in, edit_row, load_row):
    member = await add_member(tenant)
    token = (await sign_in(member)).json()["access_token"]
    session_id = await _session_id(database, token)
    await edit_row(LoginSession, session_id, last_seen_at=utcnow() - timedelta(minutes=30))
    assert (await client.get(ME, headers=tenant.headers(token))).status_code == 200
    assert utcnow() - (await load_row(LoginSession, session_id)).last_seen_at < timedelta(minutes=1)


async def test_session_expires_at_its_absolute_lifetime(client, database, tenant, add_member, sign_in, edit_row):
    member = await add_member(tenant)
    token = (await sign_in(member)).json()["access_token"]
    await edit_row(LoginSession, await _session_id(database, token), expires_at=utcnow() - timedelta(seconds=1))
    r = await client.get(ME, headers=tenant.headers(token))
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "session_expired"


async def test_requests_without_credentials_are_refused(client):
    r = await client.get(ME)
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "not_authenticated"
    r = await client.get(ME, headers={"Authorization": "Bearer made-up"})
    assert r.json()["error"]["code"] == "session_invalid"
