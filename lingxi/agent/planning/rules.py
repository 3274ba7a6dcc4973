"""Escalation rules: what happens when a task fails. Data per tenant, with a default that always applies."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.agent.planning.models import EscalationRule

ACTIONS = ("backup_channel", "replan", "escalate")
# Errors that another try cannot fix: the task goes straight to the rule's actions.
PERMANENT_ERRORS = frozenset({"validation_error", "forbidden", "not_found", "idempotency_conflict", "permission_denied",
                              "owner_inactive", "args_unresolved"})


@dataclass
class Rule:
    name: str = "default"
    match_tool: str = "*"
    match_executor: str = "*"
    max_attempts: int = 3
    backoff_s: float = 2.0
    backoff_factor: float = 2.0
    backoff_max_s: float = 60.0
    actions: list[str] = field(default_factory=lambda: ["backup_channel", "escalate"])
    escalate_priority: str = "urgent"

    def backoff(self, attempts: int) -> float:
        """Seconds before try ``attempts + 1``."""
        return min(self.backoff_s * self.backoff_factor ** max(attempts - 1, 0), self.backoff_max_s)

    def fits(self, tool: str | None, executor: str | None) -> bool:
        return fnmatch.fnmatchcase(tool or "", self.match_tool) and self.match_executor in ("*", executor)

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, "match_tool": self.match_tool, "match_executor": self.match_executor,
            "max_attempts": self.max_attempts, "backoff_s": self.backoff_s, "backoff_factor": self.backoff_factor,
            "backoff_max_s": self.backoff_max_s, "actions": list(self.actions), "escalate_priority": self.escalate_priority,
        }


DEFAULT = Rule()


def from_row(row: EscalationRule) -> Rule:
    return Rule(row.name, row.match_tool, row.match_executor, row.max_attempts, row.backoff_s, row.backoff_factor,
                row.backoff_max_s, list(row.actions or []), row.escalate_priority)


async def tenant_rules(session: AsyncSession) -> list[Rule]:
    rows = (await session.scalars(select(EscalationRule).where(EscalationRule.enabled.is_(True))
                                  .order_by(EscalationRule.position, EscalationRule.name))).all()
    return [from_row(r) for r in rows]


async def rule_for(session: AsyncSession, tool: str | None, executor: str | None) -> Rule:
    for rule in await tenant_rules(session):
        if rule.fits(tool, executor):
            return rule
    return DEFAULT
