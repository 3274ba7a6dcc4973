"""Authentication: recognising the caller of each request by a login session (bearer token or httpOnly
cookie) or a personal API token; signing out, and changing the password. Signing in is in ``login``."""

from __future__ import annotations

import hashlib
import secrets
import time
import uuid
from datetime import timedelta
from typing import Any

from fastapi import Request
from sqlalchemy import event, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.audit.service import record_event
from lingxi.auth.models import ApiToken, LoginSession
from lingxi.auth.passwords import check_policy, hash_password_in_thread, policy_of, verify_password_in_thread
from lingxi.auth.schemas import MeResponse, MeUser, PasswordChange, TenantOut
from lingxi.authz.service import Grants, load_actor
from lingxi.config import get_settings
from lingxi.db import get_database
from lingxi.errors import Forbidden, Unauthenticated, ValidationFailed
from lingxi.kit.models import utcnow
from lingxi.org.models import User
from lingxi.tenancy.context import Actor
from lingxi.tenancy.models import Tenant

SESSION_COOKIE = "lingxi_session"
CSRF_COOKIE = "lingxi_csrf"
CSRF_HEADER = "x-csrf-token"
TOKEN_PREFIX = "lx_pat_"
# How long a resolved Actor is reused before the session row is read again.
_ACTOR_CACHE_SECONDS = 5.0
_actor_cache: dict[str, tuple[float, Actor]] = {}


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def forget_cached(raw_or_hash: str | None = None) -> None:
    """Drop cached Actors (all, or one token's), after logout or a permission change."""
    if raw_or_hash is None:
        _actor_cache.clear()
    else:
        _actor_cache.pop(raw_or_hash, None)
        _actor_cache.pop(hash_token(raw_or_hash), None)


def forget_after_commit(session: AsyncSession, token_hash: str | None = None) -> None:
    """Forget cached Actors now and again once ``session`` commits, so that no request that read the
    old row in between keeps using a revoked credential from the cache."""
    forget_cached(token_hash)
    event.listen(session.sync_session, "after_commit", lambda _s: forget_cached(token_hash), once=True)


def idle_minutes(tenant: Tenant) -> int:
    return int((tenant.settings or {}).get("session_idle_minutes") or get_settings().session_idle_minutes)


async def issue_session(
    session: AsyncSession, user: User, *, ip: str | None = None, user_agent: str | None = None
) -> tuple[str, LoginSession]:
    """A new login session for ``user``; returns the raw token (shown once) and the row."""
    raw = secrets.token_urlsafe(32)
    now = utcnow()
    row = LoginSession(
        tenant_id=user.tenant_id,
        user_id=user.id,
        token_hash=hash_token(raw),
        csrf_token=secrets.token_urlsafe(24),
        last_seen_at=now,
        expires_at=now + timedelta(hours=get_settings().session_max_hours),
        ip=ip,
        user_agent=(user_agent or "")[:500] or None,
    )
    session.add(row)
    await session.flush()
    return raw, row


