"""Personal API tokens for integrations: ``lx_pat_`` + 43 random characters, stored as a SHA-256 hash.

A token acts as its user, narrowed by its scopes (``lingxi.authz.service.TOKEN_SCOPE_OF``): a token
without ``write`` cannot create, change or delete records whatever the user's roles allow.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.audit.service import record_event
from lingxi.auth.models import ApiToken
from lingxi.auth.schemas import TokenCreate
from lingxi.auth.service import TOKEN_PREFIX, forget_after_commit, hash_token
from lingxi.authz.service import TOKEN_SCOPES
from lingxi.errors import Forbidden, NotFound
from lingxi.kit.models import utcnow
from lingxi.tenancy.context import Actor


async def list_tokens(session: AsyncSession, actor: Actor) -> list[ApiToken]:
    """The user's tokens that still work or have merely expired (revoked ones are gone for good)."""
    rows = await session.scalars(
        select(ApiToken)
        .where(ApiToken.user_id == actor.user_id, ApiToken.revoked.is_(False))
        .order_by(ApiToken.created_at.desc())
    )
    return list(rows)


async def create_token(session: AsyncSession, actor: Actor, data: TokenCreate) -> tuple[str, ApiToken]:
    scopes = sorted(set(data.scopes), key=TOKEN_SCOPES.index)
    if "admin" in scopes and not actor.is_admin:
        raise Forbidden(
            "only administrators may create admin tokens", code="scope_not_allowed", details={"scope": "admin"}
        )
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        tenant_id=actor.tenant_id,
        user_id=actor.user_id,
        name=data.name.strip() or "token",
        prefix=raw[:12],
        token_hash=hash_token(raw),
        scopes=scopes,
        expires_at=utcnow() + timedelta(days=data.expires_in_days) if data.expires_in_days else None,
    )
    session.add(token)
    await session.flush()
    record_event(
        session,
        action="token_created",
        tenant_id=actor.tenant_id,
        actor_id=actor.user_id,
        entity="api_tokens",
        record_id=token.id,
        changes={
            "name": token.name,
            "scopes": scopes,
            "expires_at": token.expires_at.isoformat() if token.expires_at else None,
        },
        ip=actor.ip,
    )
    return raw, token


async def revoke_token(session: AsyncSession, actor: Actor, token_id: uuid.UUID) -> None:
    token = await session.scalar(
        select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == actor.user_id, ApiToken.revoked.is_(False))
    )
    if token is None:
        raise NotFound("no such token", code="token_not_found")
    token.revoked = True
    await session.flush()
    forget_after_commit(session, token.token_hash)
    record_event(
        session,
        action="token_revoked",
        tenant_id=actor.tenant_id,
        actor_id=actor.user_id,
        entity="api_tokens",
        record_id=token.id,
        changes={"name": token.name},
        ip=actor.ip,
    )
