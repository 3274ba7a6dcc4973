"""Importing records from CSV / XLSX.

``start_import`` checks the file and the column mapping while the user waits and queues a job;
``run_import`` (the job) validates every row with the same rules as the API, stores each good row
in its own savepoint so one bad row loses nothing else, and writes a per-row report.

The work is done in batches, each one transaction that also records the batch's report chunk and
the job's progress: a job restarted after a crash resumes after the last committed batch.
"""

from __future__ import annotations

import json
import uuid
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.audit.service import record_event
from lingxi.authz import service as authz
from lingxi.dataio.dedupe import DuplicateFinder
from lingxi.dataio.jobrun import JobAborted, enqueue, job_database, job_for_reader, load_job, mark
from lingxi.dataio.reader import Table, read_table
from lingxi.db import Database
from lingxi.errors import Forbidden, LingxiError, NotFound, ValidationFailed
from lingxi.files.storage import get_storage
from lingxi.jobs.models import Job
from lingxi.jobs.runner import JobContext
from lingxi.meta.spec import FieldSpec
from lingxi.records.service import RecordService, entity_or_404
from lingxi.tenancy.context import Actor

KIND = "import"
BATCH = 500
OnDuplicate = Literal["skip", "merge", "create"]
ON_DUPLICATE = ("skip", "merge", "create")


# -- column mapping ----------------------------------------------------------------------------------


def _key(text: str) -> str:
    return text.strip().lower()


def resolve_mapping(
    headers: list[str], fields: dict[str, FieldSpec], rules: dict[str, str], explicit: dict[str, str | None] | None
) -> tuple[dict[int, str], list[str]]:
    """Column index → field name, and the headers left unmapped.

    An explicit mapping wins (a null target ignores the column); other headers match a writable
    field's name, Chinese or English label, case-insensitively."""
    writable = {n: s for n, s in fields.items() if not s.readonly and n not in ("id", "version") and rules.get(n) is None}
    by_label: dict[str, str] = {}
    for name, spec in writable.items():
        for label in (spec.label_en, spec.label_zh, name):
            by_label[_key(label)] = name
    explicit = explicit or {}
    problems: list[dict[str, Any]] = []
    for column, target in explicit.items():
        if column not in headers:
            problems.append({"field": column, "code": "unknown_column", "message": "no such column in the file"})
        elif target is not None and target not in fields:
            problems.append({"field": column, "code": "unknown_field", "message": f"no field {target!r}"})
        elif target is not None and target not in writable:
            problems.append({"field": column, "code": "field_not_writable", "message": f"{target!r} cannot be imported"})
    mapping: dict[int, str] = {}
    ignored: list[str] = []
    for index, header in enumerate(headers):
        target = explicit[header] if header in explicit else by_label.get(_key(header)) if header else None
        if target is None or target not in writable:
            if header:
                ignored.append(header)
            continue
        if target in mapping.values():
            problems.append({"field": header, "code": "duplicate_mapping", "message": f"another column already maps to {target!r}"})
            continue
        mapping[index] = target
    if problems:
        raise ValidationFailed("the column mapping is invalid", code="invalid_mapping", details=problems)
    if not mapping:
        raise ValidationFailed("no column matches a field; give a mapping", code="no_columns_mapped", details={"headers": headers})
    return mapping, ignored


def parse_mapping(raw: str | None) -> dict[str, str | None] | None:
    if not raw:
        return None
    try:
        value = json.loads(raw)
    except ValueError as exc:
        raise ValidationFailed("mapping must be a JSON object", code="invalid_mapping") from exc
    if not isinstance(value, dict) or not all(isinstance(k, str) and (v is None or isinstance(v, str)) for k, v in value.items()):
        raise ValidationFailed("mapping must map column headers to field names", code="invalid_mapping")
    return value


# -- starting --------------------------------------------------------------------------------------


