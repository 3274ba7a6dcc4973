"""Session hooks that audit every change and emit its domain event.

``before_flush`` looks at every new, changed and deleted object once and

- for CRM records (``RecordMixin``) queues an audit entry (create, update with before/after values,
  delete and restore for soft deletes, hard_delete) and writes an outbox event
  (``<entity>.created|updated|deleted|restored``) into the same flush;
- for security and configuration objects (roles and their grants, users, teams, departments,
  sharing, field definitions, layouts, API tokens, tenants) queues an entry such as
  ``role_change`` or ``metadata_change`` whose ``changes`` carry ``_op`` (create/update/delete).
  Secrets (password hash, TOTP secret, recovery codes, token hashes) are never logged: only whether
  they changed.

``before_commit`` flushes, then appends the queued entries to the tenant's hash chain (see
``lingxi.audit.chain``). Bulk ``update()``/``delete()`` statements bypass the unit of work and
therefore this hook: code that uses them must call ``record_event`` itself.

Imported once from ``lingxi.models``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from lingxi.audit import changes as ch
from lingxi.audit.chain import append
from lingxi.audit.service import PENDING
from lingxi.auth.models import ApiToken
from lingxi.authz.models import RecordShare, Role, UserRole
from lingxi.db import new_id
from lingxi.events.outbox import emit
from lingxi.events.transaction import tx_list
from lingxi.kit.models import RecordMixin, utcnow
from lingxi.meta.models import FieldDef, Layout
from lingxi.meta.registry import registry
from lingxi.org.models import Department, Team, TeamMember, User
from lingxi.tenancy.context import Actor
from lingxi.tenancy.models import Tenant

_COMMITTING = "_audit_committing"
SECRETS = frozenset({"password_hash", "totp_secret", "recovery_codes", "token_hash", "csrf_token"})
_BOOKKEEPING = frozenset({"created_at", "updated_at"})


@dataclass(frozen=True)
class Tracked:
    action: str
    entity: str
    record_key: str = "id"
    skip: frozenset[str] = _BOOKKEEPING


TRACKED: dict[type[Any], Tracked] = {
    Role: Tracked("role_change", "roles"),
    UserRole: Tracked("role_change", "user_roles", record_key="user_id"),
    RecordShare: Tracked("permission_change", "record_shares"),
    User: Tracked(
        "user_change",
        "users",
        skip=_BOOKKEEPING | {"last_login_at", "failed_logins", "preferences"},
    ),
    Team: Tracked("team_change", "teams"),
    TeamMember: Tracked("team_change", "team_members", record_key="team_id"),
    Department: Tracked("org_change", "departments"),
    FieldDef: Tracked("metadata_change", "field_defs"),
    Layout: Tracked("metadata_change", "layouts"),
    ApiToken: Tracked("token_change", "api_tokens", skip=_BOOKKEEPING | {"last_used_at"}),
    Tenant: Tracked("tenant_change", "tenants"),
}
TOPIC_OF = {
    "create": "created",
    "update": "updated",
    "delete": "deleted",
    "restore": "restored",
    "hard_delete": "deleted",
}


def _entry(
    actor: Actor | None, *, action: str, tenant_id: Any, entity: str, record_id: Any, changes: dict[str, Any]
) -> dict[str, Any]:
    return {
        "action": action,
        "tenant_id": tenant_id,
        "actor_id": actor.user_id if actor else None,
        "entity": entity,
        "record_id": str(record_id) if record_id is not None else None,
        "changes": changes,
        "ip": actor.ip if actor else None,
        "request_id": actor.request_id if actor else None,
        "at": utcnow(),
    }


def _entity_name(obj: Any) -> str:
    entity = registry.of_model(type(obj))
    return entity.name if entity is not None else type(obj).__tablename__


def _record_change(session: Session, actor: Actor | None, obj: Any, op: str) -> None:
    if op == "create":
        if obj.id is None:
            obj.id = new_id()
        action, diff = "create", {k: [None, v] for k, v in ch.values(obj, skip=ch.RECORD_SKIP).items()}
    elif op == "hard_delete":
        action, diff = "hard_delete", {k: [v, None] for k, v in ch.values(obj, skip=ch.RECORD_SKIP).items()}
    else:
        diff = ch.diff(obj, skip=ch.RECORD_SKIP)
        history = inspect(obj).attrs["deleted_at"].history
        was = history.deleted[0] if history.deleted else None
        now = history.added[0] if history.added else obj.deleted_at
        if history.has_changes() and was is None and now is not None:
            action = "delete"
        elif history.has_changes() and was is not None and now is None:
            action = "restore"
        elif diff:
            action = "update"
        else:
            return
    ch.remember_custom(obj)
    tenant_id = obj.tenant_id or (actor.tenant_id if actor else None)
    entity = _entity_name(obj)
    tx_list(session, PENDING).append(
        _entry(actor, action=action, tenant_id=tenant_id, entity=entity, record_id=obj.id, changes=diff)
    )
    emit(
        session,
        f"{entity}.{TOPIC_OF[action]}",
        tenant_id=tenant_id,
        entity=entity,
        record_id=obj.id,
        actor_id=actor.user_id if actor else None,
        payload={"id": str(obj.id), "changed": sorted(diff), **({"hard": True} if action == "hard_delete" else {})},
    )


def _admin_change(session: Session, actor: Actor | None, obj: Any, op: str, spec: Tracked) -> None:
    if op == "create":
        diff = {k: [None, v] for k, v in ch.values(obj, skip=spec.skip, secret=SECRETS).items()}
    elif op == "hard_delete":
        op = "delete"
        diff = {k: [v, None] for k, v in ch.values(obj, skip=spec.skip, secret=SECRETS).items()}
    else:
        diff = ch.diff(obj, skip=spec.skip, secret=SECRETS)
        if not diff:
            return
    tenant_id = obj.id if isinstance(obj, Tenant) else (obj.tenant_id or (actor.tenant_id if actor else None))
    tx_list(session, PENDING).append(
        _entry(
            actor,
            action=spec.action,
            tenant_id=tenant_id,
            entity=spec.entity,
            record_id=getattr(obj, spec.record_key),
            changes={"_op": op, **diff},
        )
    )


@event.listens_for(Session, "before_flush")
def _collect(session: Session, _flush_context: Any, _instances: Any) -> None:
    actor: Actor | None = session.info.get("actor")
    for objects, op in ((session.new, "create"), (session.dirty, "update"), (session.deleted, "hard_delete")):
        for obj in list(objects):
            if op == "update" and not session.is_modified(obj, include_collections=False):
                continue
            if isinstance(obj, RecordMixin):
                _record_change(session, actor, obj, op)
            elif (spec := TRACKED.get(type(obj))) is not None:
                if op == "create" and getattr(obj, "id", 0) is None:
                    obj.id = new_id()
                _admin_change(session, actor, obj, op, spec)


def _write_pending(session: Session) -> None:
    entries = session.info.pop(PENDING, None)
    if not entries:
        return
    actor: Actor | None = session.info.get("actor")
    for entry in entries:
        entry.setdefault("at", utcnow())
        if entry.get("request_id") is None and actor is not None:
            entry["request_id"] = actor.request_id
        if entry.get("ip") is None and actor is not None:
            entry["ip"] = actor.ip
    append(session.connection(), entries)


@event.listens_for(Session, "before_commit")
def _chain_at_commit(session: Session) -> None:
    session.flush()
    _write_pending(session)
    session.info[_COMMITTING] = True


@event.listens_for(Session, "after_flush_postexec")
def _chain_late_entries(session: Session, _flush_context: Any) -> None:
    # Another before_commit hook ran after ours and changed something: its entries still belong
    # to this transaction.
    if session.info.get(_COMMITTING):
        _write_pending(session)


@event.listens_for(Session, "after_transaction_end")
def _reset(session: Session, transaction: Any) -> None:
    if transaction.parent is None and not transaction.nested:
        session.info.pop(_COMMITTING, None)
