"""Extra contacts (and one account per three of them) for benchmarks: 50k to 1M rows, made in chunks.

Chunk ``k`` depends only on the seed and ``k``, so an interrupted load resumes where it stopped and the
same seed always yields the same rows.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from lingxi.accounts.service import normalize_company_name
from lingxi.contacts.models import LEAD_SOURCES
from lingxi.demo import people, vocab
from lingxi.demo.records import DemoContext, Frame, money

CHUNK = 5_000
CONTACTS_PER_ACCOUNT = 3
MAX_SCALE = 1_000_000


def scale_chunks(ctx: DemoContext, *, seed: int, start: int, stop: int) -> Iterator[tuple[list[dict[str, Any]], list[dict[str, Any]]]]:
    """``(accounts, contacts)`` row lists for scaled contacts number ``start`` (inclusive) to ``stop``."""
    first_chunk = start // CHUNK
    for k in range(first_chunk, (stop + CHUNK - 1) // CHUNK):
        lo, hi = max(start, k * CHUNK), min(stop, (k + 1) * CHUNK)
        yield _chunk(ctx, seed, k, lo, hi)


def _chunk(ctx: DemoContext, seed: int, k: int, lo: int, hi: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    rng = random.Random(f"{seed}:scale:{k}")
    frame = Frame(ctx, rng)
    emails = people.EmailBook()
    tenant = ctx.tenant_id
    accounts: list[tuple[dict[str, Any], people.Company]] = []
    n_accounts = max(1, (hi - lo + CONTACTS_PER_ACCOUNT - 1) // CONTACTS_PER_ACCOUNT)
    for j in range(n_accounts):
        company = people.company(rng)
        created = frame.at(-rng.randint(1, 730))
        kind = rng.choices(("prospect", "customer", "partner", "other"), weights=(55, 35, 5, 5))[0]
        employees = int(rng.choice((20, 50, 120, 300, 800, 2000)) * rng.uniform(0.6, 1.5))
        owner = ctx.sales_owner(rng, company.place.region)
        accounts.append(({
            "id": uuid.uuid5(tenant, f"demo:scale-account:{k}:{lo}:{j}"), "tenant_id": tenant, "owner_id": owner,
            "created_by_id": owner, "updated_by_id": owner, "deleted_by_id": None, "deleted_at": None, "version": 1,
            "custom": {}, "created_at": created, "updated_at": created, "name": company.name,
            "normalized_name": normalize_company_name(company.name), "industry": company.industry, "type": kind,
            "rating": rng.choice("ABCD"), "website": f"https://www.{company.domain}", "phone": company.phone,
            "email": f"info@{company.domain}", "country": company.place.country, "province": company.place.province,
            "city": company.place.city, "address": company.address,
            "annual_revenue": money(employees * rng.uniform(3e5, 1.2e6)), "employees": employees,
            "parent_account_id": None, "description": None,
        }, company))
    contacts = []
    for i in range(lo, hi):
        account, company = accounts[(i - lo) // CONTACTS_PER_ACCOUNT] if rng.random() < 0.7 else rng.choice(accounts)
        person = people.person_for(rng, company)
        title, dept = rng.choice(vocab.EN_TITLES if company.english and not person.chinese else vocab.CN_TITLES)
        created = frame.between(account["created_at"], frame.now)
        contacts.append({
            "id": uuid.uuid5(tenant, f"demo:scale-contact:{i}"), "tenant_id": tenant, "owner_id": account["owner_id"],
            "created_by_id": account["owner_id"], "updated_by_id": account["owner_id"], "deleted_by_id": None,
            "deleted_at": None, "version": 1, "custom": {}, "created_at": created, "updated_at": created,
            "name": person.name, "account_id": account["id"], "title": title, "department": dept,
            "email": emails.address(person.handle, company.domain),
            "phone": people.landline(rng, company.place) if rng.random() < 0.5 else None,
            "mobile": people.mobile(rng, company.place), "city": company.place.city,
            "birthday": date(1965, 1, 1) + timedelta(days=rng.randrange(12_000)) if rng.random() < 0.3 else None,
            "lead_source": rng.choice(LEAD_SOURCES), "description": None,
        })
    return [a for a, _ in accounts], contacts
