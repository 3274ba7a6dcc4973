"""The search queries. Permission and field security are part of the SQL: candidates are joined with
the entity's table under ``scope_filter``, and index rows of fields the actor may not see in clear
(hidden or masked) are never candidates, so such a value cannot be used to find a record.

Every statement names ``tenant_id`` explicitly and reads the index table through Core (it is not an
ORM entity here), so the index side costs no ORM compilation; the entity side goes through the ORM
and so also gets the tenant wall's criteria.
"""

from __future__ import annotations

import uuid
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import (
    ColumnElement,
    Float,
    Integer,
    Select,
    String,
    Uuid,
    and_,
    bindparam,
    case,
    false,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.sql.selectable import CTE

from lingxi.authz.service import field_rules, scope_filter, scope_of
from lingxi.search.index import Indexed, search_term
from lingxi.search.tokenize import is_cjk
from lingxi.tenancy.context import Actor

PREFIX_FACTOR = 0.5  # a prefix match counts half an exact one
# Bounds per (entity, term) when ranking, so that a broad term ("13", "张") costs about what a rare one
# does: index rows counted by the probe, index rows a window looks at, readable rows it keeps. A term
# with fewer than PROBE_CAP rows fits its window whole (PROBE_CAP <= BRANCH_CAP <= SCAN_CAP).
# A record-list filter (``ids_matching_all``) is exact and never capped.
PROBE_CAP = 500
BRANCH_CAP = 500
SCAN_CAP = 1500
SINGLE_TERM_ROWS_PER_HIT = 4

st = search_term.c


def _successor(term: str) -> str:
    return term[:-1] + chr(ord(term[-1]) + 1)


def prefixable(term: str) -> bool:
    return len(term) >= 2 or is_cjk(term)


def term_condition(column: ColumnElement[str], term: str) -> ColumnElement[bool]:
    """``term`` as a prefix (a btree range on every backend), or exactly for one latin character or digit."""
    if prefixable(term):
        return and_(column >= term, column < _successor(term))
    return column == term


def invisible_fields(actor: Actor, ix: Indexed) -> list[str]:
    """Fields whose values the actor may not use to find records: hidden and masked ones."""
    return sorted(f for f, rule in field_rules(actor, ix.entity).items() if rule in ("hidden", "masked"))


def _visible_rows(actor: Actor, tenant_id: uuid.UUID, ix: Indexed, term: str, *columns: ColumnElement) -> Select:
    stmt = select(*columns).where(st.tenant_id == tenant_id, st.entity == ix.name, term_condition(st.term, term))
    invisible = invisible_fields(actor, ix)
    if invisible:
        stmt = stmt.where(st.field.notin_(invisible))
    return stmt


@dataclass(frozen=True)
class Probe:
    ix: Indexed
    qi: int
    rows: int  # visible index rows matching the term, capped at PROBE_CAP


def probe(
    actor: Actor, tenant_id: uuid.UUID, targets: Sequence[Indexed], terms: Sequence[str]
) -> tuple[Select, dict[str, object]]:
    """One row with, per (entity, term), how many visible index rows match (capped): which pairs are
    worth a ranked branch, and each term's document frequency. The statement depends only on the
    query's shape, so it is built once per shape and reused with new parameters."""
    shape = (
        tuple((ix, tuple(invisible_fields(actor, ix))) for ix in targets),
        tuple(prefixable(t) for t in terms),
        PROBE_CAP,
    )
    params: dict[str, object] = {"tenant_id": tenant_id}
    for qi, term in enumerate(terms):
        params[f"t{qi}"] = term
        if prefixable(term):
            params[f"n{qi}"] = _successor(term)
    return _probe_statement(shape), params


@lru_cache(maxsize=512)
def _probe_statement(shape: tuple[tuple[tuple[Indexed, tuple[str, ...]], ...], tuple[bool, ...], int]) -> Select:
    entities, prefixes, cap = shape
    counts = []
    for ix, invisible in entities:
        for qi, prefix in enumerate(prefixes):
            rows = _visible(ix, invisible, qi, prefix, literal(1))
            counts.append(select(func.count()).select_from(rows.limit(cap).subquery()).scalar_subquery())
    return select(*counts)


def probes(targets: Sequence[Indexed], terms: Sequence[str], counts: Sequence[int]) -> list[Probe]:
    pairs = [(ix, qi) for ix in targets for qi in range(len(terms))]
    return [Probe(ix, qi, n) for (ix, qi), n in zip(pairs, counts, strict=True) if n]


def _term_match(column: ColumnElement[str], qi: int, prefix: bool) -> ColumnElement[bool]:
    """``term_condition`` with the term as parameters ``t{qi}`` (and its successor ``n{qi}``)."""
    term = bindparam(f"t{qi}", type_=String)
    if prefix:
        return and_(column >= term, column < bindparam(f"n{qi}", type_=String))
    return column == term


def _visible(ix: Indexed, invisible: Sequence[str], qi: int, prefix: bool, *columns: ColumnElement) -> Select:
    stmt = select(*columns).where(
        st.tenant_id == bindparam("tenant_id", type_=Uuid), st.entity == ix.name, _term_match(st.term, qi, prefix)
    )
    if invisible:
        stmt = stmt.where(st.field.notin_(list(invisible)))
    return stmt


def _window(actor: Actor, ix: Indexed, invisible: Sequence[str], qi: int, prefix: bool, keep: int) -> Select:
    """(entity, record_id, qi, w) for records of one entity that the actor may read with a visible
    field matching term ``qi``; w is the field's weight (an exact match counts fully, a prefix match by
    PREFIX_FACTOR) times the term's idf. At most SCAN_CAP index rows are looked at (so "13" or "张"
    stays cheap) and at most ``keep`` readable rows kept, in index order: the exact term before
    longer ones, heavier fields first."""
    model = ix.entity.model
    scanned = (
        _visible(ix, invisible, qi, prefix, st.record_id, st.term, st.weight)
        .order_by(st.term, st.weight.desc())
        .limit(SCAN_CAP)
        .subquery("scanned")
    )
    quality = case((scanned.c.term == bindparam(f"t{qi}", type_=String), 1.0), else_=PREFIX_FACTOR)
    readable = (
        select(
            literal(ix.name, String).label("entity"),
            scanned.c.record_id,
            literal(qi, Integer).label("qi"),
            (scanned.c.weight * quality * bindparam(f"idf{qi}", type_=Float)).label("w"),
        )
        .join(model, model.id == scanned.c.record_id)
        .where(
            model.tenant_id == bindparam("tenant_id", type_=Uuid),
            model.deleted_at.is_(None),
            scope_filter(actor, ix.entity, "read"),
        )
        .limit(keep)
        .subquery()
    )
    return select(readable.c.entity, readable.c.record_id, readable.c.qi, readable.c.w)


def _rescored(ix: Indexed, invisible: Sequence[str], ids: CTE, qi: int, prefix: bool) -> Select:
    """(entity, record_id, qi, w) for the candidates ``ids`` that match term ``qi``, read through the
    primary key (one seek per candidate) rather than through the term's window."""
    quality = case((st.term == bindparam(f"t{qi}", type_=String), 1.0), else_=PREFIX_FACTOR)
    return _visible(
        ix,
        invisible,
        qi,
        prefix,
        literal(ix.name, String).label("entity"),
        ids.c.record_id,
        literal(qi, Integer).label("qi"),
        (st.weight * quality * bindparam(f"idf{qi}", type_=Float)).label("w"),
    ).join_from(ids, search_term, st.record_id == ids.c.record_id)


# Ranked statements by (who asks, query shape): building one costs more than running it, and the same
# user's searches share a few shapes. The actor part names everything ``scope_filter`` reads.
_RANKED_CACHE_SIZE = 256
_ranked_cache: OrderedDict[tuple[object, ...], Select] = OrderedDict()


def _actor_key(actor: Actor, entities: Sequence[Indexed]) -> tuple[object, ...]:
    scopes = []
    for ix in entities:
        parent = ix.entity.spec.parent
        scopes.append((scope_of(actor, ix.entity, "read"), scope_of(actor, parent[0], "read") if parent else None))
    return (actor.tenant_id, actor.user_id, actor.team_ids, actor.department_id, tuple(scopes))


def ranked(
    actor: Actor,
    tenant_id: uuid.UUID,
    found: Sequence[Probe],
    terms: Sequence[str],
    idfs: Sequence[float],
    limit: int,
) -> tuple[Select, dict[str, object]]:
    """Top records: most distinct query terms matched first, then the idf-weighted sum of each
    term's best matching field; the statement and its parameters.

    Candidates come from the windows of the terms that hold all of their matches (fewer than
    PROBE_CAP index rows), or of every term when none does; the candidates are then checked against
    the other, broader terms exactly. So "张伟 上海" ranks the 张伟 in 上海 first although 上海
    alone matches too many records to rank."""
    entities = list(dict.fromkeys(p.ix for p in found))
    shape = (
        tuple((ix, tuple(invisible_fields(actor, ix))) for ix in entities),
        tuple((p.ix.name, p.qi, p.rows < PROBE_CAP) for p in found),
        tuple(prefixable(t) for t in terms),
        limit,
        # One term: a record's score is its best field's, and the index keeps the best rows of a term
        # first, so a few rows per wanted record do; several terms need room for records matching all.
        BRANCH_CAP if len(terms) > 1 else min(BRANCH_CAP, max(SINGLE_TERM_ROWS_PER_HIT * limit, 80)),
    )
    key = (_actor_key(actor, entities), shape)
    stmt = _ranked_cache.get(key)
    if stmt is None:
        stmt = _ranked_statement(actor, shape)
        _ranked_cache[key] = stmt
        if len(_ranked_cache) > _RANKED_CACHE_SIZE:
            _ranked_cache.popitem(last=False)
    else:
        _ranked_cache.move_to_end(key)
    params: dict[str, object] = {"tenant_id": tenant_id}
    for qi, term in enumerate(terms):
        params[f"t{qi}"] = term
        params[f"idf{qi}"] = idfs[qi]
        if prefixable(term):
            params[f"n{qi}"] = _successor(term)
    return stmt, params


def _ranked_statement(actor: Actor, shape: tuple) -> Select:
    entities, pairs_shape, prefixes, limit, keep = shape
    branches: list[Select] = []
    for ix, invisible in entities:
        pairs = [(qi, narrow) for name, qi, narrow in pairs_shape if name == ix.name]
        sources = [qi for qi, narrow in pairs if narrow] or [qi for qi, _ in pairs]
        windows = [_window(actor, ix, invisible, qi, prefixes[qi], keep) for qi in sources]
        others = [qi for qi, _ in pairs if qi not in sources]
        if not others:
            branches += windows
            continue
        window = (union_all(*windows) if len(windows) > 1 else windows[0]).cte(f"win_{ix.name}")
        ids = select(window.c.record_id).distinct().cte(f"ids_{ix.name}")
        branches.append(select(window))
        branches += [_rescored(ix, invisible, ids, qi, prefixes[qi]) for qi in others]
    cand = (union_all(*branches) if len(branches) > 1 else branches[0]).subquery("cand")
    best = (
        select(cand.c.entity, cand.c.record_id, func.max(cand.c.w).label("w"))
        .group_by(cand.c.entity, cand.c.record_id, cand.c.qi)
        .subquery("best")
    )
    matched = func.count().label("matched")
    score = func.sum(best.c.w).label("score")
    return (
        select(best.c.entity, best.c.record_id, matched, score)
        .group_by(best.c.entity, best.c.record_id)
        .order_by(matched.desc(), score.desc(), best.c.entity, best.c.record_id)
        .limit(limit)
    )


def matched_rows(tenant_id: uuid.UUID, ix: Indexed, record_ids: Sequence[uuid.UUID], terms: Sequence[str]) -> tuple[Select, dict[str, object]]:
    """(record_id, field, term) of some records' index rows matching any of ``terms``; the statement
    and its parameters."""
    params: dict[str, object] = {"tenant_id": tenant_id, "record_ids": list(record_ids)}
    for qi, term in enumerate(terms):
        params[f"t{qi}"] = term
        if prefixable(term):
            params[f"n{qi}"] = _successor(term)
    return _matched_statement(ix, tuple(prefixable(t) for t in terms)), params


@lru_cache(maxsize=256)
def _matched_statement(ix: Indexed, prefixes: tuple[bool, ...]) -> Select:
    # The terms are compared as an expression (``term || ''``) so that no planner scans each term's
    # whole range instead of reading the few records by primary key.
    term = st.term + ""
    return select(st.record_id, st.field, st.term).where(
        st.tenant_id == bindparam("tenant_id", type_=Uuid),
        st.entity == ix.name,
        st.record_id.in_(bindparam("record_ids", expanding=True, type_=Uuid)),
        or_(*(_term_match(term, qi, prefix) for qi, prefix in enumerate(prefixes))),
    )


def ids_matching_all(actor: Actor, tenant_id: uuid.UUID, ix: Indexed, terms: Sequence[str]) -> Select:
    """Ids of ``ix`` records matching every term through a field the actor may see in clear."""
    if not terms:
        return no_ids()
    if len(terms) == 1:
        return _visible_rows(actor, tenant_id, ix, terms[0], st.record_id).distinct()
    branches = [
        _visible_rows(actor, tenant_id, ix, term, st.record_id, literal(qi, Integer).label("qi"))
        for qi, term in enumerate(terms)
    ]
    cand = union_all(*branches).subquery("cand")
    return select(cand.c.record_id).group_by(cand.c.record_id).having(func.count(cand.c.qi.distinct()) == len(terms))


def no_ids() -> Select:
    return select(st.record_id).where(false())
