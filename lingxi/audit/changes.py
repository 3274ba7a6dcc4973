"""What a flush changes, as JSON-safe ``{field: [before, after]}`` dicts.

Read from SQLAlchemy's attribute history before the flush. The JSON ``custom`` column of records is
mutated in place, which history cannot see, so a copy of it is kept from the moment a record is
loaded (or last flushed) and each custom field is diffed as its own ``cf_*`` entry.
"""

from __future__ import annotations

import base64
import copy
import enum
import math
import uuid
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import InstanceState

from lingxi.kit.models import RecordMixin

REDACTED = "***"
CUSTOM = "custom"
_SNAPSHOT = "custom_snapshot"
# Bookkeeping columns of records: the audit row says who and when; versions are implied.
RECORD_SKIP = frozenset(
    {
        "id",
        "tenant_id",
        "created_at",
        "updated_at",
        "version",
        "deleted_at",
        "deleted_by_id",
        "created_by_id",
        "updated_by_id",
        CUSTOM,
    }
)


def json_safe(value: Any) -> Any:
    """A value that serialises to JSON and reads back equal: ids, money and dates become strings."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return json_safe(value.value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [json_safe(v) for v in value]
    return str(value)


def _redact(value: Any) -> Any:
    return None if value in (None, "", [], {}) else REDACTED


def _column_keys(obj: Any) -> list[str]:
    return [attr.key for attr in inspect(type(obj)).column_attrs]


def values(obj: Any, *, skip: frozenset[str] = frozenset(), secret: frozenset[str] = frozenset()) -> dict[str, Any]:
    """Current non-empty values of ``obj``'s columns (and custom fields of records)."""
    state: InstanceState[Any] = inspect(obj)
    out: dict[str, Any] = {}
    for key in _column_keys(obj):
        if key in skip or key not in state.dict:
            continue
        value = state.dict[key]
        if value is None:
            continue
        out[key] = _redact(value) if key in secret else json_safe(value)
    if isinstance(obj, RecordMixin):
        for key, value in (state.dict.get(CUSTOM) or {}).items():
            if value is not None:
                out[str(key)] = json_safe(value)
    return out


def diff(obj: Any, *, skip: frozenset[str] = frozenset(), secret: frozenset[str] = frozenset()) -> dict[str, list[Any]]:
    """``{field: [before, after]}`` for the columns of a persistent object changed since loaded."""
    state: InstanceState[Any] = inspect(obj)
    out: dict[str, list[Any]] = {}
    for key in _column_keys(obj):
        if key in skip:
            continue
        history = state.attrs[key].history
        if not history.has_changes():
            continue
        before = history.deleted[0] if history.deleted else None
        after = history.added[0] if history.added else None
        if key in secret:
            out[key] = [_redact(before), _redact(after)]
            continue
        before, after = json_safe(before), json_safe(after)
        if before != after:
            out[key] = [before, after]
    if isinstance(obj, RecordMixin):
        out.update(_custom_diff(state))
    return out


def _custom_diff(state: InstanceState[Any]) -> dict[str, list[Any]]:
    before = state.info.get(_SNAPSHOT) or {}
    after = state.dict.get(CUSTOM) or {}
    out = {}
    for key in sorted(set(before) | set(after), key=str):
        b, a = json_safe(before.get(key)), json_safe(after.get(key))
        if b != a:
            out[str(key)] = [b, a]
    return out


def remember_custom(obj: Any) -> None:
    """Keep a copy of the record's custom values as the "before" of its next change."""
    state: InstanceState[Any] = inspect(obj)
    custom = state.dict.get(CUSTOM) or {}
    # Values are scalars, or lists for multi-picklists: one level of copying is enough, and cheap
    # for list pages that load hundreds of records.
    state.info[_SNAPSHOT] = {k: copy.copy(v) if isinstance(v, list | dict) else v for k, v in custom.items()}


@event.listens_for(RecordMixin, "load", propagate=True)
def _on_load(target: Any, _context: Any) -> None:
    remember_custom(target)


@event.listens_for(RecordMixin, "refresh", propagate=True)
def _on_refresh(target: Any, _context: Any, attrs: Any) -> None:
    if attrs is None or CUSTOM in attrs:
        remember_custom(target)
