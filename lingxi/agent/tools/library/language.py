"""Language tools: intent, sentiment, field extraction, summaries, classification, keywords, translation.

All run offline on the embedded models; summaries and translation use the tenant's LLM when one is
configured (translation needs one: without it the tool answers ``unavailable``).
"""

from __future__ import annotations

import asyncio
import math
import re
import threading
import time
import uuid
from collections import Counter
from datetime import date
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from lingxi.agent.tools.base import Permission, ToolContext
from lingxi.agent.tools.registry import tool
from lingxi.ai.llm.service import get_llm
from lingxi.ai.llm.types import LlmError, Message
from lingxi.ai.nlp import service as nlp
from lingxi.ai.nlp.classifier import TextClassifier, tokens
from lingxi.ai.nlp.extract import extract
from lingxi.authz import service as authz
from lingxi.errors import LingxiError, ValidationFailed
from lingxi.meta.registry import registry
from lingxi.tickets.models import TICKET_CATEGORIES

MAX_TEXT = 20_000


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TextArgs(_Strict):
    text: str = Field(min_length=1, max_length=MAX_TEXT)


class Unavailable(LingxiError):
    status_code = 503
    code = "unavailable"


# -- intent, sentiment, extraction ------------------------------------------------------------------


class IntentScore(BaseModel):
    intent: str
    confidence: float


class IntentResult(BaseModel):
    intent: str
    confidence: float
    alternatives: list[IntentScore]


@tool(
    name="language.intent", category="language",
    description={"zh": "识别一句话的意图（查询数据、寻求建议、解决问题等十类）", "en": "Recognise the intent of a message (query data, ask for advice, fix a problem... ten kinds)"},
    idempotency="safe",
)
async def intent(ctx: ToolContext, args: TextArgs) -> IntentResult:
    model = await nlp.intent_model(ctx.session, ctx.actor)
    pred = model.predict(args.text)
    return IntentResult(
        intent=pred.label, confidence=round(pred.confidence, 4),
        alternatives=[IntentScore(intent=label, confidence=round(p, 4)) for label, p in pred.alternatives[:5]],
    )


class SentimentResult(BaseModel):
    label: str
    score: float
    confidence: float


@tool(
    name="language.sentiment", category="language",
    description={"zh": "分析文本情绪（正面、中性、负面）及强度", "en": "Sentiment of a text (positive, neutral, negative) and its strength"},
    idempotency="safe",
)
async def sentiment(ctx: ToolContext, args: TextArgs) -> SentimentResult:
    result = await nlp.sentiment(args.text)
    return SentimentResult(label=result.label, score=result.score, confidence=result.confidence)


class ExtractArgs(TextArgs):
    reference_date: date | None = Field(None, description="What relative dates (明天, next Monday) count from; default today")


class ExtractResult(BaseModel):
    fields: dict[str, Any]


@tool(
    name="language.extract", category="language",
    description={"zh": "从自由文本中抽取公司、联系人、电话、邮箱、金额、产品、下一步及日期等字段",
                 "en": "Extract company, contact, phone, email, amount, product, next step and its date from free text"},
    idempotency="safe",
)
async def extract_fields(ctx: ToolContext, args: ExtractArgs) -> ExtractResult:
    catalogue = await nlp.product_catalogue(ctx.session, ctx.actor)
    found = await asyncio.to_thread(extract, args.text, args.reference_date or date.today(), catalogue)
    return ExtractResult(fields=found.as_dict())


# -- summaries -----------------------------------------------------------------------------------

_SENTENCE = re.compile(r"(?<=[。！？!?；;])|(?<=[.!?])\s+|\n+")


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if s and s.strip() and len(s.strip()) > 1]


def extractive_summary(text: str, max_sentences: int) -> list[str]:
    """The sentences that best cover the text's vocabulary, picked greedily so that each adds words not yet
    covered (a centroid score with redundancy removed), returned in their original order."""
    items = sentences(text)
    if len(items) <= max_sentences:
        return items
    bags = [Counter(t for t in tokens(s) if len(t) > 1 or t.isalnum()) for s in items]
    df = Counter(t for bag in bags for t in bag)
    n = len(items)
    idf = {t: math.log(1 + n / c) for t, c in df.items()}
    weight = Counter({t: sum(bag[t] for bag in bags) * idf[t] for t in df})
    chosen: list[int] = []
    covered: set[str] = set()
    for _ in range(max_sentences):
        best, best_score = -1, 0.0
        for i, bag in enumerate(bags):
            if i in chosen or not bag:
                continue
            gain = sum(weight[t] for t in bag if t not in covered)
            score = gain / math.sqrt(sum(bag.values())) + (0.15 if i == 0 else 0.0) * gain
            if score > best_score:
                best, best_score = i, score
        if best < 0:
            break
        chosen.append(best)
        covered |= set(bags[best])
    return [items[i] for i in sorted(chosen)]


