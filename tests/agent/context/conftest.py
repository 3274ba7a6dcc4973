"""A customer with a history: an account, a contact, a complaint, a deal, an order, a task, a campaign
touch, behaviour events and conversation turns, made through the API as the given user."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import update

from lingxi.tenancy.context import Actor
from lingxi.tickets.models import Ticket


async def _post(client: Any, path: str, body: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
    r = await client.post(f"/api/v1/{path}", json=body, headers=headers)
    assert r.status_code in (200, 201), (path, r.text)
    return r.json()


async def make_customer(client: Any, kit: Any, headers: dict[str, str] | None = None) -> dict[str, Any]:
    h = headers or kit.headers()
    acc = await _post(client, "accounts", {"name": "华鼎科技", "annual_revenue": 5_000_000}, h)
    contact = await _post(
        client,
        "contacts",
        {"name": "张伟", "account_id": acc["id"], "mobile": "13912345678", "birthday": "1990-05-01", "title": "CTO"},
        h,
    )
    complaint = await _post(
        client,
        "tickets",
        {
            "subject": "设备三天两次宕机，严重影响生产，非常不满",
            "description": "客户要求尽快上门维修，否则考虑退货",
            "category": "投诉",
            "priority": "urgent",
            "account_id": acc["id"],
            "contact_id": contact["id"],
        },
        h,
    )
    deal = await _post(client, "opportunities", {"name": "华鼎二期扩容", "account_id": acc["id"], "amount": 480000}, h)
    order = await _post(client, "orders", {"account_id": acc["id"], "contact_id": contact["id"], "status": "draft"}, h)
    task = await _post(
        client,
        "activities",
        {
            "type": "task",
            "subject": "回访华鼎宕机问题",
            "status": "planned",
            "account_id": acc["id"],
            "contact_id": contact["id"],
            "due_at": (datetime.now(UTC) - timedelta(hours=2)).isoformat(),
        },
        h,
    )
    visit = await _post(
        client,
        "activities",
        {
            "type": "visit",
            "subject": "上门拜访华鼎",
            "status": "completed",
            "account_id": acc["id"],
            "contact_id": contact["id"],
        },
        h,
    )
    campaign = await _post(client, "campaigns", {"name": "2026 智能制造峰会", "status": "active"}, h)
    member = await _post(client, "campaign_members", {"campaign_id": campaign["id"], "contact_id": contact["id"]}, h)
    return {
        "account": acc,
        "contact": contact,
        "complaint": complaint,
        "deal": deal,
        "order": order,
        "task": task,
        "visit": visit,
        "campaign": campaign,
        "member": member,
    }


async def backdate_ticket(kit: Any, ticket_id: str, when: datetime) -> None:
    async with kit.db.unit_of_work(Actor.system(kit.id)) as s:
        await s.execute(
            update(Ticket)
            .where(Ticket.id == uuid.UUID(ticket_id))
            .values(created_at=when)
            .execution_options(synchronize_session=False)
        )


@pytest.fixture
def customer_factory():
    return make_customer
