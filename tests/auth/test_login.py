"""Signing in: the token works, wrong passwords fail alike, lockout, several tenants, disabled users."""

from __future__ import annotations

import uuid
from datetime import timedelta

from argon2 import PasswordHasher

from lingxi.auth import login
from lingxi.auth.passwords import verify_password
from lingxi.auth.ratelimit import SlidingWindowLimiter
from lingxi.kit.models import utcnow
from lingxi.org.models import User
from lingxi.tenancy.models import Tenant


async def test_login_returns_a_bearer_token_that_works_on_me(client, tenant, add_member, sign_in, load_row):
    admin = await add_member(tenant, role_names=("管理员",))
    r = await sign_in(admin)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["token_type"] == "bearer"
    assert body["access_token"] and body["csrf_token"] and body["expires_at"]
    assert body["user"] == {
        "id": str(admin.id),
        "name": admin.user.name,
        "email": admin.email,
        "tenant": tenant.slug,
        "tenant_name": tenant.tenant.name,
        "is_admin": True,
    }

    me = await client.get("/api/v1/auth/me", headers=tenant.headers(body["access_token"]))
    assert me.status_code == 200, me.text
    data = me.json()
    assert data["user"]["email"] == admin.email
    assert data["tenant"]["slug"] == tenant.slug
    assert data["is_admin"] is True
    assert "管理员" in data["roles"]
    assert data["auth_method"] == "session"
    assert (await load_row(User, admin.id)).last_login_at is not None


async def test_login_sets_an_httponly_session_cookie_and_a_readable_csrf_cookie(tenant, add_member, sign_in):
    member = await add_member(tenant)
    r = await sign_in(member)
    cookies = {c.split("=", 1)[0]: c.lower() for c in r.headers.get_list("set-cookie")}
    assert "httponly" in cookies["lingxi_session"] and "samesite=lax" in cookies["lingxi_session"]
    assert "httponly" not in cookies["lingxi_csrf"]
    assert r.cookies["lingxi_csrf"] == r.json()["csrf_token"]


async def test_a_sales_rep_is_not_admin_and_sees_their_permissions(client, tenant, add_member, sign_in):
    rep = await add_member(tenant, role_names=("销售代表",))
    token = (await sign_in(rep)).json()["access_token"]
    me = (await client.get("/api/v1/auth/me", headers=tenant.headers(token))).json()
    assert me["is_admin"] is False
    assert me["roles"] == ["销售代表"]
    assert me["permissions"]["accounts"]["read"] == "own"


async def test_wrong_password_and_unknown_email_fail_the_same_way(tenant, add_member, sign_in):
    member = await add_member(tenant)
    wrong = await sign_in(member, password="Not-the-password-1")
    unknown = await sign_in("nobody-here@example.com", password="Whatever-123")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json()["error"]["code"] == unknown.json()["error"]["code"] == "invalid_credentials"
    assert wrong.json()["error"]["message"] == unknown.json()["error"]["message"]


async def test_email_is_matched_case_insensitively(tenant, add_member, sign_in):
    member = await add_member(tenant)
    r = await sign_in(member.email.upper(), password=member.password)
    assert r.status_code == 200, r.text


async def test_account_locks_after_repeated_failures_even_for_the_right_password(tenant, add_member, sign_in, load_row):
    member = await add_member(tenant)
    for _ in range(5):  # the default policy's max_failed_logins
        r = await sign_in(member, password="Wrong-password-1")
        assert r.json()["error"]["code"] == "invalid_credentials"
    r = await sign_in(member)
    assert r.status_code == 423
    error = r.json()["error"]
    assert error["code"] == "account_locked"
    locked_until = (await load_row(User, member.id)).locked_until
    assert error["details"]["locked_until"] == locked_until.isoformat()
    assert timedelta(minutes=14) < locked_until - utcnow() <= timedelta(minutes=15)


async def test_locked_account_opens_again_once_the_lock_expires(tenant, add_member, sign_in, edit_row, load_row):
    member = await add_member(tenant)
    for _ in range(5):
        await sign_in(member, password="Wrong-password-1")
    assert (await sign_in(member)).status_code == 423
    await edit_row(User, member.id, locked_until=utcnow() - timedelta(seconds=1))
    r = await sign_in(member)
    assert r.status_code == 200, r.text
    user = await load_row(User, member.id)
    assert user.locked_until is None and user.failed_logins == 0


