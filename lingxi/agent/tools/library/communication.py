"""Communication tools: draft an email from a record's data (polished by the tenant's LLM when one is
configured), and notify a user in the app."""

from __future__ import annotations

import re
import uuid
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from lingxi.agent.tools.base import Permission, ToolContext
from lingxi.agent.tools.registry import tool
from lingxi.ai.llm.service import get_llm
from lingxi.ai.llm.types import LlmError, Message
from lingxi.errors import Forbidden, NotFound
from lingxi.notifications.service import notify
from lingxi.org.models import User
from lingxi.records.service import RecordService, entity_or_404

Purpose = Literal["follow_up", "meeting_request", "quote_follow_up", "thank_you", "ticket_reply", "introduction"]
DRAFT_ENTITIES = ("contacts", "leads", "accounts", "opportunities", "tickets", "quotes", "orders")

# Each template is a subject and sentences; a sentence is kept only when every slot it names has a value.
TEMPLATES: dict[str, dict[Purpose, tuple[str, tuple[str, ...]]]] = {
    "zh": {
        "follow_up": ("关于{topic}的跟进", (
            "{contact_name}您好：", "感谢您近期就{topic}与我们沟通。", "目前{company}的需求我们已整理完毕，预计金额约{amount}。",
            "下一步我们计划：{next_step}。", "希望能在{date}前与您确认相关安排。", "{points}", "如有任何问题，欢迎随时联系我。",
            "此致\n{sender}",
        )),
        "meeting_request": ("邀请会面：{topic}", (
            "{contact_name}您好：", "为推进{topic}，想邀请您安排一次会面。", "建议时间为{date}，地点或方式可按您的方便调整。",
            "会议将围绕：{next_step}。", "{points}", "期待您的回复。", "此致\n{sender}",
        )),
        "quote_follow_up": ("{topic}报价跟进", (
            "{contact_name}您好：", "我们此前向{company}提供的{topic}报价金额为{amount}。", "报价有效期至{date}。",
            "想了解您对报价的意见，以及是否需要调整方案。", "{points}", "此致\n{sender}",
        )),
        "thank_you": ("感谢您的支持", (
            "{contact_name}您好：", "感谢{company}对我们的信任与支持。", "关于{topic}，我们会持续跟进并确保顺利推进。", "{points}",
            "此致\n{sender}",
        )),
        "ticket_reply": ("回复：{topic}", (
            "{contact_name}您好：", "您提交的工单（{ticket_number}）“{topic}”我们已收到。", "当前状态：{status}。", "{points}",
            "我们会尽快处理并及时告知进展。", "此致\n{sender}",
        )),
        "introduction": ("{sender}的自我介绍", (
            "{contact_name}您好：", "我是{sender}，负责{company}的客户服务与合作。", "很高兴有机会就{topic}与您交流。", "{points}",
            "期待与您进一步沟通。", "此致\n{sender}",
        )),
    },
    "en": {
        "follow_up": ("Following up on {topic}", (
            "Dear {contact_name},", "Thank you for discussing {topic} with us.",
            "We have summarised {company}'s needs; the expected amount is about {amount}.", "As a next step we plan to: {next_step}.",
            "We would like to confirm the arrangements by {date}.", "{points}", "Please let me know if you have any questions.",
            "Best regards,\n{sender}",
        )),
        "meeting_request": ("Meeting request: {topic}", (
            "Dear {contact_name},", "To move {topic} forward, I would like to arrange a meeting with you.",
            "Would {date} suit you? The place or format can follow your convenience.", "We would cover: {next_step}.", "{points}",
            "I look forward to hearing from you.", "Best regards,\n{sender}",
        )),
        "quote_follow_up": ("Your quote for {topic}", (
            "Dear {contact_name},", "Our quote to {company} for {topic} comes to {amount}.", "It is valid until {date}.",
            "I would welcome your thoughts on it, and whether the proposal should be adjusted.", "{points}", "Best regards,\n{sender}",
        )),
        "thank_you": ("Thank you", (
            "Dear {contact_name},", "Thank you for the trust {company} places in us.",
            "We will keep following up on {topic} to make sure it goes smoothly.", "{points}", "Best regards,\n{sender}",
        )),
        "ticket_reply": ("Re: {topic}", (
            "Dear {contact_name},", "We have received your ticket {ticket_number}, \"{topic}\".", "Its current status: {status}.", "{points}",
            "We will keep you posted on progress.", "Best regards,\n{sender}",
        )),
        "introduction": ("Introducing {sender}", (
            "Dear {contact_name},", "I am {sender}, looking after {company}'s account.",
            "I am glad to have the chance to talk with you about {topic}.", "{points}", "I look forward to hearing from you.",
            "Best regards,\n{sender}",
        )),
    },
}
_SLOT = re.compile(r"\{(\w+)\}")