class SummariseArgs(TextArgs):
    max_sentences: int = Field(3, ge=1, le=20)
    use_llm: bool | None = Field(None, description="Default: use the tenant's LLM when one is configured")


class SummaryResult(BaseModel):
    summary: str
    sentences: list[str]
    mode: Literal["extractive", "llm"]


@tool(
    name="language.summarise", category="language",
    description={"zh": "生成文本摘要（默认抽取式；配置大模型后改写为通顺摘要）", "en": "Summarise a text (extractive by default; fluent with the tenant's LLM)"},
    idempotency="safe", write_session=True, timeout_s=90,
)
async def summarise(ctx: ToolContext, args: SummariseArgs) -> SummaryResult:
    picked = await asyncio.to_thread(extractive_summary, args.text, args.max_sentences)
    joiner = "" if re.search(r"[\u4e00-\u9fff]", args.text) else " "
    if args.use_llm is not False:
        llm = await get_llm(ctx.session, ctx.actor, "agent_summarise")
        if llm.available:
            try:
                reply = await llm.complete(
                    [Message(role="system", content=f"Summarise the user's text in at most {args.max_sentences} sentences, "
                             "in the text's own language. Use only facts from the text."),
                     Message(role="user", content=args.text)],
                    temperature=0.2, max_tokens=600,
                )
                if reply.text.strip():
                    return SummaryResult(summary=reply.text.strip(), sentences=picked, mode="llm")
            except LlmError:
                pass
    return SummaryResult(summary=joiner.join(picked), sentences=picked, mode="extractive")


class KeywordsArgs(TextArgs):
    top_k: int = Field(8, ge=1, le=50)


class KeywordsResult(BaseModel):
    keywords: list[str]


@tool(
    name="language.keywords", category="language",
    description={"zh": "提取文本关键词", "en": "Key words and phrases of a text"},
    idempotency="safe",
)
async def keywords(ctx: ToolContext, args: KeywordsArgs) -> KeywordsResult:
    def run() -> list[str]:
        import jieba.analyse

        if re.search(r"[\u4e00-\u9fff]", args.text):
            return list(jieba.analyse.textrank(args.text, topK=args.top_k) or jieba.analyse.extract_tags(args.text, topK=args.top_k))
        words = [w.lower() for w in re.findall(r"[A-Za-z][A-Za-z\-]{2,}", args.text)]
        stop = {"the", "and", "for", "with", "that", "this", "from", "are", "was", "were", "have", "has", "will", "our", "you", "your"}
        return [w for w, _ in Counter(w for w in words if w not in stop).most_common(args.top_k)]

    return KeywordsResult(keywords=await asyncio.to_thread(run))


# -- classification ---------------------------------------------------------------------------------


class LabelSpec(_Strict):
    label: str = Field(min_length=1, max_length=100)
    description: str | None = Field(None, max_length=1000, description="What texts of this label are about")
    examples: list[str] = Field(default_factory=list, max_length=50)


class ClassifyArgs(TextArgs):
    labels: list[LabelSpec] = Field(min_length=2, max_length=50)


class ClassResult(BaseModel):
    label: str
    confidence: float
    scores: dict[str, float]


@tool(
    name="language.classify", category="language",
    description={"zh": "把文本归入调用者给出的类别之一（按类别说明和例句的语义相似度）",
                 "en": "Put a text into one of the caller's labels (semantic similarity to each label's description and examples)"},
    idempotency="safe", timeout_s=60,
)
async def classify(ctx: ToolContext, args: ClassifyArgs) -> ClassResult:
    from lingxi.ai.embeddings import default_embedder

    def run() -> ClassResult:
        embedder = default_embedder()
        text_vec = embedder.embed([args.text])[0]
        scores: dict[str, float] = {}
        for spec in args.labels:
            refs = [spec.label] + ([spec.description] if spec.description else []) + spec.examples
            vecs = embedder.embed(refs)
            sims = vecs @ text_vec
            scores[spec.label] = float(np.max(sims))
        exp = {k: math.exp(v * 10) for k, v in scores.items()}
        total = sum(exp.values())
        best = max(scores, key=lambda k: scores[k])
        return ClassResult(label=best, confidence=round(exp[best] / total, 4),
                           scores={k: round(v, 4) for k, v in scores.items()})

    return await asyncio.to_thread(run)


