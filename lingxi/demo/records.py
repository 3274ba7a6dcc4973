"""The shared frame of demo generation: who owns what, the clock, ids and row shapes.

Rows are plain dicts keyed by column name, one list per table, so they go to the database through Core
``insert()`` in batches. Content comes from ``random.Random(seed)``; ids are ``uuid5(tenant, kind:n)``, so the
same seed gives the same rows in any tenant without id clashes between tenants.
"""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

DEFAULT_BASE_DATE = date(2025, 6, 30)
BEIJING_OFFSET = timedelta(hours=8)


@dataclass(frozen=True)
class StageRef:
    id: uuid.UUID
    name: str
    probability: Decimal
    is_closed: bool
    is_won: bool


@dataclass
class DemoContext:
    """What generation needs from the database: the tenant, its users by job, its pipeline."""

    tenant_id: uuid.UUID
    admin_id: uuid.UUID
    sales_by_region: dict[str, list[uuid.UUID]]  # "华东", "华北", ... and "*" for everything else
    manager_id: uuid.UUID
    service_ids: list[uuid.UUID]
    marketing_ids: list[uuid.UUID]
    pipeline_id: uuid.UUID
    stages: list[StageRef]
    base_date: date = DEFAULT_BASE_DATE

    def sales_owner(self, rng: random.Random, region: str) -> uuid.UUID:
        owners = self.sales_by_region.get(region)
        if not owners or rng.random() < 0.1:
            owners = self.sales_by_region["*"]
        return rng.choice(owners)

    @property
    def open_stages(self) -> list[StageRef]:
        return [s for s in self.stages if not s.is_closed]

    @property
    def won_stage(self) -> StageRef:
        return next(s for s in self.stages if s.is_won)

    @property
    def lost_stage(self) -> StageRef:
        return next(s for s in self.stages if s.is_closed and not s.is_won)


@dataclass
class DemoData:
    """Rows to insert, by table name, in an order that satisfies foreign keys."""

    tables: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))

    def add(self, table: str, row: dict[str, Any]) -> dict[str, Any]:
        self.tables[table].append(row)
        return row

    def counts(self) -> dict[str, int]:
        return {name: len(rows) for name, rows in self.tables.items()}


class Frame:
    """The clock, id source and row shapes shared by the builders."""

    def __init__(self, ctx: DemoContext, rng: random.Random):
        self.ctx = ctx
        self.rng = rng
        self.now = datetime.combine(ctx.base_date, time(12, 0), tzinfo=UTC) - BEIJING_OFFSET
        self._seq: dict[str, int] = defaultdict(int)

    def new_id(self, kind: str) -> uuid.UUID:
        self._seq[kind] += 1
        return uuid.uuid5(self.ctx.tenant_id, f"demo:{kind}:{self._seq[kind]}")

    def day(self, offset_days: int) -> date:
        return self.ctx.base_date + timedelta(days=offset_days)

    def at(self, offset_days: float, *, working_hours: bool = True) -> datetime:
        """A moment ``offset_days`` from the base date, in Beijing office hours when asked."""
        d = self.ctx.base_date + timedelta(days=int(offset_days // 1))
        if working_hours:
            while d.weekday() >= 5:
                d -= timedelta(days=1)
            local = time(self.rng.randint(9, 17), self.rng.choice((0, 10, 15, 20, 30, 40, 45, 50)))
        else:
            local = time(self.rng.randint(0, 23), self.rng.randint(0, 59))
        return datetime.combine(d, local, tzinfo=UTC) - BEIJING_OFFSET

    def days_before_now(self, moment: datetime) -> float:
        return (self.now - moment).total_seconds() / 86400

    def between(self, start: datetime, end: datetime) -> datetime:
        if end <= start:
            return start
        return start + (end - start) * self.rng.random()

    def record(self, kind: str, *, owner: uuid.UUID | None, created: datetime, updated: datetime | None = None,
               by: uuid.UUID | None = None, **fields: Any) -> dict[str, Any]:
        author = by or owner or self.ctx.admin_id
        return {
            "id": self.new_id(kind),
            "tenant_id": self.ctx.tenant_id,
            "owner_id": owner,
            "created_by_id": author,
            "updated_by_id": author,
            "deleted_by_id": None,
            "deleted_at": None,
            "version": 1,
            "custom": {},
            "created_at": created,
            "updated_at": max(updated or created, created),
            **fields,
        }


def money(value: float | Decimal) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"))


def line_total(quantity: Decimal, unit_price: Decimal, discount: Decimal | None) -> Decimal:
    return money(quantity * unit_price * (1 - Decimal(discount or 0) / 100))


def scaled(base: int, size: float, minimum: int = 1) -> int:
    return max(minimum, round(base * size))
