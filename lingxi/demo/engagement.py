"""The day-to-day side of the demo: activities, calendar events, tickets, campaigns and tags."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from lingxi.demo import vocab
from lingxi.demo.records import DemoData, Frame, money, scaled
from lingxi.demo.sales import AccountInfo, SalesBuilder
from lingxi.tickets.models import SLA_HOURS

ACTIVITY_WEIGHTS = {"call": 30, "email": 20, "task": 18, "meeting": 12, "visit": 10, "note": 10}
CHANNEL_WEIGHTS = {
    "phone": 20, "email": 18, "web": 15, "chat": 10, "wecom": 15, "dingtalk": 5, "feishu": 4, "mini_program": 5,
    "sms": 2, "iot": 1, "in_person": 5,
}
CATEGORY_WEIGHTS = {"咨询": 25, "故障": 30, "投诉": 8, "退换货": 6, "账单": 8, "安装实施": 10, "功能建议": 10, "其他": 3}


class EngagementBuilder:
    def __init__(self, frame: Frame, data: DemoData, sales: SalesBuilder, size: float):
        self.f = frame
        self.rng: random.Random = frame.rng
        self.data = data
        self.sales = sales
        self.size = size
        self.tickets: list[tuple[dict[str, Any], AccountInfo]] = []
        self.ticket_count = 0

    def build(self) -> None:
        self.build_tickets(scaled(300, self.size, 5))
        self.build_activities(scaled(2000, self.size, 20))
        self.build_events(scaled(150, self.size, 5))
        self.build_campaigns(scaled(40, self.size, 3))
        self.build_tags(scaled(150, self.size, 8))

    # -- tickets -----------------------------------------------------------------------------------------
    def build_tickets(self, n: int) -> None:
        rng = self.rng
        buyers = [a for a in self.sales.customers if a.first_win is not None and a.contacts]
        if not buyers:
            return
        weights = [1 + (a.row["employees"] or 0) ** 0.3 for a in buyers]
        rows = []
        for account in rng.choices(buyers, weights=weights, k=n):
            start = self.f.at((account.first_win - self.f.ctx.base_date).days + 7)  # type: ignore[operator]
            created = self.f.between(min(start, self.f.now - timedelta(hours=2)), self.f.now - timedelta(hours=1))
            rows.append(self._ticket(account, created))
        rows.sort(key=lambda pair: pair[0]["created_at"])
        for number, (row, account) in enumerate(rows, start=1):
            row["number"] = f"TK-{number:06d}"
            self.tickets.append((self.data.add("ticket", row), account))
        self.ticket_count = len(rows)

    def _ticket(self, account: AccountInfo, created: datetime) -> tuple[dict[str, Any], AccountInfo]:
        rng = self.rng
        priority = rng.choices(("low", "normal", "high", "urgent"), weights=(20, 50, 22, 8))[0]
        category = rng.choices(tuple(CATEGORY_WEIGHTS), weights=tuple(CATEGORY_WEIGHTS.values()))[0]
        respond_h, resolve_h = SLA_HOURS[priority]
        age_days = self.f.days_before_now(created)
        if age_days > 10:
            status = rng.choices(("closed", "resolved", "pending"), weights=(70, 26, 4))[0]
        elif age_days > 2:
            status = rng.choices(("resolved", "open", "pending", "closed"), weights=(40, 35, 20, 5))[0]
        else:
            status = rng.choices(("new", "open", "pending"), weights=(50, 40, 10))[0]
        responded = resolved = None
        if status != "new":
            factor = rng.uniform(0.1, 0.9) if rng.random() < 0.88 else rng.uniform(1.1, 3)
            responded = min(created + timedelta(hours=respond_h * factor), self.f.now)
        if status in ("resolved", "closed"):
            factor = rng.uniform(0.2, 0.95) if rng.random() < 0.85 else rng.uniform(1.05, 2.5)
            resolved = min(created + timedelta(hours=resolve_h * factor), self.f.now)
        contact = rng.choice(account.contacts)
        english = account.company.english
        subject = rng.choice((vocab.TICKET_SUBJECTS_EN if english else vocab.TICKET_SUBJECTS_CN)[category])
        channel = rng.choices(tuple(CHANNEL_WEIGHTS), weights=tuple(CHANNEL_WEIGHTS.values()))[0]
        description = (
            f"Reported by {contact['name']} ({contact['email']}) via {channel}."
            if english else f"{contact['name']}（{contact['mobile']}）通过{vocab.CHANNEL_LABELS[channel]}反馈：{subject}，请尽快处理。"
        )
        row = self.f.record(
            "ticket", owner=rng.choice(self.f.ctx.service_ids), created=created, updated=resolved or responded or created,
            number="", subject=subject, description=description, account_id=account.row["id"], contact_id=contact["id"],
            channel=channel, category=category, priority=priority, status=status,
            first_response_due_at=created + timedelta(hours=respond_h), resolution_due_at=created + timedelta(hours=resolve_h),
            first_responded_at=responded, resolved_at=resolved,
            satisfaction=rng.choices((1, 2, 3, 4, 5), weights=(3, 5, 15, 40, 37))[0] if status == "closed" else None,
        )
        return row, account

    # -- activities --------------------------------------------------------------------------------------
    def build_activities(self, n: int) -> None:
        rng = self.rng
        deals = self.sales.deals
        accounts = [a for a in self.sales.accounts if a.contacts]
        leads = [lead for lead in self.sales.leads if lead["status"] in ("working", "qualified", "new")]
        for _ in range(n):
            roll = rng.random()
            kind = rng.choices(tuple(ACTIVITY_WEIGHTS), weights=tuple(ACTIVITY_WEIGHTS.values()))[0]
            if roll < 0.4 and deals:
                deal = rng.choice(deals)
                end = datetime.combine(deal.row["close_date"], deal.row["created_at"].timetz()) if deal.stage.is_closed else self.f.now + timedelta(days=30)
                links = {"opportunity": deal.row, "account": deal.account.row, "contact": self._contact(deal.account, deal.row["contact_id"])}
                self._activity(kind, "opportunities", deal.row, links, deal.row["created_at"], end, deal.account.company.english)
            elif roll < 0.9 and accounts:
                account = rng.choice(accounts)
                contact = rng.choice(account.contacts)
                on_contact = roll < 0.75
                links = {"account": account.row, "contact": contact}
                target, entity = (contact, "contacts") if on_contact else (account.row, "accounts")
                self._activity(kind, entity, target, links, contact["created_at"], self.f.now + timedelta(days=30), account.company.english)
            elif roll < 0.95 and leads:
                lead = rng.choice(leads)
                self._activity(rng.choice(("call", "email", "task")), "leads", lead, {"lead": lead}, lead["created_at"],
                               self.f.now + timedelta(days=14), False)
            elif self.tickets:
                ticket, account = rng.choice(self.tickets)
                contact = self._contact(account, ticket["contact_id"])
                end = ticket["resolved_at"] or self.f.now + timedelta(days=3)
                links = {"ticket": ticket, "account": account.row, "contact": contact}
                self._activity(rng.choice(("call", "email", "note")), "tickets", ticket, links, ticket["created_at"], end,
                               account.company.english)

    @staticmethod
    def _contact(account: AccountInfo, contact_id: Any) -> dict[str, Any] | None:
        return next((c for c in account.contacts if c["id"] == contact_id), None)

    def _activity(self, kind: str, entity: str, target: dict[str, Any], links: dict[str, dict[str, Any] | None],
                  start: datetime, end: datetime, english: bool) -> None:
        rng = self.rng
        when = self.f.between(start, end)
        if kind in ("email", "note") and when > self.f.now:
            when = self.f.between(start, self.f.now)
        past = when <= self.f.now
        status = ("completed" if rng.random() < 0.92 else "cancelled") if past else ("planned" if rng.random() < 0.9 else "in_progress")
        subject = rng.choice((vocab.ACTIVITY_SUBJECTS_EN if english else vocab.ACTIVITY_SUBJECTS_CN)[kind])
        duration = {"call": rng.randint(3, 40), "meeting": rng.choice((30, 60, 90, 120)), "visit": rng.choice((60, 120, 180))}.get(kind)
        place = None
        if kind in ("meeting", "visit"):
            account = links.get("account")
            city = (account or {}).get("city") or "上海"
            place = rng.choice(vocab.MEETING_PLACES).format(city=city) if kind == "meeting" else (account or {}).get("address")
        owner = target.get("owner_id") or rng.choice(self.f.ctx.service_ids)
        if entity == "tickets":
            owner = target["owner_id"]
        created = min(when, self.f.now) - timedelta(days=rng.randint(0, 5) if kind in ("task", "meeting", "visit") else 0)
        created = max(created, start)
        self.data.add("activity", self.f.record(
            "activity", owner=owner, created=created, updated=when if past else created,
            type=kind, subject=subject, description=self._activity_text(kind, links, english), status=status,
            priority=rng.choices(("low", "normal", "high", "urgent"), weights=(15, 60, 20, 5))[0],
            due_at=when if kind == "task" else None,
            start_at=when if kind in ("call", "meeting", "visit") else None,
            end_at=when + timedelta(minutes=duration) if duration and kind != "call" else None,
            completed_at=when if status == "completed" else None,
            duration_minutes=duration if kind != "task" else None,
            direction=rng.choice(("inbound", "outbound", "outbound")) if kind in ("call", "email") else None,
            outcome=rng.choice(vocab.CALL_OUTCOMES) if kind == "call" and status == "completed" and not english else None,
            location=place, related_entity=entity, related_id=target["id"],
            account_id=(links.get("account") or {}).get("id"), contact_id=(links.get("contact") or {}).get("id"),
            opportunity_id=(links.get("opportunity") or {}).get("id"), lead_id=(links.get("lead") or {}).get("id"),
            ticket_id=(links.get("ticket") or {}).get("id"),
        ))

    @staticmethod
    def _activity_text(kind: str, links: dict[str, dict[str, Any] | None], english: bool) -> str | None:
        person = (links.get("contact") or links.get("lead") or {}).get("name")
        if not person:
            return None
        if english:
            return f"With {person}."
        return {"call": f"与{person}电话沟通。", "meeting": f"参会人：{person}。", "visit": f"拜访{person}。",
                "email": f"收件人：{person}。", "task": f"跟进{person}相关事项。", "note": f"{person}反馈。"}[kind]

    # -- calendar ----------------------------------------------------------------------------------------
    def build_events(self, n: int) -> None:
        rng = self.rng
        ctx = self.f.ctx
        open_deals = [d for d in self.sales.deals if not d.stage.is_closed] or self.sales.deals
        for _ in range(n):
            deal = rng.choice(open_deals)
            start = self.f.at(rng.randint(-60, 45))
            kind = rng.choice(("meeting", "visit", "meeting", "call"))
            title = rng.choice((vocab.ACTIVITY_SUBJECTS_EN if deal.account.company.english else vocab.ACTIVITY_SUBJECTS_CN)[kind])
            owner = deal.row["owner_id"]
            attendees = [str(owner)] + ([str(ctx.manager_id)] if owner != ctx.manager_id and rng.random() < 0.3 else [])
            all_day = rng.random() < 0.05
            created = min(start, self.f.now) - timedelta(days=rng.randint(1, 14))
            self.data.add("calendar_event", self.f.record(
                "calendar_event", owner=owner, created=created,
                title=f"{title} · {deal.account.company.short}", start_at=start,
                end_at=start + timedelta(hours=8 if all_day else rng.choice((0.5, 1, 1.5, 2))), all_day=all_day,
                location=deal.account.row["address"] if kind == "visit" else rng.choice(vocab.MEETING_PLACES).format(city=deal.account.row["city"]),
                description=deal.row["name"], attendee_ids=attendees, reminder_minutes=rng.choice((None, 15, 30, 60)),
                related_entity="opportunities", related_id=deal.row["id"], account_id=deal.account.row["id"],
                contact_id=deal.row["contact_id"], opportunity_id=deal.row["id"],
            ))

    # -- campaigns ---------------------------------------------------------------------------------------
    def build_campaigns(self, members_per_campaign: int) -> None:
        rng = self.rng
        contacts = [c for a in self.sales.accounts for c in a.contacts]
        leads = self.sales.leads
        owner = self.f.ctx.marketing_ids[0]
        for name, kind, start_offset, length, budget in vocab.CAMPAIGNS:
            start, end = self.f.day(start_offset), self.f.day(start_offset + length)
            status = "completed" if end < self.f.ctx.base_date else ("active" if start <= self.f.ctx.base_date else "planned")
            created = self.f.at(start_offset - 45)
            campaign = self.data.add("campaign", self.f.record(
                "campaign", owner=owner, created=created, name=name, type=kind, status=status, start_date=start, end_date=end,
                budget=money(budget), actual_cost=money(budget * rng.uniform(0.8, 1.1)) if status == "completed" else None,
                expected_revenue=money(budget * rng.randint(4, 12)), description=f"{name}（{kind}）",
            ))
            k = max(1, round(members_per_campaign * rng.uniform(0.7, 1.3)))
            picks = [("contact_id", c) for c in rng.sample(contacts, min(len(contacts), k * 2 // 3))]
            picks += [("lead_id", lead) for lead in rng.sample(leads, min(len(leads), k - len(picks)))]
            for key, target in picks:
                if status == "planned":
                    m_status = "planned"
                else:
                    m_status = rng.choices(("sent", "opened", "clicked", "responded", "bounced", "unsubscribed"),
                                           weights=(30, 30, 15, 15, 6, 4))[0]
                responded = self.f.at(min(start_offset + rng.randint(0, max(1, length + 5)), 0)) if m_status == "responded" else None
                self.data.add("campaign_member", self.f.record(
                    "campaign_member", owner=None, created=created, by=owner, campaign_id=campaign["id"],
                    contact_id=target["id"] if key == "contact_id" else None,
                    lead_id=target["id"] if key == "lead_id" else None, status=m_status, responded_at=responded,
                ))

    # -- tags --------------------------------------------------------------------------------------------
    def build_tags(self, n_links: int) -> None:
        rng = self.rng
        ctx = self.f.ctx
        tags = {name: self.data.add("tag", self.f.record("tag", owner=None, created=self.f.at(-800), by=ctx.admin_id,
                                                          name=name, color=color))
                for name, color in vocab.TAGS}
        accounts = self.sales.accounts
        candidates: list[tuple[str, str, dict[str, Any]]] = []
        candidates += [("重点客户", "accounts", a.row) for a in accounts if a.customer and a.row["rating"] == "A"]
        candidates += [("VIP", "contacts", a.contacts[0]) for a in accounts if a.customer and a.contacts and a.row["rating"] == "A"]
        candidates += [("战略合作", "accounts", a.row) for a in accounts if a.row["type"] == "partner"]
        candidates += [("Key account", "accounts", a.row) for a in accounts if a.customer and a.company.english]
        candidates += [("政府项目", "accounts", a.row) for a in accounts if a.row["industry"] == "政府与公共事业"]
        candidates += [("续约风险", "accounts", a.row) for t, a in self.tickets if t["category"] == "投诉"]
        candidates += [("高意向", "opportunities", d.row) for d in self.sales.deals if not d.stage.is_closed and d.stage.probability >= 60]
        candidates += [("高意向", "leads", lead) for lead in self.sales.leads if lead["rating"] == "hot" and lead["status"] != "converted"]
        candidates += [("待回访", "contacts", c) for a in accounts for c in a.contacts[1:2]]
        rng.shuffle(candidates)
        seen: set[tuple[str, Any]] = set()
        for tag_name, entity, record in candidates:
            key = (tag_name, record["id"])
            if key in seen:
                continue
            seen.add(key)
            self.data.add("tag_link", {
                "id": self.f.new_id("tag_link"), "tenant_id": ctx.tenant_id, "tag_id": tags[tag_name]["id"], "entity": entity,
                "record_id": record["id"], "created_at": record["created_at"], "updated_at": record["created_at"],
            })
            if len(seen) >= n_links:
                break