async def test_success_resets_the_failure_count_and_the_policy_comes_from_the_tenant(
    tenant, add_member, sign_in, edit_row, load_row
):
    await edit_row(Tenant, tenant.id, settings={"password_policy": {"max_failed_logins": 3, "lockout_minutes": 2}})
    member = await add_member(tenant)
    for _ in range(2):
        await sign_in(member, password="Wrong-password-1")
    assert (await load_row(User, member.id)).failed_logins == 2
    assert (await sign_in(member)).status_code == 200
    assert (await load_row(User, member.id)).failed_logins == 0
    for _ in range(3):
        await sign_in(member, password="Wrong-password-1")
    r = await sign_in(member)
    assert r.json()["error"]["code"] == "account_locked"
    assert (await load_row(User, member.id)).locked_until - utcnow() <= timedelta(minutes=2)


async def test_same_email_in_two_tenants_needs_the_tenant_slug(tenant, other_tenant, add_member, sign_in):
    email = f"shared-{uuid.uuid4().hex[:8]}@example.com"
    await add_member(tenant, email=email)
    await add_member(other_tenant, email=email)
    r = await sign_in(email)
    assert r.status_code == 409
    error = r.json()["error"]
    assert error["code"] == "tenant_required"
    listed = {t["slug"]: t["name"] for t in error["details"]["tenants"]}
    assert listed == {tenant.slug: tenant.tenant.name, other_tenant.slug: other_tenant.tenant.name}

    r = await sign_in(email, tenant=other_tenant.slug)
    assert r.status_code == 200, r.text
    assert r.json()["user"]["tenant"] == other_tenant.slug


async def test_only_tenants_where_the_password_matches_count(tenant, other_tenant, add_member, sign_in):
    email = f"two-passwords-{uuid.uuid4().hex[:8]}@example.com"
    await add_member(tenant, email=email)
    await add_member(other_tenant, email=email, password="Different-password-9")
    r = await sign_in(email, password="Different-password-9")
    assert r.status_code == 200, r.text
    assert r.json()["user"]["tenant"] == other_tenant.slug
    wrong_slug = await sign_in(email, password="Different-password-9", tenant=tenant.slug)
    assert wrong_slug.json()["error"]["code"] == "invalid_credentials"


async def test_disabled_user_is_refused_but_only_told_so_with_the_right_password(tenant, add_member, sign_in, edit_row):
    member = await add_member(tenant)
    await edit_row(User, member.id, is_active=False)
    r = await sign_in(member)
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "account_disabled"
    assert (await sign_in(member, password="Wrong-password-1")).json()["error"]["code"] == "invalid_credentials"


async def test_too_many_failures_from_one_address_are_rate_limited(tenant, add_member, sign_in, monkeypatch):
    monkeypatch.setattr(login, "login_failures", SlidingWindowLimiter(limit=3, window_seconds=60))
    member = await add_member(tenant)
    for n in range(3):
        await sign_in(f"guess-{n}@example.com", password="Guess-password-1")
    r = await sign_in(member)
    assert r.status_code == 429
    assert r.json()["error"]["code"] == "rate_limited"
    assert r.json()["error"]["details"]["retry_after_seconds"] > 0


async def test_an_old_password_hash_is_upgraded_on_login(tenant, add_member, sign_in, edit_row, load_row):
    member = await add_member(tenant)
    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash(member.password)
    await edit_row(User, member.id, password_hash=weak)
    assert (await sign_in(member)).status_code == 200
    upgraded = (await load_row(User, member.id)).password_hash
    assert upgraded != weak and verify_password(upgraded, member.password)


async def test_login_body_is_validated(client):
    r = await client.post("/api/v1/auth/login", json={"email": "a@example.com"})
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "validation_error"


async def test_sign_in_and_failures_are_audited(tenant, add_member, sign_in, monkeypatch):
    seen: list[tuple[str, object]] = []

    def record(session, *, action, tenant_id, actor_id, **kw):
        seen.append((action, actor_id))

    monkeypatch.setattr(login, "record_event", record)
    member = await add_member(tenant)
    await sign_in(member, password="Wrong-password-1")
    await sign_in(member)
    assert seen == [("failed_login", member.id), ("login", member.id)]
