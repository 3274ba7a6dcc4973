"""Reading an uploaded CSV (UTF-8 with or without BOM, GBK/GB18030 fallback) or XLSX into rows."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from lingxi.errors import ValidationFailed

MAX_ROWS = 100_000
FORMATS = ("csv", "xlsx")


@dataclass
class Table:
    headers: list[str]
    rows: list[list[Any]]  # data rows; row i is spreadsheet row i + 2 (the header is row 1)


def file_format(filename: str | None) -> str:
    ext = (filename or "").rsplit(".", 1)[-1].lower() if "." in (filename or "") else ""
    if ext not in FORMATS:
        raise ValidationFailed("upload a .csv or .xlsx file", code="unsupported_file_type", details=[{"field": "file"}])
    return ext


def decode_csv(data: bytes) -> str:
    """UTF-8 first (Excel's BOM dropped), then GB18030, a superset of GBK that Excel in China writes."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationFailed("the CSV is neither UTF-8 nor GBK", code="unreadable_file", details=[{"field": "file"}])


def _read_csv(data: bytes) -> list[list[Any]]:
    text = decode_csv(data)
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count) if any(d in first for d in ",;\t") else ","
    try:
        return [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as exc:
        raise ValidationFailed(f"the CSV could not be read: {exc}", code="unreadable_file") from exc


def _cell(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, datetime) and value.hour == value.minute == value.second == 0:
        return value.date()
    return value


def _read_xlsx(data: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise ValidationFailed("the XLSX file could not be read", code="unreadable_file", details=[{"field": "file"}]) from exc
    try:
        sheet = workbook.worksheets[0]
        rows: list[list[Any]] = []
        for row in sheet.iter_rows(values_only=True):
            rows.append([_cell(v) for v in row])
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    finally:
        workbook.close()


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def read_table(filename: str | None, data: bytes) -> Table:
    """Parses the file; raises ``ValidationFailed`` with a clear code when it is empty, unreadable or too long."""
    raw = _read_csv(data) if file_format(filename) == "csv" else _read_xlsx(data)
    if not raw or all(_blank(v) for v in raw[0]):
        raise ValidationFailed("the file has no header row", code="empty_file", details=[{"field": "file"}])
    headers = [str(h).strip() if h is not None else "" for h in raw[0]]
    while headers and headers[-1] == "":
        headers.pop()
    rows = raw[1:]
    while rows and all(_blank(v) for v in rows[-1]):
        rows.pop()
    if len(rows) > MAX_ROWS:
        raise ValidationFailed(f"at most {MAX_ROWS} rows per import", code="too_many_rows", details={"max_rows": MAX_ROWS})
    return Table(headers=headers, rows=rows)
