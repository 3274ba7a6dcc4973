"""Tenant isolation over every entity endpoint: tenant B can neither read nor change tenant A's data."""

import pytest

from lingxi.meta.registry import registry

# A minimal valid payload per entity; {ref} placeholders are filled with ids created first.
PAYLOADS = {
    "accounts": {"name": "Alpha 公司"},
    "contacts": {"name": "王芳"},
    "leads": {"name": "Li Lei", "company": "Beta"},
    "opportunities": {"name": "Deal"},
    "opportunity_line_items": {"opportunity_id": "{opportunities}", "quantity": 2, "unit_price": 10},
    "pipelines": {"name": "Pipe {n}"},
    "pipeline_stages": {"pipeline_id": "{pipelines}", "name": "S {n}"},
    "products": {"name": "Widget", "code": "W-{n}"},
    "price_books": {"name": "PB {n}"},
    "price_book_entries": {"price_book_id": "{price_books}", "product_id": "{products}", "unit_price": 5},
    "quotes": {"name": "Q"},
    "quote_lines": {"quote_id": "{quotes}", "quantity": 1, "unit_price": 3},
    "orders": {"order_date": "2026-01-05"},
    "order_lines": {"order_id": "{orders}", "quantity": 1, "unit_price": 9},
    "activities": {"type": "call", "subject": "Call"},
    "calendar_events": {"title": "Meet", "start_at": "2026-03-01T09:00:00Z", "end_at": "2026-03-01T10:00:00Z"},
    "tickets": {"subject": "Broken"},
    "campaigns": {"name": "Spring"},
    "campaign_members": {"campaign_id": "{campaigns}", "contact_id": "{contacts}"},
    "tags": {"name": "VIP {n}"},
    "attachments": {"filename": "a.txt"},
}
ORDER = list(PAYLOADS)


def test_every_entity_has_a_payload():
    assert {e.name for e in registry.all()} == set(PAYLOADS)


async def _create_all(client, tenant, n):
    ids = {}
    for name in ORDER:
        body = {k: (v.format(n=n, **ids) if isinstance(v, str) else v) for k, v in PAYLOADS[name].items()}
        r = await client.post(f"/api/v1/{name}", json=body, headers=tenant.headers())
        assert r.status_code == 201, (name, r.text)
        ids[name] = r.json()["id"]
    return ids


@pytest.mark.parametrize("name", ORDER)
async def test_other_tenant_cannot_touch(client, tenant, other_tenant, name):
    ids = await _create_all(client, tenant, 1)
    await _create_all(client, other_tenant, 2)
    rid = ids[name]
    b = other_tenant.headers()
    assert (await client.get(f"/api/v1/{name}/{rid}", headers=b)).status_code == 404
    listed = (await client.get(f"/api/v1/{name}", params={"limit": 500}, headers=b)).json()["data"]
    assert rid not in {row["id"] for row in listed}
    assert (await client.get(f"/api/v1/{name}", params={"filter": f'{{"id": "{rid}"}}'}, headers=b)).json()["data"] == []
    r = await client.patch(f"/api/v1/{name}/{rid}", json={}, headers=b)
    assert r.status_code == 404
    assert (await client.delete(f"/api/v1/{name}/{rid}", headers=b)).status_code == 404
    assert (await client.post(f"/api/v1/{name}/{rid}/restore", headers=b)).status_code == 404
    # References across tenants are refused too.
    for field, spec in registry.get(name).field_map.items():
        if spec.type == "lookup" and spec.lookup in ids and not spec.readonly and spec.lookup != name:
            body = {**{k: v for k, v in PAYLOADS[name].items() if "{" not in str(v)}, field: ids[spec.lookup]}
            r = await client.post(f"/api/v1/{name}", json=body, headers=b)
            assert r.status_code in (404, 422), (field, r.text)
    # Still intact for its owner.
    assert (await client.get(f"/api/v1/{name}/{rid}", headers=tenant.headers())).status_code == 200
