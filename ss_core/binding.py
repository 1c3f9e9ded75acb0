"""The binding contract: template parameters x draft roles x user overrides x dataset schema.

``bind`` is pure and total. For each parameter it takes the first source that has a value:
the user's override, then the draft role the parameter binds from, then the meta default.
It never binds a column that is not in the schema or whose type the parameter rejects; a
required parameter that gets no valid value is either *missing* (no source had a value) or
*invalid* (a source had a value that failed validation). Candidates are offered for both.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

import msgspec

from ss_core import data_shapes
from ss_core.domain.dataset import Column, DatasetSchema
from ss_core.library.house_options import GROUP_OF, unsupported_reason
from ss_core.library.meta import ParamSpec, ParamType
from ss_core.stata.names import is_valid_stata_name
from ss_core.stata.values import UnsafeText, clean_text

BoundValue = str | int | float | bool | tuple[str, ...]

MAX_CANDIDATES = 25


class MissingParam(msgspec.Struct, frozen=True, kw_only=True):
    param: str
    type: str
    role: str | None
    description: str
    candidates: tuple[str, ...] = ()


class InvalidParam(msgspec.Struct, frozen=True, kw_only=True):
    param: str
    value: Any
    reason: str
    source: str
    candidates: tuple[str, ...] = ()


class BindingContract(msgspec.Struct, frozen=True, kw_only=True):
    """The outcome of binding: values per parameter plus everything that blocks a freeze."""

    bound: dict[str, BoundValue]
    sources: dict[str, str]
    missing_required: tuple[MissingParam, ...]
    invalid: tuple[InvalidParam, ...]
    required: tuple[str, ...]
    optional: tuple[str, ...]

    @property
    def complete(self) -> bool:
        return not self.missing_required and not self.invalid


class _Invalid(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def candidates_for(
    spec: ParamSpec, schema: DatasetSchema, exclude: frozenset[str] = frozenset(),
    *, nested_unit: str | None = None,
) -> tuple[str, ...]:
    """Columns (or choices) that could fill ``spec``, leaving out the columns ``exclude`` and,
    given ``nested_unit``, the columns the upload showed vary within that unit column."""
    if spec.type is ParamType.CHOICE:
        return spec.choices
    if not spec.is_variable:
        return ()
    fits = [c.name for c in schema.columns if _type_ok(spec, c) and c.name not in exclude
            and (nested_unit is None or c.nested_in(nested_unit, schema) is not False)]
    return tuple(fits[:MAX_CANDIDATES])


def nested_unit_of(spec: ParamSpec, bound: Mapping[str, Any]) -> str | None:
    """The column ``spec``'s column must be nested in (its ``nested_in`` parameter's value)."""
    unit = bound.get(spec.nested_in) if spec.nested_in else None
    return unit if isinstance(unit, str) else None


def _type_ok(spec: ParamSpec, column: Column) -> bool:
    return data_shapes.fits(spec, column)


def _column(spec: ParamSpec, raw: Any, schema: DatasetSchema) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise _Invalid("expected a column name")
    column = schema.resolve(raw.strip())
    if column is None:
        raise _Invalid(f"column {raw!r} is not in the dataset")
    if not is_valid_stata_name(column.name):
        raise _Invalid(f"column {column.name!r} is not a valid Stata name")
    if not _type_ok(spec, column):
        wanted = "/".join(t.value for t in spec.var_types)
        raise _Invalid(f"column {column.name!r} is {column.type.value}, expected {wanted}")
    return column.name


def _as_list(raw: Any) -> list[Any]:
    if isinstance(raw, str):
        return [part for part in re.split(r"[\s,]+", raw.strip()) if part]
    if isinstance(raw, list | tuple):
        return list(raw)
    raise _Invalid("expected a list of column names")


def _varlist(spec: ParamSpec, raw: Any, schema: DatasetSchema) -> tuple[str, ...]:
    names: list[str] = []
    for item in _as_list(raw):
        name = _column(spec, item, schema)
        if name not in names:
            names.append(name)
    if spec.min_count is not None and len(names) < spec.min_count:
        raise _Invalid(f"needs at least {spec.min_count} column(s), got {len(names)}")
    if spec.max_count is not None and len(names) > spec.max_count:
        raise _Invalid(f"takes at most {spec.max_count} column(s), got {len(names)}")
    return tuple(names)


MAX_EXACT_INTEGER = 2**53  # Stata numbers are doubles: whole numbers beyond this are not exact


def is_finite_number(value: int | float) -> bool:
    """Whether Stata can hold ``value`` (a huge int overflows a double: not finite here)."""
    if isinstance(value, int):
        return abs(value) <= MAX_EXACT_INTEGER
    return math.isfinite(value)


def _number(spec: ParamSpec, raw: Any) -> int | float:
    if isinstance(raw, bool):
        raise _Invalid("expected a number, got a boolean")
    value: int | float
    if isinstance(raw, int | float):
        value = raw
    elif isinstance(raw, str):
        try:
            value = float(raw.strip())
        except ValueError:
            raise _Invalid(f"{raw!r} is not a number") from None
    else:
        raise _Invalid("expected a number")
    if not is_finite_number(value):
        raise _Invalid("expected a finite number of at most 2^53 in magnitude")
    if spec.type is ParamType.INTEGER:
        if float(value) != int(value):
            raise _Invalid(f"{value} is not a whole number")
        value = int(value)
    if spec.minimum is not None and value < spec.minimum:
        raise _Invalid(f"{value} is below the minimum {spec.minimum}")
    if spec.maximum is not None and value > spec.maximum:
        raise _Invalid(f"{value} is above the maximum {spec.maximum}")
    return value


def _bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.strip().lower() in {"true", "yes", "1", "false", "no", "0"}:
        return raw.strip().lower() in {"true", "yes", "1"}
    if isinstance(raw, int) and raw in (0, 1):
        return bool(raw)
    raise _Invalid("expected true or false")


def _text(spec: ParamSpec, raw: Any) -> str:
    if not isinstance(raw, str):
        raise _Invalid("expected text")
    try:
        text = clean_text(raw)
    except UnsafeText as exc:
        raise _Invalid(exc.reason) from None
    limit = spec.max_length or 244
    if len(text) > limit:
        raise _Invalid(f"text is longer than {limit} characters")
    return text


def coerce(spec: ParamSpec, raw: Any, schema: DatasetSchema) -> BoundValue:
    """Validate one raw value for ``spec``; raises ``_Invalid`` with a reason."""
    match spec.type:
        case ParamType.VAR:
            if isinstance(raw, list | tuple):
                if len(raw) != 1:
                    raise _Invalid("expected exactly one column")
                raw = raw[0]
            return _column(spec, raw, schema)
        case ParamType.VARLIST:
            return _varlist(spec, raw, schema)
        case ParamType.NUMBER | ParamType.INTEGER:
            return _number(spec, raw)
        case ParamType.CHOICE:
            if not isinstance(raw, str) or raw not in spec.choices:
                raise _Invalid(f"expected one of {list(spec.choices)}")
            return raw
        case ParamType.BOOL:
            return _bool(raw)
        case ParamType.TEXT:
            return _text(spec, raw)
    raise _Invalid(f"unknown parameter type {spec.type}")  # pragma: no cover


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, list | tuple) and not value)


def _sources(
    spec: ParamSpec, roles: Mapping[str, Any], overrides: Mapping[str, Any]
) -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    if spec.name in overrides and not _is_empty(overrides[spec.name]):
        found.append(("override", overrides[spec.name]))
    if spec.role and not _is_empty(roles.get(spec.role)):
        found.append(("draft", roles[spec.role]))
    if spec.default is not None:
        found.append(("default", spec.default))
    return found


def conflicts_of(spec: ParamSpec, params: Sequence[ParamSpec]) -> frozenset[str]:
    """The parameters that may not share a column with ``spec``, in either direction."""
    mine = set(_must_differ(spec, params))
    mine |= {p.name for p in params if spec.name in _must_differ(p, params)}
    return frozenset(mine - {spec.name})


def _must_differ(spec: ParamSpec, params: Sequence[ParamSpec]) -> tuple[str, ...]:
    """Declared ``distinct_from`` plus the implied rule: no column parameter may reuse the
    outcome (the outcome as its own regressor, group, cluster... is never meant)."""
    if not spec.is_variable or spec.role == "outcome":
        return spec.distinct_from
    outcomes = tuple(p.name for p in params
                     if p.role == "outcome" and p.is_variable and p.name not in spec.distinct_from)
    return (*spec.distinct_from, *outcomes)


def _distinct_problems(
    params: Sequence[ParamSpec], bound: dict[str, BoundValue]
) -> dict[str, str]:
    problems: dict[str, str] = {}
    for spec in params:
        mine = bound.get(spec.name)
        if mine is None:
            continue
        mine_set = set(mine) if isinstance(mine, tuple) else {mine}
        for other in _must_differ(spec, params):
            theirs = bound.get(other)
            if theirs is None:
                continue
            theirs_set = set(theirs) if isinstance(theirs, tuple) else {theirs}
            overlap = sorted(str(v) for v in mine_set & theirs_set)
            if overlap:
                problems[spec.name] = f"must not include {', '.join(overlap)} (used by {other})"
    return problems


def bind(
    params: Sequence[ParamSpec],
    roles: Mapping[str, Any],
    overrides: Mapping[str, Any],
    schema: DatasetSchema,
) -> BindingContract:
    """Bind every parameter; see the module doc for the rules."""
    bound: dict[str, BoundValue] = {}
    sources: dict[str, str] = {}
    invalid: list[InvalidParam] = []
    for spec in params:
        for source, raw in _sources(spec, roles, overrides):
            try:
                value = coerce(spec, raw, schema)
            except _Invalid as exc:
                invalid.append(InvalidParam(param=spec.name, value=_jsonable(raw),
                                            reason=exc.reason, source=source,
                                            candidates=candidates_for(spec, schema)))
                break
            if _is_empty(value):
                continue
            bound[spec.name] = value
            sources[spec.name] = source
            break
    for name, reason in _distinct_problems(params, bound).items():
        spec = next(p for p in params if p.name == name)
        invalid.append(InvalidParam(param=name, value=_jsonable(bound.pop(name)), reason=reason,
                                    source=sources.pop(name),
                                    candidates=candidates_for(spec, schema)))
    invalid.extend(_unsupported(params, overrides))
    invalid.extend(_nesting(params, bound, sources, schema))
    invalid.extend(_periods(params, bound, sources, schema))
    invalid_names = {i.param for i in invalid}
    needed = {r for p in params if p.name in bound for r in p.requires}
    missing = tuple(
        MissingParam(param=p.name, type=p.type.value, role=p.role, description=p.description.en,
                     candidates=candidates_for(p, schema))
        for p in params
        if (p.required or p.name in needed) and p.name not in bound
        and p.name not in invalid_names
    )
    return BindingContract(
        bound=bound,
        sources=sources,
        missing_required=missing,
        invalid=tuple(invalid),
        required=tuple(p.name for p in params if p.required),
        optional=tuple(p.name for p in params if not p.required),
    )


def _unsupported(
    params: Sequence[ParamSpec], overrides: Mapping[str, Any]
) -> list[InvalidParam]:
    """A value for a house option the template does not declare (its command cannot take
    it) is refused, never dropped: the user asked for something the run would not do."""
    declared = {p.name for p in params}
    return [InvalidParam(param=name, value=_jsonable(overrides[name]),
                         reason=unsupported_reason(name), source="override")
            for name in sorted(GROUP_OF)
            if name not in declared and not _is_empty(overrides.get(name))]


def _nesting(
    params: Sequence[ParamSpec], bound: dict[str, BoundValue], sources: dict[str, str],
    schema: DatasetSchema,
) -> list[InvalidParam]:
    """Columns the upload showed vary within their declared unit: switch the template's
    ``nonest_flag`` on (source ``data``), or refuse the binding with the way out."""
    invalid: list[InvalidParam] = []
    for problem in data_shapes.nesting_problems(params, bound, schema):
        if problem.flag is not None and sources.get(problem.flag) != "override":
            bound[problem.flag] = True
            sources[problem.flag] = "data"
        if problem.flag is not None and bound.get(problem.flag) is True:
            continue
        spec = next(p for p in params if p.name == problem.param)
        invalid.append(InvalidParam(param=problem.param, value=bound.pop(problem.param),
                                    reason=problem.reason, source=sources.pop(problem.param),
                                    candidates=candidates_for(
                                        spec, schema, nested_unit=problem.unit_column)))
    return invalid


def _periods(
    params: Sequence[ParamSpec], bound: dict[str, BoundValue], sources: dict[str, str],
    schema: DatasetSchema,
) -> list[InvalidParam]:
    """A date ``time`` whose period would not match a year the template compares it with."""
    invalid: list[InvalidParam] = []
    for name, reason in data_shapes.period_problems(params, bound, schema):
        spec = next(p for p in params if p.name == name)
        value = bound.pop(name)
        invalid.append(InvalidParam(param=name, value=value, reason=reason,
                                    source=sources.pop(name),
                                    candidates=candidates_for(spec, schema,
                                                              frozenset({str(value)}))))
    return invalid


def _jsonable(raw: Any) -> Any:
    if isinstance(raw, tuple):
        return list(raw)
    if isinstance(raw, str | int | float | bool | list) or raw is None:
        return raw
    return repr(raw)
