"""/api/v1/auth: sign in and out, the current user, password, two-factor and personal API tokens.

The web UI uses the httpOnly ``lingxi_session`` cookie plus the readable ``lingxi_csrf`` cookie, whose
value it echoes in the ``x-csrf-token`` header on unsafe requests; integrations send
``Authorization: Bearer <token>`` with a login token or a personal API token.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response

from lingxi.auth import login as signing_in
from lingxi.auth import service, tokens, totp
from lingxi.auth.schemas import (
    LoginRequest,
    LoginResponse,
    MeResponse,
    OtpBody,
    PasswordChange,
    RecoveryCodes,
    TokenCreate,
    TokenCreated,
    TokenOut,
    TotpDisable,
    TotpSetupResponse,
    UserSummary,
)
from lingxi.config import get_settings
from lingxi.deps import CurrentActor, DbSession
from lingxi.errors import ErrorBody, error_responses
from lingxi.kit.models import utcnow
from lingxi.tenancy.context import Actor

router = APIRouter()


async def _session_actor(actor: CurrentActor) -> Actor:
    service.require_login_session(actor)
    return actor


SessionActor = Annotated[Actor, Depends(_session_actor)]

_LOGIN_ERRORS: dict[int | str, dict[str, Any]] = {
    **error_responses(400, 401, 403, 409, 422, 429),
    423: {"model": ErrorBody, "description": "Account locked after repeated failures (`account_locked`)"},
}


def _set_session_cookies(response: Response, result: signing_in.LoginResult) -> None:
    secure = get_settings().cookie_secure
    max_age = max(0, int((result.expires_at - utcnow()).total_seconds()))
    response.set_cookie(
        service.SESSION_COOKIE, result.token, max_age=max_age, path="/", secure=secure, httponly=True, samesite="lax"
    )
    response.set_cookie(
        service.CSRF_COOKIE, result.csrf_token, max_age=max_age, path="/", secure=secure, httponly=False, samesite="lax"
    )


def _clear_session_cookies(response: Response) -> None:
    secure = get_settings().cookie_secure
    response.delete_cookie(service.SESSION_COOKIE, path="/", secure=secure, httponly=True, samesite="lax")
    response.delete_cookie(service.CSRF_COOKIE, path="/", secure=secure, httponly=False, samesite="lax")


@router.post(
    "/login",
    response_model=LoginResponse,
    responses=_LOGIN_ERRORS,
    summary="Sign in with email and password",
    description=(
        "Errors: `invalid_credentials` (401), `otp_required` / `invalid_otp` (401), `account_disabled` (403), "
        "`tenant_required` (409, details list the tenants), `account_locked` (423), `rate_limited` (429). "
        "Also sets the `lingxi_session` (httpOnly) and `lingxi_csrf` cookies."
    ),
)
async def login(data: LoginRequest, request: Request, response: Response) -> LoginResponse:
    result = await signing_in.login(
        data, ip=request.client.host if request.client else None, user_agent=request.headers.get("user-agent")
    )
    _set_session_cookies(response, result)
    return LoginResponse(
        access_token=result.token,
        expires_at=result.expires_at,
        idle_timeout_minutes=result.idle_timeout_minutes,
        csrf_token=result.csrf_token,
        user=UserSummary(
            id=result.user_id,
            name=result.name,
            email=result.email,
            tenant=result.tenant_slug,
            tenant_name=result.tenant_name,
            is_admin=result.is_admin,
        ),
    )


@router.post(
    "/logout",
    status_code=204,
    response_class=Response,
    responses=error_responses(401, 403),
    summary="Sign out this session and clear the cookies",
)
async def logout(actor: SessionActor, session: DbSession, response: Response) -> None:
    await service.logout(session, actor)
    _clear_session_cookies(response)


@router.post(
    "/logout-all",
    status_code=204,
    response_class=Response,
    responses=error_responses(401, 403),
    summary="Sign out every session of the current user (API tokens keep working)",
)
async def logout_all(actor: SessionActor, session: DbSession, response: Response) -> None:
    await service.logout_all(session, actor)
    _clear_session_cookies(response)


@router.get(
    "/me", response_model=MeResponse, responses=error_responses(401), summary="The current user, tenant and permissions"
)
async def me(actor: CurrentActor, session: DbSession) -> MeResponse:
    return await service.me(session, actor)


@router.post(
    "/password",
    status_code=204,
    response_class=Response,
    responses=error_responses(400, 401, 403, 422),
    summary="Change the password; other sessions are signed out",
    description="Errors: `invalid_password` (403, the current password is wrong), `weak_password` (422).",
)
async def change_password(data: PasswordChange, actor: SessionActor, session: DbSession) -> None:
    await service.change_password(session, actor, data)


@router.post(
    "/2fa/setup",
    response_model=TotpSetupResponse,
    responses=error_responses(401, 403, 409),
    summary="Start two-factor setup: a new TOTP secret (not active until enabled)",
)
async def totp_setup(actor: SessionActor, session: DbSession) -> TotpSetupResponse:
    secret, uri = await totp.setup(session, actor)
    return TotpSetupResponse(secret=secret, otpauth_uri=uri)


@router.post(
    "/2fa/enable",
    response_model=RecoveryCodes,
    responses=error_responses(400, 401, 403, 409, 422),
    summary="Turn two-factor on with a code from the app; returns 10 recovery codes, shown once",
    description="Errors: `2fa_not_set_up` / `2fa_already_enabled` (409), `invalid_otp` (403).",
)
async def totp_enable(data: OtpBody, actor: SessionActor, session: DbSession) -> RecoveryCodes:
    return RecoveryCodes(recovery_codes=await totp.enable(session, actor, data.otp))


@router.post(
    "/2fa/disable",
    status_code=204,
    response_class=Response,
    responses=error_responses(400, 401, 403, 409, 422),
    summary="Turn two-factor off (needs the password and a code or a recovery code)",
    description="Errors: `2fa_not_enabled` (409), `invalid_password` / `invalid_otp` (403).",
)
async def totp_disable(data: TotpDisable, actor: SessionActor, session: DbSession) -> None:
    await totp.disable(session, actor, data.password, data.otp)


@router.post(
    "/2fa/recovery-codes",
    response_model=RecoveryCodes,
    responses=error_responses(400, 401, 403, 409, 422),
    summary="Replace all recovery codes (needs a current TOTP code)",
    description="Errors: `2fa_not_enabled` (409), `invalid_otp` (403).",
)
async def totp_recovery_codes(data: OtpBody, actor: SessionActor, session: DbSession) -> RecoveryCodes:
    return RecoveryCodes(recovery_codes=await totp.regenerate_recovery_codes(session, actor, data.otp))


@router.get("/tokens", response_model=list[TokenOut], responses=error_responses(401), summary="My personal API tokens")
async def list_tokens(actor: CurrentActor, session: DbSession) -> list[TokenOut]:
    return [TokenOut.model_validate(t) for t in await tokens.list_tokens(session, actor)]


@router.post(
    "/tokens",
    status_code=201,
    response_model=TokenCreated,
    responses=error_responses(400, 401, 403, 422),
    summary="Create a personal API token; the raw token is in the response only",
    description="Needs a signed-in session (`session_required`); the `admin` scope only for administrators.",
)
async def create_token(data: TokenCreate, actor: SessionActor, session: DbSession) -> TokenCreated:
    raw, row = await tokens.create_token(session, actor, data)
    return TokenCreated(**TokenOut.model_validate(row).model_dump(), token=raw)


@router.delete(
    "/tokens/{token_id}",
    status_code=204,
    response_class=Response,
    responses=error_responses(401, 403, 404),
    summary="Revoke a personal API token",
)
async def revoke_token(token_id: uuid.UUID, actor: SessionActor, session: DbSession) -> None:
    await tokens.revoke_token(session, actor, token_id)
