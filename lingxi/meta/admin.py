"""Administration of a tenant's metadata: custom fields, overrides of standard fields and page
layouts, plus the read views the UI builds itself from (entities, effective fields for the caller,
the permission matrix schema). Every change drops the tenant's metadata cache."""

from __future__ import annotations

import re
import uuid
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.authz import service as authz
from lingxi.errors import Conflict, NotFound, ValidationFailed
from lingxi.meta.models import FieldDef, Layout
from lingxi.meta.registry import SYSTEM_FIELD_NAMES, Entity, registry
from lingxi.meta.service import CUSTOM_NAME_RE, custom_spec, fields_for, invalidate
from lingxi.meta.spec import FIELD_TYPES, FieldSpec
from lingxi.tenancy.context import Actor

PICKLISTS = ("picklist", "multi_picklist")
MAX_PATTERN = 500
MAX_OPTIONS = 500
POLYMORPHIC_RELATED = ("activities", "attachments", "calendar_events")


def entity_or_404(name: str) -> Entity:
    entity = registry.get(name)
    if entity is None:
        raise NotFound(f"unknown entity {name!r}", code="unknown_entity")
    return entity


def _tenant(actor: Actor) -> uuid.UUID:
    assert actor.tenant_id is not None
    return actor.tenant_id


def _changed(session: AsyncSession, actor: Actor) -> None:
    """Drop the tenant's cached metadata now and again when the transaction ends, so that neither a
    rolled-back change nor a read taken in between outlives the transaction."""
    tenant_id = _tenant(actor)
    invalidate(tenant_id)
    for name in ("after_commit", "after_rollback"):
        event.listen(session.sync_session, name, lambda _s: invalidate(tenant_id), once=True)


# --- read views ----------------------------------------------------------------------------------------


def describe_entities(actor: Actor) -> list[dict[str, Any]]:
    out = []
    for entity in registry.all():
        spec = entity.spec
        out.append(
            {
                "name": spec.name,
                "label_zh": spec.label_zh,
                "label_en": spec.label_en,
                "title_field": spec.title_field,
                "parent": spec.parent[0] if spec.parent else None,
                "parent_field": spec.parent[1] if spec.parent else None,
                "owned": spec.owned,
                "searchable": spec.searchable,
                "importable": spec.importable,
                "admin_only_write": spec.admin_only_write,
                "default_sort": list(spec.default_sort),
                "related": [child.name for child, _ in registry.children_of(spec.name)],
                "permissions": {a: authz.scope_of(actor, entity, a) for a in authz.ACTIONS},
            }
        )
    return out


async def effective_fields(session: AsyncSession, actor: Actor, entity_name: str) -> list[dict[str, Any]]:
    """The tenant's fields of the entity as the caller sees them: hidden fields left out, masked and
    read-only ones flagged."""
    entity = entity_or_404(entity_name)
    authz.require(actor, entity, "read")
    fields = await fields_for(session, _tenant(actor), entity)
    rules = authz.field_rules(actor, entity)
    out = []
    for spec in fields.values():
        rule = rules.get(spec.name)
        if rule == "hidden":
            continue
        item = spec.public()
        item["masked"] = rule == "masked"
        item["readonly"] = spec.readonly or rule in ("readonly", "masked")
        item["is_system"] = spec.name in SYSTEM_FIELD_NAMES
        out.append(item)
    return out


def permissions_schema() -> dict[str, Any]:
    return {
        "actions": list(authz.ACTIONS),
        "scopes": list(authz.SCOPES),
        "field_rules": list(authz.FIELD_RULES),
        "entities": [
            {
                "name": e.name,
                "label_zh": e.spec.label_zh,
                "label_en": e.spec.label_en,
                "owned": e.spec.owned,
                "parent": e.spec.parent[0] if e.spec.parent else None,
                # Unowned entities have no owner to compare with: only none or all apply.
                "scopes": list(authz.SCOPES) if e.spec.owned else ["none", "all"],
            }
            for e in registry.all()
        ],
    }


# --- custom fields and overrides -----------------------------------------------------------------------


def _check_pattern(pattern: str | None, problems: list[dict[str, Any]]) -> None:
    if pattern is None:
        return
    if len(pattern) > MAX_PATTERN:
        problems.append({"field": "pattern", "code": "too_long", "message": f"at most {MAX_PATTERN} characters"})
        return
    try:
        re.compile(pattern)
    except re.error as exc:
        problems.append({"field": "pattern", "code": "invalid_pattern", "message": str(exc)})