async def start_import(
    session: AsyncSession,
    actor: Actor,
    entity_name: str,
    *,
    filename: str | None,
    data: bytes,
    mapping: dict[str, str | None] | None = None,
    on_duplicate: str = "skip",
    dry_run: bool = False,
) -> Job:
    entity = entity_or_404(entity_name)
    authz.require(actor, entity, "import")
    authz.require(actor, entity, "create")
    if on_duplicate not in ON_DUPLICATE:
        raise ValidationFailed(f"on_duplicate must be one of {list(ON_DUPLICATE)}", code="invalid_on_duplicate")
    table = read_table(filename, data)
    svc = RecordService(session, actor, entity)
    columns, ignored = resolve_mapping(table.headers, await svc.fields(), svc.rules, mapping)
    assert actor.tenant_id is not None
    key, _ = get_storage().put(actor.tenant_id, data)
    params = {
        "file_key": key,
        "filename": filename,
        "columns": {str(i): f for i, f in columns.items()},
        "ignored_columns": ignored,
        "on_duplicate": on_duplicate,
        "dry_run": dry_run,
        "rows": len(table.rows),
    }
    return await enqueue(session, actor, KIND, entity.name, params)


# -- running ---------------------------------------------------------------------------------------


def _row_data(row: list[Any], columns: dict[int, str]) -> dict[str, Any]:
    """Blank cells are left out, so a merge never clears a field and ``required`` catches them."""
    out: dict[str, Any] = {}
    for index, field in columns.items():
        value = row[index] if index < len(row) else None
        if isinstance(value, str):
            value = value.strip()
        if value is None or value == "":
            continue
        out[field] = value
    return out


def _errors(exc: LingxiError) -> list[dict[str, Any]]:
    details = exc.details
    if isinstance(details, list) and details and all(isinstance(d, dict) for d in details):
        return [
            {"field": d.get("field"), "code": d.get("code") or exc.code, "message": d.get("message") or exc.message}
            for d in details
        ]
    return [{"field": None, "code": exc.code, "message": exc.message}]


async def import_row(
    session: AsyncSession, svc: RecordService, finder: DuplicateFinder, data: dict[str, Any], on_duplicate: str
) -> dict[str, Any]:
    """One row in its own savepoint; returns its report entry (without the row number)."""
    if not data:
        return {"status": "skipped", "record_id": None, "errors": [{"field": None, "code": "empty_row", "message": "no values"}]}
    try:
        async with session.begin_nested():
            duplicate = await finder.find(data) if on_duplicate != "create" else None
            if duplicate is not None:
                visible = await session.scalar(svc.readable().where(svc.model.id == duplicate).with_only_columns(svc.model.id))
                if visible is None:
                    return {"status": "skipped" if on_duplicate == "skip" else "failed", "record_id": None,
                            "errors": [{"field": None, "code": "duplicate_not_visible", "message": "duplicates a record you cannot see"}]}
                if on_duplicate == "skip":
                    return {"status": "skipped", "record_id": str(duplicate),
                            "errors": [{"field": None, "code": "duplicate", "message": "a matching record exists"}]}
                rec = await svc.update(duplicate, data)
                return {"status": "merged", "record_id": str(rec.id), "errors": []}
            rec = await svc.create(data)
            return {"status": "created", "record_id": str(rec.id), "errors": []}
    except (ValidationFailed, Forbidden, NotFound) as exc:
        return {"status": "failed", "record_id": None, "errors": _errors(exc)}
    except (IntegrityError, DataError) as exc:
        message = str(exc.orig).splitlines()[0][:300] if exc.orig else "rejected by the database"
        return {"status": "failed", "record_id": None, "errors": [{"field": None, "code": "constraint_violation", "message": message}]}


async def _run_batch(
    db: Database, job: Job, actor: Actor, table: Table, columns: dict[int, str], start: int, stop: int
) -> dict[str, Any]:
    params = job.params
    entity = entity_or_404(job.entity or "")
    async with db.unit_of_work(actor) as session:
        svc = RecordService(session, actor, entity)
        finder = DuplicateFinder(session, entity)
        outer = await session.begin_nested()
        entries = []
        for index in range(start, stop):
            entry = await import_row(session, svc, finder, _row_data(table.rows[index], columns), params["on_duplicate"])
            entries.append({"row": index + 2, **entry})
        if params.get("dry_run"):
            await outer.rollback()
        else:
            await outer.commit()
        assert actor.tenant_id is not None
        key, _ = get_storage().put(actor.tenant_id, json.dumps(entries, ensure_ascii=False).encode())
        row = await session.scalar(select(Job).where(Job.id == job.id))
        assert row is not None
        result = dict(row.result or {})
        result["chunks"] = [*result.get("chunks", []), key]
        totals = dict(result.get("totals") or {})
        for e in entries:
            totals[e["status"]] = totals.get(e["status"], 0) + 1
        result["totals"] = totals
        row.result = result
        row.progress = stop
        return result


