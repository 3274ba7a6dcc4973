"""/api/v1/meta: entities, the tenant's effective fields, custom fields, layouts and the schema of
the permission matrix. Reading is for every signed-in user; changing is for administrators."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Response
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from lingxi.deps import AdminActor, CurrentActor, DbSession
from lingxi.errors import error_responses
from lingxi.meta import admin
from lingxi.meta.spec import FieldSpec
from lingxi.org.schemas import _no_nul

router = APIRouter()

READ = error_responses(401, 403, 404)
WRITE = error_responses(401, 403, 404, 409, 422)
EntityName = Annotated[str, Path(max_length=64, pattern=r"^[a-z_]+$")]
FieldName = Annotated[str, Path(max_length=64, pattern=r"^[a-z][a-z0-9_]*$")]
LayoutName = Annotated[str, Path(max_length=100, pattern=r"^[A-Za-z0-9_-]+$")]
Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Option = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _refuse_nul(cls, value: Any) -> Any:
        return _no_nul(value)


class EntityOut(BaseModel):
    name: str
    label_zh: str
    label_en: str
    title_field: str
    parent: str | None
    parent_field: str | None
    owned: bool
    searchable: bool
    importable: bool
    admin_only_write: bool
    default_sort: list[str]
    related: list[str]
    permissions: dict[str, str] = Field(description="the caller's scope per action")


class FieldOut(BaseModel):
    name: str
    type: str
    label_zh: str
    label_en: str
    required: bool
    unique: bool
    pattern: str | None
    options: list[str]
    lookup: str | None
    searchable: bool
    readonly: bool = Field(description="set by the system, or read-only for the caller")
    masked: bool = False
    max_length: int | None
    is_custom: bool
    is_system: bool = False


class CustomFieldIn(_Strict):
    name: Annotated[str, StringConstraints(min_length=4, max_length=61)]
    type: str
    label_zh: Label
    label_en: Label
    required: bool = False
    unique: bool = False
    searchable: bool = False
    pattern: Annotated[str, StringConstraints(max_length=500)] | None = None
    options: list[Option] = Field(default_factory=list, max_length=500)
    lookup: Annotated[str, StringConstraints(max_length=64)] | None = None
    help_text: Annotated[str, StringConstraints(max_length=500)] | None = None
    position: int = Field(default=0, ge=0, le=10_000)


class FieldPatch(_Strict):
    label_zh: Label | None = None
    label_en: Label | None = None
    required: bool | None = None
    pattern: Annotated[str, StringConstraints(max_length=500)] | None = None
    options: list[Option] | None = Field(default=None, max_length=500)
    searchable: bool | None = None
    position: int | None = Field(default=None, ge=0, le=10_000)
    is_active: bool | None = None
    help_text: Annotated[str, StringConstraints(max_length=500)] | None = None


class Section(_Strict):
    title_zh: Annotated[str, StringConstraints(max_length=200)] = ""
    title_en: Annotated[str, StringConstraints(max_length=200)] = ""
    columns: int = Field(default=2, ge=1, le=4)
    fields: list[Annotated[str, StringConstraints(max_length=64)]] = Field(max_length=300)


class LayoutIn(_Strict):
    sections: list[Section] = Field(max_length=50)
    related: list[Annotated[str, StringConstraints(max_length=64)]] = Field(default_factory=list, max_length=50)
    list_columns: list[Annotated[str, StringConstraints(max_length=64)]] = Field(default_factory=list, max_length=50)


class LayoutOut(BaseModel):
    entity: str
    name: str
    sections: list[Section]
    related: list[str]
    list_columns: list[str]
    is_default: bool


class PermissionEntity(BaseModel):
    name: str
    label_zh: str
    label_en: str
    owned: bool
    parent: str | None
    scopes: list[str]


class PermissionsSchema(BaseModel):
    actions: list[str]
    scopes: list[str]
    field_rules: list[str]
    entities: list[PermissionEntity]


def _field_out(spec: FieldSpec) -> FieldOut:
    return FieldOut.model_validate({**spec.public(), "is_system": False})


@router.get("/entities", response_model=list[EntityOut], responses=READ, summary="The entities and the caller's access")
async def list_entities(actor: CurrentActor) -> Any:
    return admin.describe_entities(actor)


@router.get(
    "/permissions-schema",
    response_model=PermissionsSchema,
    responses=READ,
    summary="Entities × actions × scopes for a role editor",
)
async def permissions_schema(actor: CurrentActor) -> Any:
    return admin.permissions_schema()


@router.get(
    "/entities/{entity}/fields",
    response_model=list[FieldOut],
    responses=READ,
    summary="The entity's fields for this tenant and caller",
    description="Standard, overridden and custom fields; fields hidden from the caller are left out, masked and read-only ones flagged.",
)
async def list_fields(session: DbSession, actor: CurrentActor, entity: EntityName) -> Any:
    return await admin.effective_fields(session, actor, entity)


@router.post(
    "/entities/{entity}/fields",
    response_model=FieldOut,
    status_code=201,
    responses=WRITE,
    summary="Add a custom field",
    description="`name` must match `^cf_[a-z][a-z0-9_]{0,58}$`; picklists need `options`, lookups a `lookup` entity. An existing name is `field_exists` (409).",
)
async def create_field(session: DbSession, actor: AdminActor, entity: EntityName, body: CustomFieldIn) -> FieldOut:
    return _field_out(await admin.create_custom_field(session, actor, entity, body.model_dump()))


@router.patch(
    "/entities/{entity}/fields/{name}",
    response_model=FieldOut,
    responses=WRITE,
    summary="Change a field",
    description="Custom fields change in place; a standard field gets a tenant override. The type never changes.",
)
async def update_field(
    session: DbSession, actor: AdminActor, entity: EntityName, name: FieldName, body: FieldPatch
) -> FieldOut:
    return _field_out(await admin.update_field(session, actor, entity, name, body.model_dump(exclude_unset=True)))


@router.delete(
    "/entities/{entity}/fields/{name}", status_code=204, responses=WRITE, summary="Deactivate a custom field"
)
async def delete_field(session: DbSession, actor: AdminActor, entity: EntityName, name: FieldName) -> Response:
    await admin.deactivate_custom_field(session, actor, entity, name)
    return Response(status_code=204)


@router.get("/entities/{entity}/layouts/{name}", response_model=LayoutOut, responses=READ, summary="A page layout")
async def get_layout(session: DbSession, actor: CurrentActor, entity: EntityName, name: LayoutName) -> Any:
    return await admin.get_layout(session, actor, entity, name)


@router.put(
    "/entities/{entity}/layouts/{name}", response_model=LayoutOut, responses=WRITE, summary="Save a page layout"
)
async def put_layout(
    session: DbSession, actor: AdminActor, entity: EntityName, name: LayoutName, body: LayoutIn
) -> Any:
    return await admin.save_layout(session, actor, entity, name, body.model_dump())
