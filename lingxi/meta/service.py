"""Effective metadata of a tenant (code specs merged with the tenant's overrides and custom fields)
and validation of record payloads against it."""

from __future__ import annotations

import re
import time
import uuid
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlparse

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.errors import ValidationFailed
from lingxi.meta.models import FieldDef
from lingxi.meta.registry import SYSTEM_FIELDS, Entity, registry
from lingxi.meta.spec import FieldSpec

CUSTOM_PREFIX = "cf_"
CUSTOM_NAME_RE = re.compile(r"^cf_[a-z][a-z0-9_]{0,58}$")
PHONE_RE = re.compile(r"^\+?[0-9][0-9 ()\-]{3,30}$")
_CACHE_SECONDS = 10.0
_cache: dict[uuid.UUID, tuple[float, dict[str, dict[str, FieldSpec]]]] = {}


def invalidate(tenant_id: uuid.UUID | None = None) -> None:
    if tenant_id is None:
        _cache.clear()
    else:
        _cache.pop(tenant_id, None)


def custom_spec(d: FieldDef) -> FieldSpec:
    """The spec of a custom field from its definition row."""
    return FieldSpec(
        name=d.name,
        type=d.type,
        label_zh=d.label_zh,
        label_en=d.label_en,
        required=d.required,
        unique=d.unique,
        pattern=d.pattern,
        options=tuple(d.options or ()),
        lookup=d.lookup,
        searchable=d.searchable,
        is_custom=True,
    )


def _merge(entity: Entity, defs: list[FieldDef]) -> dict[str, FieldSpec]:
    fields: dict[str, FieldSpec] = {f.name: f for f in SYSTEM_FIELDS}
    fields.update({f.name: f for f in entity.fields})
    for d in sorted(defs, key=lambda d: d.position):
        if not d.is_active:
            if d.is_custom:
                fields.pop(d.name, None)
            continue
        if d.is_custom:
            fields[d.name] = custom_spec(d)
        elif d.name in fields and not fields[d.name].readonly:
            base = fields[d.name]
            fields[d.name] = replace(
                base,
                label_zh=d.label_zh or base.label_zh,
                label_en=d.label_en or base.label_en,
                required=base.required or d.required,
                pattern=d.pattern or base.pattern,
                options=tuple(d.options) if d.options else base.options,
            )
    return fields


async def fields_for(session: AsyncSession, tenant_id: uuid.UUID, entity: Entity) -> dict[str, FieldSpec]:
    """All fields of ``entity`` for the tenant: system, standard (with overrides) and custom."""
    now = time.monotonic()
    cached = _cache.get(tenant_id)
    if cached is None or now - cached[0] > _CACHE_SECONDS:
        rows = (await session.scalars(select(FieldDef).where(FieldDef.tenant_id == tenant_id))).all()
        by_entity: dict[str, list[FieldDef]] = {}
        for row in rows:
            by_entity.setdefault(row.entity, []).append(row)
        merged = {e.name: _merge(e, by_entity.get(e.name, [])) for e in registry.all()}
        cached = (now, merged)
        _cache[tenant_id] = cached
    return cached[1][entity.name]


class Problems:
    """Collects per-field validation problems and raises them together."""

    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []

    def add(self, field: str, code: str, message: str) -> None:
        self.items.append({"field": field, "code": code, "message": message})

    def raise_if_any(self, message: str = "some fields are invalid") -> None:
        if self.items:
            raise ValidationFailed(message, details=self.items)


