"""Work tied to a session's database transaction.

Audit entries, "events were written" flags and job ids to send are kept in ``session.info`` lists
while the transaction is open. A rolled-back savepoint drops what was added inside it, the end of
the outer transaction drops everything left, and callbacks registered with ``on_commit`` see the
items only once the transaction has committed (so a job is never sent for a rolled-back change).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import structlog
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, SessionTransaction

log = structlog.get_logger("lingxi.events")

_MARKS = "_tx_marks"
_keys: set[str] = set()
_after_commit: dict[str, Callable[[Session, list[Any]], None]] = {}


def register_key(key: str, after_commit: Callable[[Session, list[Any]], None] | None = None) -> None:
    """Declare a transaction-scoped list; ``after_commit(session, items)`` runs once it commits."""
    _keys.add(key)
    if after_commit is not None:
        _after_commit[key] = after_commit


def tx_list(session: Session | AsyncSession, key: str) -> list[Any]:
    """The list ``key`` of the session's current transaction."""
    if key not in _keys:
        raise KeyError(f"{key!r} is not a registered transaction key")
    return session.info.setdefault(key, [])  # type: ignore[no-any-return]


@event.listens_for(Session, "after_transaction_create")
def _mark_savepoint(session: Session, transaction: SessionTransaction) -> None:
    if transaction.nested:
        marks = session.info.setdefault(_MARKS, {})
        marks[id(transaction)] = {key: len(session.info.get(key, ())) for key in _keys}


@event.listens_for(Session, "after_soft_rollback")
def _drop_rolled_back(session: Session, previous_transaction: SessionTransaction) -> None:
    if previous_transaction.nested:
        marks = session.info.get(_MARKS, {}).pop(id(previous_transaction), None) or {}
        for key, length in marks.items():
            items = session.info.get(key)
            if items is not None:
                del items[length:]
    else:
        _clear(session)


@event.listens_for(Session, "after_commit")
def _run_after_commit(session: Session) -> None:
    for key in list(_keys):
        items = session.info.pop(key, None)
        callback = _after_commit.get(key)
        if items and callback is not None:
            try:
                callback(session, items)
            except Exception:  # noqa: BLE001 - the commit has happened; recovery sweeps pick up the rest
                log.exception("after_commit_failed", key=key)


@event.listens_for(Session, "after_transaction_end")
def _end(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None and not transaction.nested:
        _clear(session)


def _clear(session: Session) -> None:
    for key in _keys:
        session.info.pop(key, None)
    session.info.pop(_MARKS, None)
