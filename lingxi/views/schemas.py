"""Request and response bodies of /api/v1/views."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

MAX_STATE_BYTES = 16_000
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


def _bounded(state: dict[str, Any]) -> dict[str, Any]:
    if len(json.dumps(state, ensure_ascii=False)) > MAX_STATE_BYTES:
        raise ValueError(f"state larger than {MAX_STATE_BYTES} bytes")
    return state


class SavedViewIn(BaseModel):
    entity: str = Field(max_length=64, description="Entity name, e.g. accounts")
    name: Name
    state: dict[str, Any] = Field(default_factory=dict, description="The list state: filters, sort, columns, page size")
    is_default: bool = Field(False, description="Open the list with this view")

    _state = field_validator("state")(_bounded)


class SavedViewUpdate(BaseModel):
    name: Name | None = None
    state: dict[str, Any] | None = None
    is_default: bool | None = None

    @field_validator("state")
    @classmethod
    def _state(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        return None if value is None else _bounded(value)


class SavedViewOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    entity: str
    name: str
    state: dict[str, Any]
    is_default: bool
    created_at: datetime
    updated_at: datetime
