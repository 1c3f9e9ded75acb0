"""Deterministic sample bindings for a template meta: a dataset schema and parameter values.

Used by the library checks to render every template without data: one binding with every
parameter present and one with only what binding would produce from required parameters and
defaults. Every variable parameter gets its own columns of the first type it accepts, so
``distinct_from`` always holds.
"""

from __future__ import annotations

from typing import Any

from ss_core.domain.dataset import Column, ColumnType, DatasetSchema
from ss_core.library.meta import ParamSpec, ParamType, TemplateMeta


def column_type(spec: ParamSpec) -> ColumnType:
    return spec.var_types[0] if spec.var_types else ColumnType.NUMERIC


def varlist_size(spec: ParamSpec) -> int:
    low = max(spec.min_count or 0, 1)
    return min(low, spec.max_count) if spec.max_count is not None else low


def _number(spec: ParamSpec) -> int | float:
    if spec.default is not None:
        value: int | float = spec.default
    elif spec.minimum is not None:
        value = spec.minimum
    elif spec.maximum is not None:
        value = min(spec.maximum, 1)
    else:
        value = 1
    return int(value) if spec.type is ParamType.INTEGER else value


def sample_value(spec: ParamSpec) -> Any:
    """A valid value for a non-variable parameter (its default when it has one)."""
    match spec.type:
        case ParamType.NUMBER | ParamType.INTEGER:
            return _number(spec)
        case ParamType.CHOICE:
            return spec.default if spec.default is not None else spec.choices[0]
        case ParamType.BOOL:
            return bool(spec.default) if spec.default is not None else False
        case ParamType.TEXT:
            return spec.default if spec.default is not None else "Sample title"
    raise ValueError(f"{spec.name} is a variable parameter")


def _columns(spec: ParamSpec) -> list[Column]:
    kind = column_type(spec)
    if spec.type is ParamType.VAR:
        return [Column(name=f"v_{spec.name}", original_name=spec.name, type=kind)]
    return [
        Column(name=f"v_{spec.name}_{i}", original_name=f"{spec.name} {i}", type=kind)
        for i in range(1, varlist_size(spec) + 1)
    ]


def sample_bindings(meta: TemplateMeta) -> list[tuple[str, DatasetSchema, dict[str, Any]]]:
    """``(label, schema, values)`` for the "all" and "required-only" bindings."""
    columns: list[Column] = []
    full: dict[str, Any] = {}
    minimal: dict[str, Any] = {}
    for spec in meta.parameters:
        if spec.is_variable:
            cols = _columns(spec)
            columns.extend(cols)
            names = tuple(c.name for c in cols)
            value: Any = names[0] if spec.type is ParamType.VAR else names
        else:
            value = sample_value(spec)
        full[spec.name] = value
        if spec.required or spec.default is not None:
            minimal[spec.name] = value
    schema = DatasetSchema(columns=tuple(columns), row_count=100)
    return [("all", schema, full), ("required-only", schema, minimal)]
