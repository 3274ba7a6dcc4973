"""Global search across the entities an actor may read, and keyword filtering for record lists."""

from __future__ import annotations

import math
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from lingxi.authz.service import field_rules, mask_value, scope_of
from lingxi.db import TenantContextMissing
from lingxi.errors import ValidationFailed
from lingxi.meta.registry import Entity, registry
from lingxi.search import repository
from lingxi.search.index import Indexed, indexed_of, searchable_entities
from lingxi.search.tokenize import normalize, query_terms
from lingxi.tenancy.context import Actor

MAX_LIMIT = 100
SNIPPET_BEFORE = 30
SNIPPET_LENGTH = 120


@dataclass
class HitField:
    field: str
    snippet: str


@dataclass
class Hit:
    entity: str
    id: uuid.UUID
    title: str | None
    score: float
    matched_terms: int
    fields: list[HitField] = field(default_factory=list)


def resolve_entities(names: Sequence[str] | None) -> list[Indexed]:
    """The searchable entities named (all of them when ``names`` is empty); unknown names are an error."""
    if not names:
        return searchable_entities()
    out: list[Indexed] = []
    unknown = []
    for name in names:
        entity = registry.get(name)
        ix = indexed_of(entity.model) if entity is not None else None
        if ix is None:
            unknown.append(name)
        elif ix not in out:
            out.append(ix)
    if unknown:
        raise ValidationFailed("unknown or unsearchable entity", code="unknown_entity", details={"entities": unknown})
    return out


def _tenant_of(actor: Actor) -> uuid.UUID:
    if actor.tenant_id is None:
        raise TenantContextMissing("search needs a tenant")
    return actor.tenant_id


async def search(
    session: AsyncSession,
    actor: Actor,
    q: str,
    *,
    entities: Sequence[str] | None = None,
    limit: int = 20,
) -> list[Hit]:
    """Records of the entities the actor may read that match ``q``, best first.

    A record ranks by how many distinct query terms it matches, then by the sum of its matching
    terms' weights (title field above others, exact above prefix) times each term's rarity (idf)."""
    tenant_id = _tenant_of(actor)
    targets = [ix for ix in resolve_entities(entities) if scope_of(actor, ix.entity, "read") != "none"]
    terms = query_terms(q)
    if not targets or not terms:
        return []
    limit = max(1, min(limit, MAX_LIMIT))
    # Index-only statements run on the connection: they name the tenant themselves and need no ORM.
    conn = await session.connection()
    probe, params = repository.probe(actor, tenant_id, targets, terms)
    counts = (await conn.execute(probe, params)).one()
    found_pairs = repository.probes(targets, terms, counts)
    if not found_pairs:
        return []
    idfs = _idfs(found_pairs, len(terms), len(targets))
    # Core, not the ORM: the statement names the tenant on every table it reads (the windows join
    # each entity with tenant_id = :tenant_id, and scope_filter's subqueries name it too).
    stmt, params = repository.ranked(actor, tenant_id, found_pairs, terms, idfs, limit)
    rows = (await conn.execute(stmt, params)).all()
    if not rows:
        return []
    by_name = {ix.name: ix for ix in targets}
    found: dict[Indexed, list[uuid.UUID]] = {}
    for row in rows:
        found.setdefault(by_name[row.entity], []).append(row.record_id)
    fields = await _matched_fields(conn, actor, tenant_id, found, terms)
    records = await _load(session, found)
    hits = []
    for row in rows:
        record = records.get((row.entity, row.record_id))
        if record is None:  # deleted between the two queries
            continue
        ix = by_name[row.entity]
        hits.append(
            Hit(
                entity=row.entity,
                id=row.record_id,
                title=_title(actor, ix.entity, record),
                score=round(float(row.score), 4),
                matched_terms=int(row.matched),
                fields=_hit_fields(actor, ix.entity, record, fields.get((row.entity, row.record_id), {}), terms),
            )
        )
    return hits


