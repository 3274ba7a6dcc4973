"""The sales side of the demo: products, accounts, contacts, opportunities, leads, quotes and orders."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from lingxi.accounts.service import normalize_company_name
from lingxi.contacts.models import LEAD_SOURCES
from lingxi.demo import people, vocab
from lingxi.demo.records import DemoData, Frame, StageRef, line_total, money, scaled

FAMILY_CODES = {"订阅": "SUB", "软件": "SW", "硬件": "HW", "服务": "SVC", "培训": "TRN"}
CN_COMPETITORS = ("纷享销客", "销售易", "用友", "金蝶", "Salesforce", "Microsoft Dynamics", "Odoo", "其他")
EN_COMPETITORS = ("Salesforce", "HubSpot", "Microsoft Dynamics", "Odoo", "其他")


@dataclass
class AccountInfo:
    row: dict[str, Any]
    company: people.Company
    customer: bool
    contacts: list[dict[str, Any]] = field(default_factory=list)
    first_win: date | None = None


@dataclass
class DealInfo:
    row: dict[str, Any]
    account: AccountInfo
    stage: StageRef
    items: list[dict[str, Any]]


class SalesBuilder:
    def __init__(self, frame: Frame, data: DemoData, size: float):
        self.f = frame
        self.rng: random.Random = frame.rng
        self.data = data
        self.size = size
        self.emails = people.EmailBook()
        self.products: list[dict[str, Any]] = []
        self.accounts: list[AccountInfo] = []
        self.deals: list[DealInfo] = []
        self.leads: list[dict[str, Any]] = []
        self.quotes_by_deal: dict[Any, dict[str, Any]] = {}

    @property
    def customers(self) -> list[AccountInfo]:
        return [a for a in self.accounts if a.customer]

    def build(self) -> None:
        self.build_products()
        self.build_accounts(scaled(200, self.size, 5))
        self.build_contacts(scaled(600, self.size, 10))
        self.build_deals(scaled(250, self.size, 6))
        self.build_leads(scaled(300, self.size, 5))
        self.build_quotes(scaled(18, self.size, 2))
        self.build_orders(scaled(500, self.size, 5))

    # -- catalogue ---------------------------------------------------------------------------------------
    def build_products(self) -> None:
        created = self.f.at(-800)
        seq: dict[str, int] = {}
        for name, english, family, unit, price in vocab.PRODUCTS:
            code = FAMILY_CODES[family]
            seq[code] = seq.get(code, 0) + 1
            self.products.append(self.data.add("product", self.f.record(
                "product", owner=None, created=created, by=self.f.ctx.admin_id, name=name, code=f"LX-{code}-{seq[code]:03d}",
                family=family, unit=unit, list_price=money(price), is_active=True, description=english,
            )))
        book = self.data.add("price_book", self.f.record(
            "price_book", owner=None, created=created, by=self.f.ctx.admin_id, name="标准价格表", currency="CNY",
            is_standard=True, is_active=True, description="Standard price book (CNY, tax included)",
        ))
        for product in self.products:
            self.data.add("price_book_entry", self.f.record(
                "price_book_entry", owner=None, created=created, by=self.f.ctx.admin_id, price_book_id=book["id"],
                product_id=product["id"], unit_price=product["list_price"],
            ))

    # -- accounts and contacts ---------------------------------------------------------------------------
    def build_accounts(self, n: int) -> None:
        rng = self.rng
        n_customers = max(1, round(n * 0.4))
        kinds = ["customer"] * n_customers + ["prospect"] * round(n * 0.42) + ["partner"] * round(n * 0.08)
        kinds += ["other"] * max(0, n - len(kinds) - round(n * 0.03)) + ["competitor"] * n
        kinds = kinds[:n]
        rng.shuffle(kinds)
        for kind in kinds:
            parent = self._parent_candidate() if rng.random() < 0.05 else None
            company = people.company(rng, overseas=False, sector=parent.company.industry) if parent else people.company(rng)
            name = f"{parent.company.short}（{company.place.city}）分公司" if parent else company.name
            if parent is not None and parent.company.place.city == company.place.city:
                parent = None
                name = company.name
            region = company.place.region
            created = self.f.at(-rng.randint(60, 800) if kind == "customer" else -rng.randint(5, 700))
            employees = int(rng.choice((20, 50, 120, 300, 800, 2000, 5000, 20000)) * rng.uniform(0.6, 1.5))
            rating = rng.choice("AABBC") if kind == "customer" else rng.choice("BCCDD")
            row = self.f.record(
                "account", owner=self.f.ctx.sales_owner(rng, region), created=created,
                updated=self.f.between(created, self.f.now),
                name=name, normalized_name=normalize_company_name(name), industry=company.industry,
                type=kind, rating=rating, website=f"https://www.{company.domain}", phone=company.phone,
                email=f"{'info' if company.english else rng.choice(('info', 'contact', 'service', 'market'))}@{company.domain}",
                country=company.place.country, province=company.place.province, city=company.place.city,
                address=company.address, annual_revenue=money(employees * rng.uniform(3e5, 1.2e6)),
                employees=employees, parent_account_id=parent.row["id"] if parent else None,
                description=self._account_blurb(company, kind),
            )
            self.accounts.append(AccountInfo(self.data.add("account", row), company, kind == "customer"))

    def _parent_candidate(self) -> AccountInfo | None:
        candidates = [a for a in self.accounts if not a.company.english and a.row["parent_account_id"] is None]
        return self.rng.choice(candidates) if candidates else None

    def _account_blurb(self, company: people.Company, kind: str) -> str:
        if company.english:
            return f"{company.short}, {company.industry} business based in {company.place.city}."
        status = {"customer": "现有客户", "prospect": "潜在客户", "partner": "合作伙伴"}.get(kind, "客户")
        return f"{company.place.city}{company.industry}企业，{status}。"

    def build_contacts(self, n: int) -> None:
        rng = self.rng
        weights = [1 + (a.row["employees"] or 0) ** 0.3 for a in self.accounts]
        owners = [self.accounts[i] for i in range(len(self.accounts))]
        owners += rng.choices(self.accounts, weights=weights, k=max(0, n - len(self.accounts)))
        for account in owners[:n]:
            company = account.company
            person = people.person_for(rng, company)
            title, dept = rng.choice(vocab.EN_TITLES if person.chinese is False and company.english else vocab.CN_TITLES)
            created = self.f.between(account.row["created_at"], min(self.f.now, account.row["created_at"] + timedelta(days=90)))
            birthday = date(rng.randint(1965, 1998), rng.randint(1, 12), rng.randint(1, 28)) if rng.random() < 0.4 else None
            row = self.f.record(
                "contact", owner=account.row["owner_id"], created=created, updated=self.f.between(created, self.f.now),
                name=person.name, account_id=account.row["id"], title=title, department=dept,
                email=self.emails.address(person.handle, company.domain),
                phone=people.landline(rng, company.place) if rng.random() < 0.6 else None,
                mobile=people.mobile(rng, company.place), city=company.place.city, birthday=birthday,
                lead_source=rng.choice(LEAD_SOURCES), description=None,
            )
            account.contacts.append(self.data.add("contact", row))

    # -- opportunities -----------------------------------------------------------------------------------
    def build_deals(self, n: int) -> None:
        rng = self.rng
        ctx = self.f.ctx
        customers = self.customers
        prospects = [a for a in self.accounts if a.row["type"] in ("prospect", "partner", "other")] or self.accounts
        n_won = len(customers) + round(len(customers) * 0.125)
        n_lost = round(n * 0.2)
        n_open = max(0, n - n_won - n_lost)
        plan: list[tuple[AccountInfo, StageRef, str]] = [(a, ctx.won_stage, "new_business") for a in customers]
        plan += [(rng.choice(customers), ctx.won_stage, rng.choice(("upsell", "renewal")))
                 for _ in range(n_won - len(customers))]
        plan += [(rng.choice(prospects if rng.random() < 0.8 else customers or prospects), ctx.lost_stage, "new_business")
                 for _ in range(n_lost)]
        open_stages = ctx.open_stages
        for _ in range(n_open):
            account = rng.choice(customers) if customers and rng.random() < 0.25 else rng.choice(prospects)
            stage = rng.choices(open_stages, weights=(30, 25, 20, 15, 10)[: len(open_stages)])[0]
            plan.append((account, stage, "upsell" if account.customer else "new_business"))
        for account, stage, kind in plan[:n]:
            self.deals.append(self._deal(account, stage, kind))
        for deal in self.deals:  # first wins define when a customer starts ordering
            if deal.stage.is_won:
                close = deal.row["close_date"]
                if deal.account.first_win is None or close < deal.account.first_win:
                    deal.account.first_win = close

    def _deal(self, account: AccountInfo, stage: StageRef, kind: str) -> DealInfo:
        rng = self.rng
        acc_created = account.row["created_at"]
        if stage.is_closed:
            earliest = max(-730, -int(self.f.days_before_now(acc_created)) + 30)
            close = self.f.day(rng.randint(min(earliest, -3), -3))
            created = self.f.at((close - self.f.ctx.base_date).days - rng.randint(20, 150))
        else:
            close = self.f.day(rng.randint(7, 180))
            created = self.f.at(-rng.randint(3, 150))
        created = max(created, acc_created)
        english = account.company.english
        topic = rng.choice(vocab.DEAL_TOPICS_EN if english else vocab.DEAL_TOPICS_CN)
        if kind == "renewal":
            topic = "Renewal" if english else "年度续约"
        name = f"{account.company.short} – {topic}" if english else f"{account.company.short} {topic}"
        contact = rng.choice(account.contacts) if account.contacts else None
        row = self.f.record(
            "opportunity", owner=account.row["owner_id"], created=created,
            updated=self.f.at((close - self.f.ctx.base_date).days) if stage.is_closed else self.f.between(created, self.f.now),
            name=name, account_id=account.row["id"], contact_id=contact["id"] if contact else None,
            pipeline_id=self.f.ctx.pipeline_id, stage_id=stage.id, amount=None, currency="CNY", close_date=close,
            probability=stage.probability,
            competitors=rng.sample(EN_COMPETITORS if english else CN_COMPETITORS, rng.choice((0, 1, 1, 2))),
            lead_source=rng.choice(LEAD_SOURCES), next_step=None if stage.is_closed else rng.choice(vocab.NEXT_STEPS),
            type=kind, description=None,
        )
        items = self._line_items("opportunity_line_item", row, kind)
        row["amount"] = money(sum(i["total"] for i in items))
        if stage.is_closed and not stage.is_won:
            reason = rng.choice(("价格因素", "选择了竞争对手", "预算取消", "项目延期", "Lost on price"))
            row["description"] = f"输单原因：{reason}"
        self.data.add("opportunity", row)
        for item in items:
            self.data.add("opportunity_line_item", item)
        return DealInfo(row, account, stage, items)

    def _line_items(self, kind: str, parent: dict[str, Any], deal_type: str, parent_key: str = "opportunity_id",
                    *, how_many: int | None = None, created: datetime | None = None) -> list[dict[str, Any]]:
        rng = self.rng
        count = how_many or rng.choice((1, 2, 2, 3, 3, 4))
        pool = self.products
        if deal_type == "renewal":
            pool = [p for p in self.products if p["family"] in ("订阅", "服务")]
        elif deal_type == "repeat":
            pool = [p for p in self.products if p["family"] != "软件"]
        items = []
        for product in rng.sample(pool, min(count, len(pool))):
            unit = product["unit"] or ""
            if "用户" in unit or "坐席" in unit:
                qty = rng.choice((10, 20, 30, 50, 80, 100, 150, 200, 300))
            elif unit in ("人天",):
                qty = rng.randint(5, 60)
            elif product["family"] == "硬件":
                qty = rng.randint(1, 30) if product["list_price"] < 5000 else rng.randint(1, 4)
            else:
                qty = rng.randint(1, 3)
            quantity = Decimal(qty)
            discount = Decimal(rng.choice((0, 0, 5, 10, 15, 20)))
            price = product["list_price"]
            items.append(self.f.record(
                kind, owner=None, created=created or parent["created_at"], by=parent["owner_id"], **{parent_key: parent["id"]},
                product_id=product["id"], description=product["name"], quantity=quantity, unit_price=price,
                discount=discount, total=line_total(quantity, price, discount),
            ))
        return items

    # -- leads -------------------------------------------------------------------------------------------
    def build_leads(self, n: int) -> None:
        rng = self.rng
        ctx = self.f.ctx
        convertible = [d for d in self.deals if d.row["contact_id"] and d.row["type"] == "new_business"]
        rng.shuffle(convertible)
        n_converted = min(round(n * 0.1), len(convertible))
        for deal in convertible[:n_converted]:
            contact = next(c for c in deal.account.contacts if c["id"] == deal.row["contact_id"])
            created = deal.row["created_at"] - timedelta(days=rng.randint(3, 30))
            self.leads.append(self.data.add("lead", self.f.record(
                "lead", owner=deal.row["owner_id"], created=created, updated=deal.row["created_at"],
                name=contact["name"], company=deal.account.row["name"], title=contact["title"], email=contact["email"],
                phone=contact["phone"], mobile=contact["mobile"], industry=deal.account.row["industry"],
                city=deal.account.row["city"], source=deal.row["lead_source"], status="converted", rating="hot",
                description=None, converted_at=deal.row["created_at"], converted_account_id=deal.account.row["id"],
                converted_contact_id=contact["id"], converted_opportunity_id=deal.row["id"],
            )))
        statuses = rng.choices(("new", "working", "qualified", "unqualified"), weights=(28, 33, 17, 22), k=n - n_converted)
        for status in statuses:
            company = people.company(rng)
            person = people.person_for(rng, company)
            age = rng.randint(1, 45) if status == "new" else rng.randint(10, 500)
            created = self.f.at(-age)
            owner = rng.choice(ctx.marketing_ids) if status == "new" else ctx.sales_owner(rng, company.place.region)
            free_mail = rng.random() < 0.2 and not company.english
            domain = rng.choice(people.FREE_MAIL) if free_mail else company.domain
            title, _ = rng.choice(vocab.EN_TITLES if company.english else vocab.CN_TITLES)
            self.leads.append(self.data.add("lead", self.f.record(
                "lead", owner=owner, created=created, updated=self.f.between(created, self.f.now),
                name=person.name, company=company.name, title=title, email=self.emails.address(person.handle, domain),
                phone=people.landline(rng, company.place) if rng.random() < 0.3 else None,
                mobile=people.mobile(rng, company.place), industry=company.industry, city=company.place.city,
                source=rng.choice(LEAD_SOURCES), status=status,
                rating=rng.choice(("hot", "warm", "cold")) if status != "unqualified" else "cold",
                description=rng.choice((None, "官网留资，咨询CRM与客服系统", "展会扫码", "Requested a demo via website", "老客户推荐")),
                converted_at=None, converted_account_id=None, converted_contact_id=None, converted_opportunity_id=None,
            )))

    # -- quotes and orders -------------------------------------------------------------------------------
    def build_quotes(self, n: int) -> None:
        rng = self.rng
        late_open = [d for d in self.deals if not d.stage.is_closed and d.stage.probability >= 40]
        won = [d for d in self.deals if d.stage.is_won]
        chosen = rng.sample(late_open, min(len(late_open), n * 2 // 3))
        chosen += rng.sample(won, min(len(won), n - len(chosen)))
        for deal in chosen:
            created = self.f.between(deal.row["created_at"], min(self.f.now, deal.row["updated_at"]))
            status = "accepted" if deal.stage.is_won else rng.choice(("draft", "in_review", "presented", "presented"))
            english = deal.account.company.english
            quote = self.f.record(
                "quote", owner=deal.row["owner_id"], created=created, name=f"{deal.row['name']} {'Quote' if english else '报价'} V1",
                opportunity_id=deal.row["id"], account_id=deal.account.row["id"], status=status,
                valid_until=(created + timedelta(days=30)).date(), currency="CNY", total_amount=deal.row["amount"],
                terms="报价含税（13%增值税），有效期30天；合同签订后支付50%，验收后支付50%。",
            )
            self.data.add("quote", quote)
            for item in deal.items:
                self.data.add("quote_line", self.f.record(
                    "quote_line", owner=None, created=created, by=deal.row["owner_id"], quote_id=quote["id"],
                    product_id=item["product_id"], description=item["description"], quantity=item["quantity"],
                    unit_price=item["unit_price"], discount=item["discount"], total=item["total"],
                ))
            self.quotes_by_deal[deal.row["id"]] = quote

    def build_orders(self, n: int) -> None:
        """Every won deal becomes an order; the rest are repeat orders of customers after their first win."""
        rng = self.rng
        orders: list[tuple[dict[str, Any], list[dict[str, Any]]]] = []
        for deal in (d for d in self.deals if d.stage.is_won):
            order_date = min(deal.row["close_date"] + timedelta(days=rng.randint(1, 10)), self.f.ctx.base_date)
            order = self._order(deal.account, order_date, deal.row["contact_id"], deal)
            lines = [self.f.record("sales_order_line", owner=None, created=order["created_at"], by=order["owner_id"],
                                   order_id=order["id"], **{k: i[k] for k in ("product_id", "description", "quantity", "unit_price", "discount", "total")})
                     for i in deal.items]
            order["total_amount"] = deal.row["amount"]
            orders.append((order, lines))
        buyers = [a for a in self.customers if a.first_win is not None and a.first_win < self.f.ctx.base_date]
        weights = [1 + (a.row["employees"] or 0) ** 0.25 for a in buyers]
        for account in (rng.choices(buyers, weights=weights, k=max(0, n - len(orders))) if buyers else []):
            assert account.first_win is not None
            span = (self.f.ctx.base_date - account.first_win).days
            order_date = account.first_win + timedelta(days=rng.randint(min(15, span), span))
            contact = rng.choice(account.contacts)["id"] if account.contacts else None
            order = self._order(account, order_date, contact, None)
            lines = self._line_items("sales_order_line", order, "repeat", "order_id", how_many=rng.choice((1, 1, 2, 3)),
                                     created=order["created_at"])
            order["total_amount"] = money(sum(line["total"] for line in lines))
            orders.append((order, lines))
        orders.sort(key=lambda pair: (pair[0]["order_date"], pair[0]["created_at"]))
        for seq, (order, lines) in enumerate(orders, start=1):  # one sequence, like lingxi.records.rules
            order["order_number"] = f"SO-{order['order_date'].year}-{seq:05d}"
            self.data.add("sales_order", order)
            for line in lines:
                self.data.add("sales_order_line", line)
        self.order_count = len(orders)

    def _order(self, account: AccountInfo, order_date: date, contact_id: Any, deal: DealInfo | None) -> dict[str, Any]:
        rng = self.rng
        age = (self.f.ctx.base_date - order_date).days
        if age > 120:
            status = rng.choices(("paid", "invoiced", "delivered", "cancelled"), weights=(80, 10, 7, 3))[0]
        elif age > 30:
            status = rng.choices(("paid", "invoiced", "delivered", "shipped", "cancelled"), weights=(35, 30, 20, 12, 3))[0]
        else:
            status = rng.choices(("confirmed", "shipped", "draft", "delivered"), weights=(45, 30, 15, 10))[0]
        created = self.f.at(-age)
        quote = self.quotes_by_deal.get(deal.row["id"]) if deal else None
        return self.f.record(
            "sales_order", owner=account.row["owner_id"], created=created,
            updated=self.f.between(created, min(self.f.now, created + timedelta(days=60))),
            order_number="", account_id=account.row["id"], contact_id=contact_id,
            opportunity_id=deal.row["id"] if deal else None, quote_id=quote["id"] if quote else None,
            status=status, order_date=order_date, currency="CNY", total_amount=None,
            shipping_address=account.row["address"],
            notes=("Won deal: " + deal.row["name"]) if deal and account.company.english else (f"赢单：{deal.row['name']}" if deal else None),
        )
