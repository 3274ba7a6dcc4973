"""Signing in with email and password (and a second factor when 2FA is on).

Users belong to one tenant each, and one email may exist in several tenants: the password decides which
accounts are meant, and the ``tenant`` slug picks one when it matches in several.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update

from lingxi.audit.service import record_event
from lingxi.auth.passwords import hash_password_in_thread, needs_rehash, policy_of, verify_password_in_thread
from lingxi.auth.ratelimit import SlidingWindowLimiter
from lingxi.auth.schemas import LoginRequest
from lingxi.auth.service import idle_minutes, issue_session
from lingxi.auth.totp import second_factor
from lingxi.authz.service import load_actor
from lingxi.db import get_database
from lingxi.errors import Conflict, Forbidden, LingxiError, TooManyRequests, Unauthenticated, ValidationFailed
from lingxi.kit.models import utcnow
from lingxi.org.models import User
from lingxi.org.service import normalise_email
from lingxi.tenancy.context import Actor
from lingxi.tenancy.models import Tenant

# Failed sign-ins allowed per client address in a sliding window, on top of the per-account lockout.
login_failures = SlidingWindowLimiter(limit=20, window_seconds=300)


class AccountLocked(LingxiError):
    status_code = 423
    code = "account_locked"


@dataclass(frozen=True)
class _Candidate:
    """What the sign-in needs of one user with the given email, read before any password is checked."""

    user_id: uuid.UUID
    tenant_id: uuid.UUID
    password_hash: str | None
    usable: bool
    locked_until: datetime | None
    totp_enabled: bool
    totp_secret: str | None
    recovery_codes: tuple[str, ...]
    tenant_slug: str
    tenant_name: str
    policy: dict[str, Any]


@dataclass(frozen=True)
class LoginResult:
    token: str
    csrf_token: str
    expires_at: datetime
    idle_timeout_minutes: int
    user_id: uuid.UUID
    name: str
    email: str
    tenant_slug: str
    tenant_name: str
    is_admin: bool


def _login_email(email: str) -> str:
    try:
        return normalise_email(email)
    except ValidationFailed:
        return email.strip().lower()


async def _candidates(email: str, tenant_slug: str | None) -> list[_Candidate]:
    query = select(User, Tenant).join(Tenant, Tenant.id == User.tenant_id).where(User.email == email)
    if tenant_slug:
        query = query.where(Tenant.slug == tenant_slug.strip().lower())
    async with get_database().unit_of_work(Actor.system(), write=False) as s:
        rows = (await s.execute(query.order_by(Tenant.slug))).all()
        return [
            _Candidate(
                user_id=u.id,
                tenant_id=t.id,
                password_hash=u.password_hash,
                usable=u.is_active and t.is_active,
                locked_until=u.locked_until,
                totp_enabled=u.totp_enabled,
                totp_secret=u.totp_secret,
                recovery_codes=tuple(u.recovery_codes or ()),
                tenant_slug=t.slug,
                tenant_name=t.name,
                policy=policy_of(t.settings),
            )
            for u, t in rows
        ]


def _is_locked(c: _Candidate, now: datetime) -> bool:
    return c.locked_until is not None and c.locked_until > now


async def _record_failure(candidates: list[_Candidate], email: str, reason: str, ip: str | None) -> None:
    """Count a failed attempt against every account it was aimed at, locking those that reach the
    tenant's ``max_failed_logins``; an account already locked is not locked for longer."""
    if ip:
        login_failures.hit(ip)
    now = utcnow()
    async with get_database().unit_of_work(Actor.system()) as s:
        if not candidates:
            record_event(
                s,
                action="failed_login",
                tenant_id=None,
                actor_id=None,
                changes={"email": email, "reason": reason},
                ip=ip,
            )
        for c in candidates:
            changes: dict[str, Any] = {"email": email, "reason": reason}
            if not _is_locked(c, now):
                count = await s.scalar(
                    update(User)
                    .where(User.id == c.user_id)
                    .values(failed_logins=User.failed_logins + 1)
                    .returning(User.failed_logins)
                    .execution_options(synchronize_session=False)
                )
                if count is not None and count >= int(c.policy["max_failed_logins"]):
                    until = now + timedelta(minutes=int(c.policy["lockout_minutes"]))
                    await s.execute(
                        update(User)
                        .where(User.id == c.user_id)
                        .values(failed_logins=0, locked_until=until)
                        .execution_options(synchronize_session=False)
                    )
                    changes["locked_until"] = until.isoformat()
            record_event(
                s,
                action="failed_login",
                tenant_id=c.tenant_id,
                actor_id=c.user_id,
                entity="users",
                record_id=c.user_id,
                changes=changes,
                ip=ip,
            )


