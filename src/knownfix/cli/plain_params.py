"""Command-line values that Typer's coercion would return unchanged, returned without pydantic.

Typer 0.2x coerces the value of every parameter through a pydantic ``TypeAdapter`` it builds
on first use. Importing pydantic and building the adapters cost about 0.08 s CPU of every
``knownfix`` run, as much as the whole triage of a log on a small knowledge base. For plain
parameters the adapters change nothing: text stays the same text, a list of texts becomes a
list of the same texts, a choice goes through Typer's own choice function (no pydantic). Those
values are returned here as they are; any other value or type (a path, a number, a choice
Typer refuses) goes to the coercion Typer builds itself, errors included. A Typer without this
mechanism (``_runtime_param``) is left alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Any

try:  # Typer's internals: where they differ, every value takes Typer's own way
    from typer._coercion import RuntimeParam, TypeDescriptor, build_runtime_param
    from typer._param_types import coerce_cli_choice
except ImportError:  # pragma: no cover - another Typer
    RuntimeParam = None  # type: ignore[assignment,misc]

_TEXTS = list[str]


def lighten(params: Iterable[Any]) -> None:
    """Give the parameters of a command whose coercion Typer has not built yet the plain one."""
    if RuntimeParam is None:
        return
    for param in params:
        descriptor = getattr(param, "type_descriptor", None)
        if descriptor is not None and getattr(param, "_runtime_param", False) is None:
            param._runtime_param = _PlainParam(descriptor.parameter_info, descriptor.annotation,
                                               descriptor)


if RuntimeParam is not None:

    @dataclass(frozen=True)
    class _PlainParam(RuntimeParam):  # type: ignore[misc]
        descriptor: TypeDescriptor

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            annotation = self.annotation
            if annotation is str and type(value) is str:
                return value
            if (annotation == _TEXTS and isinstance(value, list | tuple)
                    and all(type(item) is str for item in value)):
                return list(value)
            if isinstance(annotation, type) and issubclass(annotation, Enum):
                try:
                    return coerce_cli_choice(value, choices=tuple(annotation), ctx=ctx,
                                             case_sensitive=self.parameter_info.case_sensitive)
                except ValueError:
                    pass  # Typer's own coercion says why
            full = build_runtime_param(self.descriptor)
            param._runtime_param = full
            return full._coerce_value(value, param=param, ctx=ctx)
