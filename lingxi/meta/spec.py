"""Standard entity and field specifications, declared next to the ORM columns.

A column says what it is to users through ``info=F(...)``; a model says what entity it is through
``__entity__ = EntitySpec(...)``. The registry turns these into per-tenant metadata rows, API schemas,
validation, search indexing, import and export, so custom fields and standard fields travel one road.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

FieldType = Literal[
    "text",
    "long_text",
    "number",
    "integer",
    "currency",
    "percent",
    "date",
    "datetime",
    "boolean",
    "picklist",
    "multi_picklist",
    "email",
    "phone",
    "url",
    "lookup",
]
FIELD_TYPES: tuple[str, ...] = FieldType.__args__  # type: ignore[attr-defined]
TEXT_TYPES = frozenset({"text", "long_text", "email", "phone", "url", "picklist"})
NUMERIC_TYPES = frozenset({"number", "integer", "currency", "percent"})


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: str
    label_zh: str
    label_en: str
    required: bool = False
    unique: bool = False
    pattern: str | None = None
    options: tuple[str, ...] = ()
    lookup: str | None = None  # target entity name
    searchable: bool = False
    readonly: bool = False  # set by the system, never by a client
    max_length: int | None = None
    is_custom: bool = False
    default: Any = None

    def public(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "type": self.type,
            "label_zh": self.label_zh,
            "label_en": self.label_en,
            "required": self.required,
            "unique": self.unique,
            "pattern": self.pattern,
            "options": list(self.options),
            "lookup": self.lookup,
            "searchable": self.searchable,
            "readonly": self.readonly,
            "max_length": self.max_length,
            "is_custom": self.is_custom,
        }


def F(
    type: str,
    zh: str,
    en: str,
    *,
    required: bool = False,
    unique: bool = False,
    pattern: str | None = None,
    options: tuple[str, ...] | list[str] = (),
    lookup: str | None = None,
    search: bool = False,
    readonly: bool = False,
    default: Any = None,
) -> dict[str, Any]:
    """Column ``info`` describing a standard field."""
    assert type in FIELD_TYPES, type
    return {
        "field": {
            "type": type,
            "label_zh": zh,
            "label_en": en,
            "required": required,
            "unique": unique,
            "pattern": pattern,
            "options": tuple(options),
            "lookup": lookup,
            "searchable": search,
            "readonly": readonly,
            "default": default,
        }
    }


@dataclass(frozen=True)
class EntitySpec:
    name: str  # API name, plural: "accounts"
    label_zh: str
    label_en: str
    title_field: str = "name"
    parent: tuple[str, str] | None = None  # (parent entity, fk field): permissions follow the parent
    owned: bool = True
    searchable: bool = True
    importable: bool = True
    admin_only_write: bool = False
    default_sort: tuple[str, ...] = ("-created_at",)
    fields: tuple[FieldSpec, ...] = field(default=())
