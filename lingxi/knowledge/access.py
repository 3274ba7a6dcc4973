"""Who may read a knowledge document, as a SQL condition used inside every retrieval query.

Admins read every document of their tenant. Anyone else reads a document when it is open to
everyone, when they own it, when it is restricted and one of their roles, teams or they
themselves are listed, or when it follows a CRM attachment they may read (the attachment's own
record permissions, through ``lingxi.authz.scope_filter``)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, or_, select, true

from lingxi.authz.service import Grants, scope_filter
from lingxi.knowledge.models import KnowledgeDocument, KnowledgeDocumentAccess
from lingxi.meta.registry import registry
from lingxi.tenancy.context import Actor


def readable(actor: Actor) -> ColumnElement[bool]:
    if actor.is_admin or actor.is_system:
        return true()
    doc = KnowledgeDocument
    grants: Grants = actor.grants or Grants()
    principals = [and_(KnowledgeDocumentAccess.principal_type == "user", KnowledgeDocumentAccess.principal_id == actor.user_id)]
    if grants.role_ids:
        principals.append(and_(KnowledgeDocumentAccess.principal_type == "role", KnowledgeDocumentAccess.principal_id.in_(grants.role_ids)))
    if actor.team_ids:
        principals.append(and_(KnowledgeDocumentAccess.principal_type == "team", KnowledgeDocumentAccess.principal_id.in_(actor.team_ids)))
    listed = select(KnowledgeDocumentAccess.document_id).where(or_(*principals))
    clauses: list[ColumnElement[bool]] = [
        doc.visibility == "everyone",
        doc.owner_id == actor.user_id,
        and_(doc.visibility == "restricted", doc.id.in_(listed)),
    ]
    attachments = registry.get("attachments")
    if attachments is not None:
        visible = select(attachments.model.id).where(scope_filter(actor, attachments, "read"))
        clauses.append(and_(doc.visibility == "attachment", doc.attachment_id.in_(visible)))
    return or_(*clauses)


def can_manage(actor: Actor, owner_id: object) -> bool:
    return actor.is_admin or actor.is_system or (owner_id is not None and owner_id == actor.user_id)