async def run_import(job_id: uuid.UUID, ctx: JobContext | None = None) -> dict[str, Any]:
    """The job: imports the rows not yet done, then records totals and an audit entry.

    Under the worker (``ctx`` given) the runner owns the job's status; called directly (tests,
    scripts) this function sets it."""
    db = job_database(ctx)
    job, actor = await load_job(db, job_id, KIND)
    try:
        result = await _run_import(db, job, actor, ctx)
    except Exception as exc:
        if ctx is None:
            await mark(db, job.id, actor, status="failed", error=str(exc)[:2000])
        raise
    if ctx is None:
        await mark(db, job.id, actor, status="succeeded", result=result)
    return result


async def _run_import(db: Database, job: Job, actor: Actor, ctx: JobContext | None) -> dict[str, Any]:
    params = job.params
    try:
        data = get_storage().get(params["file_key"])
    except (OSError, ValueError) as exc:
        raise JobAborted("the uploaded file is gone") from exc
    table = read_table(params.get("filename"), data)
    columns = {int(i): f for i, f in params["columns"].items()}
    total = len(table.rows)
    if ctx is None:
        await mark(db, job.id, actor, status="running", total=total)
    else:
        await ctx.progress(job.progress or 0, total)
    result: dict[str, Any] = dict(job.result or {})
    for start in range(job.progress or 0, total, BATCH):
        stop = min(start + BATCH, total)
        result = await _run_batch(db, job, actor, table, columns, start, stop)
        if ctx is not None:
            await ctx.progress(stop, total)
    totals = {s: (result.get("totals") or {}).get(s, 0) for s in ("created", "merged", "skipped", "failed")}
    result = {
        **result,
        "totals": {**totals, "rows": total},
        "dry_run": bool(params.get("dry_run")),
        "ignored_columns": params.get("ignored_columns", []),
        "chunk_size": BATCH,
    }
    async with db.unit_of_work(actor) as session:
        row = await session.scalar(select(Job).where(Job.id == job.id))
        assert row is not None
        row.result = result
        row.progress = row.total = total
        if not params.get("dry_run"):
            record_event(session, action="import", tenant_id=actor.tenant_id, actor_id=actor.user_id, entity=job.entity,
                         record_id=job.id, changes={"rows": total, **totals, "file": params.get("filename")})
    get_storage().delete(params["file_key"])
    return result


# -- the report ------------------------------------------------------------------------------------


async def import_report(
    session: AsyncSession, actor: Actor, job_id: uuid.UUID, *, offset: int = 0, limit: int = 100, status: str | None = None
) -> dict[str, Any]:
    """Per-row results, paged. Only the job's creator or an admin of its tenant may read it."""
    job = await job_for_reader(session, actor, job_id, KIND)
    result = job.result or {}
    storage = get_storage()
    rows: list[dict[str, Any]] = []
    position = 0
    next_offset = None
    for key in result.get("chunks", []):
        chunk = json.loads(storage.get(key))
        if status:
            chunk = [e for e in chunk if e["status"] == status]
        if position + len(chunk) <= offset:
            position += len(chunk)
            continue
        for entry in chunk:
            if position >= offset:
                if len(rows) == limit:
                    next_offset = position
                    break
                rows.append(entry)
            position += 1
        if next_offset is not None:
            break
    return {
        "job_id": str(job.id),
        "status": job.status,
        "entity": job.entity,
        "progress": job.progress,
        "total": job.total,
        "totals": result.get("totals", {}),
        "dry_run": bool((job.params or {}).get("dry_run")),
        "ignored_columns": (job.params or {}).get("ignored_columns", []),
        "rows": rows,
        "next_offset": next_offset,
    }
