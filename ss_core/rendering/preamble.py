"""The generated parameter preamble: the only place bound values enter a do-file.

Each parameter becomes one ``local`` definition, formatted by its type:
variables are re-checked against the Stata name rule and the dataset schema, numbers are
finite and written in a form Stata parses, texts are re-cleaned and compound-quoted, choices
must be one of the declared values. Every parameter of the template gets a line (empty when
absent) so that a template can never read a stale or undefined macro.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ss_core.domain.dataset import DatasetSchema
from ss_core.errors import RenderError
from ss_core.library.meta import ParamSpec, ParamType
from ss_core.stata.names import is_valid_stata_name
from ss_core.stata.values import UnsafeText, clean_text, compound_quote, format_number


def _fail(spec: ParamSpec, reason: str) -> RenderError:
    return RenderError(f"parameter {spec.name!r} cannot be rendered: {reason}",
                       param=spec.name, reason=reason)


def _var(spec: ParamSpec, name: Any, schema: DatasetSchema) -> str:
    if not isinstance(name, str) or not is_valid_stata_name(name):
        raise _fail(spec, f"{name!r} is not a valid Stata name")
    if schema.column(name) is None:
        raise _fail(spec, f"{name!r} is not a column of the dataset")
    return name


def format_value(spec: ParamSpec, value: Any, schema: DatasetSchema) -> str:
    """The right-hand side of ``local <name>`` for one bound value (empty when absent)."""
    if value is None:
        return ""
    match spec.type:
        case ParamType.VAR:
            return _var(spec, value, schema)
        case ParamType.VARLIST:
            if isinstance(value, str) or not isinstance(value, Sequence):
                raise _fail(spec, "expected a list of names")
            return " ".join(_var(spec, v, schema) for v in value)
        case ParamType.NUMBER | ParamType.INTEGER:
            try:
                return format_number(value)
            except ValueError as exc:
                raise _fail(spec, str(exc)) from None
        case ParamType.CHOICE:
            if value not in spec.choices:
                raise _fail(spec, f"{value!r} is not a declared choice")
            return str(value)
        case ParamType.BOOL:
            if not isinstance(value, bool):
                raise _fail(spec, "expected a boolean")
            return "1" if value else "0"
        case ParamType.TEXT:
            if not isinstance(value, str):
                raise _fail(spec, "expected text")
            try:
                return compound_quote(clean_text(value))
            except UnsafeText as exc:
                raise _fail(spec, exc.reason) from None
    raise _fail(spec, "unknown type")  # pragma: no cover


def preamble_lines(
    params: Sequence[ParamSpec], values: Mapping[str, Any], schema: DatasetSchema
) -> list[str]:
    lines = ["* ---- parameters (generated from the frozen plan; do not edit) ----"]
    for spec in params:
        rhs = format_value(spec, values.get(spec.name), schema)
        lines.append(f"local {spec.name} {rhs}".rstrip())
    return lines