def matching_ids(actor: Actor, entity: Entity | str, q: str) -> Select:
    """A subquery of the ids of ``entity`` records matching every term of ``q`` through fields the
    actor may see in clear, for ``Model.id.in_(matching_ids(...))`` in record lists. It does not
    apply the read scope: the list query does that."""
    name = entity if isinstance(entity, str) else entity.name
    ent = registry.get(name)
    ix = indexed_of(ent.model) if ent is not None else None
    tenant_id = _tenant_of(actor)
    terms = query_terms(q)
    if ix is None or not terms:
        return repository.no_ids()
    return repository.ids_matching_all(actor, tenant_id, ix, terms)


def _idfs(found: list[repository.Probe], n_terms: int, n_entities: int) -> list[float]:
    """BM25's idf from each term's (capped) count of matching index rows; one term needs none."""
    if n_terms == 1:
        return [1.0]
    df = [0] * n_terms
    for p in found:
        df[p.qi] += p.rows
    n = float(repository.PROBE_CAP * n_entities)
    return [math.log(1.0 + (n - d + 0.5) / (d + 0.5)) + 0.1 for d in df]


async def _matched_fields(
    conn: AsyncConnection, actor: Actor, tenant_id: uuid.UUID, found: dict[Indexed, list[uuid.UUID]], terms: list[str]
) -> dict[tuple[str, uuid.UUID], dict[str, list[str]]]:
    """Per found record, its visible fields with index terms matching the query."""
    out: dict[tuple[str, uuid.UUID], dict[str, list[str]]] = {}
    for ix, ids in found.items():
        invisible = set(repository.invisible_fields(actor, ix))
        stmt, params = repository.matched_rows(tenant_id, ix, ids, terms)
        for record_id, name, term in (await conn.execute(stmt, params)).all():
            if name in invisible:
                continue
            out.setdefault((ix.name, record_id), {}).setdefault(name, []).append(term)
    return out


async def _load(
    session: AsyncSession, found: dict[Indexed, list[uuid.UUID]]
) -> dict[tuple[str, uuid.UUID], dict[str, Any]]:
    """The title and searchable values of the found records (through the ORM, so the tenant wall
    and the soft-delete filter apply once more)."""
    records: dict[tuple[str, uuid.UUID], dict[str, Any]] = {}
    for ix, ids in found.items():
        model = ix.entity.model
        names = list(dict.fromkeys((ix.entity.spec.title_field, *ix.fields)))
        stmt = select(model.id, model.custom, *(getattr(model, n) for n in names)).where(model.id.in_(ids))
        for row in (await session.execute(stmt)).all():
            values = dict(row[1] or {})
            values.update(zip(names, row[2:], strict=True))
            records[(ix.name, row[0])] = values
    return records


def _title(actor: Actor, entity: Entity, record: dict[str, Any]) -> str | None:
    name = entity.spec.title_field
    rule = field_rules(actor, entity).get(name)
    value = record.get(name)
    if rule == "hidden" or value is None:
        return None
    spec = entity.field_map.get(name)
    if rule == "masked":
        return str(mask_value(value, spec.type if spec else "text"))
    return str(value)


def _hit_fields(
    actor: Actor, entity: Entity, record: dict[str, Any], matched: dict[str, list[str]], terms: list[str]
) -> list[HitField]:
    rules = field_rules(actor, entity)
    order = {f.name: i for i, f in enumerate(entity.fields)}
    order[entity.spec.title_field] = -1
    out = []
    for name, matched_terms in sorted(matched.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])):
        rule = rules.get(name)
        value = record.get(name)
        if rule == "hidden" or value is None:
            continue
        if isinstance(value, list | tuple):
            value = " ".join(str(v) for v in value)
        text = str(value)
        if rule == "masked":
            spec = entity.field_map.get(name)
            text = str(mask_value(text, spec.type if spec else "text"))
        else:
            text = _snippet(text, [*terms, *matched_terms])
        out.append(HitField(field=name, snippet=text))
    return out


def _snippet(text: str, terms: list[str]) -> str:
    """The part of a long value around the first matching term."""
    if len(text) <= SNIPPET_LENGTH:
        return text
    folded = normalize(text)
    positions = [p for p in (folded.find(t) for t in terms) if p >= 0] if len(folded) == len(text) else []
    start = max(0, min(positions) - SNIPPET_BEFORE) if positions else 0
    end = start + SNIPPET_LENGTH
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
