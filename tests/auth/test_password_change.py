"""Changing the password: the policy applies and other sessions end."""

from __future__ import annotations

PASSWORD = "/api/v1/auth/password"
ME = "/api/v1/auth/me"


async def test_weak_new_password_is_refused_with_reasons(client, tenant, add_member, sign_in):
    member = await add_member(tenant)
    token = (await sign_in(member)).json()["access_token"]
    r = await client.post(
        PASSWORD, json={"current_password": member.password, "new_password": "short"}, headers=tenant.headers(token)
    )
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["code"] == "weak_password"
    assert {d["code"] for d in error["details"]} >= {"too_short", "need_digit"}

    r = await client.post(
        PASSWORD,
        json={"current_password": member.password, "new_password": member.password},
        headers=tenant.headers(token),
    )
    assert r.status_code == 422 and r.json()["error"]["code"] == "weak_password"


async def test_tenant_policy_is_applied(client, tenant, add_member, sign_in, edit_row):
    from lingxi.tenancy.models import Tenant

    await edit_row(Tenant, tenant.id, settings={"password_policy": {"require_symbol": True, "require_upper": True}})
    member = await add_member(tenant)
    token = (await sign_in(member)).json()["access_token"]
    r = await client.post(
        PASSWORD,
        json={"current_password": member.password, "new_password": "longenough123"},
        headers=tenant.headers(token),
    )
    assert {d["code"] for d in r.json()["error"]["details"]} == {"need_upper", "need_symbol"}


async def test_wrong_current_password_is_refused(client, tenant, add_member, sign_in):
    member = await add_member(tenant)
    token = (await sign_in(member)).json()["access_token"]
    r = await client.post(
        PASSWORD,
        json={"current_password": "Wrong-password-1", "new_password": "Brand-new-pass-77"},
        headers=tenant.headers(token),
    )
    assert r.status_code == 403 and r.json()["error"]["code"] == "invalid_password"
    assert (await client.get(ME, headers=tenant.headers(token))).status_code == 200


async def test_changing_the_password_signs_out_other_sessions(client, tenant, add_member, sign_in):
    member = await add_member(tenant)
    here = (await sign_in(member)).json()["access_token"]
    elsewhere = (await sign_in(member)).json()["access_token"]
    assert (await client.get(ME, headers=tenant.headers(elsewhere))).status_code == 200  # now cached

    new = "Brand-new-pass-77"
    r = await client.post(
        PASSWORD, json={"current_password": member.password, "new_password": new}, headers=tenant.headers(here)
    )
    assert r.status_code == 204, r.text

    assert (await client.get(ME, headers=tenant.headers(here))).status_code == 200
    r = await client.get(ME, headers=tenant.headers(elsewhere))
    assert r.status_code == 401 and r.json()["error"]["code"] == "session_invalid"
    assert (await sign_in(member)).json()["error"]["code"] == "invalid_credentials"
    assert (await sign_in(member, password=new)).status_code == 200
