"""Exporting records to CSV / XLSX.

The job pages through ``RecordService.list`` as the requesting user, narrowed further to the
user's *export* scope, so scope, hidden and masked fields apply exactly as in the API. Every text
cell that a spreadsheet would read as a formula is neutralised in both formats.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.audit.service import record_event
from lingxi.authz import service as authz
from lingxi.dataio.jobrun import enqueue, job_database, job_for_reader, load_job, mark
from lingxi.db import Database
from lingxi.errors import Conflict, ValidationFailed
from lingxi.files.storage import get_storage
from lingxi.jobs.models import Job
from lingxi.jobs.runner import JobContext
from lingxi.meta.spec import FieldSpec
from lingxi.records.service import RecordService, entity_or_404
from lingxi.tenancy.context import Actor

KIND = "export"
PAGE = 500
FORMATS = {"csv": "text/csv; charset=utf-8", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
LANGS = ("zh", "en")
# A cell starting with one of these is a formula (or becomes one) in Excel, LibreOffice or Sheets.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """``=HYPERLINK(...)`` → ``'=HYPERLINK(...)``: the quote makes spreadsheets show it as text."""
    if text.startswith(FORMULA_TRIGGERS) or text.lstrip(" ").startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def cell_value(value: Any) -> str | int | float | None:
    """A serialized record value as a safe spreadsheet cell: numbers stay numbers, all else is text."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, list):
        text = ";".join(str(v) for v in value)
    elif isinstance(value, dict):
        text = json.dumps(value, ensure_ascii=False)
    else:
        text = str(value)
    return neutralise(text)


def header_label(name: str, spec: FieldSpec | None, lang: str) -> str:
    if name == "id":
        return "ID"
    if spec is None:
        return name
    return neutralise(spec.label_en if lang == "en" else spec.label_zh)


# -- starting --------------------------------------------------------------------------------------


async def start_export(
    session: AsyncSession,
    actor: Actor,
    entity_name: str,
    *,
    format: str = "csv",
    filter_spec: dict[str, Any] | None = None,
    fields: list[str] | None = None,
    sort: str | None = None,
    lang: str = "zh",
) -> Job:
    entity = entity_or_404(entity_name)
    authz.require(actor, entity, "export")
    if format not in FORMATS:
        raise ValidationFailed(f"format must be one of {list(FORMATS)}", code="invalid_format")
    if lang not in LANGS:
        raise ValidationFailed(f"lang must be one of {list(LANGS)}", code="invalid_lang")
    # Fails now, with the API's own error, on an unknown field, filter or sort.
    await RecordService(session, actor, entity).list(
        filter_spec=filter_spec, sort=sort, only=fields, limit=1, extra=authz.scope_filter(actor, entity, "export")
    )
    params = {"format": format, "filter": filter_spec, "fields": fields, "sort": sort, "lang": lang}
    return await enqueue(session, actor, KIND, entity.name, params)


# -- running ---------------------------------------------------------------------------------------


def _write_csv(header: list[str], rows: list[list[Any]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(["" if v is None else v for v in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")  # the BOM makes Excel read Chinese as UTF-8


def _write_xlsx(header: list[str], rows: list[list[Any]], title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])

    def cells(values: list[Any]) -> list[Any]:
        out = []
        for value in values:
            if isinstance(value, str):
                cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
                cell.data_type = "s"  # never a formula, whatever the text
            else:
                cell = WriteOnlyCell(sheet, value=value)
            out.append(cell)
        return out

    sheet.append(cells(header))
    for row in rows:
        sheet.append(cells(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


async def _collect(db: Database, actor: Actor, job: Job) -> tuple[list[str], list[list[Any]]]:
    params = job.params
    entity = entity_or_404(job.entity or "")
    async with db.unit_of_work(actor, write=False) as session:
        authz.require(actor, entity, "export")
        svc = RecordService(session, actor, entity)
        specs = await svc.fields()
        rules = svc.rules
        names = params.get("fields") or [n for n in specs if rules.get(n) != "hidden"]
        if "id" not in names:
            names = ["id", *names]
        names = [n for n in names if rules.get(n) != "hidden"]
        header = [header_label(n, specs.get(n), params.get("lang", "zh")) for n in names]
        rows: list[list[Any]] = []
        cursor = None
        extra = authz.scope_filter(actor, entity, "export")
        while True:
            page = await svc.list(
                filter_spec=params.get("filter"), sort=params.get("sort"), cursor=cursor, limit=PAGE, only=names, extra=extra
            )
            rows.extend([cell_value(record.get(n)) for n in names] for record in page.data)
            cursor = page.next_cursor
            if cursor is None:
                return header, rows


async def run_export(job_id: uuid.UUID, ctx: JobContext | None = None) -> dict[str, Any]:
    """The job: writes the file to storage and records the export in the audit log.

    Under the worker (``ctx`` given) the runner owns the job's status; called directly this sets it."""
    db = job_database(ctx)
    job, actor = await load_job(db, job_id, KIND)
    try:
        if ctx is None:
            await mark(db, job.id, actor, status="running")
        header, rows = await _collect(db, actor, job)
        fmt = job.params.get("format", "csv")
        data = _write_csv(header, rows) if fmt == "csv" else _write_xlsx(header, rows, job.entity or "export")
        assert actor.tenant_id is not None
        key, digest = get_storage().put(actor.tenant_id, data)
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        result = {
            "file_key": key, "sha256": digest, "filename": f"{job.entity}-{stamp}.{fmt}", "format": fmt,
            "content_type": FORMATS[fmt], "rows": len(rows), "size": len(data),
        }
        async with db.unit_of_work(actor) as session:
            record_event(session, action="export", tenant_id=actor.tenant_id, actor_id=actor.user_id, entity=job.entity,
                         record_id=job.id, changes={"rows": len(rows), "format": fmt, "fields": job.params.get("fields"),
                                                    "filter": job.params.get("filter")})
            row = await session.scalar(select(Job).where(Job.id == job.id))
            assert row is not None
            row.progress = row.total = len(rows)
        if ctx is None:
            await mark(db, job.id, actor, status="succeeded", result=result)
        return result
    except Exception as exc:
        if ctx is None:
            await mark(db, job.id, actor, status="failed", error=str(exc)[:2000])
        raise


async def export_file(session: AsyncSession, actor: Actor, job_id: uuid.UUID) -> tuple[bytes, str, str]:
    """(content, filename, content type) of a finished export; creator or admin only."""
    job = await job_for_reader(session, actor, job_id, KIND)
    if job.status != "succeeded" or not (job.result or {}).get("file_key"):
        raise Conflict(f"the export is {job.status}, not ready", code="export_not_ready", details={"status": job.status})
    result = job.result
    return get_storage().get(result["file_key"]), result["filename"], result["content_type"]
