"""TOTP two-factor authentication and its single-use recovery codes.

The TOTP secret is stored so codes can be checked; recovery codes are stored only as SHA-256 hashes
(each has about 79 random bits, so a fast hash is enough).
"""

from __future__ import annotations

import hashlib
import re
import secrets

import pyotp
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.audit.service import record_event
from lingxi.auth.passwords import verify_password_in_thread
from lingxi.errors import Conflict, Forbidden
from lingxi.org.models import User
from lingxi.tenancy.context import Actor
from lingxi.tenancy.models import Tenant

RECOVERY_CODE_COUNT = 10
_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no i, l, o, 0, 1
_ISSUER = "Lingxi"
# Accept the previous and the next 30-second step as well, for clocks that drift a little.
VALID_WINDOW = 1


def _normalise(code: str) -> str:
    return re.sub(r"[^0-9a-z]", "", code.strip().lower())


def hash_recovery_code(code: str) -> str:
    return hashlib.sha256(_normalise(code).encode()).hexdigest()


def new_recovery_codes() -> tuple[list[str], list[str]]:
    """Ten fresh codes (``abcd-efgh-jkmn-pqrs``) and their hashes."""
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(16))
        codes.append("-".join(raw[i : i + 4] for i in range(0, 16, 4)))
    return codes, [hash_recovery_code(c) for c in codes]


def totp_matches(secret: str | None, otp: str) -> bool:
    code = otp.strip().replace(" ", "")
    if not secret or not code.isdigit() or len(code) != 6:
        return False
    return pyotp.TOTP(secret).verify(code, valid_window=VALID_WINDOW)


def second_factor(secret: str | None, recovery_hashes: list[str], otp: str) -> str | None:
    """``"totp"`` when ``otp`` is a current TOTP code, the matching recovery-code hash when it is an
    unused recovery code, else None."""
    if totp_matches(secret, otp):
        return "totp"
    digest = hash_recovery_code(otp)
    for stored in recovery_hashes or []:
        if secrets.compare_digest(stored, digest):
            return stored
    return None


def _audit(session: AsyncSession, actor: Actor, action: str) -> None:
    record_event(
        session,
        action=action,
        tenant_id=actor.tenant_id,
        actor_id=actor.user_id,
        entity="users",
        record_id=actor.user_id,
        ip=actor.ip,
    )


async def _me(session: AsyncSession, actor: Actor) -> User:
    user = await session.get(User, actor.user_id)
    assert user is not None  # the session was authenticated a moment ago
    return user


async def setup(session: AsyncSession, actor: Actor) -> tuple[str, str]:
    """A new secret for the user's authenticator app; 2FA stays off until ``enable`` proves it works."""
    user = await _me(session, actor)
    if user.totp_enabled:
        raise Conflict("two-factor authentication is already on; turn it off first", code="2fa_already_enabled")
    tenant = await session.get(Tenant, user.tenant_id)
    secret = pyotp.random_base32()
    user.totp_secret = secret
    issuer = f"{_ISSUER} ({tenant.name})" if tenant else _ISSUER
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=issuer)
    await session.flush()
    return secret, uri


async def enable(session: AsyncSession, actor: Actor, otp: str) -> list[str]:
    user = await _me(session, actor)
    if user.totp_enabled:
        raise Conflict("two-factor authentication is already on", code="2fa_already_enabled")
    if not user.totp_secret:
        raise Conflict("call /auth/2fa/setup first", code="2fa_not_set_up")
    if not totp_matches(user.totp_secret, otp):
        raise Forbidden("the code is wrong or too old", code="invalid_otp", details={"field": "otp"})
    codes, hashes = new_recovery_codes()
    user.totp_enabled = True
    user.recovery_codes = hashes
    _audit(session, actor, "2fa_enabled")
    await session.flush()
    return codes


async def disable(session: AsyncSession, actor: Actor, password: str, otp: str) -> None:
    user = await _me(session, actor)
    if not user.totp_enabled:
        raise Conflict("two-factor authentication is off", code="2fa_not_enabled")
    if not await verify_password_in_thread(user.password_hash, password):
        raise Forbidden("the password is wrong", code="invalid_password")
    if second_factor(user.totp_secret, user.recovery_codes, otp) is None:
        raise Forbidden("the code is wrong or too old", code="invalid_otp", details={"field": "otp"})
    user.totp_enabled = False
    user.totp_secret = None
    user.recovery_codes = []
    _audit(session, actor, "2fa_disabled")
    await session.flush()


async def regenerate_recovery_codes(session: AsyncSession, actor: Actor, otp: str) -> list[str]:
    """New codes replace all old ones; a current TOTP code proves the request comes from the user."""
    user = await _me(session, actor)
    if not user.totp_enabled:
        raise Conflict("two-factor authentication is off", code="2fa_not_enabled")
    if not totp_matches(user.totp_secret, otp):
        raise Forbidden("the code is wrong or too old", code="invalid_otp", details={"field": "otp"})
    codes, hashes = new_recovery_codes()
    user.recovery_codes = hashes
    _audit(session, actor, "2fa_recovery_codes_regenerated")
    await session.flush()
    return codes
