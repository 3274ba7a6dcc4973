"""The demo generator without a database: deterministic, believable, and shaped like the tables."""

from __future__ import annotations

import re
import uuid
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
from email_validator import validate_email

import lingxi.models  # noqa: F401
from lingxi.accounts.models import INDUSTRIES
from lingxi.db import Base
from lingxi.demo.generator import generate
from lingxi.demo.records import DemoContext, StageRef
from lingxi.demo.scale import scale_chunks
from lingxi.tenancy.defaults import DEFAULT_PIPELINE
from lingxi.tickets.models import CHANNELS, SLA_HOURS

BASE = date(2025, 6, 30)
CJK = re.compile(r"[\u4e00-\u9fff]")
MOBILE = re.compile(r"^1[3-9]\d{9}$")


def make_ctx(tenant_id: uuid.UUID | None = None, base_date: date = BASE) -> DemoContext:
    tenant_id = tenant_id or uuid.uuid4()
    uid = {k: uuid.uuid5(tenant_id, k) for k in ("admin", "mgr", "east1", "east2", "north", "svc1", "svc2", "mkt")}
    stages = [
        StageRef(uuid.uuid5(tenant_id, name), name, Decimal(prob), closed, won)
        for name, prob, closed, won, _ in DEFAULT_PIPELINE["stages"]
    ]
    return DemoContext(
        tenant_id=tenant_id, admin_id=uid["admin"], manager_id=uid["mgr"],
        sales_by_region={"华东": [uid["east1"], uid["east2"]], "华北": [uid["north"]], "*": [uid["mgr"], uid["east1"]]},
        service_ids=[uid["svc1"], uid["svc2"]], marketing_ids=[uid["mkt"]], pipeline_id=uuid.uuid5(tenant_id, "pipeline"),
        stages=stages, base_date=base_date,
    )


@pytest.fixture(scope="module")
def full():
    ctx = make_ctx()
    return ctx, generate(ctx, seed=42, size=1.0).tables


def by_id(rows):
    return {r["id"]: r for r in rows}


def test_same_seed_same_data_in_any_tenant_and_another_seed_differs():
    a = generate(make_ctx(), seed=7, size=0.2).tables
    b = generate(make_ctx(), seed=7, size=0.2).tables
    c = generate(make_ctx(), seed=8, size=0.2).tables
    assert {k: len(v) for k, v in a.items()} == {k: len(v) for k, v in b.items()}
    for table in ("account", "contact", "lead", "opportunity", "ticket", "sales_order"):
        fields = [k for k in a[table][0] if k not in ("id", "tenant_id") and not k.endswith("_id")]
        assert [[r[f] for f in fields] for r in a[table]] == [[r[f] for f in fields] for r in b[table]]
    assert {r["id"] for r in a["contact"]}.isdisjoint({r["id"] for r in b["contact"]})  # tenants never clash
    assert [r["name"] for r in a["contact"]] != [r["name"] for r in c["contact"]]
    ctx = make_ctx()
    assert generate(ctx, seed=7, size=0.2).tables["contact"] == generate(ctx, seed=7, size=0.2).tables["contact"]


def test_default_volumes(full):
    _, t = full
    expected = {
        "account": (190, 210), "contact": (590, 610), "lead": (290, 310), "opportunity": (240, 260),
        "activity": (1900, 2100), "calendar_event": (140, 160), "ticket": (290, 310), "sales_order": (490, 510),
        "product": (38, 45), "quote": (5, 30), "campaign": (5, 5), "tag": (5, 12), "tag_link": (80, 200),
    }
    for table, (lo, hi) in expected.items():
        assert lo <= len(t[table]) <= hi, (table, len(t[table]))
    assert len(t["price_book"]) == 1 and len(t["price_book_entry"]) == len(t["product"])
    assert len(t["campaign_member"]) >= 5 * 20


def test_rows_fit_their_tables(full):
    _, t = full
    for name, rows in t.items():
        table = Base.metadata.tables[name]
        keys = set(rows[0])
        assert keys <= set(table.c.keys()), (name, keys - set(table.c.keys()))
        assert all(set(r) == keys for r in rows), name  # executemany needs one shape per table
        required = {c.name for c in table.c if not c.nullable and c.default is None and c.server_default is None}
        assert required <= keys, (name, required - keys)
        if "id" in keys:
            assert len({r["id"] for r in rows}) == len(rows)


def test_bilingual_names_places_and_contact_details(full):
    _, t = full
    names = [a["name"] for a in t["account"]]
    assert sum(bool(CJK.search(n)) for n in names) > 0.7 * len(names)
    assert any(n.endswith(("Ltd.", "Pte. Ltd.", "Limited", "Inc.", "GmbH", "Pty Ltd")) for n in names)
    assert any("有限公司" in n for n in names)
    people = [c["name"] for c in t["contact"]]
    assert any(CJK.search(p) for p in people) and any(p.isascii() for p in people)
    cities = Counter(a["city"] for a in t["account"])
    assert {"上海", "北京", "深圳"} <= set(cities) and any(c in cities for c in ("Singapore", "London", "Hong Kong"))
    assert all(a["industry"] in INDUSTRIES for a in t["account"])
    for c in t["contact"]:
        validate_email(c["email"], check_deliverability=False)
        if c["mobile"].startswith("1"):
            assert MOBILE.match(c["mobile"]), c["mobile"]
    assert sum(bool(MOBILE.match(c["mobile"])) for c in t["contact"]) > 0.7 * len(t["contact"])
    assert len({c["email"] for c in t["contact"]}) == len(t["contact"])
    assert all(a["normalized_name"] for a in t["account"])