def coerce(spec: FieldSpec, value: Any) -> Any:
    """Parse a client value for ``spec``; raises ValueError with a message on bad input."""
    if value is None or (isinstance(value, str) and value.strip() == "" and spec.type not in ("text", "long_text")):
        return None
    t = spec.type
    if t in ("text", "long_text", "picklist", "phone", "email", "url"):
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            raise ValueError("expected a string")
        text = str(value).strip() if t != "long_text" else str(value)
        if t == "text" and ("\x00" in text):
            raise ValueError("contains a NUL character")
        if spec.max_length and len(text) > spec.max_length:
            raise ValueError(f"at most {spec.max_length} characters")
        if t == "picklist" and spec.options and text not in spec.options:
            raise ValueError(f"must be one of {list(spec.options)}")
        if t == "email":
            try:
                text = validate_email(text, check_deliverability=False).normalized
            except EmailNotValidError as exc:
                raise ValueError(f"not a valid email address: {exc}") from exc
        if t == "phone" and not PHONE_RE.match(text):
            raise ValueError("not a valid phone number")
        if t == "url":
            parsed = urlparse(text if "://" in text else f"https://{text}")
            if parsed.scheme not in ("http", "https") or not parsed.netloc or " " in text:
                raise ValueError("not a valid http(s) URL")
        return text
    if t in ("number", "currency", "percent"):
        if isinstance(value, bool):
            raise ValueError("expected a number")
        try:
            number = Decimal(str(value))
        except InvalidOperation as exc:
            raise ValueError("expected a number") from exc
        if not number.is_finite() or abs(number) >= Decimal("1e16"):
            raise ValueError("number out of range")
        if t == "percent" and not (Decimal(-1000) <= number <= Decimal(1000)):
            raise ValueError("percent out of range")
        return number
    if t == "integer":
        if isinstance(value, bool):
            raise ValueError("expected an integer")
        try:
            number = Decimal(str(value))
        except InvalidOperation as exc:
            raise ValueError("expected an integer") from exc
        if number != number.to_integral_value() or abs(number) >= 2**53:
            raise ValueError("expected an integer")
        return int(number)
    if t == "boolean":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "1", "yes", "是"):
            return True
        if isinstance(value, str) and value.lower() in ("false", "0", "no", "否"):
            return False
        raise ValueError("expected true or false")
    if t == "date":
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value)[:10])
        except ValueError as exc:
            raise ValueError("expected a date YYYY-MM-DD") from exc
    if t == "datetime":
        if isinstance(value, datetime):
            parsed = value
        else:
            try:
                parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
            except ValueError as exc:
                raise ValueError("expected an ISO 8601 date-time") from exc
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        if not (1900 <= parsed.year <= 2999):
            raise ValueError("date-time out of range")
        return parsed
    if t == "multi_picklist":
        if isinstance(value, str):
            value = [v.strip() for v in value.split(";") if v.strip()]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError("expected a list of strings")
        bad = [v for v in value if spec.options and v not in spec.options]
        if bad:
            raise ValueError(f"unknown values {bad}; allowed {list(spec.options)}")
        return list(dict.fromkeys(value))
    if t == "lookup":
        try:
            return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
        except ValueError as exc:
            raise ValueError("expected a record id (UUID)") from exc
    raise ValueError(f"unsupported type {t}")


def to_json(spec_type: str, value: Any) -> Any:
    """A stored value as JSON (custom values are stored this way too)."""
    if value is None:
        return None
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, Decimal):
        return int(value) if spec_type == "integer" else float(value)
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def validate_payload(
    fields: dict[str, FieldSpec], data: dict[str, Any], *, creating: bool
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Split ``data`` into column values and custom values, parsed and checked against metadata.
    Raises ValidationFailed listing every bad field."""
    problems = Problems()
    columns: dict[str, Any] = {}
    custom: dict[str, Any] = {}
    for name, raw in data.items():
        spec = fields.get(name)
        if spec is None:
            problems.add(name, "unknown_field", "no such field")
            continue
        if spec.readonly or (name in ("id", "version")):
            problems.add(name, "field_readonly", "set by the system")
            continue
        try:
            value = coerce(spec, raw)
        except ValueError as exc:
            problems.add(name, "invalid_value", str(exc))
            continue
        if spec.pattern and isinstance(value, str) and value and not re.fullmatch(spec.pattern, value):
            problems.add(name, "pattern_mismatch", f"does not match {spec.pattern}")
            continue
        if spec.required and (value is None or value == "" or value == []):
            problems.add(name, "required", "is required")
            continue
        if spec.is_custom:
            custom[name] = to_json(spec.type, value)
        else:
            columns[name] = value
    if creating:
        for spec in fields.values():
            if spec.required and not spec.readonly and spec.name not in data and spec.default is None:
                problems.add(spec.name, "required", "is required")
    problems.raise_if_any()
    return columns, custom
