"""The registry of tools: ``@tool(...)`` registers a handler, ``get_tool`` / ``list_tools`` find them.

The library's own tools live in ``lingxi.agent.tools.library``; they are imported the first time the
registry is read, so every caller (REST, MCP, plans) sees the same set without importing them itself.
"""

from __future__ import annotations

import importlib
import inspect
import typing
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from lingxi.agent.tools.base import Category, Handler, Idempotency, Permission, Tool

_tools: dict[str, Tool] = {}
_loaded = False
LIBRARY = "lingxi.agent.tools.library"
CATEGORIES: tuple[str, ...] = typing.get_args(Category)


def _input_model_of(handler: Handler) -> type[BaseModel]:
    hints = typing.get_type_hints(handler)
    params = list(inspect.signature(handler).parameters)
    if len(params) < 2 or not (isinstance(hints.get(params[1]), type) and issubclass(hints[params[1]], BaseModel)):
        raise TypeError(f"{handler.__qualname__}: the second parameter must be annotated with a pydantic model")
    return hints[params[1]]  # type: ignore[no-any-return]


def _output_model_of(handler: Handler) -> type[BaseModel] | None:
    ret = typing.get_type_hints(handler).get("return")
    return ret if isinstance(ret, type) and issubclass(ret, BaseModel) else None


def register(t: Tool, *, replace: bool = False) -> Tool:
    if t.name in _tools and not replace and _tools[t.name].handler is not t.handler:
        raise ValueError(f"tool {t.name!r} is already registered")
    if t.category not in CATEGORIES:
        raise ValueError(f"tool {t.name!r}: unknown category {t.category!r}")
    if set(t.description) < {"zh", "en"}:
        raise ValueError(f"tool {t.name!r} needs a zh and an en description")
    _tools[t.name] = t
    return t


def tool(
    *,
    name: str,
    category: Category,
    description: dict[str, str],
    permission: Permission | None = None,
    side_effects: bool = False,
    idempotency: Idempotency = "safe",
    input_model: type[BaseModel] | None = None,
    output_model: type[BaseModel] | None = None,
    timeout_s: float | None = None,
    write_session: bool = False,
    exact_output: bool = True,
    replace: bool = False,
) -> Callable[[Handler], Handler]:
    """Registers the decorated ``async def handler(ctx: ToolContext, args: InputModel) -> OutputModel``.
    The input and output models are read from its annotations unless given."""

    def decorate(handler: Handler) -> Handler:
        extra: dict[str, Any] = {}
        if timeout_s is not None:
            extra["timeout_s"] = timeout_s
        register(
            Tool(
                name=name,
                category=category,
                description=dict(description),
                input_model=input_model or _input_model_of(handler),
                output_model=output_model if output_model is not None else _output_model_of(handler),
                permission=permission or Permission(),
                side_effects=side_effects,
                idempotency=idempotency,
                handler=handler,
                write_session=write_session,
                exact_output=exact_output,
                **extra,
            ),
            replace=replace,
        )
        return handler

    return decorate


def unregister(name: str) -> None:
    _tools.pop(name, None)


def _load() -> None:
    global _loaded
    if not _loaded:
        _loaded = True
        try:
            importlib.import_module(LIBRARY)
        except ModuleNotFoundError as exc:
            if exc.name != LIBRARY:
                raise


def get_tool(name: str) -> Tool | None:
    _load()
    return _tools.get(name)


def list_tools(category: str | None = None) -> list[Tool]:
    """Every registered tool (of ``category``), sorted by name."""
    _load()
    return sorted((t for t in _tools.values() if category is None or t.category == category), key=lambda t: t.name)
