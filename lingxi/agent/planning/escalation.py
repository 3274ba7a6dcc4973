"""Reading and replacing a tenant's escalation rules (see ``rules.py`` for how they apply)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.agent.planning.models import EscalationRule
from lingxi.agent.planning.rules import DEFAULT
from lingxi.audit.service import record_event
from lingxi.errors import ValidationFailed
from lingxi.tenancy.context import Actor

FIELDS = ("name", "enabled", "match_tool", "match_executor", "max_attempts", "backoff_s", "backoff_factor", "backoff_max_s",
          "actions", "escalate_priority")


async def get_rules(session: AsyncSession) -> dict[str, Any]:
    rows = (await session.scalars(select(EscalationRule).order_by(EscalationRule.position, EscalationRule.name))).all()
    return {"rules": [{f: getattr(r, f) for f in FIELDS} for r in rows], "default": {"enabled": True, **DEFAULT.as_dict()}}


async def put_rules(session: AsyncSession, actor: Actor, rules: list[dict[str, Any]]) -> dict[str, Any]:
    names = [r["name"] for r in rules]
    if len(set(names)) != len(names):
        raise ValidationFailed("rule names must be unique", code="rule_name_duplicate")
    await session.execute(delete(EscalationRule).execution_options(synchronize_session=False))
    await session.flush()
    for i, r in enumerate(rules):
        session.add(EscalationRule(tenant_id=actor.tenant_id, position=i, **{f: r[f] for f in FIELDS}))
    record_event(session, action="plan.escalation_rules", tenant_id=actor.tenant_id, actor_id=actor.user_id,
                 entity="plan_escalation_rules", changes={"rules": rules})
    await session.flush()
    return await get_rules(session)
