"""Request and response models of the organisation API: users, teams, departments, roles and the
tenant's settings."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

T = TypeVar("T")
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
MAX_LIMIT = 500


class Page(BaseModel, Generic[T]):
    data: list[T]
    total: int
    limit: int
    offset: int


def _no_nul(value: Any) -> Any:
    """PostgreSQL text cannot hold NUL characters; refuse them at the edge instead of failing later."""
    if isinstance(value, str) and "\x00" in value:
        raise ValueError("must not contain NUL characters")
    if isinstance(value, dict):
        for k, v in value.items():
            _no_nul(k)
            _no_nul(v)
    if isinstance(value, list):
        for v in value:
            _no_nul(v)
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _refuse_nul(cls, value: Any) -> Any:
        return _no_nul(value)


# --- users --------------------------------------------------------------------------------------------


class DirectoryUser(BaseModel):
    """What every signed-in user may see of a colleague (for lookups and assignment)."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    email: str
    title: str | None
    department_id: uuid.UUID | None


class UserOut(DirectoryUser):
    """A user as administrators see it."""

    is_active: bool
    is_admin: bool
    manager_id: uuid.UUID | None
    phone: str | None
    locale: str
    totp_enabled: bool
    last_login_at: datetime | None
    locked_until: datetime | None
    created_at: datetime
    role_ids: list[uuid.UUID]


class UserCreate(_Strict):
    email: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=320)]
    name: Name
    role_ids: list[uuid.UUID] = Field(default_factory=list, max_length=50)
    department_id: uuid.UUID | None = None
    manager_id: uuid.UUID | None = None
    title: Annotated[str, StringConstraints(max_length=200)] | None = None
    password: Annotated[str, StringConstraints(max_length=200)] | None = Field(
        default=None, description="Leave out to generate a temporary password, returned once in the response"
    )


class UserCreated(UserOut):
    temporary_password: str | None = Field(description="Only when the password was generated; shown this once")


class UserUpdate(_Strict):
    name: Name | None = None
    title: Annotated[str, StringConstraints(max_length=200)] | None = None
    department_id: uuid.UUID | None = None
    manager_id: uuid.UUID | None = None
    is_active: bool | None = None


class RoleAssignment(_Strict):
    role_ids: list[uuid.UUID] = Field(max_length=50)


# --- teams and departments ---------------------------------------------------------------------------


class TeamIn(_Strict):
    name: Name
    description: Annotated[str, StringConstraints(max_length=1000)] | None = None
    lead_id: uuid.UUID | None = None


class TeamUpdate(_Strict):
    name: Name | None = None
    description: Annotated[str, StringConstraints(max_length=1000)] | None = None
    lead_id: uuid.UUID | None = None


class TeamOut(BaseModel):
    id: uuid.UUID
    name: str
    description: str | None
    lead_id: uuid.UUID | None
    member_ids: list[uuid.UUID]


class TeamMembers(_Strict):
    user_ids: list[uuid.UUID] = Field(max_length=1000)


class DepartmentIn(_Strict):
    name: Name
    parent_id: uuid.UUID | None = None
    manager_id: uuid.UUID | None = None


class DepartmentUpdate(_Strict):
    name: Name | None = None
    parent_id: uuid.UUID | None = None
    manager_id: uuid.UUID | None = None


class DepartmentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    parent_id: uuid.UUID | None
    manager_id: uuid.UUID | None
    path: str


class DepartmentNode(DepartmentOut):
    children: list[DepartmentNode] = Field(default_factory=list)


# --- roles -------------------------------------------------------------------------------------------

Permissions = dict[str, dict[str, str]]
FieldRules = dict[str, dict[str, str]]


class RoleIn(_Strict):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    description: Annotated[str, StringConstraints(max_length=1000)] | None = None
    is_admin: bool = False
    permissions: Permissions = Field(default_factory=dict, description="{entity: {action: scope}}")
    field_rules: FieldRules = Field(default_factory=dict, description="{entity: {field: hidden|masked|readonly}}")


class RoleUpdate(_Strict):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)] | None = None
    description: Annotated[str, StringConstraints(max_length=1000)] | None = None
    is_admin: bool | None = None
    permissions: Permissions | None = None
    field_rules: FieldRules | None = None


class RoleOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    description: str | None
    is_admin: bool
    permissions: Permissions
    field_rules: FieldRules
    user_count: int = 0


class RoleMatrixRow(BaseModel):
    entity: str
    label_zh: str
    label_en: str
    actions: dict[str, str] = Field(description="every action with its scope, 'none' when not granted")


class RoleDetail(RoleOut):
    matrix: list[RoleMatrixRow]


# --- tenant settings ---------------------------------------------------------------------------------


class PasswordPolicy(BaseModel):
    min_length: int = Field(ge=8, le=128)
    require_upper: bool
    require_lower: bool
    require_digit: bool
    require_symbol: bool
    max_failed_logins: int = Field(ge=1, le=100)
    lockout_minutes: int = Field(ge=1, le=1440)


class PasswordPolicyPatch(_Strict):
    min_length: int | None = Field(default=None, ge=8, le=128)
    require_upper: bool | None = None
    require_lower: bool | None = None
    require_digit: bool | None = None
    require_symbol: bool | None = None
    max_failed_logins: int | None = Field(default=None, ge=1, le=100)
    lockout_minutes: int | None = Field(default=None, ge=1, le=1440)


Color = Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")]
HttpsUrl = Annotated[str, StringConstraints(pattern=r"^https?://[^\s/$.?#][^\s]*$", max_length=500)]


class Branding(BaseModel):
    name: str | None = None
    primary_color: str | None = None
    logo_url: str | None = None


class BrandingPatch(_Strict):
    name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] | None = None
    primary_color: Color | None = None
    logo_url: HttpsUrl | None = None


class TenantSettingsOut(BaseModel):
    slug: str
    name: str
    default_currency: str
    locale: str
    timezone: str
    password_policy: PasswordPolicy
    session_idle_minutes: int
    branding: Branding


class TenantSettingsPatch(_Strict):
    name: Name | None = None
    default_currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] | None = None
    locale: Annotated[str, StringConstraints(pattern=r"^(zh-CN|en-US|en)$")] | None = None
    timezone: Annotated[str, StringConstraints(max_length=64)] | None = None
    password_policy: PasswordPolicyPatch | None = None
    session_idle_minutes: int | None = Field(default=None, ge=5, le=43200)
    branding: BrandingPatch | None = None


def as_dict(model: BaseModel) -> dict[str, Any]:
    """Only the fields the client sent."""
    return model.model_dump(exclude_unset=True)
