"""Provider configuration per tenant, choosing a provider for a feature, and token accounting."""

from __future__ import annotations

import time
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.ai.llm.client import LlmClient
from lingxi.ai.llm.models import AiProvider, AiUsage
from lingxi.ai.llm.providers import LocalGgufProvider, NoneProvider, OpenAICompatibleProvider, Provider
from lingxi.ai.llm.resilience import RetryPolicy, breaker_for
from lingxi.ai.llm.schemas import ProviderIn, ProviderPatch, ProviderTestResult, UsageReport, UsageRow
from lingxi.ai.llm.secrets import SecretUnreadable, get_secret_box
from lingxi.ai.llm.types import LlmError, Message, Usage
from lingxi.config import get_settings
from lingxi.db import database_of
from lingxi.errors import Conflict, NotFound, ValidationFailed
from lingxi.tenancy.context import Actor


def _context(provider: AiProvider) -> str:
    return f"ai_provider:{provider.tenant_id}:{provider.id}"


def _check(p: AiProvider) -> None:
    if p.kind == "openai" and not (p.base_url and p.model):
        raise ValidationFailed("an OpenAI-compatible provider needs base_url and model", code="provider_incomplete")
    if p.kind == "openai" and not p.base_url.startswith(("http://", "https://")):  # type: ignore[union-attr]
        raise ValidationFailed("base_url must be an http(s) URL", code="provider_bad_url")
    if p.kind == "local_gguf":
        if not p.model_path:
            raise ValidationFailed("a local GGUF provider needs model_path", code="provider_incomplete")
        models_dir = (get_settings().data_dir / "models").resolve()
        path = (models_dir / p.model_path).resolve()
        if models_dir not in path.parents or path.suffix.lower() != ".gguf":
            raise ValidationFailed("model_path must name a .gguf file under DATA_DIR/models", code="provider_bad_path")


def _set_key(p: AiProvider, api_key: str | None) -> None:
    if api_key:
        p.api_key_sealed = get_secret_box().seal(api_key, context=_context(p))
        p.api_key_hint = f"…{api_key[-4:]}" if len(api_key) >= 8 else "…"
    else:
        p.api_key_sealed = p.api_key_hint = None


async def _clear_other_defaults(session: AsyncSession, keep: uuid.UUID) -> None:
    for other in (await session.scalars(select(AiProvider).where(AiProvider.is_default.is_(True), AiProvider.id != keep))).all():
        other.is_default = False


async def list_providers(session: AsyncSession) -> list[AiProvider]:
    return list((await session.scalars(select(AiProvider).order_by(AiProvider.name))).all())


async def get_provider(session: AsyncSession, provider_id: uuid.UUID) -> AiProvider:
    p = await session.scalar(select(AiProvider).where(AiProvider.id == provider_id))
    if p is None:
        raise NotFound("no such AI provider", code="ai_provider_not_found")
    return p


async def create_provider(session: AsyncSession, actor: Actor, body: ProviderIn) -> AiProvider:
    if await session.scalar(select(AiProvider.id).where(AiProvider.name == body.name)):
        raise Conflict(f"a provider named {body.name!r} exists", code="ai_provider_exists")
    data = body.model_dump(exclude={"api_key"})
    p = AiProvider(id=uuid.uuid4(), tenant_id=actor.tenant_id, **data)
    _check(p)
    _set_key(p, body.api_key)
    session.add(p)
    await session.flush()
    if p.is_default:
        await _clear_other_defaults(session, p.id)
    return p


async def update_provider(session: AsyncSession, provider_id: uuid.UUID, body: ProviderPatch) -> AiProvider:
    p = await get_provider(session, provider_id)
    changes = body.model_dump(exclude_unset=True)
    if "api_key" in changes:
        _set_key(p, changes.pop("api_key"))
    for key, value in changes.items():
        if value is not None or key in ("base_url", "embedding_model", "model_path"):
            setattr(p, key, value)
    _check(p)
    await session.flush()
    if p.is_default:
        await _clear_other_defaults(session, p.id)
    return p


async def delete_provider(session: AsyncSession, provider_id: uuid.UUID) -> None:
    await session.delete(await get_provider(session, provider_id))
    await session.flush()


