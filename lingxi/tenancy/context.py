"""Who is acting, in which tenant. Every database session carries one ``Actor``."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Actor:
    """The principal of a unit of work.

    ``tenant_id`` scopes every query; ``user_id`` is None only for the explicit system context.
    ``grants`` is the merged permission set of the user's roles (see ``lingxi.authz``).
    """

    tenant_id: uuid.UUID | None
    user_id: uuid.UUID | None = None
    is_system: bool = False
    is_admin: bool = False
    department_id: uuid.UUID | None = None
    team_ids: tuple[uuid.UUID, ...] = ()
    grants: Any = None
    session_id: uuid.UUID | None = None
    token_scopes: frozenset[str] | None = None
    ip: str | None = None
    request_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def system(cls, tenant_id: uuid.UUID | None = None) -> Actor:
        """The one explicit context for system work (jobs, migrations, demo data)."""
        return cls(tenant_id=tenant_id, is_system=True, is_admin=True)
