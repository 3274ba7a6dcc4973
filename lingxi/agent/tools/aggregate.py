"""Counts, sums and group-bys over CRM records, as SQL, within the caller's permissions.

Field names go through the entity's metadata and the caller's field rules (hidden and masked fields
cannot be grouped or summed: that would reveal them); values are bound parameters; the caller's scope
(``authz.scope_filter``) and the list filter language of ``lingxi.records.query`` narrow the rows.
"""

from __future__ import annotations

import uuid
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Integer, String, cast, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.authz import service as authz
from lingxi.errors import Forbidden, ValidationFailed
from lingxi.meta.registry import Entity, registry
from lingxi.meta.spec import NUMERIC_TYPES, FieldSpec
from lingxi.org.models import User
from lingxi.records import query as q
from lingxi.records.service import RecordService
from lingxi.tenancy.context import Actor

Metric = Literal["count", "sum", "avg", "min", "max"]
Bucket = Literal["day", "week", "month", "quarter", "year"]
GROUPABLE = frozenset({"picklist", "lookup", "boolean", "text", "integer", "date", "datetime", "email", "url", "phone"})
MAX_GROUPS = 200


class AggregateQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    metric: Metric = Field("count", description="count rows, or sum/avg/min/max of `field`")
    field: str | None = Field(None, max_length=64, description="Numeric field for sum/avg/min/max")
    group_by: str | None = Field(None, max_length=64, description="Field to group by (picklist, lookup, boolean, date...)")
    bucket: Bucket | None = Field(None, description="For a date/datetime group_by: the period of each group")
    filter: dict[str, Any] | None = Field(None, description='The list filter language, e.g. {"amount": {"gte": 1000}}')
    limit: int = Field(50, ge=1, le=MAX_GROUPS, description="Most groups returned (largest value first)")


class Group(BaseModel):
    key: Any = Field(description="The group's value (null for records without one)")
    label: str | None = Field(None, description="A readable name for lookup keys")
    count: int
    value: float | None = Field(description="The metric of the group")


class AggregateResult(BaseModel):
    entity: str
    metric: str
    field: str | None
    group_by: str | None
    total_count: int
    total_value: float | None
    groups: list[Group]
    truncated: bool = Field(False, description="More groups exist than were returned")


def _usable(fields: dict[str, FieldSpec], rules: dict[str, str], name: str, purpose: str) -> FieldSpec:
    spec = fields.get(name)
    if spec is None:
        raise ValidationFailed(f"unknown field {name!r} in {purpose}", code="unknown_field", details=[{"field": name}])
    if rules.get(name) in ("hidden", "masked"):
        raise Forbidden(f"field {name!r} cannot be used in {purpose}", code="field_forbidden", details=[{"field": name}])
    return spec


def _bucketed(col: Any, bucket: str, sqlite: bool) -> Any:
    if sqlite:
        fmt = {"day": "%Y-%m-%d", "week": "%Y-W%W", "month": "%Y-%m", "year": "%Y"}
        if bucket == "quarter":
            quarter = (cast(func.strftime("%m", col), Integer) + 2) / 3
            return func.strftime("%Y", col) + literal("-Q") + cast(quarter, String)
        return func.strftime(fmt[bucket], col)
    fmt = {"day": "YYYY-MM-DD", "week": 'IYYY-"W"IW', "month": "YYYY-MM", "quarter": 'YYYY-"Q"Q', "year": "YYYY"}
    return func.to_char(col, fmt[bucket])


async def _labels(session: AsyncSession, actor: Actor, spec: FieldSpec, keys: list[Any]) -> dict[str, str]:
    """Names of lookup targets the caller may read (others stay bare ids)."""
    ids = []
    for k in keys:
        try:
            ids.append(k if isinstance(k, uuid.UUID) else uuid.UUID(str(k)))
        except ValueError:
            continue
    if not ids or not spec.lookup:
        return {}
    if spec.lookup == "users":
        rows = await session.execute(select(User.id, User.name).where(User.id.in_(ids)))
        return {str(i): n for i, n in rows.all()}
    target = registry.get(spec.lookup)
    if target is None or authz.scope_of(actor, target, "read") == "none":
        return {}
    title = getattr(target.model, target.spec.title_field, None)
    if title is None or authz.field_rules(actor, target).get(target.spec.title_field) in ("hidden", "masked"):
        return {}
    rows = await session.execute(
        select(target.model.id, title).where(target.model.id.in_(ids), authz.scope_filter(actor, target, "read"))
    )
    return {str(i): str(n) for i, n in rows.all()}


def _number(value: Any) -> float | None:
    return None if value is None else round(float(value), 4)


async def aggregate(session: AsyncSession, actor: Actor, entity: Entity, query: AggregateQuery, *, sqlite: bool) -> AggregateResult:
    authz.require(actor, entity, "read")
    svc = RecordService(session, actor, entity)
    fields = await svc.fields()
    rules = svc.rules
    value_col = None
    if query.metric != "count":
        if not query.field:
            raise ValidationFailed(f"{query.metric} needs a numeric field", code="field_required", details=[{"field": "field"}])
        spec = _usable(fields, rules, query.field, "a metric")
        if spec.type not in NUMERIC_TYPES:
            raise ValidationFailed(f"{query.field!r} is not numeric", code="not_numeric", details=[{"field": query.field}])
        value_col = q.column_of(entity, spec)
    where = [authz.scope_filter(actor, entity, "read")]
    if query.filter:
        where.append(q.build_filter(entity, fields, rules, query.filter))
    agg = {"count": None, "sum": func.sum, "avg": func.avg, "min": func.min, "max": func.max}[query.metric]
    metric_expr = agg(value_col) if agg is not None else func.count()

    totals = (await session.execute(select(func.count(), metric_expr).select_from(entity.model).where(*where))).one()
    total_count = int(totals[0] or 0)
    total_value = float(total_count) if query.metric == "count" else _number(totals[1])
    groups: list[Group] = []
    truncated = False
    if query.group_by:
        gspec = _usable(fields, rules, query.group_by, "group_by")
        if gspec.type not in GROUPABLE:
            raise ValidationFailed(f"cannot group by a {gspec.type} field", code="not_groupable", details=[{"field": query.group_by}])
        key = q.column_of(entity, gspec)
        if query.bucket:
            if gspec.type not in ("date", "datetime") or gspec.is_custom:
                raise ValidationFailed("bucket works on standard date and datetime fields", code="invalid_bucket",
                                       details=[{"field": query.group_by}])
            key = _bucketed(key, query.bucket, sqlite)
        key = key.label("k")
        value = func.count() if query.metric == "count" else metric_expr
        stmt = (
            select(key, func.count().label("n"), value.label("v"))
            .select_from(entity.model)
            .where(*where)
            .group_by(key)
            .order_by(value.desc().nulls_last() if not sqlite else value.desc(), key)
            .limit(query.limit + 1)
        )
        rows = (await session.execute(stmt)).all()
        truncated = len(rows) > query.limit
        rows = rows[: query.limit]
        labels = await _labels(session, actor, gspec, [r[0] for r in rows]) if gspec.type == "lookup" else {}
        for k, n, v in rows:
            out_key = str(k) if isinstance(k, uuid.UUID) else (k.isoformat() if hasattr(k, "isoformat") else k)
            groups.append(Group(key=out_key, label=labels.get(str(k)), count=int(n),
                                value=float(n) if query.metric == "count" else _number(v)))
    return AggregateResult(
        entity=entity.name, metric=query.metric, field=query.field, group_by=query.group_by,
        total_count=total_count, total_value=total_value, groups=groups, truncated=truncated,
    )
