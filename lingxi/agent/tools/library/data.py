"""Data tools, generated from the record registry: ``{entity}.search``, ``.get``, ``.create``, ``.update``,
``.relate`` (related lists) and ``.aggregate`` for every main entity, plus import and export jobs.

Every tool goes through ``RecordService`` (validation, field security, scope, custom fields) or the
dataio services: nothing here reads or writes a record by another road.
"""

from __future__ import annotations

import uuid
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from lingxi.agent.tools.aggregate import AggregateQuery, AggregateResult, aggregate
from lingxi.agent.tools.base import Permission, ToolContext
from lingxi.agent.tools.registry import tool
from lingxi.dataio import exporter, importer
from lingxi.jobs.service import get_job
from lingxi.meta.registry import Entity, registry
from lingxi.records.schemas import create_schema, read_schema, update_schema
from lingxi.records.service import RecordService

# The entities an agent works with; children (line items, members...) are reached through ``relate``.
MAIN_ENTITIES = (
    "accounts", "contacts", "leads", "opportunities", "activities", "calendar_events",
    "tickets", "campaigns", "orders", "quotes", "products",
)
MAX_PAGE = 100


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RecordPage(BaseModel):
    data: list[dict[str, Any]] = Field(description="Records as the caller may see them (masked fields masked)")
    next_cursor: str | None = Field(None, description="Pass as `cursor` for the next page")
    total: int | None = None


class SearchArgs(_Strict):
    keyword: str | None = Field(None, max_length=200, description="Full-text keyword (Chinese and English)")
    filter: dict[str, Any] | None = Field(
        None, description='JSON filter, e.g. {"amount": {"gte": 1000}}; operators eq, ne, in, nin, contains, '
        "starts_with, gt, gte, lt, lte, between, is_null; $or/$and/$not"
    )
    sort: str | None = Field(None, max_length=200, description="Comma-separated fields, '-' for descending")
    fields: list[str] | None = Field(None, max_length=100, description="Fields to return (default all visible)")
    limit: int = Field(20, ge=1, le=MAX_PAGE)
    cursor: str | None = Field(None, max_length=1000)
    with_total: bool = Field(False, description="Also count all matching records")


class GetArgs(_Strict):
    id: uuid.UUID = Field(description="Record id")
    fields: list[str] | None = Field(None, max_length=100)


def _polymorphic(entity: Entity) -> set[str]:
    if entity.spec.parent or entity.name == "tags":
        return set()
    return {"activities", "attachments"} if entity.name != "activities" else {"attachments"}


def related_names(entity: Entity) -> list[str]:
    return sorted({child.name for child, _ in registry.children_of(entity.name)} | _polymorphic(entity))


def _payload(args: BaseModel, drop: tuple[str, ...] = ()) -> dict[str, Any]:
    data = args.model_dump(exclude_unset=True)
    data.update(args.model_extra or {})
    for key in drop:
        data.pop(key, None)
    return data


def _label(entity: Entity) -> tuple[str, str]:
    return entity.spec.label_zh, entity.spec.label_en


def _register_entity(entity: Entity) -> None:
    name = entity.name
    zh, en = _label(entity)
    Read = read_schema(entity)
    title = "".join(p.capitalize() for p in name.split("_"))

    async def search(ctx: ToolContext, args: SearchArgs) -> RecordPage:
        page = await RecordService(ctx.session, ctx.actor, entity).list(
            filter_spec=args.filter, sort=args.sort, cursor=args.cursor, limit=args.limit, only=args.fields,
            keyword=args.keyword, with_total=args.with_total,
        )
        return RecordPage(data=page.data, next_cursor=page.next_cursor, total=page.total)

    tool(
        name=f"{name}.search", category="data",
        description={"zh": f"按关键词和条件搜索{zh}，只返回调用者有权查看的记录和字段（分页）",
                     "en": f"Search {en} records by keyword and filter; only records and fields the caller may see (paginated)"},
        permission=Permission(entity=name, action="read"), idempotency="safe",
    )(search)

    async def get(ctx: ToolContext, args: GetArgs) -> dict[str, Any]:
        return await RecordService(ctx.session, ctx.actor, entity).get(args.id, args.fields)

    tool(
        name=f"{name}.get", category="data",
        description={"zh": f"按编号读取一条{zh}记录", "en": f"Read one {en} record by id"},
        permission=Permission(entity=name, action="read"), idempotency="safe", output_model=Read, exact_output=False,
    )(get)

    CreateArgs = create_schema(entity)

    async def create(ctx: ToolContext, args: BaseModel) -> dict[str, Any]:
        svc = RecordService(ctx.session, ctx.actor, entity)
        return await svc.serialize(await svc.create(_payload(args)))

    tool(
        name=f"{name}.create", category="data",
        description={"zh": f"新建一条{zh}记录（按字段元数据校验，自定义字段以 cf_ 开头）",
                     "en": f"Create a {en} record (validated against the field metadata; custom fields start with cf_)"},
        permission=Permission(entity=name, action="create"), side_effects=True, idempotency="keyed",
        input_model=CreateArgs, output_model=Read, exact_output=False,
    )(create)

    UpdateArgs = create_model(
        f"{title}UpdateArgs", __base__=update_schema(entity),
        id=(uuid.UUID, Field(description="Record id")),
    )

    async def update(ctx: ToolContext, args: BaseModel) -> dict[str, Any]:
        data = _payload(args, ("id",))
        version = data.pop("version", None)
        svc = RecordService(ctx.session, ctx.actor, entity)
        rec = await svc.update(args.id, data, int(version) if version is not None else None)  # type: ignore[attr-defined]
        return await svc.serialize(rec)

    tool(
        name=f"{name}.update", category="data",
        description={"zh": f"修改一条{zh}记录的字段（可带 version 防止覆盖他人修改）",
                     "en": f"Change fields of a {en} record (pass version to avoid overwriting someone else's change)"},
        permission=Permission(entity=name, action="update"), side_effects=True, idempotency="idempotent",
        input_model=UpdateArgs, output_model=Read, exact_output=False,
    )(update)

    children = related_names(entity)
    if children:
        RelateArgs = create_model(
            f"{title}RelateArgs", __base__=_Strict,
            id=(uuid.UUID, Field(description="Record id")),
            related=(Literal[tuple(children)], Field(description="Which related list")),  # type: ignore[valid-type]
            filter=(dict[str, Any] | None, None),
            sort=(str | None, Field(None, max_length=200)),
            fields=(list[str] | None, Field(None, max_length=100)),
            limit=(int, Field(20, ge=1, le=MAX_PAGE)),
            cursor=(str | None, Field(None, max_length=1000)),
        )

        async def relate(ctx: ToolContext, args: Any) -> RecordPage:
            page = await RecordService(ctx.session, ctx.actor, entity).related(
                args.id, args.related, filter_spec=args.filter, sort=args.sort, cursor=args.cursor,
                limit=args.limit, only=args.fields,
            )
            return RecordPage(data=page.data, next_cursor=page.next_cursor)

        tool(
            name=f"{name}.relate", category="data",
            description={"zh": f"列出一条{zh}的相关记录（{'、'.join(children)}）",
                         "en": f"List the records related to a {en} record ({', '.join(children)})"},
            permission=Permission(entity=name, action="read"), idempotency="safe", input_model=RelateArgs,
        )(relate)

    async def aggregate_tool(ctx: ToolContext, args: AggregateQuery) -> AggregateResult:
        return await aggregate(ctx.session, ctx.actor, entity, args, sqlite=ctx.db.is_sqlite)

    tool(
        name=f"{name}.aggregate", category="data",
        description={"zh": f"统计{zh}：计数、求和、平均、最大最小，可按字段或时间分组（仅限可见数据）",
                     "en": f"Aggregate {en}: count, sum, avg, min, max, optionally grouped by a field or period (visible data only)"},
        permission=Permission(entity=name, action="read"), idempotency="safe",
    )(aggregate_tool)