def _check_options(field_type: str, options: list[str] | None, problems: list[dict[str, Any]]) -> None:
    if field_type in PICKLISTS:
        clean = [o for o in (options or []) if isinstance(o, str) and o.strip()]
        if not clean:
            problems.append({"field": "options", "code": "required", "message": "a picklist needs at least one value"})
        elif len(set(clean)) != len(clean) or len(clean) != len(options or []):
            problems.append(
                {"field": "options", "code": "invalid_value", "message": "values must be unique and non-empty"}
            )
        elif len(clean) > MAX_OPTIONS or any(len(o) > 200 for o in clean):
            problems.append(
                {"field": "options", "code": "too_long", "message": f"at most {MAX_OPTIONS} values of 200 characters"}
            )
    elif options:
        problems.append({"field": "options", "code": "invalid_value", "message": "only picklists have values"})


def _raise(problems: list[dict[str, Any]]) -> None:
    if problems:
        raise ValidationFailed("the field definition is invalid", code="invalid_field", details=problems)


async def _row(session: AsyncSession, entity: str, name: str) -> FieldDef | None:
    return await session.scalar(select(FieldDef).where(FieldDef.entity == entity, FieldDef.name == name))


async def create_custom_field(session: AsyncSession, actor: Actor, entity_name: str, data: dict[str, Any]) -> FieldSpec:
    entity = entity_or_404(entity_name)
    problems: list[dict[str, Any]] = []
    name = data["name"]
    if not CUSTOM_NAME_RE.match(name):
        problems.append(
            {"field": "name", "code": "invalid_name", "message": "cf_ followed by lower-case letters, digits or _"}
        )
    if data["type"] not in FIELD_TYPES:
        problems.append({"field": "type", "code": "invalid_value", "message": f"one of {list(FIELD_TYPES)}"})
    else:
        _check_options(data["type"], data.get("options"), problems)
    _check_pattern(data.get("pattern"), problems)
    if data["type"] == "lookup":
        if not data.get("lookup") or (data["lookup"] != "users" and registry.get(data["lookup"]) is None):
            problems.append({"field": "lookup", "code": "unknown_entity", "message": "a lookup needs a target entity"})
    elif data.get("lookup"):
        problems.append({"field": "lookup", "code": "invalid_value", "message": "only lookups have a target"})
    if data.get("unique") and data["type"] in ("multi_picklist", "boolean", "long_text"):
        problems.append(
            {"field": "unique", "code": "invalid_value", "message": f"a {data['type']} field cannot be unique"}
        )
    _raise(problems)
    if await _row(session, entity.name, name) is not None:
        raise Conflict(f"field {name!r} exists on {entity.name}", code="field_exists")
    row = FieldDef(
        tenant_id=_tenant(actor),
        entity=entity.name,
        name=name,
        type=data["type"],
        label_zh=data["label_zh"],
        label_en=data["label_en"],
        is_custom=True,
        required=bool(data.get("required")),
        unique=bool(data.get("unique")),
        searchable=bool(data.get("searchable")),
        pattern=data.get("pattern"),
        options=list(data.get("options") or []),
        lookup=data.get("lookup"),
        help_text=data.get("help_text"),
        position=int(data.get("position") or 0),
    )
    session.add(row)
    await session.flush()
    return await _fresh(session, actor, entity, name)


async def _fresh(session: AsyncSession, actor: Actor, entity: Entity, name: str) -> FieldSpec:
    _changed(session, actor)
    spec = (await fields_for(session, _tenant(actor), entity)).get(name)
    if spec is None:  # a deactivated custom field
        row = await _row(session, entity.name, name)
        assert row is not None
        return custom_spec(row)
    return spec


async def update_field(
    session: AsyncSession, actor: Actor, entity_name: str, name: str, data: dict[str, Any]
) -> FieldSpec:
    """Change a custom field, or store an override of a standard one (labels, required, pattern,
    picklist values). A field's type never changes and a field the code requires stays required."""
    entity = entity_or_404(entity_name)
    row = await _row(session, entity.name, name)
    standard = entity.field_map.get(name)
    problems: list[dict[str, Any]] = []
    if standard is None and (row is None or not row.is_custom):
        raise NotFound(f"no field {name!r} on {entity.name}", code="field_not_found")
    if standard is not None:
        if standard.readonly or name in SYSTEM_FIELD_NAMES:
            raise ValidationFailed(
                "system fields cannot be changed",
                code="field_readonly",
                details=[{"field": name, "code": "field_readonly"}],
            )
        if standard.required and data.get("required") is False:
            problems.append(
                {"field": "required", "code": "required_by_code", "message": "this standard field is always required"}
            )
        if "is_active" in data and data["is_active"] is not True:
            problems.append(
                {"field": "is_active", "code": "invalid_value", "message": "standard fields cannot be deactivated"}
            )
        if "options" in data and standard.type not in PICKLISTS and data["options"]:
            problems.append({"field": "options", "code": "invalid_value", "message": "only picklists have values"})
        if standard.type in PICKLISTS and data.get("options") is not None:
            _check_options(standard.type, data["options"], problems)
    else:
        assert row is not None
        if "options" in data:
            _check_options(row.type, data["options"], problems)
    _check_pattern(data.get("pattern"), problems)
    _raise(problems)
    if row is None:
        assert standard is not None
        row = FieldDef(
            tenant_id=_tenant(actor),
            entity=entity.name,
            name=name,
            type=standard.type,
            label_zh=standard.label_zh,
            label_en=standard.label_en,
            is_custom=False,
            required=standard.required,
            options=[],
        )
        session.add(row)
    for key in ("label_zh", "label_en", "help_text"):
        if data.get(key):
            setattr(row, key, data[key])
    for key in ("required", "searchable", "is_active"):
        if data.get(key) is not None:
            setattr(row, key, data[key])
    if "pattern" in data:
        row.pattern = data["pattern"] or None
    if data.get("options") is not None:
        row.options = list(data["options"])
    if data.get("position") is not None:
        row.position = data["position"]
    await session.flush()
    return await _fresh(session, actor, entity, name)


