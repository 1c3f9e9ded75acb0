"""Data shapes real data has, decided from the upload's facts (never from the data itself).

Three shapes need generated Stata code before a template body can use a column, and the
binding must know about them so that what the draft calls ready also runs:

- a ``date`` column bound where a template asks for an integer period (``time``): converted
  to the period of its detected frequency (``yofd``/``qofd``/``mofd``...), or to a gap-free
  sequence when a time-series template gets daily, weekly or clock-time data;
- a ``string`` column bound where a template asks for an integer id and also accepts
  strings (the panel unit): encoded, its values kept as value labels;
- numbers stored as text bound where a number is asked for: converted to numbers.

A parameter also may declare ``nested_in`` (a cluster variable must be constant within the
panel unit): the upload's nesting facts say whether it is; when it is not, the binding turns
on the template's declared ``nonest_flag`` or refuses with a reason that names the way out.

``plan`` is deterministic and depends only on the template's parameters, the bound values
and the schema, so the draft, the freeze and the renderer all see the same conversions.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from typing import Any

import msgspec

from ss_core.domain.dataset import Column, ColumnType, DatasetSchema, DateFrequency, DateUnit
from ss_core.library.meta import ParamSpec, ParamType

NUMBER_TYPES = (ColumnType.NUMERIC, ColumnType.INTEGER)


class ConversionKind(enum.StrEnum):
    DATE_PERIOD = "date_period"
    ENCODE = "encode"
    NUMERIC_TEXT = "numeric_text"


class PeriodRule(enum.StrEnum):
    """How a date column becomes the integer period a template's ``tsset``/``xtset`` gets."""

    KEEP = "keep"  # already the period (a .dta %tm/%tq/%ty... or a daily panel)
    YEAR = "yofd"
    HALF = "hofd"
    QUARTER = "qofd"
    MONTH = "mofd"
    WEEK = "week"  # floor(days / 7): consecutive weeks differ by one
    SEQUENCE = "sequence"  # dense rank of the distinct values: gap-free


class Conversion(msgspec.Struct, frozen=True, kw_only=True):
    """One column converted in place before the template body runs."""

    column: str
    kind: ConversionKind
    params: tuple[str, ...]
    rule: PeriodRule | None = None
    display_format: str | None = None  # Stata display format of the converted period
    note: str = ""


_CALENDAR_RULES: dict[DateFrequency, tuple[PeriodRule, str]] = {
    DateFrequency.YEARLY: (PeriodRule.YEAR, "%ty"),
    DateFrequency.HALFYEARLY: (PeriodRule.HALF, "%th"),
    DateFrequency.QUARTERLY: (PeriodRule.QUARTER, "%tq"),
    DateFrequency.MONTHLY: (PeriodRule.MONTH, "%tm"),
}


def fits(spec: ParamSpec, column: Column) -> bool:
    """Whether ``column`` may fill ``spec``: its own type, or a shape the house converts."""
    if not spec.var_types:
        return True
    if any(column.type.satisfies(t) for t in spec.var_types):
        return True
    text = column.numeric_text
    if column.type is ColumnType.STRING and text is not None:
        return ColumnType.NUMERIC in spec.var_types or (
            ColumnType.INTEGER in spec.var_types and text.integer)
    return False


def _period(column: Column, time_series: bool) -> tuple[PeriodRule, str]:
    facts = column.date
    if facts is None:  # a schema from before frequencies were detected: rank, whatever the unit
        return PeriodRule.SEQUENCE, "%9.0g"
    if facts.unit is not DateUnit.TD and facts.unit is not DateUnit.TC:
        return PeriodRule.KEEP, f"%{facts.unit.value}"
    if facts.frequency in _CALENDAR_RULES:
        return _CALENDAR_RULES[facts.frequency]
    if facts.frequency is DateFrequency.WEEKLY:
        return PeriodRule.WEEK, "%9.0g"
    if facts.frequency is DateFrequency.DAILY and not time_series:
        return PeriodRule.KEEP, "%td"
    return PeriodRule.SEQUENCE, "%9.0g"


_PERIOD_NOTES = {
    PeriodRule.KEEP: "used as it is",
    PeriodRule.YEAR: "converted to years",
    PeriodRule.HALF: "converted to half-years",
    PeriodRule.QUARTER: "converted to quarters",
    PeriodRule.MONTH: "converted to months",
    PeriodRule.WEEK: "converted to consecutive week numbers",
    PeriodRule.SEQUENCE: "replaced by a gap-free sequence 1, 2, 3... in date order",
}


def _conversion(spec: ParamSpec, column: Column, time_series: bool) -> Conversion | None:
    if column.type is ColumnType.DATE and ColumnType.DATE in spec.var_types:
        rule, fmt = _period(column, time_series)
        frequency = column.date.frequency.value if column.date else "date"
        return Conversion(column=column.name, kind=ConversionKind.DATE_PERIOD,
                          params=(spec.name,), rule=rule, display_format=fmt,
                          note=f"{column.name} holds {frequency} dates; "
                               f"{_PERIOD_NOTES[rule]} for the time index")
    if column.type is not ColumnType.STRING:
        return None
    text = column.numeric_text
    wants_number = any(t in NUMBER_TYPES or t is ColumnType.BINARY for t in spec.var_types)
    if text is not None and wants_number and ColumnType.STRING not in spec.var_types:
        marks = ", ".join(text.marks)
        extra = " (percentages kept in percentage points)" if "percent" in text.marks else ""
        return Conversion(column=column.name, kind=ConversionKind.NUMERIC_TEXT,
                          params=(spec.name,),
                          note=f"{column.name} holds numbers stored as text ({marks}); "
                               f"converted to numbers{extra}")
    if ColumnType.INTEGER in spec.var_types and ColumnType.STRING in spec.var_types:
        return Conversion(column=column.name, kind=ConversionKind.ENCODE, params=(spec.name,),
                          note=f"{column.name} is text; encoded as numbers 1..N with its "
                               "values kept as labels")
    return None


