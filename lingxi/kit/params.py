"""Query parameters shared by list endpoints."""

from typing import Annotated

from fastapi import Query

# Bounded: SQLite refuses an OFFSET beyond 64 bits, and no one pages a million rows by offset.
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="Rows to skip")]
