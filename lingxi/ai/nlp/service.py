"""The language services of one process, and the tenant examples that tune intent."""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from datetime import date

from sqlalchemy import delete, event, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.ai.nlp import extract as extraction
from lingxi.ai.nlp.intent import MAX_EXAMPLES_PER_TENANT, IntentModel, IntentService, examples_fingerprint
from lingxi.ai.nlp.models import IntentExample
from lingxi.ai.nlp.sentiment import Sentiment, SentimentService
from lingxi.config import get_settings
from lingxi.errors import Conflict, NotFound
from lingxi.tenancy.context import Actor

_lock = threading.Lock()
CATALOGUE_TTL_S = 60.0
MAX_CATALOGUE = 5000
_catalogues: dict[uuid.UUID, tuple[float, tuple[str, ...]]] = {}
# A tenant's intent examples, read once per EXAMPLES_TTL_S instead of on every request (the read cost ~5 ms,
# as much as the prediction). A change in this process drops the entry at once (and again when it commits);
# other API processes see it within the TTL.
EXAMPLES_TTL_S = 5.0
_examples: dict[uuid.UUID, tuple[float, list[tuple[str, str]], str]] = {}
_intent: IntentService | None = None
_sentiment: SentimentService | None = None


def intent_service() -> IntentService:
    global _intent
    with _lock:
        if _intent is None:
            _intent = IntentService(get_settings().data_dir / "models" / "nlp")
        return _intent


def sentiment_service() -> SentimentService:
    global _sentiment
    with _lock:
        if _sentiment is None:
            _sentiment = SentimentService(get_settings().data_dir / "models" / "nlp")
        return _sentiment


def warm_up() -> None:
    """Load (or train) every model and import jionlp, so the first request is fast."""
    intent_service().base().predict("warm up")
    sentiment_service().classifier()
    extraction.extract("明天下午和华鼎科技张总电话沟通，预算五十万", date.today())


async def tenant_examples(session: AsyncSession) -> list[tuple[str, str]]:
    rows = await session.execute(select(IntentExample.text, IntentExample.intent).order_by(IntentExample.created_at))
    return [(t, i) for t, i in rows.all()]


async def cached_tenant_examples(session: AsyncSession, tenant_id: uuid.UUID) -> tuple[list[tuple[str, str]], str]:
    """The tenant's examples and their fingerprint, from memory when read less than EXAMPLES_TTL_S ago."""
    now = time.monotonic()
    hit = _examples.get(tenant_id)
    if hit and now - hit[0] < EXAMPLES_TTL_S:
        return hit[1], hit[2]
    examples = await tenant_examples(session)
    fingerprint = examples_fingerprint(examples) if examples else ""
    _examples[tenant_id] = (now, examples, fingerprint)
    return examples, fingerprint


def forget_examples(session: AsyncSession | None, tenant_id: uuid.UUID | None) -> None:
    """Drop the cached examples of a tenant now and once more when ``session`` commits (a request that read
    them in between must not keep the old list for a whole TTL)."""
    if tenant_id is None:
        return
    _examples.pop(tenant_id, None)
    if session is not None:
        event.listen(session.sync_session, "after_commit", lambda _s: _examples.pop(tenant_id, None), once=True)


async def intent_model(session: AsyncSession, actor: Actor) -> IntentModel:
    service = intent_service()
    if actor.tenant_id is None:
        examples, fingerprint = [], ""
    else:
        examples, fingerprint = await cached_tenant_examples(session, actor.tenant_id)
    if not examples:
        return await asyncio.to_thread(service.base) if service._base is None else service.base()
    model = service.cached(actor.tenant_id, fingerprint)  # type: ignore[arg-type]
    if model is None:
        model = await asyncio.to_thread(service.for_tenant, actor.tenant_id, examples, fingerprint)
    return model


async def sentiment(text: str) -> Sentiment:
    service = sentiment_service()
    if service._clf is None:
        await asyncio.to_thread(service.classifier)
    return service.analyse(text)


async def product_catalogue(session: AsyncSession, actor: Actor) -> tuple[str, ...]:
    """The tenant's active product names, for extraction to recognise (cached for a minute per tenant)."""
    if actor.tenant_id is None:
        return ()
    now = time.monotonic()
    cached = _catalogues.get(actor.tenant_id)
    if cached and now - cached[0] < CATALOGUE_TTL_S:
        return cached[1]
    from lingxi.products.models import Product

    rows = await session.execute(
        select(Product.name).where(Product.is_active.is_(True)).order_by(Product.name).limit(MAX_CATALOGUE)
    )
    names = tuple(n for (n,) in rows.all() if n)
    _catalogues[actor.tenant_id] = (now, names)
    return names


async def add_example(session: AsyncSession, actor: Actor, text: str, intent: str, source: str) -> IntentExample:
    """Add a labelled text; the same text again replaces its label (a correction wins)."""
    text = text.strip()
    existing = (await session.execute(select(IntentExample).where(IntentExample.text == text))).scalar_one_or_none()
    if existing is not None:
        existing.intent = intent
        existing.source = source
        await session.flush()
        forget_examples(session, actor.tenant_id)
        return existing
    count = (await session.execute(select(func.count()).select_from(IntentExample))).scalar_one()
    if count >= MAX_EXAMPLES_PER_TENANT:
        raise Conflict(
            f"a tenant may keep at most {MAX_EXAMPLES_PER_TENANT} intent examples",
            code="too_many_examples",
            details={"max": MAX_EXAMPLES_PER_TENANT},
        )
    example = IntentExample(text=text, intent=intent, source=source, created_by_id=actor.user_id)
    session.add(example)
    await session.flush()
    forget_examples(session, actor.tenant_id)
    return example


async def list_examples(session: AsyncSession, *, limit: int, offset: int) -> tuple[list[IntentExample], int]:
    total = (await session.execute(select(func.count()).select_from(IntentExample))).scalar_one()
    rows = await session.execute(
        select(IntentExample).order_by(IntentExample.created_at.desc(), IntentExample.id).limit(limit).offset(offset)
    )
    return list(rows.scalars()), int(total)


async def delete_example(session: AsyncSession, example_id: uuid.UUID, tenant_id: uuid.UUID | None = None) -> None:
    result = await session.execute(delete(IntentExample).where(IntentExample.id == example_id))
    if not result.rowcount:  # type: ignore[attr-defined]
        raise NotFound("no such intent example", code="intent_example_not_found", details={"id": str(example_id)})
    forget_examples(session, tenant_id)


async def retrain_now(session: AsyncSession, tenant_id: uuid.UUID) -> int:
    """Train the tenant's model synchronously (used by the retrain job)."""
    examples = await tenant_examples(session)
    if examples:
        await asyncio.to_thread(intent_service().train_tenant, tenant_id, examples)
    return len(examples)