def fill(template: str, slots: dict[str, str]) -> str | None:
    names = _SLOT.findall(template)
    if any(not slots.get(n) for n in names):
        return None
    return template.format(**{n: slots[n] for n in names})


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DraftArgs(_Strict):
    entity: Literal[DRAFT_ENTITIES] = Field(description="The record the email is about")  # type: ignore[valid-type]
    record_id: uuid.UUID
    purpose: Purpose = "follow_up"
    language: Literal["zh", "en"] | None = Field(None, description="Default: the caller's locale")
    points: str | None = Field(None, max_length=2000, description="Extra points the email must make")
    use_llm: bool | None = Field(None, description="Default: polish with the tenant's LLM when one is configured")


class DraftOut(BaseModel):
    to: str | None = Field(description="The contact's email, when known and visible to the caller")
    subject: str
    body: str
    language: str
    mode: Literal["template", "llm"]
    used_fields: list[str]


async def _maybe(svc: RecordService, record_id: Any) -> dict[str, Any] | None:
    if not record_id:
        return None
    try:
        return await svc.get(uuid.UUID(str(record_id)))
    except (NotFound, Forbidden):
        return None


def _money(value: Any, currency: Any, lang: str) -> str | None:
    if value in (None, ""):
        return None
    amount = float(value)
    cur = str(currency or "CNY")
    if lang == "zh" and cur == "CNY":
        return f"{amount / 10000:,.2f} 万元" if amount >= 10000 else f"{amount:,.2f} 元"
    return f"{cur} {amount:,.2f}"


async def gather(ctx: ToolContext, entity_name: str, record_id: uuid.UUID, lang: str) -> dict[str, str]:
    """The slots of a record and its contact and account, as far as the caller may read them."""
    entity = entity_or_404(entity_name)
    record = await RecordService(ctx.session, ctx.actor, entity).get(record_id)
    contacts = RecordService(ctx.session, ctx.actor, entity_or_404("contacts"))
    accounts = RecordService(ctx.session, ctx.actor, entity_or_404("accounts"))
    contact = record if entity_name == "contacts" else await _maybe(contacts, record.get("contact_id"))
    account = record if entity_name == "accounts" else await _maybe(accounts, record.get("account_id"))
    if account is None and contact is not None:
        account = await _maybe(accounts, contact.get("account_id"))
    sender = await ctx.session.scalar(select(User.name).where(User.id == ctx.actor.user_id)) if ctx.actor.user_id else None
    slots = {
        "contact_name": (contact or {}).get("name") or (record.get("name") if entity_name == "leads" else None),
        "email": (contact or {}).get("email") or (record.get("email") if entity_name == "leads" else None),
        "company": (account or {}).get("name") or record.get("company"),
        "topic": record.get("name") or record.get("subject") or record.get("order_number"),
        "amount": _money(record.get("amount") or record.get("total_amount"), record.get("currency"), lang),
        "next_step": record.get("next_step"),
        "date": record.get("close_date") or record.get("valid_until") or record.get("order_date"),
        "ticket_number": record.get("number"),
        "status": record.get("status"),
        "sender": sender,
    }
    return {k: str(v) for k, v in slots.items() if v not in (None, "")}


