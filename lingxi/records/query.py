"""Filters, sorting and keyset (cursor) pagination for record lists.

Every field name goes through an allow-list (the entity's metadata minus what the actor may not
see); values are bound parameters. Nothing is pasted into SQL.
"""

from __future__ import annotations

import base64
import json
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Boolean, ColumnElement, Float, String, and_, case, cast, false, not_, or_, true

from lingxi.errors import BadRequest, Forbidden, ValidationFailed
from lingxi.meta.registry import Entity
from lingxi.meta.service import coerce, to_json
from lingxi.meta.spec import NUMERIC_TYPES, TEXT_TYPES, FieldSpec

OPERATORS = ("eq", "ne", "in", "nin", "contains", "starts_with", "gt", "gte", "lt", "lte", "between", "is_null")
MAX_IN = 500


@dataclass(frozen=True)
class SortKey:
    field: str
    desc: bool
    spec: FieldSpec


def column_of(entity: Entity, spec: FieldSpec) -> Any:
    """The SQL expression of a field: a column, or a typed JSON extraction for custom fields."""
    if not spec.is_custom:
        return getattr(entity.model, spec.name)
    element = entity.model.custom[spec.name]
    if spec.type in NUMERIC_TYPES:
        return element.as_float()
    if spec.type == "boolean":
        return element.as_boolean()
    if spec.type == "multi_picklist":
        return cast(element, String)
    return element.as_string()


def _visible_spec(fields: dict[str, FieldSpec], rules: dict[str, str], name: str, purpose: str) -> FieldSpec:
    spec = fields.get(name)
    if spec is None:
        raise ValidationFailed(f"unknown field {name!r} in {purpose}", code="unknown_field", details=[{"field": name}])
    if rules.get(name) in ("hidden", "masked"):
        raise Forbidden(f"field {name!r} cannot be used in {purpose}", code="field_forbidden", details=[{"field": name}])
    return spec


def _value(spec: FieldSpec, raw: Any) -> Any:
    if spec.type == "multi_picklist":
        return str(raw)
    if spec.name == "id" or spec.type == "lookup":
        try:
            return uuid.UUID(str(raw))
        except ValueError as exc:
            raise ValidationFailed(f"{spec.name}: expected a UUID", code="invalid_filter", details=[{"field": spec.name}]) from exc
    try:
        value = coerce(spec, raw)
    except ValueError as exc:
        raise ValidationFailed(f"{spec.name}: {exc}", code="invalid_filter", details=[{"field": spec.name}]) from exc
    if spec.is_custom:
        return to_json(spec.type, value)
    return value


def _condition(entity: Entity, spec: FieldSpec, op: str, raw: Any) -> ColumnElement[bool]:
    col = column_of(entity, spec)
    if op == "is_null":
        flag = raw if isinstance(raw, bool) else str(raw).lower() in ("true", "1", "yes")
        return col.is_(None) if flag else col.is_not(None)
    if op in ("in", "nin"):
        items = raw if isinstance(raw, list) else [v for v in str(raw).split(",") if v != ""]
        if len(items) > MAX_IN:
            raise ValidationFailed(f"at most {MAX_IN} values in 'in'", code="invalid_filter")
        values = [_value(spec, v) for v in items]
        if not values:
            return false() if op == "in" else true()
        return col.in_(values) if op == "in" else or_(col.not_in(values), col.is_(None))
    if op == "between":
        items = raw if isinstance(raw, list) else str(raw).split(",")
        if len(items) != 2:
            raise ValidationFailed("'between' takes two values", code="invalid_filter", details=[{"field": spec.name}])
        return col.between(_value(spec, items[0]), _value(spec, items[1]))
    if op in ("contains", "starts_with"):
        if spec.type not in TEXT_TYPES | {"multi_picklist", "long_text"}:
            raise ValidationFailed(f"'{op}' works on text fields", code="invalid_filter", details=[{"field": spec.name}])
        text = str(raw)
        target = cast(col, String) if not spec.is_custom else col
        if spec.type == "multi_picklist":
            return target.contains(json.dumps(text, ensure_ascii=False), autoescape=True)
        if op == "starts_with":
            return target.istartswith(text, autoescape=True)
        return target.icontains(text, autoescape=True)
    value = _value(spec, raw)
    if spec.type == "multi_picklist":
        raise ValidationFailed("use 'contains' on multi-picklists", code="invalid_filter", details=[{"field": spec.name}])
    if spec.is_custom and spec.type == "boolean":
        col = cast(col, Boolean)
    if spec.is_custom and spec.type in NUMERIC_TYPES:
        col = cast(col, Float)
    match op:
        case "eq":
            return col.is_(None) if value is None else col == value
        case "ne":
            return col.is_not(None) if value is None else or_(col != value, col.is_(None))
        case "gt":
            return col > value
        case "gte":
            return col >= value
        case "lt":
            return col < value
        case "lte":
            return col <= value
    raise ValidationFailed(f"unknown operator {op!r}; use one of {list(OPERATORS)}", code="invalid_filter")


