"""Authentication: login sessions (bearer token or httpOnly cookie) and personal API tokens."""

from __future__ import annotations

import hashlib
import secrets
import time
import uuid
from datetime import timedelta

from fastapi import Request
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.auth.models import ApiToken, LoginSession
from lingxi.authz.service import load_actor
from lingxi.config import get_settings
from lingxi.db import get_database
from lingxi.errors import Forbidden, Unauthenticated
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
