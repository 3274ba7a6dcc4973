"""What a new tenant starts with: roles, a sales pipeline, its field metadata."""

from __future__ import annotations

from typing import Any

CRM_ENTITIES = (
    "accounts", "contacts", "leads", "opportunities", "opportunity_line_items", "quotes", "quote_lines",
    "orders", "order_lines", "activities", "calendar_events", "tickets", "campaigns", "campaign_members",
    "attachments",
)
CATALOG_ENTITIES = ("products", "price_books", "price_book_entries", "pipelines", "pipeline_stages", "tags")


def _grant(entities: tuple[str, ...], scope: str, actions: tuple[str, ...]) -> dict[str, dict[str, str]]:
    return {e: {a: scope for a in actions} for e in entities}


ALL_ACTIONS = ("read", "create", "update", "delete", "export", "import")
READ_ONLY = ("read",)


def default_roles() -> list[dict[str, Any]]:
    catalog_read = _grant(CATALOG_ENTITIES, "all", READ_ONLY)
    sales_rep = {**catalog_read, **_grant(CRM_ENTITIES, "own", ("read", "create", "update", "delete"))}
    sales_rep["tags"] = {"read": "all", "create": "all"}
    manager = {**catalog_read, **_grant(CRM_ENTITIES, "department", ALL_ACTIONS)}
    manager["tags"] = {"read": "all", "create": "all", "update": "all"}
    service_entities = ("tickets", "activities", "calendar_events", "attachments")
    service = {
        **catalog_read,
        **_grant(("accounts", "contacts"), "all", ("read",)),
        **_grant(service_entities, "team", ("read", "create", "update")),
    }
    service["tickets"] = {"read": "all", "create": "all", "update": "team", "export": "team"}
    marketing = {
        **catalog_read,
        **_grant(("campaigns", "campaign_members", "leads"), "all", ALL_ACTIONS),
        **_grant(("accounts", "contacts"), "all", ("read", "export")),
    }
    auditor = _grant(CRM_ENTITIES + CATALOG_ENTITIES, "all", ("read", "export"))
    return [
        {"name": "管理员", "description": "Administrator: everything, including settings", "is_admin": True, "permissions": {}, "field_rules": {}},
        {"name": "销售经理", "description": "Sales manager: the department's records", "permissions": manager, "field_rules": {}},
        {"name": "销售代表", "description": "Sales rep: own records and those shared", "permissions": sales_rep, "field_rules": {}},
        {
            "name": "客服专员",
            "description": "Service agent: tickets of the team, customer data read-only, phones masked",
            "permissions": service,
            "field_rules": {
                "contacts": {"phone": "masked", "mobile": "masked", "email": "masked", "birthday": "hidden"},
                "accounts": {"annual_revenue": "hidden"},
            },
        },
        {"name": "市场专员", "description": "Marketing: campaigns and leads", "permissions": marketing, "field_rules": {"contacts": {"mobile": "masked"}}},
        {"name": "审计员", "description": "Auditor: read and export everything", "permissions": auditor, "field_rules": {}},
    ]


DEFAULT_PIPELINE = {
    "name": "标准销售流程",
    "stages": [
        # name, probability, closed, won, stage time limit in days
        ("线索确认", 10, False, False, 14),
        ("需求分析", 20, False, False, 21),
        ("方案报价", 40, False, False, 21),
        ("商务谈判", 60, False, False, 30),
        ("合同签订", 80, False, False, 14),
        ("赢单", 100, True, True, None),
        ("输单", 0, True, False, None),
    ],
}
