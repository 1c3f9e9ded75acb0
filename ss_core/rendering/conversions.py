"""Generated Stata code for the data-shape conversions ``ss_core.data_shapes.plan`` decides.

Every conversion works in place on one column, so the template body and its outputs keep the
user's variable names: a date becomes the integer period its frequency calls for (with the
matching display format), a text unit id is encoded (its values kept as value labels), numbers
stored as text become numbers. The code is built only from our own constants and column names
that are re-checked against the Stata name rule and the schema; no cell value ever appears.
"""

from __future__ import annotations

from collections.abc import Sequence

from ss_core.data_shapes import Conversion, ConversionKind, PeriodRule
from ss_core.domain.dataset import DatasetSchema
from ss_core.errors import RenderError
from ss_core.stata.names import is_valid_stata_name

HEADER = "* ---- data shapes (generated from the upload's facts; do not edit) ----"
# Decorations stripped from numbers stored as text, after NFKC (full-width -> ASCII).
_STRIP = (",", "%", "¥", "€", "£", "元", " ")
_DISPLAY_FORMATS = frozenset({"%td", "%tc", "%tw", "%tm", "%tq", "%th", "%ty", "%9.0g"})
_CALENDAR = {PeriodRule.YEAR, PeriodRule.HALF, PeriodRule.QUARTER, PeriodRule.MONTH}


def _checked(name: str, schema: DatasetSchema) -> str:
    if not is_valid_stata_name(name) or schema.column(name) is None:
        raise RenderError(f"column {name!r} cannot be converted: not a column of the dataset",
                          column=name)
    return name


def _keep_label(new: str, old: str) -> list[str]:
    return [f'mata: st_varlabel("`{new}\'", st_varlabel("{old}"))', f"drop {old}",
            f"rename `{new}' {old}"]


def _period(c: Conversion, col: str) -> list[str]:
    rule = c.rule or PeriodRule.KEEP
    fmt = c.display_format or "%9.0g"
    if fmt not in _DISPLAY_FORMATS:
        raise RenderError(f"display format {fmt!r} is not one the house writes", column=col)
    lines: list[str] = []
    if rule in _CALENDAR:
        lines.append(f"quietly replace {col} = {rule.value}({col})")
    elif rule is PeriodRule.WEEK:
        lines.append(f"quietly replace {col} = floor({col} / 7)")
    elif rule is PeriodRule.SEQUENCE:
        lines += ["tempvar ss_seq", f"quietly egen long `ss_seq' = group({col})",
                  f"quietly replace {col} = `ss_seq'", "drop `ss_seq'"]
    lines.append(f"format {col} {fmt}")
    return lines


def _encode(col: str) -> list[str]:
    return [
        "tempvar ss_enc",
        f"capture encode {col}, generate(`ss_enc')",
        "if _rc {",
        f"    quietly egen long `ss_enc' = group({col})",
        f'    display as text "note: {col} has too many distinct values for value labels; '
        'coded 1..N in sort order"',
        "}",
        *_keep_label("ss_enc", col),
    ]


def _numeric_text(col: str) -> list[str]:
    expr = f'ustrnormalize({col}, "nfkc")'
    for mark in _STRIP:
        expr = f'usubinstr({expr}, "{mark}", "", .)'
    expr = f"usubinstr({expr}, char(36), \"\", .)"
    return [
        "tempvar ss_num",
        f"quietly generate double `ss_num' = real({expr})",
        f"quietly count if missing(`ss_num') & !missing({col})",
        "if r(N) > 0 {",
        f'    display as text "note: " r(N) " value(s) of {col} are not numbers; set to missing"',
        "}",
        *_keep_label("ss_num", col),
    ]


def conversion_lines(conversions: Sequence[Conversion], schema: DatasetSchema) -> list[str]:
    """The do-file lines for ``conversions`` (none when there is nothing to convert)."""
    if not conversions:
        return []
    lines = [HEADER]
    for c in conversions:
        col = _checked(c.column, schema)
        lines.append(f"* {c.kind.value}: {col} (for {', '.join(c.params)})")
        if c.kind is ConversionKind.DATE_PERIOD:
            lines += _period(c, col)
        elif c.kind is ConversionKind.ENCODE:
            lines += _encode(col)
        else:
            lines += _numeric_text(col)
    return lines
