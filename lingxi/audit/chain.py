"""The hash chain of the audit log, and its verification.

Each tenant has one chain (``chain = str(tenant_id)``, ``"global"`` for entries without a tenant).
Row ``n`` stores ``prev_hash`` = hash of row ``n-1`` and ``hash`` = sha256 of a canonical JSON of its
own fields and ``prev_hash``; ``audit_head`` holds the last ``(seq, hash)`` of every chain and is
locked while a transaction appends, so appends are serialised per chain.

``verify`` recomputes every chain: a changed row breaks its own hash, a deleted row leaves a gap in
``seq``, a moved row breaks the link to its neighbour, and removing the newest rows leaves the head
pointing past the end. Someone able to rewrite the whole chain *and* its head cannot be caught from
inside the database: publish the head hashes ``lingxi audit verify`` prints to anchor them outside.

Rows are never updated or deleted by Lingxi; the audit trail is kept for at least five years, so
there is deliberately no retention job here (archive old rows outside the database if ever needed,
and keep their hashes).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, select, update
from sqlalchemy.dialects import postgresql, sqlite

from lingxi.audit.models import AuditHead, AuditLog
from lingxi.db import Database

GENESIS = "0" * 64
GLOBAL_CHAIN = "global"
HASHED_FIELDS = (
    "chain",
    "seq",
    "tenant_id",
    "at",
    "actor_id",
    "action",
    "entity",
    "record_id",
    "changes",
    "ip",
    "request_id",
    "prev_hash",
)


def chain_of(tenant_id: uuid.UUID | str | None) -> str:
    return str(tenant_id) if tenant_id is not None else GLOBAL_CHAIN


def canonical_json(data: Any) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def row_hash(row: dict[str, Any]) -> str:
    at: datetime = row["at"]
    fields = {name: row[name] for name in HASHED_FIELDS}
    fields["at"] = at.astimezone(UTC).isoformat(timespec="microseconds")
    fields["tenant_id"] = _text(row["tenant_id"])
    fields["actor_id"] = _text(row["actor_id"])
    return hashlib.sha256(canonical_json(fields).encode()).hexdigest()


def append(conn: Connection, entries: list[dict[str, Any]]) -> int:
    """Append audit entries to their chains inside the caller's transaction. Returns rows written."""
    by_chain: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for entry in entries:
        by_chain[chain_of(entry["tenant_id"])].append(entry)
    head = AuditHead.__table__
    log_table = AuditLog.__table__
    dialect = conn.dialect.name
    # One fixed order of locks, so two transactions touching the same chains cannot deadlock.
    for chain in sorted(by_chain):
        ins = postgresql.insert(head) if dialect == "postgresql" else sqlite.insert(head)
        conn.execute(ins.values(chain=chain, seq=0, hash=GENESIS).on_conflict_do_nothing(index_elements=["chain"]))
        seq, prev = conn.execute(select(head.c.seq, head.c.hash).where(head.c.chain == chain).with_for_update()).one()
        rows = []
        for entry in by_chain[chain]:
            seq += 1
            row = {
                "chain": chain,
                "seq": seq,
                "tenant_id": entry["tenant_id"],
                "at": entry["at"],
                "actor_id": entry["actor_id"],
                "action": entry["action"],
                "entity": entry["entity"],
                "record_id": entry["record_id"],
                "changes": json.loads(canonical_json(entry["changes"] or {})),
                "ip": entry["ip"],
                "request_id": entry["request_id"],
                "prev_hash": prev,
            }
            row["hash"] = prev = row_hash(row)
            rows.append(row)
        conn.execute(log_table.insert(), rows)
        conn.execute(update(head).where(head.c.chain == chain).values(seq=seq, hash=prev))
    return sum(len(v) for v in by_chain.values())


@dataclass(frozen=True)
class Problem:
    chain: str
    seq: int | None
    kind: str  # modified | missing | broken_link | head_mismatch | head_missing
    detail: str

    def __str__(self) -> str:
        where = f"{self.chain}#{self.seq}" if self.seq is not None else self.chain
        return f"{where}: {self.kind}: {self.detail}"


@dataclass
class VerifyReport:
    chains: int = 0
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    heads: dict[str, tuple[int, str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


async def verify(db: Database, tenant_id: uuid.UUID | None = None, *, page: int = 2000) -> VerifyReport:
    """Walk every chain (or the tenant's) and report each break with its chain and seq."""
    head = AuditHead.__table__
    log_table = AuditLog.__table__
    report = VerifyReport()
    async with db.reader.connect() as conn:
        head_query = select(head.c.chain, head.c.seq, head.c.hash)
        if tenant_id is not None:
            head_query = head_query.where(head.c.chain == chain_of(tenant_id))
            chains = {chain_of(tenant_id)}
        else:
            chains = set((await conn.execute(select(log_table.c.chain).distinct())).scalars())
        heads = {r.chain: (r.seq, r.hash) for r in await conn.execute(head_query)}
        chains |= set(heads)
        for chain in sorted(chains):
            report.chains += 1
            expected, prev, last = 1, GENESIS, (0, GENESIS)
            while True:
                rows = (
                    (
                        await conn.execute(
                            select(log_table)
                            .where(log_table.c.chain == chain, log_table.c.seq >= expected)
                            .order_by(log_table.c.seq)
                            .limit(page)
                        )
                    )
                    .mappings()
                    .all()
                )
                for row in rows:
                    report.rows += 1
                    seq = row["seq"]
                    if seq != expected:
                        report.problems.append(
                            Problem(chain, expected, "missing", f"rows {expected}..{seq - 1} are missing (deleted)")
                        )
                    elif row["prev_hash"] != prev:
                        report.problems.append(
                            Problem(chain, seq, "broken_link", "does not follow the previous row (moved or replaced)")
                        )
                    if row_hash(dict(row)) != row["hash"]:
                        report.problems.append(Problem(chain, seq, "modified", "content does not match its hash"))
                    prev, expected, last = row["hash"], seq + 1, (seq, row["hash"])
                if len(rows) < page:
                    break
            if chain not in heads:
                if last[0]:
                    report.problems.append(Problem(chain, None, "head_missing", "the chain has no head row"))
            elif heads[chain] != last:
                head_seq, _ = heads[chain]
                detail = (
                    f"head is at seq {head_seq} but the chain ends at {last[0]} (newest rows deleted)"
                    if head_seq > last[0]
                    else f"head (seq {head_seq}) does not match the last row (seq {last[0]})"
                )
                report.problems.append(Problem(chain, head_seq, "head_mismatch", detail))
            report.heads[chain] = last
    return report