async def deactivate_custom_field(session: AsyncSession, actor: Actor, entity_name: str, name: str) -> None:
    """Soft delete: values stay in the records and come back if the field is reactivated."""
    entity = entity_or_404(entity_name)
    row = await _row(session, entity.name, name)
    if row is None or not row.is_custom:
        raise NotFound(f"no custom field {name!r} on {entity.name}", code="field_not_found")
    row.is_active = False
    await session.flush()
    _changed(session, actor)


# --- layouts -------------------------------------------------------------------------------------------


def _default_layout(entity: Entity, fields: dict[str, FieldSpec], name: str) -> dict[str, Any]:
    business = [f for f in fields if f not in SYSTEM_FIELD_NAMES or f == "owner_id"]
    return {
        "entity": entity.name,
        "name": name,
        "sections": [{"title_zh": "基本信息", "title_en": "Details", "columns": 2, "fields": business}],
        "related": [c.name for c, _ in registry.children_of(entity.name)],
        "list_columns": [entity.spec.title_field, "owner_id", "created_at"],
        "is_default": True,
    }


async def get_layout(session: AsyncSession, actor: Actor, entity_name: str, name: str) -> dict[str, Any]:
    entity = entity_or_404(entity_name)
    authz.require(actor, entity, "read")
    fields = await fields_for(session, _tenant(actor), entity)
    row = await session.scalar(select(Layout).where(Layout.entity == entity.name, Layout.name == name))
    hidden = {f for f, r in authz.field_rules(actor, entity).items() if r == "hidden"}
    if row is None:
        layout = _default_layout(entity, fields, name)
    else:
        layout = {
            "entity": entity.name,
            "name": row.name,
            "sections": row.sections,
            "related": row.related,
            "list_columns": row.list_columns,
            "is_default": False,
        }
    # Fields removed since the layout was saved, and fields hidden from the caller, are left out.
    visible = set(fields) - hidden
    layout["sections"] = [{**s, "fields": [f for f in s.get("fields", []) if f in visible]} for s in layout["sections"]]
    layout["list_columns"] = [f for f in layout["list_columns"] if f in visible]
    return layout


async def save_layout(
    session: AsyncSession, actor: Actor, entity_name: str, name: str, data: dict[str, Any]
) -> dict[str, Any]:
    entity = entity_or_404(entity_name)
    fields = await fields_for(session, _tenant(actor), entity)
    allowed_related = {c.name for c, _ in registry.children_of(entity.name)} | set(POLYMORPHIC_RELATED)
    problems: list[dict[str, Any]] = []
    seen: set[str] = set()
    for i, section in enumerate(data["sections"]):
        for f in section["fields"]:
            if f not in fields:
                problems.append(
                    {"field": f"sections[{i}].fields", "code": "unknown_field", "message": f"no field {f!r}"}
                )
            elif f in seen:
                problems.append(
                    {"field": f"sections[{i}].fields", "code": "duplicate", "message": f"{f!r} appears twice"}
                )
            seen.add(f)
    for f in data["list_columns"]:
        if f not in fields:
            problems.append({"field": "list_columns", "code": "unknown_field", "message": f"no field {f!r}"})
    for r in data["related"]:
        if r not in allowed_related:
            problems.append(
                {"field": "related", "code": "unknown_related", "message": f"{r!r} is not related to {entity.name}"}
            )
    if problems:
        raise ValidationFailed("the layout is invalid", code="invalid_layout", details=problems)
    row = await session.scalar(select(Layout).where(Layout.entity == entity.name, Layout.name == name))
    if row is None:
        row = Layout(tenant_id=_tenant(actor), entity=entity.name, name=name)
        session.add(row)
    row.sections = data["sections"]
    row.related = list(dict.fromkeys(data["related"]))
    row.list_columns = list(dict.fromkeys(data["list_columns"]))
    await session.flush()
    return await get_layout(session, actor, entity_name, name)
