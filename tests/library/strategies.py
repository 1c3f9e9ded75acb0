"""Hypothesis strategies: a valid dataset schema and parameter binding for any template meta."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from ss_core.domain.dataset import Column, ColumnType, DatasetSchema
from ss_core.library.meta import ParamSpec, ParamType, TemplateMeta
from ss_core.stata.names import is_valid_stata_name

NAMES = st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,15}", fullmatch=True).filter(is_valid_stata_name)
SAFE_TEXT = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABC 0123456789-_.,:;()%回归结果表",
                    min_size=1, max_size=40).filter(lambda s: s.strip())


def _types_for(spec: ParamSpec) -> list[ColumnType]:
    wanted = spec.var_types or (ColumnType.NUMERIC,)
    return [t for t in ColumnType if any(t.satisfies(w) for w in wanted)]


@st.composite
def _number(draw: st.DrawFn, spec: ParamSpec) -> int | float:
    low = spec.minimum if spec.minimum is not None else -1e6
    high = spec.maximum if spec.maximum is not None else 1e6
    if spec.type is ParamType.INTEGER:
        return draw(st.integers(int(-(-low // 1)), int(high // 1)))
    return draw(st.floats(low, high, allow_nan=False, allow_infinity=False))


def _scalar(spec: ParamSpec) -> st.SearchStrategy[Any]:
    match spec.type:
        case ParamType.NUMBER | ParamType.INTEGER:
            return _number(spec)
        case ParamType.CHOICE:
            return st.sampled_from(spec.choices)
        case ParamType.BOOL:
            return st.booleans()
        case _:
            limit = spec.max_length or 40
            return SAFE_TEXT.map(lambda s: s[:limit].strip() or "t")


@st.composite
def bindings(draw: st.DrawFn, meta: TemplateMeta) -> tuple[DatasetSchema, dict[str, Any]]:
    """A schema whose columns satisfy every variable parameter, and values bound to it.

    Optional parameters are present or absent; absent ones with a default take the default
    (as binding does). Every variable parameter gets its own columns, so distinct_from holds.
    """
    taken: set[str] = set()
    columns: list[Column] = []

    def fresh_column(spec: ParamSpec) -> str:
        name = draw(NAMES.filter(lambda n: n.lower() not in taken))
        taken.add(name.lower())
        kind = draw(st.sampled_from(_types_for(spec)))
        columns.append(Column(name=name, original_name=name, type=kind))
        return name

    values: dict[str, Any] = {}
    needed = {r for p in meta.parameters for r in p.requires}  # partners of a bound parameter
    for spec in meta.parameters:
        present = spec.required or spec.name in needed or draw(st.booleans())
        if not present:
            if spec.default is not None:
                values[spec.name] = spec.default
            continue
        if spec.type is ParamType.VAR:
            values[spec.name] = fresh_column(spec)
        elif spec.type is ParamType.VARLIST:
            low = max(spec.min_count or 0, 1)
            high = max(low, min(spec.max_count or 6, 6))
            count = draw(st.integers(low, high))
            values[spec.name] = tuple(fresh_column(spec) for _ in range(count))
        else:
            values[spec.name] = draw(_scalar(spec))
    for _ in range(draw(st.integers(0, 3))):
        fresh_column(ParamSpec(name="extra", type=ParamType.VAR, required=False,
                               description=meta.title))
    order = draw(st.permutations(columns))
    return DatasetSchema(columns=tuple(order), row_count=draw(st.integers(1, 10_000))), values
