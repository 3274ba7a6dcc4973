"""Request and response shapes of the import and export endpoints."""

from __future__ import annotations

import uuid
from typing import Any, Literal

from pydantic import BaseModel, Field


class JobAccepted(BaseModel):
    job_id: uuid.UUID
    status: str


class ExportRequest(BaseModel):
    format: Literal["csv", "xlsx"] = "csv"
    filter: dict[str, Any] | None = Field(None, description="The list endpoint's JSON filter")
    fields: list[str] | None = Field(None, description="Fields to export, in order; default all visible fields")
    sort: str | None = Field(None, max_length=200, description="Comma-separated fields, '-' for descending")


class RowError(BaseModel):
    field: str | None
    code: str
    message: str


class RowResult(BaseModel):
    row: int = Field(description="Spreadsheet row number (the header is row 1)")
    status: Literal["created", "merged", "skipped", "failed"]
    record_id: str | None
    errors: list[RowError]


class ImportReport(BaseModel):
    job_id: uuid.UUID
    status: str
    entity: str | None
    progress: int
    total: int | None
    totals: dict[str, int]
    dry_run: bool
    ignored_columns: list[str]
    rows: list[RowResult]
    next_offset: int | None
