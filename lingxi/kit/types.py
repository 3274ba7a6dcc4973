"""Column types."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Uuid
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware datetimes on every backend (SQLite stores naive UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class FastCharUuid(Uuid):  # type: ignore[type-arg]
    """``Uuid`` read from a text column (SQLite) without ``uuid.UUID(hex)``'s checks: stored values are
    the 32 hex digits Lingxi wrote itself. A list of 50 records reads ~250 of them (0.5 ms saved).
    Put in place per engine by ``use_fast_char_uuid``; anything else falls back to the stock processing."""

    cache_ok = True

    def result_processor(self, dialect: Any, coltype: Any) -> Any:
        if not self.as_uuid or (dialect.supports_native_uuid and self.native_uuid):
            return super().result_processor(dialect, coltype)
        new, set_attr, uuid_type, unknown = object.__new__, object.__setattr__, uuid.UUID, uuid.SafeUUID.unknown

        def process(value: Any) -> uuid.UUID | None:
            if value is None:
                return None
            if type(value) is str and len(value) == 32:
                u = new(uuid_type)
                set_attr(u, "int", int(value, 16))
                set_attr(u, "is_safe", unknown)
                return u
            return uuid_type(value) if isinstance(value, str) else uuid_type(bytes=value)

        return process


def use_fast_char_uuid(dialect: Any) -> None:
    """Read ``Uuid`` columns of ``dialect`` (SQLite's) through ``FastCharUuid``."""
    dialect.colspecs = {**dialect.colspecs, Uuid: FastCharUuid}
