"""Typed errors. Every error leaves the API as ``{"error": {"code", "message", "details"}}``."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class LingxiError(Exception):
    status_code = 400
    code = "bad_request"

    def __init__(self, message: str, *, code: str | None = None, details: Any = None, status_code: int | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        if status_code:
            self.status_code = status_code
        self.details = details

    def body(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, "details": self.details}}


class BadRequest(LingxiError):
    status_code = 400
    code = "bad_request"


class ValidationFailed(LingxiError):
    status_code = 422
    code = "validation_error"


class Unauthenticated(LingxiError):
    status_code = 401
    code = "unauthenticated"


class Forbidden(LingxiError):
    status_code = 403
    code = "forbidden"


class NotFound(LingxiError):
    status_code = 404
    code = "not_found"


class Conflict(LingxiError):
    status_code = 409
    code = "conflict"


class VersionConflict(Conflict):
    code = "version_conflict"


class TooManyRequests(LingxiError):
    status_code = 429
    code = "rate_limited"


class ErrorDetail(BaseModel):
    code: str
    message: str
    details: Any = None


class ErrorBody(BaseModel):
    error: ErrorDetail


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries for the given error statuses."""
    descriptions = {
        400: "Bad request",
        401: "Not authenticated",
        403: "Not allowed",
        404: "Not found",
        409: "Conflict (duplicate or stale version)",
        422: "Validation failed",
        429: "Too many requests",
    }
    return {s: {"model": ErrorBody, "description": descriptions.get(s, "Error")} for s in statuses}