def build_provider(p: AiProvider | None) -> Provider:
    if p is None or not p.enabled or p.kind == "none":
        return NoneProvider()
    if p.kind == "openai":
        api_key = None
        if p.api_key_sealed:
            try:
                api_key = get_secret_box().open(p.api_key_sealed, context=_context(p))
            except SecretUnreadable as exc:
                raise LlmError("the provider's API key cannot be decrypted with this server's key") from exc
        return OpenAICompatibleProvider(
            base_url=p.base_url or "", api_key=api_key, model=p.model or "", embedding_model=p.embedding_model,
            timeout=p.timeout_s, external=not bool((p.options or {}).get("on_premises")),
        )
    path = (get_settings().data_dir / "models" / (p.model_path or "")).resolve()
    return LocalGgufProvider(model_path=str(path), timeout=p.timeout_s, n_ctx=int((p.options or {}).get("n_ctx", 4096)))


async def provider_for(session: AsyncSession, feature: str) -> AiProvider | None:
    rows = (await session.scalars(select(AiProvider).where(AiProvider.enabled.is_(True)))).all()
    for p in rows:
        if feature in (p.features or []):
            return p
    return next((p for p in rows if p.is_default), None)


def _recorder(actor: Actor, feature: str, p: AiProvider | None, session: AsyncSession | None) -> Any:
    async def record(usage: Usage, model: str, ok: bool, latency_ms: int) -> None:
        row = AiUsage(
            tenant_id=actor.tenant_id, user_id=actor.user_id, feature=feature[:64], provider_id=p.id if p else None,
            provider_kind=p.kind if p else "none", model=(model or "")[:200], prompt_tokens=usage.prompt_tokens,
            completion_tokens=usage.completion_tokens, ok=ok, latency_ms=latency_ms,
        )
        if session is not None and session.is_active:
            session.add(row)
            await session.flush()
        else:
            async with database_of(session).unit_of_work(actor) as s:
                s.add(row)

    return record


def client_for(p: AiProvider | None, actor: Actor, feature: str, session: AsyncSession | None = None) -> LlmClient:
    opts = (p.options or {}) if p else {}
    return LlmClient(
        build_provider(p),
        feature=feature,
        policy=RetryPolicy(
            max_retries=p.max_retries if p else 0,
            base_delay=float(opts.get("retry_base_delay", 0.5)),
            max_delay=float(opts.get("retry_max_delay", 8.0)),
        ),
        breaker=breaker_for(
            f"{p.tenant_id}:{p.id}" if p else "none",
            failure_threshold=int(opts.get("breaker_failures", 5)),
            reset_after=float(opts.get("breaker_reset_s", 30.0)),
        ),
        mask=p.mask_personal_data if p else True,
        recorder=_recorder(actor, feature, p, session),
    )


async def get_llm(session: AsyncSession, actor: Actor, feature: str) -> LlmClient:
    """The LLM client a feature of this tenant should use (``available`` is False for ``none``).
    Usage rows go into ``session``'s unit of work."""
    return client_for(await provider_for(session, feature), actor, feature, session)


async def test_provider(session: AsyncSession, actor: Actor, provider_id: uuid.UUID) -> ProviderTestResult:
    p = await get_provider(session, provider_id)
    started = time.perf_counter()
    try:
        result = await client_for(p, actor, "provider_test", session).complete(
            [Message("user", "Reply with the single word: pong")], max_tokens=8
        )
    except LlmError as exc:
        return ProviderTestResult(ok=False, latency_ms=int((time.perf_counter() - started) * 1000), error=str(exc)[:500])
    return ProviderTestResult(ok=True, model=result.model, reply=result.text[:200], latency_ms=int((time.perf_counter() - started) * 1000))


async def usage_report(session: AsyncSession, since: datetime | None, feature: str | None) -> UsageReport:
    query = select(
        AiUsage.feature, AiUsage.provider_kind, AiUsage.model, func.count(),
        func.sum(case((AiUsage.ok.is_(False), 1), else_=0)),
        func.coalesce(func.sum(AiUsage.prompt_tokens), 0), func.coalesce(func.sum(AiUsage.completion_tokens), 0),
    ).group_by(AiUsage.feature, AiUsage.provider_kind, AiUsage.model).order_by(AiUsage.feature)
    if since is not None:
        query = query.where(AiUsage.at >= since)
    if feature:
        query = query.where(AiUsage.feature == feature)
    rows = (await session.execute(query)).all()
    return UsageReport(
        since=since,
        rows=[
            UsageRow(feature=f, provider_kind=k, model=m, calls=int(n), failed_calls=int(bad or 0),
                     prompt_tokens=int(pt), completion_tokens=int(ct))
            for f, k, m, n, bad, pt, ct in rows
        ],
    )


def models_dir() -> Path:
    return get_settings().data_dir / "models"