def build_filter(
    entity: Entity, fields: dict[str, FieldSpec], rules: dict[str, str], spec: Any
) -> ColumnElement[bool]:
    """``{"amount": {"gte": 100}, "stage_id": "…", "$or": [{...}, {...}]}`` → a WHERE clause."""
    if not isinstance(spec, dict):
        raise ValidationFailed("filter must be a JSON object", code="invalid_filter")
    clauses: list[ColumnElement[bool]] = []
    for key, cond in spec.items():
        if key in ("$or", "$and"):
            if not isinstance(cond, list) or not cond:
                raise ValidationFailed(f"{key} takes a non-empty list", code="invalid_filter")
            parts = [build_filter(entity, fields, rules, c) for c in cond]
            clauses.append(or_(*parts) if key == "$or" else and_(*parts))
            continue
        if key == "$not":
            clauses.append(not_(build_filter(entity, fields, rules, cond)))
            continue
        field_spec = _visible_spec(fields, rules, key, "filter")
        if isinstance(cond, dict):
            if not cond:
                raise ValidationFailed(f"empty condition for {key!r}", code="invalid_filter")
            for op, raw in cond.items():
                if op not in OPERATORS:
                    raise ValidationFailed(
                        f"unknown operator {op!r}; use one of {list(OPERATORS)}", code="invalid_filter", details=[{"field": key}]
                    )
                clauses.append(_condition(entity, field_spec, op, raw))
        else:
            clauses.append(_condition(entity, field_spec, "eq", cond))
    return and_(true(), *clauses)


def parse_filter_params(params: list[tuple[str, str]], raw_json: str | None) -> dict[str, Any]:
    """Merge ``filter=<json>`` with ``filter[field][op]=value`` / ``filter[field]=value`` params."""
    spec: dict[str, Any] = {}
    if raw_json:
        try:
            spec = json.loads(raw_json)
        except json.JSONDecodeError as exc:
            raise ValidationFailed("filter is not valid JSON", code="invalid_filter") from exc
        if not isinstance(spec, dict):
            raise ValidationFailed("filter must be a JSON object", code="invalid_filter")
    for key, value in params:
        if not key.startswith("filter[") or not key.endswith("]"):
            continue
        parts = key[len("filter[") : -1].split("][")
        if len(parts) == 1:
            spec[parts[0]] = value
        elif len(parts) == 2:
            slot = spec.setdefault(parts[0], {})
            if not isinstance(slot, dict):
                slot = spec[parts[0]] = {"eq": slot}
            slot[parts[1]] = value
        else:
            raise ValidationFailed(f"bad filter parameter {key!r}", code="invalid_filter")
    return spec


def parse_sort(
    raw: str | None, entity: Entity, fields: dict[str, FieldSpec], rules: dict[str, str]
) -> list[SortKey]:
    names = [s.strip() for s in (raw or "").split(",") if s.strip()] or list(entity.spec.default_sort)
    if len(names) > 3:
        raise ValidationFailed("sort by at most 3 fields", code="invalid_sort")
    keys = []
    for name in names:
        desc = name.startswith("-")
        field_name = name.lstrip("-+")
        spec = _visible_spec(fields, rules, field_name, "sort")
        if spec.type in ("multi_picklist", "long_text"):
            raise ValidationFailed(f"cannot sort by {field_name!r}", code="invalid_sort", details=[{"field": field_name}])
        if field_name != "id":
            keys.append(SortKey(field_name, desc, spec))
    return keys


def _nullable(entity: Entity, key: SortKey) -> bool:
    if key.spec.is_custom:
        return True
    column = entity.model.__table__.columns.get(key.field)
    return column is None or bool(column.nullable)


def order_by(entity: Entity, keys: list[SortKey]) -> list[Any]:
    """Order clauses: NULLs always last, then ``id`` as the tie-breaker."""
    out: list[Any] = []
    for key in keys:
        col = column_of(entity, key.spec)
        if _nullable(entity, key):
            out.append(case((col.is_(None), 1), else_=0))
        out.append(col.desc() if key.desc else col.asc())
    last_desc = keys[-1].desc if keys else False
    out.append(entity.model.id.desc() if last_desc else entity.model.id.asc())
    return out


def encode_cursor(values: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values, default=str, ensure_ascii=False).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, n_keys: int) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadRequest("invalid cursor", code="invalid_cursor") from exc
    if not isinstance(values, list) or len(values) != n_keys + 1:
        raise BadRequest("cursor does not match this sort", code="invalid_cursor")
    return values


def after_cursor(entity: Entity, keys: list[SortKey], values: list[Any]) -> ColumnElement[bool]:
    """Rows strictly after the row whose sort values are ``values`` (last one is the id)."""
    last_desc = keys[-1].desc if keys else False
    try:
        last_id = uuid.UUID(str(values[-1]))
    except ValueError as exc:
        raise BadRequest("invalid cursor", code="invalid_cursor") from exc
    condition: ColumnElement[bool] = entity.model.id < last_id if last_desc else entity.model.id > last_id
    for key, raw in reversed(list(zip(keys, values[:-1], strict=True))):
        col = column_of(entity, key.spec)
        if raw is None:
            condition = and_(col.is_(None), condition)
            continue
        value = _value(key.spec, raw)
        beyond = col < value if key.desc else col > value
        parts = [beyond, and_(col == value, condition)]
        if _nullable(entity, key):
            parts.append(col.is_(None))
        condition = or_(*parts)
    return condition


def cursor_values(row: Any, keys: list[SortKey]) -> list[Any]:
    out = []
    for key in keys:
        value = row.custom.get(key.field) if key.spec.is_custom else getattr(row, key.field)
        out.append(to_json(key.spec.type, value))
    out.append(str(row.id))
    return out
