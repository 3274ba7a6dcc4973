"""Personal API tokens: shown once, scoped, revocable, and no way to manage the account."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import pytest
from starlette.requests import Request

from lingxi.auth.models import ApiToken
from lingxi.auth.service import authenticate_request
from lingxi.authz.service import require, scope_of
from lingxi.errors import Forbidden
from lingxi.kit.models import utcnow

TOKENS = "/api/v1/auth/tokens"
ME = "/api/v1/auth/me"


async def _session(tenant, add_member, sign_in, **kw) -> str:
    member = await add_member(tenant, **kw)
    return (await sign_in(member)).json()["access_token"]


async def _new_token(client, tenant, session_token, scopes, **extra) -> dict:
    r = await client.post(TOKENS, json={"name": "ci", "scopes": scopes, **extra}, headers=tenant.headers(session_token))
    assert r.status_code == 201, r.text
    return r.json()


def _request(token: str, method: str = "GET") -> Request:
    return Request(
        {
            "type": "http",
            "method": method,
            "path": "/",
            "query_string": b"",
            "headers": [(b"authorization", f"Bearer {token}".encode())],
            "client": ("10.0.0.1", 1234),
        }
    )


async def test_token_is_shown_once_and_works_as_bearer(client, tenant, add_member, sign_in, load_row):
    session = await _session(tenant, add_member, sign_in)
    created = await _new_token(client, tenant, session, ["read"], expires_in_days=30)
    raw = created["token"]
    assert raw.startswith("lx_pat_") and len(raw) > 40 and raw.startswith(created["prefix"])
    assert created["scopes"] == ["read"]
    assert timedelta(days=29) < _dt(created["expires_at"]) - utcnow() <= timedelta(days=30)
    assert (await load_row(ApiToken, uuid.UUID(created["id"]))).token_hash != raw

    listed = (await client.get(TOKENS, headers=tenant.headers(session))).json()
    assert [t["id"] for t in listed] == [created["id"]]
    assert "token" not in listed[0]

    me = await client.get(ME, headers=tenant.headers(raw))
    assert me.status_code == 200
    assert me.json()["auth_method"] == "token" and me.json()["token_scopes"] == ["read"]
    assert (await load_row(ApiToken, uuid.UUID(created["id"]))).last_used_at is not None


def _dt(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


async def test_read_only_token_may_not_write_records(client, tenant, add_member, sign_in):
    session = await _session(tenant, add_member, sign_in, role_names=("销售经理",))
    read_only = (await _new_token(client, tenant, session, ["read"]))["token"]
    writer = (await _new_token(client, tenant, session, ["read", "write"]))["token"]

    actor = await authenticate_request(_request(read_only))
    assert scope_of(actor, "accounts", "read") == "department"
    with pytest.raises(Forbidden) as refused:
        require(actor, "accounts", "create")
    assert refused.value.code == "permission_denied"
    assert scope_of(actor, "accounts", "export") == "none"

    actor = await authenticate_request(_request(writer))
    assert require(actor, "accounts", "create") == "department"
    assert scope_of(actor, "accounts", "export") == "none"


async def test_read_only_token_gets_403_from_the_records_api(app, client, tenant, add_member, sign_in):
    session = await _session(tenant, add_member, sign_in, role_names=("销售经理",))
    read_only = (await _new_token(client, tenant, session, ["read"]))["token"]
    writer = (await _new_token(client, tenant, session, ["read", "write"]))["token"]
    assert (await client.get("/api/v1/accounts", headers=tenant.headers(read_only))).status_code == 200
    r = await client.post("/api/v1/accounts", json={"name": "只读公司"}, headers=tenant.headers(read_only))
    assert r.status_code == 403, r.text
    r = await client.post("/api/v1/accounts", json={"name": "可写公司"}, headers=tenant.headers(writer))
    assert r.status_code == 201, r.text


async def test_a_token_cannot_manage_the_account(client, tenant, add_member, sign_in):
    session = await _session(tenant, add_member, sign_in)
    raw = (await _new_token(client, tenant, session, ["read", "write", "export", "import"]))["token"]
    for path, body in (
        (TOKENS, {"name": "more", "scopes": ["read"]}),
        ("/api/v1/auth/password", {"current_password": "x", "new_password": "y"}),
        ("/api/v1/auth/2fa/setup", None),
        ("/api/v1/auth/logout-all", None),
    ):
        r = await client.post(path, json=body, headers=tenant.headers(raw))
        assert r.status_code == 403, path
        assert r.json()["error"]["code"] == "session_required"


async def test_revoked_token_stops_working_at_once(client, tenant, add_member, sign_in):
    session = await _session(tenant, add_member, sign_in)
    created = await _new_token(client, tenant, session, ["read"])
    assert (await client.get(ME, headers=tenant.headers(created["token"]))).status_code == 200  # now cached

    assert (await client.delete(f"{TOKENS}/{created['id']}", headers=tenant.headers(session))).status_code == 204
    r = await client.get(ME, headers=tenant.headers(created["token"]))
    assert r.status_code == 401 and r.json()["error"]["code"] == "token_invalid"
    assert (await client.get(TOKENS, headers=tenant.headers(session))).json() == []
    again = await client.delete(f"{TOKENS}/{created['id']}", headers=tenant.headers(session))
    assert again.status_code == 404 and again.json()["error"]["code"] == "token_not_found"


async def test_tokens_belong_to_their_user(client, tenant, other_tenant, add_member, sign_in):
    owner = await _session(tenant, add_member, sign_in)
    created = await _new_token(client, tenant, owner, ["read"])
    colleague = await _session(tenant, add_member, sign_in, role_names=("管理员",))
    stranger = await _session(other_tenant, add_member, sign_in, role_names=("管理员",))
    for token, kit in ((colleague, tenant), (stranger, other_tenant)):
        assert (await client.get(TOKENS, headers=kit.headers(token))).json() == []
        r = await client.delete(f"{TOKENS}/{created['id']}", headers=kit.headers(token))
        assert r.status_code == 404
    assert (await client.get(ME, headers=tenant.headers(created["token"]))).status_code == 200


async def test_expired_token_is_refused(client, tenant, add_member, sign_in, edit_row):
    session = await _session(tenant, add_member, sign_in)
    created = await _new_token(client, tenant, session, ["read"], expires_in_days=1)
    await edit_row(ApiToken, uuid.UUID(created["id"]), expires_at=utcnow() - timedelta(minutes=1))
    r = await client.get(ME, headers=tenant.headers(created["token"]))
    assert r.status_code == 401 and r.json()["error"]["code"] == "token_invalid"


async def test_scopes_are_checked(client, tenant, add_member, sign_in):
    session = await _session(tenant, add_member, sign_in)
    r = await client.post(TOKENS, json={"name": "x", "scopes": ["delete"]}, headers=tenant.headers(session))
    assert r.status_code == 422
    r = await client.post(TOKENS, json={"name": "x", "scopes": []}, headers=tenant.headers(session))
    assert r.status_code == 422
    r = await client.post(TOKENS, json={"name": "x", "scopes": ["admin"]}, headers=tenant.headers(session))
    assert r.status_code == 403 and r.json()["error"]["code"] == "scope_not_allowed"
    admin = await _session(tenant, add_member, sign_in, role_names=("管理员",))
    created = await _new_token(client, tenant, admin, ["admin", "read"])
    assert created["scopes"] == ["read", "admin"]
    me = (await client.get(ME, headers=tenant.headers(created["token"]))).json()
    assert me["is_admin"] is True
