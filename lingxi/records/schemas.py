"""OpenAPI schemas of each entity, built from its field specs. Custom fields (``cf_*``) are extra
properties; the tenant's metadata validates them at run time."""

from __future__ import annotations

import uuid
from functools import cache
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema, create_model

from lingxi.meta.registry import SYSTEM_FIELDS, Entity
from lingxi.meta.spec import FieldSpec

_OUT_TYPES: dict[str, Any] = {
    "text": str,
    "long_text": str,
    "email": str,
    "phone": str,
    "url": str,
    "picklist": str,
    "number": float,
    "currency": float,
    "percent": float,
    "integer": int,
    "boolean": bool,
    "multi_picklist": list[str],
    "lookup": str,
    "date": str,
    "datetime": str,
}


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


_JSON_TYPES: dict[str, dict[str, Any]] = {
    "number": {"type": "number"},
    "currency": {"type": "number"},
    "percent": {"type": "number"},
    "integer": {"type": "integer"},
    "date": {"type": "string", "format": "date"},
    "datetime": {"type": "string", "format": "date-time"},
    "boolean": {"type": "boolean"},
    "multi_picklist": {"type": "array", "items": {"type": "string"}},
    "lookup": {"type": "string", "format": "uuid"},
}


def _input_field(spec: FieldSpec) -> tuple[Any, Any]:
    """Documented with its real type but parsed leniently: the tenant's metadata validates every
    field at once, so a form with three mistakes hears about all three."""
    schema = dict(_JSON_TYPES.get(spec.type, {"type": "string"}))
    if spec.max_length and schema["type"] == "string":
        schema["maxLength"] = spec.max_length
    if spec.type == "picklist" and spec.options:
        schema["examples"] = [spec.options[0]]
    schema = {"anyOf": [schema, {"type": "null"}], "description": f"{spec.label_zh} / {spec.label_en}"}
    return (Annotated[Any, WithJsonSchema(schema)], Field(default=None))


_OWNER = next(f for f in SYSTEM_FIELDS if f.name == "owner_id")


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


@cache
def create_schema(entity: Entity) -> type[BaseModel]:
    fields = {s.name: _input_field(s) for s in entity.fields if not s.readonly}
    fields["owner_id"] = _input_field(_OWNER)
    return create_model(f"{_camel(entity.name)}Create", __base__=_Open, **fields)


@cache
def update_schema(entity: Entity) -> type[BaseModel]:
    fields = {s.name: _input_field(s) for s in entity.fields if not s.readonly}
    fields["owner_id"] = _input_field(_OWNER)
    fields["version"] = (
        Annotated[Any, WithJsonSchema({"anyOf": [{"type": "integer"}, {"type": "null"}], "description": "Expected version; a stale one gets 409"})],
        Field(default=None),
    )
    return create_model(f"{_camel(entity.name)}Update", __base__=_Open, **fields)


@cache
def read_schema(entity: Entity) -> type[BaseModel]:
    fields: dict[str, Any] = {}
    for s in (*SYSTEM_FIELDS, *entity.fields):
        out = _OUT_TYPES[s.type]
        fields[s.name] = (out | None, Field(default=None, description=f"{s.label_zh} / {s.label_en}"))
    return create_model(f"{_camel(entity.name)}Record", __base__=_Open, **fields)


@cache
def page_schema(entity: Entity) -> type[BaseModel]:
    return create_model(
        f"{_camel(entity.name)}Page",
        data=(list[read_schema(entity)], ...),  # type: ignore[valid-type]
        next_cursor=(str | None, None),
        total=(int | None, None),
    )


class BulkResult(BaseModel):
    data: list[dict[str, Any]]


class ShareIn(BaseModel):
    user_id: uuid.UUID | None = None
    team_id: uuid.UUID | None = None
    access: str = Field("read", pattern="^(read|edit)$")


class ShareOut(BaseModel):
    id: uuid.UUID
    user_id: uuid.UUID | None
    team_id: uuid.UUID | None
    access: str


class TagIn(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    color: str | None = Field(None, pattern=r"^#[0-9a-fA-F]{6}$")


class TagOut(BaseModel):
    id: uuid.UUID
    name: str
    color: str | None