def _invalid_credentials() -> Unauthenticated:
    return Unauthenticated("the email or the password is wrong", code="invalid_credentials")


def _invalid_otp() -> Unauthenticated:
    return Unauthenticated("the two-factor code is wrong or too old", code="invalid_otp")


async def login(data: LoginRequest, *, ip: str | None = None, user_agent: str | None = None) -> LoginResult:
    """Check the password (and the second factor), then open a login session.

    Whether an account exists, is locked or disabled is only revealed to someone who knows its
    password. Passwords are checked outside any transaction, so slow hashing never holds a lock.
    """
    if ip and (wait := login_failures.retry_after(ip)):
        raise TooManyRequests(
            "too many failed sign-ins; wait and try again", code="rate_limited", details={"retry_after_seconds": wait}
        )
    email = _login_email(data.email)
    candidates = await _candidates(email, data.tenant)
    if not candidates:
        await verify_password_in_thread(None, data.password)
        await _record_failure([], email, "unknown_email", ip)
        raise _invalid_credentials()
    matched = [c for c in candidates if await verify_password_in_thread(c.password_hash, data.password)]
    if not matched:
        await _record_failure(candidates, email, "password", ip)
        raise _invalid_credentials()
    usable = [c for c in matched if c.usable]
    if not usable:
        raise Forbidden("this account is disabled", code="account_disabled")
    if len(usable) > 1:
        raise Conflict(
            "this email belongs to several tenants; choose one",
            code="tenant_required",
            details={"tenants": [{"slug": c.tenant_slug, "name": c.tenant_name} for c in usable]},
        )
    c = usable[0]
    now = utcnow()
    if _is_locked(c, now):
        assert c.locked_until is not None
        raise AccountLocked(
            "too many failed sign-ins; the account is locked for a while",
            details={"locked_until": c.locked_until.isoformat()},
        )
    recovery_used: str | None = None
    if c.totp_enabled:
        if not data.otp:
            raise Unauthenticated("enter the code from your authenticator app", code="otp_required")
        factor = second_factor(c.totp_secret, list(c.recovery_codes), data.otp)
        if factor is None:
            await _record_failure([c], email, "otp", ip)
            raise _invalid_otp()
        recovery_used = None if factor == "totp" else factor
    new_hash = None
    if c.password_hash and needs_rehash(c.password_hash):
        new_hash = await hash_password_in_thread(data.password)
    return await _open_session(c, now, new_hash=new_hash, recovery_used=recovery_used, ip=ip, user_agent=user_agent)


async def _open_session(
    c: _Candidate,
    now: datetime,
    *,
    new_hash: str | None,
    recovery_used: str | None,
    ip: str | None,
    user_agent: str | None,
) -> LoginResult:
    async with get_database().unit_of_work(Actor.system(c.tenant_id)) as s:
        user = await s.scalar(select(User).where(User.id == c.user_id).with_for_update())
        tenant = await s.get(Tenant, c.tenant_id)
        if user is None or tenant is None:
            raise _invalid_credentials()
        changes: dict[str, Any] = {}
        if recovery_used is not None:
            if recovery_used not in (user.recovery_codes or []):
                raise _invalid_otp()  # used by a concurrent sign-in a moment ago
            user.recovery_codes = [h for h in user.recovery_codes if h != recovery_used]
            changes["recovery_code_used"] = True
            changes["recovery_codes_left"] = len(user.recovery_codes)
        user.failed_logins = 0
        user.locked_until = None
        user.last_login_at = now
        if new_hash:
            user.password_hash = new_hash
        raw, row = await issue_session(s, user, ip=ip, user_agent=user_agent)
        actor = await load_actor(s, user)
        record_event(
            s,
            action="login",
            tenant_id=tenant.id,
            actor_id=user.id,
            entity="users",
            record_id=user.id,
            changes=changes,
            ip=ip,
        )
        return LoginResult(
            token=raw,
            csrf_token=row.csrf_token,
            expires_at=row.expires_at,
            idle_timeout_minutes=idle_minutes(tenant),
            user_id=user.id,
            name=user.name,
            email=user.email,
            tenant_slug=tenant.slug,
            tenant_name=tenant.name,
            is_admin=actor.is_admin,
        )
