"""Generic record operations for every entity: list, get, create, update, delete, restore, bulk,
related lists. Permissions are SQL filters from ``lingxi.authz``; field rules hide, mask and
protect fields in every read and write; custom fields travel with standard ones."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.ext.asyncio import AsyncSession

import lingxi.records.rules  # noqa: F401  (registers the standard save rules)
from lingxi.authz import service as authz
from lingxi.errors import Forbidden, NotFound, ValidationFailed, VersionConflict
from lingxi.kit.models import utcnow
from lingxi.meta.registry import Entity, registry
from lingxi.meta.service import Problems, fields_for, to_json, validate_payload
from lingxi.meta.spec import FieldSpec
from lingxi.org.models import User
from lingxi.records import query as q
from lingxi.records.hooks import run_after_save, run_before_save
from lingxi.tenancy.context import Actor

MAX_BULK = 200
POLYMORPHIC_CHILDREN = ("activities", "calendar_events", "attachments")


@dataclass
class Page:
    data: list[dict[str, Any]]
    next_cursor: str | None
    total: int | None = None


@cache
def _columns(model: type[Any]) -> tuple[Any, ...]:
    return tuple(getattr(model, attr.key) for attr in sa_inspect(model).column_attrs)


@cache
def _column_index(model: type[Any]) -> dict[str, int]:
    """Where each attribute sits in a row of ``_columns(model)``."""
    return {attr.key: i for i, attr in enumerate(sa_inspect(model).column_attrs)}


_JSON = frozenset({str, int, float, bool})
# orjson writes UUIDs, aware datetimes and dates exactly as ``to_json`` does; reads that orjson renders
# keep them as they are.
_ORJSON = _JSON | {uuid.UUID, datetime, date}


def shape(
    rec: Any, plan: list[tuple[str, FieldSpec, bool]], as_is: frozenset[type] = _JSON, index: dict[str, int] | None = None
) -> dict[str, Any]:
    """``rec`` as the actor may see it, following ``plan`` (see ``RecordService.plan``): values of the
    types in ``as_is`` stay as they are, others go through ``to_json``. ``index``: ``rec`` is a row of
    ``_columns`` and is read by position (``_column_index``), cheaper than by attribute name."""
    out: dict[str, Any] = {}
    custom: dict[str, Any] | None = None
    for name, spec, masked in plan:
        if spec.is_custom:
            if custom is None:
                custom = (rec[index["custom"]] if index is not None else rec.custom) or {}
            value = custom.get(name)
        else:
            value = rec[index[name]] if index is not None else getattr(rec, name)
            if value is not None and type(value) not in as_is:
                value = to_json(spec.type, value)
        if masked:
            value = authz.mask_value(value, spec.type)
        out[name] = value
    return out


def entity_or_404(name: str) -> Entity:
    entity = registry.get(name)
    if entity is None:
        raise NotFound(f"unknown entity {name!r}", code="unknown_entity")
    return entity


class RecordService:
    def __init__(self, session: AsyncSession, actor: Actor, entity: Entity):
        self.session = session
        self.actor = actor
        self.entity = entity
        self.model = entity.model
        self._fields: dict[str, FieldSpec] | None = None

    # -- metadata and field security -------------------------------------------------------------

    async def fields(self) -> dict[str, FieldSpec]:
        if self._fields is None:
            assert self.actor.tenant_id is not None
            self._fields = await fields_for(self.session, self.actor.tenant_id, self.entity)
        return self._fields

    @property
    def rules(self) -> dict[str, str]:
        return authz.field_rules(self.actor, self.entity)

    async def plan(self, only: list[str] | None = None) -> list[tuple[str, FieldSpec, bool]]:
        """What a read returns: (field, spec, masked) for the fields the actor may see, in order."""
        fields = await self.fields()
        rules = self.rules
        return [
            (name, spec, rules.get(name) == "masked")
            for name, spec in fields.items()
            if (only is None or name in only or name == "id") and rules.get(name) != "hidden"
        ]

    async def serialize(self, rec: Any, only: list[str] | None = None) -> dict[str, Any]:
        """A record (an ORM object or a row of ``_columns``) as the actor may see it."""
        return shape(rec, await self.plan(only))

    def _check_writable(self, data: dict[str, Any]) -> None:
        rules = self.rules
        blocked = [k for k in data if rules.get(k) in ("hidden", "masked", "readonly")]
        if blocked:
            raise Forbidden(
                "you may not change these fields",
                code="field_readonly",
                details=[{"field": k, "code": "field_readonly", "message": rules[k]} for k in blocked],
            )

    # -- reading ---------------------------------------------------------------------------------

    def readable(self, action: str = "read") -> Select[Any]:
        return select(self.model).where(authz.scope_filter(self.actor, self.entity, action))

    async def _load(self, record_id: uuid.UUID, action: str = "read", *, deleted: bool = False) -> Any:
        authz.require(self.actor, self.entity, action)
        stmt = select(self.model).where(self.model.id == record_id, authz.scope_filter(self.actor, self.entity, "read"))
        if deleted:
            stmt = stmt.where(self.model.deleted_at.is_not(None)).execution_options(include_deleted=True)
        rec = (await self.session.scalars(stmt)).first()
        if rec is None:
            raise NotFound(f"{self.entity.name} {record_id} not found", code="record_not_found")
        if action != "read":
            allowed = await self.session.scalar(
                select(func.count())
                .select_from(self.model)
                .where(self.model.id == record_id, authz.scope_filter(self.actor, self.entity, action))
                .execution_options(include_deleted=deleted)
            )
            if not allowed:
                raise Forbidden(f"not allowed to {action} this record", code="permission_denied")
        return rec

    async def get(self, record_id: uuid.UUID, only: list[str] | None = None) -> dict[str, Any]:
        authz.require(self.actor, self.entity, "read")
        # A plain row, not an ORM object: reading needs no identity map or load events.
        stmt = select(*_columns(self.model)).where(
            self.model.id == record_id, authz.scope_filter(self.actor, self.entity, "read")
        )
        row = (await self.session.execute(stmt)).first()
        if row is None:
            raise NotFound(f"{self.entity.name} {record_id} not found", code="record_not_found")
        return shape(row, await self.plan(only), _ORJSON, _column_index(self.model))

    async def list(
        self,
        *,
        filter_spec: dict[str, Any] | None = None,
        sort: str | None = None,
        cursor: str | None = None,
        limit: int = 50,
        only: list[str] | None = None,
        keyword: str | None = None,
        deleted: bool = False,
        extra: ColumnElement[bool] | None = None,
        with_total: bool = False,
    ) -> Page:
        authz.require(self.actor, self.entity, "read")
        fields = await self.fields()
        rules = self.rules
        if only is not None:
            for name in only:
                if name not in fields or rules.get(name) == "hidden":
                    raise ValidationFailed(f"unknown field {name!r} in fields", code="unknown_field", details=[{"field": name}])
        where: list[ColumnElement[bool]] = [authz.scope_filter(self.actor, self.entity, "read")]
        if filter_spec:
            where.append(q.build_filter(self.entity, fields, rules, filter_spec))
        if extra is not None:
            where.append(extra)
        if keyword:
            from lingxi.search.service import matching_ids

            where.append(self.model.id.in_(matching_ids(self.actor, self.entity, keyword)))
        if deleted:
            where.append(self.model.deleted_at.is_not(None))
        keys = q.parse_sort(sort, self.entity, fields, rules)
        # Plain rows, not ORM objects: lists only read, and rows skip the identity map and load events.
        stmt = select(*_columns(self.model)).where(*where)
        if cursor:
            stmt = stmt.where(q.after_cursor(self.entity, keys, q.decode_cursor(cursor, len(keys))))
        stmt = stmt.order_by(*q.order_by(self.entity, keys)).limit(limit + 1)
        if deleted:
            stmt = stmt.execution_options(include_deleted=True)
        rows = list((await self.session.execute(stmt)).all())
        next_cursor = None
        if len(rows) > limit:
            rows = rows[:limit]
            next_cursor = q.encode_cursor(q.cursor_values(rows[-1], keys))
        total = None
        if with_total:
            count = select(func.count()).select_from(self.model).where(*where)
            total = int(await self.session.scalar(count.execution_options(include_deleted=deleted)) or 0)
        plan = await self.plan(only)
        index = _column_index(self.model)
        return Page([shape(r, plan, _ORJSON, index) for r in rows], next_cursor, total)

    async def related(self, record_id: uuid.UUID, child_name: str, **kw: Any) -> Page:
        await self._load(record_id)
        child = entity_or_404(child_name)
        links = [fk for ent, fk in registry.children_of(self.entity.name) if ent.name == child.name]
        conditions: list[ColumnElement[bool]] = [getattr(child.model, fk) == record_id for fk in links]
        if child.name in POLYMORPHIC_CHILDREN:
            conditions.append(and_(child.model.related_entity == self.entity.name, child.model.related_id == record_id))
        if not conditions:
            raise NotFound(f"{child_name} is not related to {self.entity.name}", code="unknown_relation")
        return await RecordService(self.session, self.actor, child).list(extra=or_(*conditions), **kw)

    # -- writing ---------------------------------------------------------------------------------

    async def _check_references(self, rec: Any, columns: dict[str, Any], custom: dict[str, Any]) -> None:
        fields = await self.fields()
        problems = Problems()
        for name, value in {**columns, **custom}.items():
            spec = fields[name]
            if value is None:
                continue
            if spec.type == "lookup" and spec.lookup:
                target_id = value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
                if spec.lookup == "users":
                    exists = await self.session.scalar(select(User.id).where(User.id == target_id, User.is_active.is_(True)))
                else:
                    target = registry.get(spec.lookup)
                    exists = target and await self.session.scalar(select(target.model.id).where(target.model.id == target_id))
                if not exists:
                    problems.add(name, "reference_not_found", f"no {spec.lookup} record {target_id}")
            if spec.unique:
                col = q.column_of(self.entity, spec)
                dup = await self.session.scalar(
                    select(self.model.id).where(col == value, self.model.id != rec.id).limit(1)
                )
                if dup is not None:
                    problems.add(name, "duplicate_value", "must be unique")
        if self.entity.name in POLYMORPHIC_CHILDREN:
            await self._check_related_target(rec, columns, problems)
        problems.raise_if_any()

    async def _check_related_target(self, rec: Any, columns: dict[str, Any], problems: Problems) -> None:
        ent_name = columns.get("related_entity", rec.related_entity)
        rel_id = columns.get("related_id", rec.related_id)
        if ent_name is None and rel_id is None:
            return
        target = registry.get(ent_name) if ent_name else None
        if target is None or rel_id is None:
            problems.add("related_entity", "invalid_reference", "related_entity and related_id name a record")
            return
        readable = await self.session.scalar(
            select(target.model.id).where(target.model.id == rel_id, authz.scope_filter(self.actor, target, "read"))
        )
        if not readable:
            problems.add("related_id", "reference_not_found", f"no readable {ent_name} record {rel_id}")

    async def _check_owner(self, owner_id: Any, scope: str) -> None:
        if owner_id is None or owner_id == self.actor.user_id:
            return
        if scope == "own" and not self.entity.spec.parent:
            raise Forbidden("you may only create records you own", code="owner_not_allowed", details=[{"field": "owner_id"}])

    async def create(self, data: dict[str, Any]) -> Any:
        scope = authz.require(self.actor, self.entity, "create")
        self._check_writable(data)
        fields = await self.fields()
        columns, custom = validate_payload(fields, data, creating=True)
        await self._check_owner(columns.get("owner_id"), scope)
        rec = self.model(id=uuid.uuid4(), tenant_id=self.actor.tenant_id, custom=custom)
        for spec in fields.values():
            if spec.default is not None and spec.name not in columns and not spec.is_custom:
                setattr(rec, spec.name, spec.default)
        for name, value in columns.items():
            setattr(rec, name, value)
        if self.entity.spec.owned and "owner_id" not in columns:
            rec.owner_id = self.actor.user_id
        rec.created_by_id = rec.updated_by_id = self.actor.user_id
        rec.created_at = rec.updated_at = utcnow()
        if self.entity.spec.parent:
            await self._check_parent_writable(rec)
        await self._check_references(rec, columns, custom)
        await run_before_save(self.session, self.actor, self.entity.name, rec, set(data), True)
        self.session.add(rec)
        await self.session.flush()
        await run_after_save(self.session, self.actor, self.entity.name, rec, set(data), True)
        return rec

    async def _check_parent_writable(self, rec: Any) -> None:
        assert self.entity.spec.parent
        parent_name, fk = self.entity.spec.parent
        parent = registry.get(parent_name)
        assert parent is not None
        parent_id = getattr(rec, fk)
        ok = await self.session.scalar(
            select(parent.model.id).where(parent.model.id == parent_id, authz.scope_filter(self.actor, parent, "update"))
        )
        if not ok:
            raise NotFound(f"{parent_name} {parent_id} not found or not editable", code="parent_not_found", details=[{"field": fk}])

    @staticmethod
    def _check_version(rec: Any, expected: int | None) -> None:
        if expected is not None and expected != rec.version:
            raise VersionConflict(
                "the record was changed by someone else; reload and try again",
                details={"current_version": rec.version, "your_version": expected},
            )

    async def update(self, record_id: uuid.UUID, data: dict[str, Any], expected_version: int | None = None) -> Any:
        rec = await self._load(record_id, "update")
        self._check_version(rec, expected_version)
        self._check_writable(data)
        fields = await self.fields()
        columns, custom = validate_payload(fields, data, creating=False)
        if "owner_id" in columns and columns["owner_id"] is None and self.entity.spec.owned:
            raise ValidationFailed("a record needs an owner", details=[{"field": "owner_id", "code": "required"}])
        for name, value in columns.items():
            setattr(rec, name, value)
        if custom:
            rec.custom = {**rec.custom, **custom}
        if self.entity.spec.parent and any(fk in columns for _, fk in [self.entity.spec.parent]):
            await self._check_parent_writable(rec)
        await self._check_references(rec, columns, custom)
        changed = set(data)
        await run_before_save(self.session, self.actor, self.entity.name, rec, changed, False)
        rec.updated_by_id = self.actor.user_id
        await self.session.flush()
        await run_after_save(self.session, self.actor, self.entity.name, rec, changed, False)
        return rec

    async def delete(self, record_id: uuid.UUID, expected_version: int | None = None) -> None:
        rec = await self._load(record_id, "delete")
        self._check_version(rec, expected_version)
        rec.deleted_at = utcnow()
        rec.deleted_by_id = self.actor.user_id
        rec.updated_by_id = self.actor.user_id
        await self.session.flush()
        await run_after_save(self.session, self.actor, self.entity.name, rec, {"deleted_at"}, False)

    async def restore(self, record_id: uuid.UUID) -> Any:
        rec = await self._load(record_id, "delete", deleted=True)
        rec.deleted_at = None
        rec.deleted_by_id = None
        rec.updated_by_id = self.actor.user_id
        await self.session.flush()
        await run_after_save(self.session, self.actor, self.entity.name, rec, {"deleted_at"}, False)
        return rec

    async def bulk_create(self, items: list[dict[str, Any]]) -> list[Any]:
        return await self._bulk(items, lambda item: self.create(item))

    async def bulk_update(self, items: list[dict[str, Any]]) -> list[Any]:
        async def one(item: dict[str, Any]) -> Any:
            item = dict(item)
            raw_id = item.pop("id", None)
            version = item.pop("version", None)
            try:
                record_id = uuid.UUID(str(raw_id))
            except ValueError as exc:
                raise ValidationFailed("each item needs its record id", details=[{"field": "id", "code": "required"}]) from exc
            return await self.update(record_id, item, version)

        return await self._bulk(items, one)

    async def _bulk(self, items: list[dict[str, Any]], op: Any) -> list[Any]:
        """All or nothing: the first bad item aborts the request and names its index."""
        if not items:
            raise ValidationFailed("no records given", code="empty_bulk")
        if len(items) > MAX_BULK:
            raise ValidationFailed(f"at most {MAX_BULK} records per request", code="bulk_too_large")
        out = []
        for index, item in enumerate(items):
            try:
                out.append(await op(item))
            except (ValidationFailed, Forbidden, NotFound, VersionConflict) as exc:
                exc.details = {"index": index, "errors": exc.details}
                exc.message = f"record {index}: {exc.message}"
                raise
        return out