def _names(spec: ParamSpec, value: Any) -> tuple[str, ...]:
    if spec.type is ParamType.VAR and isinstance(value, str):
        return (value,)
    if spec.type is ParamType.VARLIST and isinstance(value, tuple | list):
        return tuple(v for v in value if isinstance(v, str))
    return ()


def plan(
    params: Sequence[ParamSpec],
    values: Mapping[str, Any],
    schema: DatasetSchema,
    *,
    data_shape: str = "any",
) -> tuple[Conversion, ...]:
    """The in-place conversions the bound values need, one per column, in parameter order."""
    time_series = data_shape == "time_series"
    found: dict[str, Conversion] = {}
    for spec in params:
        for name in _names(spec, values.get(spec.name)):
            column = schema.column(name)
            if column is None:
                continue
            conversion = _conversion(spec, column, time_series)
            if conversion is None:
                continue
            if name in found:
                known = found[name]
                if known.kind is conversion.kind and spec.name not in known.params:
                    found[name] = msgspec.structs.replace(
                        known, params=(*known.params, spec.name))
                continue
            found[name] = conversion
    return tuple(found.values())


class NestingProblem(msgspec.Struct, frozen=True, kw_only=True):
    """A bound column that varies within the unit it must be nested in."""

    param: str
    column: str
    unit_param: str
    unit_column: str
    flag: str | None  # the bool parameter that relaxes it, if the template has one

    @property
    def reason(self) -> str:
        return (f"{self.column} varies within {self.unit_column} (the panel unit), so it is "
                f"not nested in it; cluster by {self.unit_column} or by a variable that is "
                "constant within each unit, or choose a template that absorbs the unit "
                "(e.g. panel_hdfe_reghdfe)")


def nesting_problems(
    params: Sequence[ParamSpec], values: Mapping[str, Any], schema: DatasetSchema
) -> tuple[NestingProblem, ...]:
    """Bound columns the upload showed are not constant within their declared unit."""
    problems: list[NestingProblem] = []
    by_name = {p.name: p for p in params}
    for spec in params:
        if spec.nested_in is None or spec.nested_in not in by_name:
            continue
        mine, unit = values.get(spec.name), values.get(spec.nested_in)
        if not isinstance(mine, str) or not isinstance(unit, str):
            continue
        column = schema.column(mine)
        if column is None or column.nested_in(unit, schema) is not False:
            continue
        flag = spec.nonest_flag if spec.nonest_flag in by_name else None
        problems.append(NestingProblem(param=spec.name, column=mine, unit_param=spec.nested_in,
                                       unit_column=unit, flag=flag))
    return tuple(problems)


def notes(
    params: Sequence[ParamSpec],
    values: Mapping[str, Any],
    sources: Mapping[str, str],
    schema: DatasetSchema,
    *,
    data_shape: str = "any",
) -> tuple[str, ...]:
    """What the generated code will do to the data, in words, for the draft to show."""
    found = [c.note for c in plan(params, values, schema, data_shape=data_shape)]
    for spec in params:
        flag = spec.nonest_flag
        if flag and sources.get(flag) == "data" and values.get(flag) is True:
            unit = values.get(spec.nested_in or "")
            found.append(f"{values.get(spec.name)} varies within {unit} (the panel unit): "
                         "standard errors are clustered without requiring panels nested in "
                         "clusters (nonest, with the full degrees-of-freedom adjustment)")
    return tuple(n for n in found if n)


YEAR_ROLES = ("treat_time", "treatment_period")


def period_problems(
    params: Sequence[ParamSpec], values: Mapping[str, Any], schema: DatasetSchema,
    *, data_shape: str = "any",
) -> tuple[tuple[str, str], ...]:
    """``(param, reason)`` for a date ``time`` that becomes a non-yearly period while the
    template also compares it with a year (first treated period): the two would not match."""
    year_params = [p.name for p in params if p.role in YEAR_ROLES
                   and values.get(p.name) not in (None, "", (), [])]
    if not year_params:
        return ()
    problems: list[tuple[str, str]] = []
    for spec in params:
        name = values.get(spec.name)
        column = schema.column(name) if spec.role == "time" and isinstance(name, str) else None
        if column is None or column.type is not ColumnType.DATE:
            continue
        conversion = _conversion(spec, column, data_shape == "time_series")
        yearly = column.date is not None and column.date.frequency is DateFrequency.YEARLY
        if conversion is not None and not yearly:
            frequency = column.date.frequency.value if column.date else "undetected"
            problems.append((spec.name, (
                f"{name} holds {frequency} dates, but {', '.join(year_params)} is a year; "
                "use a yearly time variable (e.g. a year column) so the periods match")))
    return tuple(problems)
