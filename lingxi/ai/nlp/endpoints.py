"""/api/v1/ai: intent, sentiment and extraction, plus the tenant's intent examples and feedback."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

import lingxi.ai.nlp.tasks  # noqa: F401  (registers the retrain job kind)
from lingxi.ai.nlp import service
from lingxi.ai.nlp.extract import extract
from lingxi.ai.nlp.schemas import (
    ExampleIn,
    ExampleList,
    ExampleOut,
    ExtractedFields,
    ExtractIn,
    ExtractOut,
    FeedbackIn,
    IntentOut,
    IntentScore,
    RetrainOut,
    SentimentOut,
    TextIn,
)
from lingxi.deps import AdminActor, CurrentActor, DbSession
from lingxi.errors import error_responses
from lingxi.jobs.service import enqueue_job
from lingxi.kit.params import Offset

router = APIRouter(prefix="/ai", tags=["ai-language"])
ERRORS = error_responses(401, 403, 422)


def _example_out(e: Any) -> ExampleOut:
    return ExampleOut(id=e.id, text=e.text, intent=e.intent, source=e.source, created_at=e.created_at)


@router.post("/intent", response_model=IntentOut, summary="Recognise the intent of a message", responses=ERRORS)
async def recognise_intent(body: TextIn, actor: CurrentActor, session: DbSession) -> IntentOut:
    """One of ten intents with its probability and the other nine ranked. A tenant's own examples and
    its users' corrections take effect at once."""
    model = await service.intent_model(session, actor)
    pred = model.predict(body.text)
    return IntentOut(
        intent=pred.label,  # type: ignore[arg-type]
        confidence=round(pred.confidence, 4),
        alternatives=[IntentScore(intent=lbl, confidence=round(p, 4)) for lbl, p in pred.alternatives],  # type: ignore[arg-type]
    )


@router.post("/sentiment", response_model=SentimentOut, summary="Sentiment of a message", responses=ERRORS)
async def analyse_sentiment(body: TextIn, actor: CurrentActor) -> SentimentOut:
    result = await service.sentiment(body.text)
    return SentimentOut(label=result.label, score=result.score, confidence=result.confidence)  # type: ignore[arg-type]


@router.post("/extract", response_model=ExtractOut, summary="Extract CRM fields from free text", responses=ERRORS)
async def extract_fields(body: ExtractIn, actor: CurrentActor, session: DbSession) -> ExtractOut:
    """Company, contact, title, phone, email, amount and currency (CNY or USD), product, quantity, next step
    and its date; relative dates resolve against ``reference_date``. Fields the text does not give are null.
    Products of the tenant's catalogue are recognised by name."""
    catalogue = await service.product_catalogue(session, actor)
    fields = await asyncio.to_thread(extract, body.text, body.reference_date or date.today(), catalogue)
    return ExtractOut(fields=ExtractedFields(**fields.as_dict()))


@router.post("/intent/feedback", response_model=ExampleOut, status_code=201, summary="Correct an intent", responses=ERRORS)
async def intent_feedback(body: FeedbackIn, actor: CurrentActor, session: DbSession) -> ExampleOut:
    """Store a user's correction as a tenant example: the same text gets this intent from now on, and
    similar texts after the tenant model retrains (in the background)."""
    example = await service.add_example(session, actor, body.text, body.intent, "feedback")
    return _example_out(example)


@router.get("/intent/examples", response_model=ExampleList, summary="List the tenant's intent examples", responses=ERRORS)
async def list_intent_examples(
    actor: CurrentActor,
    session: DbSession,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Offset = 0,
) -> ExampleList:
    items, total = await service.list_examples(session, limit=limit, offset=offset)
    return ExampleList(items=[_example_out(e) for e in items], total=total)


@router.post(
    "/intent/examples", response_model=ExampleOut, status_code=201, summary="Add an intent example",
    responses=error_responses(401, 403, 409, 422),
)
async def add_intent_example(body: ExampleIn, actor: AdminActor, session: DbSession) -> ExampleOut:
    example = await service.add_example(session, actor, body.text, body.intent, "example")
    return _example_out(example)


@router.delete(
    "/intent/examples/{example_id}", status_code=204, summary="Delete an intent example",
    responses=error_responses(401, 403, 404),
)
async def delete_intent_example(example_id: uuid.UUID, actor: AdminActor, session: DbSession) -> Response:
    await service.delete_example(session, example_id, actor.tenant_id)
    return Response(status_code=204)


@router.post(
    "/intent/retrain", response_model=RetrainOut, status_code=202, summary="Retrain the tenant's intent model",
    responses=error_responses(401, 403),
)
async def retrain_intent(actor: AdminActor, session: DbSession) -> RetrainOut:
    """Queue a durable job that retrains the tenant's model from its examples (see ``GET /jobs/{id}``)."""
    job = await enqueue_job(session, actor, "ai.intent_retrain")
    return RetrainOut(job_id=job.id, status=job.status)