@tool(
    name="communication.draft_email", category="communication",
    description={"zh": "根据记录数据（联系人、客户、金额、下一步等）按模板起草邮件，配置大模型后润色；不发送",
                 "en": "Draft an email from a record's data (contact, account, amount, next step...) with a template, polished by the LLM when configured; nothing is sent"},
    permission=Permission(entity_arg="entity", action="read"), idempotency="safe", write_session=True, timeout_s=90,
)
async def draft_email(ctx: ToolContext, args: DraftArgs) -> DraftOut:
    lang = args.language or ("en" if ctx.locale.startswith("en") else "zh")
    slots = await gather(ctx, args.entity, args.record_id, lang)
    if args.points:
        slots["points"] = args.points.strip()
    slots.setdefault("contact_name", "客户" if lang == "zh" else "Sir or Madam")
    slots.setdefault("topic", "合作事宜" if lang == "zh" else "our cooperation")
    slots.setdefault("sender", "Lingxi")
    subject_t, sentences = TEMPLATES[lang][args.purpose]
    subject = fill(subject_t, slots) or subject_t.format_map({k: "" for k in _SLOT.findall(subject_t)})
    lines = [line for line in (fill(s, slots) for s in sentences) if line]
    body = lines[0] + "\n\n" + ("" if lang == "zh" else " ").join(lines[1:-1]) + "\n\n" + lines[-1]
    used = sorted(k for k in slots if any(f"{{{k}}}" in s for s in (subject_t, *sentences)))
    mode: Literal["template", "llm"] = "template"
    if args.use_llm is not False:
        llm = await get_llm(ctx.session, ctx.actor, "agent_email")
        if llm.available:
            try:
                reply = await llm.complete([
                    Message(role="system", content="Polish this business email draft. Keep every fact, name, amount and date "
                            "exactly; add nothing new. Answer with the email body only, in the draft's language."),
                    Message(role="user", content=body),
                ], temperature=0.3, max_tokens=1200)
                if reply.text.strip():
                    body, mode = reply.text.strip(), "llm"
            except LlmError:
                pass
    return DraftOut(to=slots.get("email"), subject=subject, body=body, language=lang, mode=mode, used_fields=used)


class NotifyArgs(_Strict):
    user_id: uuid.UUID = Field(description="Who to notify (a user of the caller's tenant)")
    title: str = Field(min_length=1, max_length=300)
    body: str = Field("", max_length=5000)
    link: str | None = Field(None, max_length=500, description="A path in the app, e.g. /opportunities/<id>")
    priority: Literal["low", "normal", "high", "urgent"] = "normal"


class NotifyOut(BaseModel):
    notification_id: uuid.UUID
    user_id: uuid.UUID


@tool(
    name="communication.notify_user", category="communication",
    description={"zh": "给本租户的一位用户发送站内通知", "en": "Send an in-app notification to a user of the tenant"},
    side_effects=True, idempotency="keyed",
)
async def notify_user(ctx: ToolContext, args: NotifyArgs) -> NotifyOut:
    user = await ctx.session.scalar(select(User).where(User.id == args.user_id, User.is_active.is_(True)))
    if user is None:
        raise NotFound("no active user with this id", code="user_not_found")
    assert ctx.actor.tenant_id is not None
    if args.link is not None and not args.link.startswith("/"):
        from lingxi.errors import ValidationFailed

        raise ValidationFailed("link must be a path in the app, starting with /", code="invalid_link")
    row = await notify(
        ctx.session, tenant_id=ctx.actor.tenant_id, user_id=user.id, kind="agent", title=args.title, body=args.body,
        link=args.link, priority=args.priority,
        data={"from_user_id": str(ctx.actor.user_id) if ctx.actor.user_id else None, "tool_call_id": str(ctx.call_id)},
    )
    return NotifyOut(notification_id=row.id, user_id=user.id)
