"""Request and response bodies of /api/v1/auth."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

TokenScope = Literal["read", "write", "export", "import", "admin"]


class LoginRequest(BaseModel):
    email: str = Field(min_length=1, max_length=320)
    password: str = Field(min_length=1, max_length=1024)
    tenant: str | None = Field(
        None, max_length=64, description="The tenant's slug; needed when the email exists in several tenants."
    )
    otp: str | None = Field(
        None, max_length=64, description="A TOTP code, or one of the recovery codes, when 2FA is on."
    )


class UserSummary(BaseModel):
    id: uuid.UUID
    name: str
    email: str
    tenant: str = Field(description="The tenant's slug.")
    tenant_name: str
    is_admin: bool


class LoginResponse(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_at: datetime = Field(description="Absolute expiry; the session also ends after the tenant's idle timeout.")
    idle_timeout_minutes: int
    user: UserSummary
    csrf_token: str = Field(description="Send it as the x-csrf-token header on unsafe requests that use the cookie.")


class TenantOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    slug: str
    name: str
    default_currency: str
    locale: str
    timezone: str


class MeUser(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    email: str
    title: str | None
    phone: str | None
    locale: str
    department_id: uuid.UUID | None
    last_login_at: datetime | None
    totp_enabled: bool


class MeResponse(BaseModel):
    user: MeUser
    tenant: TenantOut
    is_admin: bool
    roles: list[str]
    team_ids: list[uuid.UUID]
    permissions: dict[str, dict[str, str]] = Field(
        description="{entity: {action: scope}} merged over the user's roles."
    )
    field_rules: dict[str, dict[str, str]] = Field(description="{entity: {field: hidden|masked|readonly}}.")
    auth_method: Literal["session", "token"]
    token_scopes: list[str] | None = Field(None, description="Set when the request used a personal API token.")


class PasswordChange(BaseModel):
    current_password: str = Field(min_length=1, max_length=1024)
    new_password: str = Field(min_length=1, max_length=1024)


class TotpSetupResponse(BaseModel):
    secret: str
    otpauth_uri: str = Field(description="Show as a QR code for an authenticator app.")


class OtpBody(BaseModel):
    otp: str = Field(min_length=1, max_length=64)


class TotpDisable(BaseModel):
    password: str = Field(min_length=1, max_length=1024)
    otp: str = Field(min_length=1, max_length=64, description="A TOTP code or a recovery code.")


class RecoveryCodes(BaseModel):
    recovery_codes: list[str] = Field(description="Shown once; each works once in place of a TOTP code.")


class TokenCreate(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    scopes: list[TokenScope] = Field(min_length=1)
    expires_in_days: int | None = Field(None, ge=1, le=3650, description="Leave out for a token that does not expire.")


class TokenOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    prefix: str = Field(description="The first characters of the token, to recognise it.")
    scopes: list[str]
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None


class TokenCreated(TokenOut):
    token: str = Field(description="The raw token. It is shown only this once.")
