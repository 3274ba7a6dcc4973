"""The registry of standard entities, built once from the ORM models' ``__entity__`` and column info."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

from sqlalchemy import String, inspect

from lingxi.meta.spec import EntitySpec, FieldSpec

# Fields every record has; readable, filterable and sortable, never written by clients.
SYSTEM_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("id", "text", "编号", "ID", readonly=True),
    FieldSpec("owner_id", "lookup", "负责人", "Owner", lookup="users"),
    FieldSpec("created_at", "datetime", "创建时间", "Created at", readonly=True),
    FieldSpec("updated_at", "datetime", "更新时间", "Updated at", readonly=True),
    FieldSpec("created_by_id", "lookup", "创建人", "Created by", lookup="users", readonly=True),
    FieldSpec("updated_by_id", "lookup", "修改人", "Updated by", lookup="users", readonly=True),
    FieldSpec("version", "integer", "版本", "Version", readonly=True),
)
SYSTEM_FIELD_NAMES = frozenset(f.name for f in SYSTEM_FIELDS)


@dataclass(frozen=True)
class Entity:
    spec: EntitySpec
    model: type[Any]
    fields: tuple[FieldSpec, ...]  # standard business fields, in declaration order

    @property
    def name(self) -> str:
        return self.spec.name

    @cached_property
    def field_map(self) -> dict[str, FieldSpec]:
        return {f.name: f for f in (*SYSTEM_FIELDS, *self.fields)}

    def column(self, name: str) -> Any:
        return getattr(self.model, name)


def _fields_of(model: type[Any]) -> tuple[FieldSpec, ...]:
    out = []
    for col in inspect(model).columns:
        meta = col.info.get("field")
        if not meta:
            continue
        max_length = col.type.length if isinstance(col.type, String) else None
        out.append(FieldSpec(name=col.key, max_length=max_length, **meta))
    return tuple(out)


class Registry:
    def __init__(self) -> None:
        self._entities: dict[str, Entity] = {}
        self._by_model: dict[type[Any], Entity] = {}

    def load(self) -> None:
        if self._entities:
            return
        from lingxi.models import RECORD_MODELS

        for model in RECORD_MODELS:
            spec: EntitySpec = model.__entity__
            fields = _fields_of(model)
            entity = Entity(spec=replace(spec, fields=fields), model=model, fields=fields)
            self._entities[spec.name] = entity
            self._by_model[model] = entity

    def get(self, name: str) -> Entity | None:
        self.load()
        return self._entities.get(name)

    def of_model(self, model: type[Any]) -> Entity | None:
        self.load()
        return self._by_model.get(model)

    def all(self) -> list[Entity]:
        self.load()
        return list(self._entities.values())

    def children_of(self, parent: str) -> list[tuple[Entity, str]]:
        """Entities with a lookup to ``parent``, with that field: the related lists."""
        out = []
        for entity in self.all():
            for f in entity.fields:
                if f.type == "lookup" and f.lookup == parent and not f.readonly:
                    out.append((entity, f.name))
        return out


registry = Registry()