def test_relations_hold(full):
    ctx, t = full
    accounts, contacts, deals = by_id(t["account"]), by_id(t["contact"]), by_id(t["opportunity"])
    won = {s.id for s in ctx.stages if s.is_won}
    assert all(c["account_id"] in accounts for c in contacts.values())
    assert all(a["parent_account_id"] in accounts for a in accounts.values() if a["parent_account_id"])
    for d in deals.values():
        assert d["account_id"] in accounts
        assert d["contact_id"] is None or contacts[d["contact_id"]]["account_id"] == d["account_id"]
    won_accounts = {d["account_id"] for d in deals.values() if d["stage_id"] in won}
    assert won_accounts == {a["id"] for a in accounts.values() if a["type"] == "customer"}
    for tk in t["ticket"]:
        assert accounts[tk["account_id"]]["type"] == "customer"
        assert contacts[tk["contact_id"]]["account_id"] == tk["account_id"]
    for o in t["sales_order"]:
        assert o["account_id"] in won_accounts
        if o["opportunity_id"]:
            assert deals[o["opportunity_id"]]["stage_id"] in won
    ordered = {o["opportunity_id"] for o in t["sales_order"]}
    assert {d["id"] for d in deals.values() if d["stage_id"] in won} <= ordered  # every won deal has an order
    orders = by_id(t["sales_order"])
    lines = Counter(line["order_id"] for line in t["sales_order_line"])
    assert set(lines) == set(orders)
    for lead in t["lead"]:
        if lead["status"] == "converted":
            assert deals[lead["converted_opportunity_id"]]["account_id"] == lead["converted_account_id"]
    for a in t["activity"]:
        assert a["account_id"] is None or a["account_id"] in accounts
        assert a["related_id"] is not None and a["related_entity"] in ("accounts", "contacts", "opportunities", "leads", "tickets")


def test_dates_are_believable(full):
    ctx, t = full
    now = datetime.combine(BASE, time(4, 0), tzinfo=UTC)  # noon in Beijing
    stages = {s.id: s for s in ctx.stages}
    for d in t["opportunity"]:
        stage = stages[d["stage_id"]]
        assert d["probability"] == stage.probability
        assert (d["close_date"] <= BASE) if stage.is_closed else (d["close_date"] > BASE)
        assert d["amount"] > 0
    orders = t["sales_order"]
    assert min(o["order_date"] for o in orders) >= BASE - timedelta(days=740)
    assert max(o["order_date"] for o in orders) <= BASE
    assert len({o["order_date"].year for o in orders}) >= 2
    assert all(re.fullmatch(r"SO-\d{4}-\d{5}", o["order_number"]) for o in orders)
    assert len({o["order_number"] for o in orders}) == len(orders)
    for a in t["activity"]:
        moment = a["start_at"] or a["due_at"] or a["completed_at"] or a["created_at"]
        if a["status"] in ("completed", "cancelled"):
            assert moment <= now
        else:
            assert moment > now - timedelta(days=1)
    assert Counter(a["type"] for a in t["activity"]).keys() == {"task", "call", "meeting", "visit", "email", "note"}


def test_tickets_follow_the_sla_table(full):
    _, t = full
    numbers = [tk["number"] for tk in t["ticket"]]
    assert numbers == [f"TK-{i:06d}" for i in range(1, len(numbers) + 1)]
    for tk in t["ticket"]:
        respond, resolve = SLA_HOURS[tk["priority"]]
        assert tk["first_response_due_at"] - tk["created_at"] == timedelta(hours=respond)
        assert tk["resolution_due_at"] - tk["created_at"] == timedelta(hours=resolve)
        assert tk["channel"] in CHANNELS
        assert (tk["resolved_at"] is not None) == (tk["status"] in ("resolved", "closed"))
    assert {"new", "open", "closed"} <= {tk["status"] for tk in t["ticket"]}


def test_counters_continue_the_numbering(full):
    """New tickets and orders through the API take the next number (lingxi.records.rules) without clashing."""
    _, t = full
    counters = {c["name"]: c["value"] for c in t["counter"]}
    assert counters == {"ticket": len(t["ticket"]), "order": len(t["sales_order"])}
    assert max(int(o["order_number"][-5:]) for o in t["sales_order"]) == counters["order"]
    dates = [o["order_date"] for o in sorted(t["sales_order"], key=lambda o: o["order_number"][-5:])]
    assert dates == sorted(dates)


def test_size_shrinks_every_volume():
    t = generate(make_ctx(), seed=1, size=0.1).tables
    assert 15 <= len(t["account"]) <= 25 and 50 <= len(t["contact"]) <= 70 and 150 <= len(t["activity"]) <= 250


def test_scale_chunks_are_deterministic_resumable_and_sized():
    ctx = make_ctx()
    whole = list(scale_chunks(ctx, seed=3, start=0, stop=7_000))
    contacts = [c for _, cs in whole for c in cs]
    accounts = [a for acs, _ in whole for a in acs]
    assert len(contacts) == 7_000 and len({c["id"] for c in contacts}) == 7_000
    assert 7_000 // 3 <= len(accounts) <= 7_000 // 3 + 2
    assert {c["account_id"] for c in contacts} <= {a["id"] for a in accounts}
    resumed = [c for _, cs in scale_chunks(ctx, seed=3, start=5_000, stop=7_000) for c in cs]
    assert [c["id"] for c in resumed] == [c["id"] for c in contacts[5_000:]]
    assert [c["name"] for c in resumed] == [c["name"] for c in contacts[5_000:]]
