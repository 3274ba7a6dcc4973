"""TOTP two-factor authentication with single-use recovery codes."""

from __future__ import annotations

import time

import pyotp

from lingxi.org.models import User

SETUP = "/api/v1/auth/2fa/setup"
ENABLE = "/api/v1/auth/2fa/enable"


def _wrong_code(secret: str) -> str:
    """A six-digit code that is not valid in the current window."""
    totp = pyotp.TOTP(secret)
    valid = {totp.at(time.time() + step * 30) for step in (-2, -1, 0, 1, 2)}
    return next(c for c in ("000000", "111111", "222222", "333333", "444444", "555555") if c not in valid)


async def _turn_on(client, tenant, member, sign_in) -> tuple[str, str, list[str]]:
    """Sign in, set up and enable 2FA; returns the session token, the secret and the recovery codes."""
    token = (await sign_in(member)).json()["access_token"]
    setup = await client.post(SETUP, headers=tenant.headers(token))
    assert setup.status_code == 200, setup.text
    secret = setup.json()["secret"]
    r = await client.post(ENABLE, json={"otp": pyotp.TOTP(secret).now()}, headers=tenant.headers(token))
    assert r.status_code == 200, r.text
    return token, secret, r.json()["recovery_codes"]


async def test_setup_gives_a_secret_and_changes_nothing_until_enabled(client, tenant, add_member, sign_in):
    member = await add_member(tenant)
    token = (await sign_in(member)).json()["access_token"]
    r = await client.post(SETUP, headers=tenant.headers(token))
    assert r.status_code == 200
    secret, uri = r.json()["secret"], r.json()["otpauth_uri"]
    assert uri.startswith("otpauth://totp/") and f"secret={secret}" in uri and "Lingxi" in uri
    assert (await sign_in(member)).status_code == 200  # no code needed yet

    wrong = await client.post(ENABLE, json={"otp": _wrong_code(secret)}, headers=tenant.headers(token))
    assert wrong.status_code == 403 and wrong.json()["error"]["code"] == "invalid_otp"


async def test_login_with_two_factor(client, tenant, add_member, sign_in, load_row):
    member = await add_member(tenant)
    token, secret, codes = await _turn_on(client, tenant, member, sign_in)
    assert len(codes) == 10 and len(set(codes)) == 10
    stored = (await load_row(User, member.id)).recovery_codes
    assert len(stored) == 10 and not set(codes) & set(stored)  # only hashes are kept
    me = await client.get("/api/v1/auth/me", headers=tenant.headers(token))
    assert me.json()["user"]["totp_enabled"] is True

    r = await sign_in(member)
    assert r.status_code == 401 and r.json()["error"]["code"] == "otp_required"
    r = await sign_in(member, otp=_wrong_code(secret))
    assert r.status_code == 401 and r.json()["error"]["code"] == "invalid_otp"
    r = await sign_in(member, otp=pyotp.TOTP(secret).now())
    assert r.status_code == 200, r.text

    r = await sign_in(member, otp=codes[0])
    assert r.status_code == 200, r.text
    assert len((await load_row(User, member.id)).recovery_codes) == 9
    again = await sign_in(member, otp=codes[0])
    assert again.status_code == 401 and again.json()["error"]["code"] == "invalid_otp"
    assert (await sign_in(member, otp=codes[1].upper().replace("-", " "))).status_code == 200


async def test_wrong_password_with_two_factor_still_says_invalid_credentials(client, tenant, add_member, sign_in):
    member = await add_member(tenant)
    _, secret, _ = await _turn_on(client, tenant, member, sign_in)
    r = await sign_in(member, password="Wrong-password-1", otp=pyotp.TOTP(secret).now())
    assert r.json()["error"]["code"] == "invalid_credentials"


async def test_wrong_codes_count_towards_the_lockout(client, tenant, add_member, sign_in):
    member = await add_member(tenant)
    _, secret, _ = await _turn_on(client, tenant, member, sign_in)
    for _ in range(5):
        assert (await sign_in(member, otp="not-a-code")).json()["error"]["code"] == "invalid_otp"
    r = await sign_in(member, otp=pyotp.TOTP(secret).now())
    assert r.status_code == 423 and r.json()["error"]["code"] == "account_locked"


async def test_regenerated_recovery_codes_replace_the_old_ones(client, tenant, add_member, sign_in):
    member = await add_member(tenant)
    token, secret, old = await _turn_on(client, tenant, member, sign_in)
    r = await client.post(
        "/api/v1/auth/2fa/recovery-codes", json={"otp": _wrong_code(secret)}, headers=tenant.headers(token)
    )
    assert r.status_code == 403 and r.json()["error"]["code"] == "invalid_otp"
    r = await client.post(
        "/api/v1/auth/2fa/recovery-codes", json={"otp": pyotp.TOTP(secret).now()}, headers=tenant.headers(token)
    )
    assert r.status_code == 200
    new = r.json()["recovery_codes"]
    assert len(new) == 10 and not set(new) & set(old)
    assert (await sign_in(member, otp=old[0])).json()["error"]["code"] == "invalid_otp"
    assert (await sign_in(member, otp=new[0])).status_code == 200


async def test_disable_needs_password_and_code(client, tenant, add_member, sign_in, load_row):
    member = await add_member(tenant)
    token, secret, codes = await _turn_on(client, tenant, member, sign_in)
    assert (await client.post(SETUP, headers=tenant.headers(token))).json()["error"]["code"] == "2fa_already_enabled"

    disable = "/api/v1/auth/2fa/disable"
    r = await client.post(
        disable, json={"password": "Wrong-password-1", "otp": pyotp.TOTP(secret).now()}, headers=tenant.headers(token)
    )
    assert r.status_code == 403 and r.json()["error"]["code"] == "invalid_password"
    r = await client.post(
        disable, json={"password": member.password, "otp": _wrong_code(secret)}, headers=tenant.headers(token)
    )
    assert r.status_code == 403 and r.json()["error"]["code"] == "invalid_otp"
    r = await client.post(disable, json={"password": member.password, "otp": codes[3]}, headers=tenant.headers(token))
    assert r.status_code == 204

    user = await load_row(User, member.id)
    assert not user.totp_enabled and user.totp_secret is None and user.recovery_codes == []
    assert (await sign_in(member)).status_code == 200
