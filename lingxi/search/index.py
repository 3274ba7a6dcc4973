"""Keeps the search index in step with the records, inside the transaction that changes them.

After every flush, each new or changed record of a searchable entity gets its index rows rewritten:
only the fields that changed, or all of them when it is created or restored. A soft-deleted or deleted
record loses its rows. Rows are written with Core statements and an explicit ``tenant_id``; they never
pass through the ORM, so indexing a flush costs a few DELETEs and one multi-row INSERT.

Statements that bypass the unit of work (``insert(Model).values([...])``, bulk ``update``) do not reach
these hooks: call :func:`reindex` after them.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, event, insert, inspect, select
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, UOWTransaction

from lingxi.kit.models import RecordMixin
from lingxi.meta.registry import Entity, registry
from lingxi.search.models import SearchTerm
from lingxi.search.tokenize import term_counts

TITLE_WEIGHT = 3.0
LONG_TEXT_WEIGHT = 0.6
FIELD_WEIGHT = 1.0
_TF_K = 1.2  # BM25's term-frequency saturation
REINDEX_BATCH = 2000
INSERT_BATCH = 10000

search_term = SearchTerm.__table__


@dataclass(frozen=True, eq=False)
class Indexed:
    """What the index needs to know about one searchable entity (one instance per entity)."""

    entity: Entity
    fields: tuple[str, ...]
    weights: Mapping[str, float]

    @property
    def name(self) -> str:
        return self.entity.name


_indexed_cache: dict[type[Any], Indexed | None] = {}


def indexed_of(model: type[Any]) -> Indexed | None:
    if model not in _indexed_cache:
        entity = registry.of_model(model)
        _indexed_cache[model] = _describe(entity) if entity is not None and entity.spec.searchable else None
    return _indexed_cache[model]


def _describe(entity: Entity) -> Indexed | None:
    fields = tuple(f.name for f in entity.fields if f.searchable)
    if not fields:
        return None
    weights = {
        f.name: TITLE_WEIGHT
        if f.name == entity.spec.title_field
        else LONG_TEXT_WEIGHT
        if f.type == "long_text"
        else FIELD_WEIGHT
        for f in entity.fields
        if f.searchable
    }
    return Indexed(entity=entity, fields=fields, weights=weights)


def searchable_entities() -> list[Indexed]:
    out = []
    for entity in registry.all():
        ix = indexed_of(entity.model)
        if ix is not None:
            out.append(ix)
    return out


def custom_texts(custom: Mapping[str, Any] | None) -> dict[str, str]:
    """The string values of a record's custom fields (lists of strings joined), keyed by field name."""
    out: dict[str, str] = {}
    for key, value in (custom or {}).items():
        if isinstance(value, str):
            text = value
        elif isinstance(value, list | tuple):
            text = " ".join(v for v in value if isinstance(v, str))
        else:
            continue
        if text.strip():
            out[str(key)[:64]] = text
    return out


def term_rows(
    ix: Indexed, tenant_id: uuid.UUID, record_id: uuid.UUID, texts: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """Index rows for the given ``{field: value}`` of one record."""
    rows = []
    for name, value in texts.items():
        if value is None:
            continue
        base = ix.weights.get(name, FIELD_WEIGHT)
        for term, tf in term_counts(str(value)).items():
            rows.append(
                {
                    "tenant_id": tenant_id,
                    "entity": ix.name,
                    "record_id": record_id,
                    "field": name,
                    "term": term,
                    "weight": round(base * tf * (_TF_K + 1) / (tf + _TF_K), 4),
                }
            )
    return rows


@dataclass
class _Changes:
    drop_all: dict[tuple[uuid.UUID, str], list[uuid.UUID]] = field(default_factory=dict)
    drop_fields: list[tuple[uuid.UUID, Indexed, uuid.UUID, frozenset[str], bool]] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.drop_all or self.drop_fields or self.rows)

    def drop(self, tenant_id: uuid.UUID, ix: Indexed, record_id: uuid.UUID) -> None:
        self.drop_all.setdefault((tenant_id, ix.name), []).append(record_id)

    def add_all(self, tenant_id: uuid.UUID, ix: Indexed, obj: Any) -> None:
        texts: dict[str, Any] = {name: getattr(obj, name) for name in ix.fields}
        texts.update(custom_texts(obj.custom))
        self.rows.extend(term_rows(ix, tenant_id, obj.id, texts))

    def apply(self, conn: Connection) -> None:
        st = search_term.c
        for (tenant_id, entity), ids in self.drop_all.items():
            conn.execute(
                delete(search_term).where(st.tenant_id == tenant_id, st.entity == entity, st.record_id.in_(ids))
            )
        for tenant_id, ix, record_id, fields, custom in self.drop_fields:
            where = [st.tenant_id == tenant_id, st.entity == ix.name, st.record_id == record_id]
            if custom:
                conn.execute(delete(search_term).where(*where, st.field.notin_(ix.fields)))
            if fields:
                conn.execute(delete(search_term).where(*where, st.field.in_(fields)))
        for start in range(0, len(self.rows), INSERT_BATCH):
            conn.execute(insert(search_term), self.rows[start : start + INSERT_BATCH])


