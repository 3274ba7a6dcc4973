"""Password hashing (argon2id) and the tenant's password policy."""

from __future__ import annotations

import re
from typing import Any

import anyio
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from lingxi.errors import ValidationFailed

_hasher = PasswordHasher()

DEFAULT_POLICY: dict[str, Any] = {
    "min_length": 10,
    "require_upper": False,
    "require_lower": True,
    "require_digit": True,
    "require_symbol": False,
    "max_failed_logins": 5,
    "lockout_minutes": 15,
}


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        # Spend the same time as a real check so unknown users are not revealed by timing.
        _hasher.hash(password)
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def policy_of(tenant_settings: dict[str, Any] | None) -> dict[str, Any]:
    return {**DEFAULT_POLICY, **((tenant_settings or {}).get("password_policy") or {})}


def check_policy(password: str, policy: dict[str, Any]) -> None:
    problems = []
    if len(password) < int(policy["min_length"]):
        problems.append({"code": "too_short", "message": f"at least {policy['min_length']} characters"})
    if policy.get("require_upper") and not re.search(r"[A-Z]", password):
        problems.append({"code": "need_upper", "message": "an upper-case letter"})
    if policy.get("require_lower") and not re.search(r"[a-z]", password):
        problems.append({"code": "need_lower", "message": "a lower-case letter"})
    if policy.get("require_digit") and not re.search(r"\d", password):
        problems.append({"code": "need_digit", "message": "a digit"})
    if policy.get("require_symbol") and not re.search(r"[^A-Za-z0-9]", password):
        problems.append({"code": "need_symbol", "message": "a symbol"})
    if problems:
        raise ValidationFailed("password does not meet the policy", code="weak_password", details=problems)


async def verify_password_in_thread(password_hash: str | None, password: str) -> bool:
    """``verify_password`` in a worker thread: argon2 takes tens of milliseconds and releases the GIL,
    so the event loop keeps serving other requests meanwhile."""
    return await anyio.to_thread.run_sync(verify_password, password_hash, password)


async def hash_password_in_thread(password: str) -> str:
    return await anyio.to_thread.run_sync(hash_password, password)