def _raw_credentials(request: Request) -> tuple[str | None, bool]:
    """The presented token and whether it came from the cookie."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip() or None, False
    cookie = request.cookies.get(SESSION_COOKIE)
    return (cookie, True) if cookie else (None, False)


async def authenticate_request(request: Request) -> Actor:
    raw, from_cookie = _raw_credentials(request)
    if not raw:
        raise Unauthenticated("sign in or send a bearer token", code="not_authenticated")
    ip = request.client.host if request.client else None
    request_id = getattr(request.state, "request_id", None)
    token_hash = hash_token(raw)
    cached = _actor_cache.get(token_hash)
    now_mono = time.monotonic()
    if cached and now_mono - cached[0] < _ACTOR_CACHE_SECONDS:
        actor = cached[1]
    else:
        if raw.startswith(TOKEN_PREFIX):
            actor = await _actor_from_api_token(token_hash, ip)
        else:
            actor = await _actor_from_session(token_hash, ip)
        _actor_cache[token_hash] = (now_mono, actor)
    if from_cookie and request.method not in ("GET", "HEAD", "OPTIONS"):
        csrf_expected = actor.extra.get("csrf")
        presented = request.headers.get(CSRF_HEADER)
        if not csrf_expected or not presented or not secrets.compare_digest(csrf_expected, presented):
            raise Forbidden("missing or wrong CSRF token", code="csrf_failed")
    return Actor(**{**actor.__dict__, "ip": ip, "request_id": request_id})


async def _actor_from_session(token_hash: str, ip: str | None) -> Actor:
    db = get_database()
    async with db.unit_of_work(Actor.system(), write=False) as s:
        row = await s.scalar(select(LoginSession).where(LoginSession.token_hash == token_hash))
        if row is None or row.revoked_at is not None:
            raise Unauthenticated("session not found or signed out", code="session_invalid")
        user = await s.get(User, row.user_id)
        tenant = await s.get(Tenant, row.tenant_id)
        now = utcnow()
        if user is None or not user.is_active or tenant is None or not tenant.is_active:
            raise Unauthenticated("account disabled", code="account_disabled")
        if row.expires_at <= now:
            raise Unauthenticated("session expired", code="session_expired")
        if row.last_seen_at + timedelta(minutes=idle_minutes(tenant)) <= now:
            raise Unauthenticated("session expired after inactivity", code="session_idle_timeout")
        actor = await load_actor(s, user, session_id=row.id, ip=ip)
        actor.extra["csrf"] = row.csrf_token
        stale_seen = now - row.last_seen_at > timedelta(seconds=60)
        session_id = row.id
    if stale_seen:
        async with db.unit_of_work(Actor.system(actor.tenant_id)) as w:
            found = await w.get(LoginSession, session_id)
            if found is not None:
                found.last_seen_at = now
    return actor


async def _actor_from_api_token(token_hash: str, ip: str | None) -> Actor:
    db = get_database()
    async with db.unit_of_work(Actor.system(), write=False) as s:
        token = await s.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash))
        now = utcnow()
        if token is None or token.revoked or (token.expires_at is not None and token.expires_at <= now):
            raise Unauthenticated("API token invalid, revoked or expired", code="token_invalid")
        user = await s.get(User, token.user_id)
        if user is None or not user.is_active:
            raise Unauthenticated("account disabled", code="account_disabled")
        actor = await load_actor(s, user, token_scopes=frozenset(token.scopes), ip=ip)
        token_id: uuid.UUID = token.id
    async with db.unit_of_work(Actor.system(actor.tenant_id)) as w:
        found = await w.get(ApiToken, token_id)
        if found is not None:
            found.last_used_at = now
    return actor


def require_login_session(actor: Actor) -> None:
    """Account security (password, 2FA, tokens, sign-out) needs an interactive sign-in, not an API token."""
    if actor.session_id is None:
        raise Forbidden("this needs a signed-in session, not an API token", code="session_required")


def _audit(session: AsyncSession, actor: Actor, action: str, changes: dict[str, Any] | None = None) -> None:
    record_event(
        session,
        action=action,
        tenant_id=actor.tenant_id,
        actor_id=actor.user_id,
        entity="users",
        record_id=actor.user_id,
        changes=changes,
        ip=actor.ip,
    )


async def logout(session: AsyncSession, actor: Actor) -> None:
    require_login_session(actor)
    row = await session.get(LoginSession, actor.session_id)
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()
        await session.flush()
        forget_after_commit(session, row.token_hash)
    _audit(session, actor, "logout")


async def _revoke_sessions(session: AsyncSession, user_id: uuid.UUID, *, keep: uuid.UUID | None = None) -> int:
    query = update(LoginSession).where(LoginSession.user_id == user_id, LoginSession.revoked_at.is_(None))
    if keep is not None:
        query = query.where(LoginSession.id != keep)
    result = await session.execute(query.values(revoked_at=utcnow()).execution_options(synchronize_session=False))
    forget_after_commit(session)
    return int(getattr(result, "rowcount", 0) or 0)


async def logout_all(session: AsyncSession, actor: Actor) -> int:
    """Revoke every login session of the user, this one included; API tokens keep working."""
    require_login_session(actor)
    assert actor.user_id is not None
    count = await _revoke_sessions(session, actor.user_id)
    _audit(session, actor, "logout_all", {"sessions": count})
    return count


async def change_password(session: AsyncSession, actor: Actor, data: PasswordChange) -> None:
    """Set a new password and sign out every other session of the user."""
    require_login_session(actor)
    user = await session.get(User, actor.user_id)
    tenant = await session.get(Tenant, actor.tenant_id)
    assert user is not None and tenant is not None
    if not await verify_password_in_thread(user.password_hash, data.current_password):
        raise Forbidden("the current password is wrong", code="invalid_password")
    check_policy(data.new_password, policy_of(tenant.settings))
    if data.new_password == data.current_password:
        raise ValidationFailed(
            "the new password must differ from the current one",
            code="weak_password",
            details=[{"code": "same_as_current", "message": "a password different from the current one"}],
        )
    user.password_hash = await hash_password_in_thread(data.new_password)
    user.password_changed_at = utcnow()
    await session.flush()
    await _revoke_sessions(session, user.id, keep=actor.session_id)
    _audit(session, actor, "password_change")


async def me(session: AsyncSession, actor: Actor) -> MeResponse:
    user = await session.get(User, actor.user_id)
    tenant = await session.get(Tenant, actor.tenant_id)
    if user is None or tenant is None:
        raise Unauthenticated("account not found", code="account_disabled")
    grants: Grants = actor.grants or Grants()
    return MeResponse(
        user=MeUser.model_validate(user),
        tenant=TenantOut.model_validate(tenant),
        is_admin=actor.is_admin,
        roles=list(grants.role_names),
        team_ids=list(actor.team_ids),
        permissions=grants.perms,
        field_rules=grants.fields,
        auth_method="session" if actor.session_id is not None else "token",
        token_scopes=sorted(actor.token_scopes) if actor.token_scopes is not None else None,
    )
