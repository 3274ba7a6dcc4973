"""Analytics tools: counts, sums and group-bys over any main entity, and a few ready-made views
(pipeline, win rate, service load), all as SQL within the caller's scope (see ``aggregate``)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import case, func, select

from lingxi.agent.tools.aggregate import MAX_GROUPS, AggregateQuery, AggregateResult, Bucket, Metric, aggregate
from lingxi.agent.tools.base import Permission, ToolContext
from lingxi.agent.tools.library.data import MAIN_ENTITIES
from lingxi.agent.tools.registry import tool
from lingxi.authz import service as authz
from lingxi.errors import Forbidden
from lingxi.kit.models import utcnow
from lingxi.records.service import RecordService, entity_or_404

EntityName = Literal[MAIN_ENTITIES]  # type: ignore[valid-type]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CountArgs(_Strict):
    entity: EntityName  # type: ignore[valid-type]
    filter: dict[str, Any] | None = Field(None, description='The list filter language, e.g. {"status": "new"}')
    group_by: str | None = Field(None, max_length=64)
    bucket: Bucket | None = None
    limit: int = Field(50, ge=1, le=MAX_GROUPS)


@tool(
    name="analytics.count", category="analytics",
    description={"zh": "统计某类记录的数量，可按字段或时间段分组（仅统计有权查看的数据）",
                 "en": "Count records of an entity, optionally grouped by a field or period (only data the caller may see)"},
    permission=Permission(entity_arg="entity", action="read"), idempotency="safe",
)
async def count(ctx: ToolContext, args: CountArgs) -> AggregateResult:
    query = AggregateQuery(metric="count", group_by=args.group_by, bucket=args.bucket, filter=args.filter, limit=args.limit)
    return await aggregate(ctx.session, ctx.actor, entity_or_404(args.entity), query, sqlite=ctx.db.is_sqlite)


class SumArgs(CountArgs):
    field: str = Field(max_length=64, description="Numeric field, e.g. amount")


@tool(
    name="analytics.sum", category="analytics",
    description={"zh": "对某个数值字段求和（如商机金额），可分组", "en": "Sum a numeric field (e.g. opportunity amount), optionally grouped"},
    permission=Permission(entity_arg="entity", action="read"), idempotency="safe",
)
async def total(ctx: ToolContext, args: SumArgs) -> AggregateResult:
    query = AggregateQuery(metric="sum", field=args.field, group_by=args.group_by, bucket=args.bucket, filter=args.filter,
                           limit=args.limit)
    return await aggregate(ctx.session, ctx.actor, entity_or_404(args.entity), query, sqlite=ctx.db.is_sqlite)


class GroupByArgs(CountArgs):
    group_by: str = Field(max_length=64)  # type: ignore[assignment]
    metric: Metric = "count"
    field: str | None = Field(None, max_length=64)


@tool(
    name="analytics.group_by", category="analytics",
    description={"zh": "按字段分组统计：计数、求和、平均、最大、最小", "en": "Group records by a field: count, sum, avg, max or min per group"},
    permission=Permission(entity_arg="entity", action="read"), idempotency="safe",
)
async def group_by(ctx: ToolContext, args: GroupByArgs) -> AggregateResult:
    query = AggregateQuery(metric=args.metric, field=args.field, group_by=args.group_by, bucket=args.bucket,
                           filter=args.filter, limit=args.limit)
    return await aggregate(ctx.session, ctx.actor, entity_or_404(args.entity), query, sqlite=ctx.db.is_sqlite)


class TopArgs(_Strict):
    entity: EntityName  # type: ignore[valid-type]
    field: str = Field(max_length=64, description="Numeric field to rank by")
    filter: dict[str, Any] | None = None
    n: int = Field(10, ge=1, le=100)
    ascending: bool = False


class TopOut(BaseModel):
    data: list[dict[str, Any]]


@tool(
    name="analytics.top", category="analytics",
    description={"zh": "按数值字段排名的前 N 条记录（如金额最大的商机）", "en": "Top N records by a numeric field (e.g. largest opportunities)"},
    permission=Permission(entity_arg="entity", action="read"), idempotency="safe",
)
async def top(ctx: ToolContext, args: TopArgs) -> TopOut:
    svc = RecordService(ctx.session, ctx.actor, entity_or_404(args.entity))
    page = await svc.list(filter_spec={**(args.filter or {}), args.field: {"is_null": False}},
                          sort=("" if args.ascending else "-") + args.field, limit=args.n)
    return TopOut(data=page.data)


class PipelineArgs(_Strict):
    pipeline_id: str | None = Field(None, description="Default: every pipeline")
    filter: dict[str, Any] | None = Field(None, description="Filter on opportunities, e.g. by owner_id")


class StageRow(BaseModel):
    stage_id: str | None
    stage: str | None
    position: int | None
    count: int
    amount: float
    weighted_amount: float


class PipelineOut(BaseModel):
    stages: list[StageRow]
    open_count: int
    open_amount: float
    weighted_amount: float


@tool(
    name="analytics.pipeline", category="analytics",
    description={"zh": "销售漏斗：各阶段未关闭商机的数量、金额和按赢率加权金额", "en": "Sales pipeline: open opportunities per stage with count, amount and probability-weighted amount"},
    permission=Permission(entity="opportunities", action="read"), idempotency="safe",
)
async def pipeline(ctx: ToolContext, args: PipelineArgs) -> PipelineOut:
    from lingxi.agent.tools.aggregate import q
    from lingxi.opportunities.models import PipelineStage

    opps = entity_or_404("opportunities")
    svc = RecordService(ctx.session, ctx.actor, opps)
    m = opps.model
    where = [authz.scope_filter(ctx.actor, opps, "read")]
    if args.filter:
        where.append(q.build_filter(opps, await svc.fields(), svc.rules, args.filter))
    if svc.rules.get("amount") in ("hidden", "masked"):
        raise Forbidden("the amount field is not visible to you", code="field_forbidden", details=[{"field": "amount"}])
    stmt = (
        select(m.stage_id, PipelineStage.name, PipelineStage.position, func.count(),
               func.coalesce(func.sum(m.amount), 0),
               func.coalesce(func.sum(m.amount * func.coalesce(m.probability, PipelineStage.probability, 0) / 100.0), 0))
        .select_from(m)
        .outerjoin(PipelineStage, PipelineStage.id == m.stage_id)
        .where(*where, func.coalesce(PipelineStage.is_closed, False).is_(False))
        .group_by(m.stage_id, PipelineStage.name, PipelineStage.position)
        .order_by(PipelineStage.position)
    )
    if args.pipeline_id:
        stmt = stmt.where(m.pipeline_id == args.pipeline_id)
    rows = (await ctx.session.execute(stmt)).all()
    stages = [StageRow(stage_id=str(s) if s else None, stage=n, position=p, count=int(c), amount=round(float(a), 2),
                       weighted_amount=round(float(w), 2)) for s, n, p, c, a, w in rows]
    return PipelineOut(stages=stages, open_count=sum(s.count for s in stages),
                       open_amount=round(sum(s.amount for s in stages), 2),
                       weighted_amount=round(sum(s.weighted_amount for s in stages), 2))


class WinRateArgs(_Strict):
    days: int = Field(365, ge=1, le=3650, description="Opportunities closed (won or lost) within the last N days, by close_date")


class WinRateOut(BaseModel):
    won: int
    lost: int
    win_rate: float | None
    won_amount: float


@tool(
    name="analytics.win_rate", category="analytics",
    description={"zh": "一段时间内已关闭商机的赢单率和赢单金额", "en": "Win rate and won amount of opportunities closed over a period"},
    permission=Permission(entity="opportunities", action="read"), idempotency="safe",
)
async def win_rate(ctx: ToolContext, args: WinRateArgs) -> WinRateOut:
    from lingxi.opportunities.models import PipelineStage

    opps = entity_or_404("opportunities")
    m = opps.model
    since = (utcnow() - timedelta(days=args.days)).date()
    won = case((PipelineStage.is_won.is_(True), 1), else_=0)
    row = (await ctx.session.execute(
        select(func.coalesce(func.sum(won), 0), func.count(),
               func.coalesce(func.sum(case((PipelineStage.is_won.is_(True), m.amount), else_=0)), 0))
        .select_from(m).join(PipelineStage, PipelineStage.id == m.stage_id)
        .where(authz.scope_filter(ctx.actor, opps, "read"), PipelineStage.is_closed.is_(True), m.close_date >= since)
    )).one()
    n_won, n_all = int(row[0]), int(row[1])
    return WinRateOut(won=n_won, lost=n_all - n_won, win_rate=round(n_won / n_all, 4) if n_all else None,
                      won_amount=round(float(row[2]), 2))


class NoArgs(_Strict):
    pass


class ServiceOut(BaseModel):
    open: int
    overdue: int
    by_status: dict[str, int]
    by_category: dict[str, int]
    avg_satisfaction: float | None


@tool(
    name="analytics.service_overview", category="analytics",
    description={"zh": "客服概况：未结工单、超时工单、按状态与分类的数量、平均满意度", "en": "Service overview: open and overdue tickets, counts by status and category, average satisfaction"},
    permission=Permission(entity="tickets", action="read"), idempotency="safe",
)
async def service_overview(ctx: ToolContext, args: NoArgs) -> ServiceOut:
    tickets = entity_or_404("tickets")
    m = tickets.model
    scope = authz.scope_filter(ctx.actor, tickets, "read")
    open_states = ("new", "open", "pending")
    hidden = {f for f, r in authz.field_rules(ctx.actor, tickets).items() if r in ("hidden", "masked")}
    by_status = dict((await ctx.session.execute(select(m.status, func.count()).where(scope).group_by(m.status))).all())
    by_category = {str(k): v for k, v in (await ctx.session.execute(
        select(m.category, func.count()).where(scope).group_by(m.category))).all()}
    now = utcnow()
    overdue = await ctx.session.scalar(select(func.count()).select_from(m).where(
        scope, m.status.in_(open_states), m.resolution_due_at < now))
    avg = await ctx.session.scalar(select(func.avg(m.satisfaction)).where(scope, m.satisfaction.is_not(None)))
    if "category" in hidden:
        by_category = {}
    if "satisfaction" in hidden:
        avg = None
    return ServiceOut(
        open=sum(v for k, v in by_status.items() if k in open_states), overdue=int(overdue or 0),
        by_status={str(k): int(v) for k, v in by_status.items()}, by_category=by_category,
        avg_satisfaction=round(float(avg), 3) if avg is not None else None,
    )