for _name in MAIN_ENTITIES:
    _entity = registry.get(_name)
    if _entity is not None:
        _register_entity(_entity)


# -- import and export -----------------------------------------------------------------------------

MAX_IMPORT_CHARS = 2_000_000


class ImportArgs(_Strict):
    entity: str = Field(max_length=64, description="Entity name, e.g. contacts")
    csv_text: str = Field(min_length=1, max_length=MAX_IMPORT_CHARS, description="CSV content; the first row holds the headers")
    mapping: dict[str, str | None] | None = Field(None, description='{"column header": "field name" or null to skip}')
    on_duplicate: Literal["skip", "merge", "create"] = "skip"
    dry_run: bool = Field(False, description="Validate and report without saving")


class JobOut(BaseModel):
    job_id: uuid.UUID
    status: str
    kind: str | None = None
    progress: int | None = None
    total: int | None = None
    result: dict[str, Any] | None = None
    error: str | None = None


@tool(
    name="data.import", category="data",
    description={"zh": "从 CSV 文本导入记录（后台任务；可先试运行校验）", "en": "Import records from CSV text (a background job; dry run to validate first)"},
    permission=Permission(entity_arg="entity", action="import"), side_effects=True, idempotency="keyed",
)
async def import_records(ctx: ToolContext, args: ImportArgs) -> JobOut:
    job = await importer.start_import(
        ctx.session, ctx.actor, args.entity, filename="import.csv", data=args.csv_text.encode("utf-8"),
        mapping=args.mapping, on_duplicate=args.on_duplicate, dry_run=args.dry_run,
    )
    return JobOut(job_id=job.id, status=job.status, kind=job.kind)


class ExportArgs(_Strict):
    entity: str = Field(max_length=64, description="Entity name, e.g. accounts")
    format: Literal["csv", "xlsx"] = "csv"
    filter: dict[str, Any] | None = None
    fields: list[str] | None = Field(None, max_length=200)
    sort: str | None = Field(None, max_length=200)
    lang: Literal["zh", "en"] = "zh"


@tool(
    name="data.export", category="data",
    description={"zh": "把记录导出为 CSV 或 XLSX（后台任务，完成后可下载）", "en": "Export records to CSV or XLSX (a background job; download when done)"},
    permission=Permission(entity_arg="entity", action="export"), side_effects=True, idempotency="keyed",
)
async def export_records(ctx: ToolContext, args: ExportArgs) -> JobOut:
    job = await exporter.start_export(
        ctx.session, ctx.actor, args.entity, format=args.format, filter_spec=args.filter, fields=args.fields,
        sort=args.sort, lang=args.lang,
    )
    return JobOut(job_id=job.id, status=job.status, kind=job.kind)


class JobArgs(_Strict):
    job_id: uuid.UUID


@tool(
    name="data.job_status", category="data",
    description={"zh": "查看导入导出等后台任务的进度和结果", "en": "Progress and result of a background job (import, export...)"},
    idempotency="safe",
)
async def job_status(ctx: ToolContext, args: JobArgs) -> JobOut:
    job = await get_job(ctx.session, ctx.actor, args.job_id)
    return JobOut(
        job_id=job.id, status=job.status, kind=job.kind, progress=job.progress, total=job.total,
        result=job.result or None, error=job.error,
    )