_ticket_models: dict[tuple[uuid.UUID, uuid.UUID | None], tuple[float, TextClassifier, int]] = {}
_ticket_lock = threading.Lock()
TICKET_MODEL_TTL_S = 300.0
MIN_PER_CATEGORY = 3
MAX_TRAINING_TICKETS = 5000


class TicketClassResult(BaseModel):
    category: str
    confidence: float
    alternatives: list[IntentScore]
    trained_on: int = Field(description="How many of the tenant's categorised tickets the model learned from")


@tool(
    name="tickets.classify", category="language",
    description={"zh": "按本租户已分类工单学习的模型，给工单文本推荐分类", "en": "Suggest a ticket category, from a model learned on the tenant's categorised tickets"},
    permission=Permission(entity="tickets", action="read"), idempotency="safe", timeout_s=120,
)
async def classify_ticket(ctx: ToolContext, args: TextArgs) -> TicketClassResult:
    tickets = registry.get("tickets")
    assert tickets is not None and ctx.actor.tenant_id is not None
    key = (ctx.actor.tenant_id, ctx.actor.user_id)
    cached = _ticket_models.get(key)
    if cached is None or time.monotonic() - cached[0] > TICKET_MODEL_TTL_S:
        model = tickets.model
        rows = (await ctx.session.execute(
            select(model.subject, model.description, model.category)
            .where(model.category.is_not(None), authz.scope_filter(ctx.actor, tickets, "read"))
            .order_by(model.created_at.desc())
            .limit(MAX_TRAINING_TICKETS)
        )).all()
        texts = [f"{s or ''} {d or ''}".strip() for s, d, _ in rows]
        labels = [c for _, _, c in rows]
        counts = Counter(labels)
        usable = [i for i, c in enumerate(labels) if counts[c] >= MIN_PER_CATEGORY]
        if len({labels[i] for i in usable}) < 2:
            raise Unavailable(
                f"too few categorised tickets to learn from (need {MIN_PER_CATEGORY} in each of two categories)",
                code="not_enough_examples", details={"categories": dict(counts), "known": list(TICKET_CATEGORIES)},
            )
        clf = await asyncio.to_thread(lambda: TextClassifier().fit([texts[i] for i in usable], [labels[i] for i in usable]))
        with _ticket_lock:
            _ticket_models[key] = cached = (time.monotonic(), clf, len(usable))
    _, clf, n = cached
    pred = clf.predict(args.text)
    return TicketClassResult(
        category=pred.label, confidence=round(pred.confidence, 4), trained_on=n,
        alternatives=[IntentScore(intent=label, confidence=round(p, 4)) for label, p in pred.alternatives[:3]],
    )


# -- translation ------------------------------------------------------------------------------------


class TranslateArgs(TextArgs):
    target: Literal["zh", "en", "ja", "ko", "fr", "de", "es", "ru"] = Field(description="Language to translate into")


class TranslateResult(BaseModel):
    text: str
    target: str


LANGUAGES = {"zh": "Simplified Chinese", "en": "English", "ja": "Japanese", "ko": "Korean", "fr": "French",
             "de": "German", "es": "Spanish", "ru": "Russian"}


@tool(
    name="language.translate", category="language",
    description={"zh": "翻译文本（需要已配置大模型，否则返回 unavailable）", "en": "Translate a text (needs a configured LLM; otherwise answers unavailable)"},
    idempotency="safe", write_session=True, timeout_s=120,
)
async def translate(ctx: ToolContext, args: TranslateArgs) -> TranslateResult:
    llm = await get_llm(ctx.session, ctx.actor, "agent_translate")
    if not llm.available:
        raise Unavailable("translation needs an LLM provider; none is configured for this tenant", code="unavailable")
    try:
        reply = await llm.complete(
            [Message(role="system", content=f"Translate the user's text into {LANGUAGES[args.target]}. "
                     "Answer with the translation only."),
             Message(role="user", content=args.text)],
            temperature=0, max_tokens=min(4000, len(args.text) * 3 + 100),
        )
    except LlmError as exc:
        raise Unavailable(f"the LLM could not translate: {exc}", code="unavailable") from exc
    if not reply.text.strip():
        raise ValidationFailed("the LLM returned no translation", code="empty_translation")
    return TranslateResult(text=reply.text.strip(), target=args.target)