def _collect(session: Session) -> _Changes:
    changes = _Changes()
    for obj in session.new:
        ix = indexed_of(type(obj)) if isinstance(obj, RecordMixin) else None
        if ix is not None and obj.deleted_at is None:
            changes.add_all(obj.tenant_id, ix, obj)
    for obj in session.dirty:
        ix = indexed_of(type(obj)) if isinstance(obj, RecordMixin) else None
        if ix is not None:
            _collect_update(changes, ix, obj)
    for obj in session.deleted:
        ix = indexed_of(type(obj)) if isinstance(obj, RecordMixin) else None
        if ix is not None:
            changes.drop(obj.tenant_id, ix, obj.id)
    return changes


def _collect_update(changes: _Changes, ix: Indexed, obj: Any) -> None:
    attrs = inspect(obj).attrs
    if attrs.deleted_at.history.has_changes():
        changes.drop(obj.tenant_id, ix, obj.id)
        if obj.deleted_at is None:  # restored
            changes.add_all(obj.tenant_id, ix, obj)
        return
    if obj.deleted_at is not None:
        return
    changed = frozenset(name for name in ix.fields if attrs[name].history.has_changes())
    custom_changed = attrs.custom.history.has_changes()
    if not changed and not custom_changed:
        return
    changes.drop_fields.append((obj.tenant_id, ix, obj.id, changed, custom_changed))
    texts: dict[str, Any] = {name: getattr(obj, name) for name in changed}
    if custom_changed:
        texts.update(custom_texts(obj.custom))
    changes.rows.extend(term_rows(ix, obj.tenant_id, obj.id, texts))


@event.listens_for(Session, "after_flush")
def _sync_index(session: Session, flush_context: UOWTransaction) -> None:
    changes = _collect(session)
    if changes:
        changes.apply(session.connection())


async def reindex(session: AsyncSession, tenant_id: uuid.UUID, entity_name: str | None = None) -> int:
    """Rebuild the index of one tenant (all searchable entities, or one), e.g. after bulk inserts
    that bypassed the unit of work. Reads records in keyset batches and writes rows in large
    multi-row inserts. Returns the number of index rows written."""
    if entity_name is None:
        targets = searchable_entities()
    else:
        entity = registry.get(entity_name)
        ix = indexed_of(entity.model) if entity is not None else None
        targets = [ix] if ix is not None else []
    st = search_term.c
    written = 0
    for ix in targets:
        await session.execute(delete(search_term).where(st.tenant_id == tenant_id, st.entity == ix.name))
        written += await _index_entity(session, tenant_id, ix)
    await refresh_statistics(session, [search_term.name, *(ix.entity.model.__tablename__ for ix in targets)])
    return written


async def refresh_statistics(session: AsyncSession, tables: Iterable[str]) -> None:
    """Refresh the planner's statistics after a bulk load. Without them SQLite may answer
    ``id IN (...) AND tenant_id = ?`` through a tenant index, reading the whole tenant."""
    conn = await session.connection()
    quote = conn.dialect.identifier_preparer.quote
    if conn.dialect.name == "sqlite":
        await conn.exec_driver_sql("PRAGMA analysis_limit=1000")
    for table in dict.fromkeys(tables):
        await conn.exec_driver_sql(f"ANALYZE {quote(table)}")


async def _index_entity(session: AsyncSession, tenant_id: uuid.UUID, ix: Indexed) -> int:
    model = ix.entity.model
    columns = [model.id, model.custom, *(getattr(model, name) for name in ix.fields)]
    written = 0
    pending: list[dict[str, Any]] = []
    last_id: uuid.UUID | None = None
    while True:
        stmt = (
            select(*columns)
            .where(model.tenant_id == tenant_id, model.deleted_at.is_(None))
            .order_by(model.id)
            .limit(REINDEX_BATCH)
        )
        if last_id is not None:
            stmt = stmt.where(model.id > last_id)
        batch = (await session.execute(stmt)).all()
        if not batch:
            break
        for row in batch:
            texts: dict[str, Any] = dict(zip(ix.fields, row[2:], strict=True))
            texts.update(custom_texts(row[1]))
            pending.extend(term_rows(ix, tenant_id, row[0], texts))
        last_id = batch[-1][0]
        if len(pending) >= INSERT_BATCH:
            written += await _insert(session, pending)
            pending = []
    if pending:
        written += await _insert(session, pending)
    return written


async def _insert(session: AsyncSession, rows: Iterable[dict[str, Any]]) -> int:
    rows = list(rows)
    await session.execute(insert(search_term), rows)
    return len(rows)
