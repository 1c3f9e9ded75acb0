"""Hypothesis strategies for datasets, parameter specs and drafts."""

from __future__ import annotations

from hypothesis import strategies as st

from ss_core.domain.dataset import (
    Column,
    ColumnType,
    DatasetSchema,
    DateFacts,
    DateFrequency,
    DateUnit,
    NumericText,
)
from ss_core.domain.roles import ROLES, RoleKind
from ss_core.library.meta import Bilingual, ParamSpec, ParamType
from ss_core.stata.names import normalize_names

header_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=40)
chinese = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5),
                  min_size=1, max_size=8)
headers = st.lists(st.one_of(header_text, chinese, st.sampled_from(
    ["wage", "Wage", "_n", "in", "str5", "1st", "x y", "a" * 40, "工资", ""])),
    min_size=1, max_size=30)


@st.composite
def schemas(draw: st.DrawFn, min_columns: int = 1) -> DatasetSchema:
    originals = draw(st.lists(st.one_of(header_text, chinese), min_size=min_columns,
                              max_size=12))
    names = normalize_names(originals)
    types = draw(st.lists(st.sampled_from(list(ColumnType)), min_size=len(names),
                          max_size=len(names)))
    units = tuple(draw(st.lists(st.sampled_from(names), max_size=3, unique=True)))
    columns = tuple(Column(name=n, original_name=o, type=t, **draw(shape_facts(t, units)))
                    for n, o, t in zip(names, originals, types, strict=True))
    return DatasetSchema(columns=columns, row_count=draw(st.integers(0, 10_000)),
                         nesting_units=units)


@st.composite
def shape_facts(draw: st.DrawFn, column_type: ColumnType, units: tuple[str, ...]) -> dict:
    """Upload-time facts a column of ``column_type`` may carry: a date's frequency and unit,
    numbers stored as text, the nesting units it is constant within (or unknown)."""
    facts: dict = {"constant_within": draw(st.none() | st.lists(
        st.sampled_from(units), unique=True).map(tuple)) if units else None}
    if column_type is ColumnType.DATE:
        facts["date"] = draw(st.none() | st.builds(
            DateFacts, frequency=st.sampled_from(list(DateFrequency)),
            unit=st.sampled_from(list(DateUnit))))
    if column_type is ColumnType.STRING:
        facts["numeric_text"] = draw(st.none() | st.builds(
            NumericText, marks=st.lists(st.sampled_from(
                ["currency", "fullwidth", "percent", "thousands"]), min_size=1,
                unique=True).map(lambda m: tuple(sorted(m))), integer=st.booleans()))
    return facts


DESC = Bilingual(en="a parameter", zh="参数")
param_names = st.from_regex(r"^[a-z][a-z0-9_]{0,8}$", fullmatch=True)


@st.composite
def param_specs(draw: st.DrawFn) -> list[ParamSpec]:
    names = draw(st.lists(param_names, min_size=1, max_size=6, unique=True))
    specs = []
    for name in names:
        ptype = draw(st.sampled_from(list(ParamType)))
        required = draw(st.booleans())
        kwargs: dict = {}
        if ptype in (ParamType.VAR, ParamType.VARLIST):
            kind = RoleKind.VARIABLE if ptype is ParamType.VAR else RoleKind.VARIABLES
            roles = [n for n, r in ROLES.items() if r.kind is kind]
            kwargs["role"] = draw(st.one_of(st.none(), st.sampled_from(roles)))
            kwargs["var_types"] = tuple(draw(st.lists(st.sampled_from(list(ColumnType)),
                                                      max_size=2, unique=True)))
            if ptype is ParamType.VARLIST:
                kwargs["min_count"] = draw(st.integers(0, 2))
                kwargs["max_count"] = kwargs["min_count"] + draw(st.integers(0, 4)) or 1
        elif ptype in (ParamType.NUMBER, ParamType.INTEGER):
            kwargs["minimum"] = draw(st.integers(-100, 0))
            kwargs["maximum"] = draw(st.integers(1, 100))
            if draw(st.booleans()):
                kwargs["default"] = draw(st.integers(kwargs["minimum"], kwargs["maximum"]))
        elif ptype is ParamType.CHOICE:
            kwargs["choices"] = tuple(draw(st.lists(st.from_regex(r"^[a-z]{1,6}$",
                                                                   fullmatch=True),
                                                     min_size=1, max_size=4, unique=True)))
            if draw(st.booleans()):
                kwargs["default"] = kwargs["choices"][0]
        elif ptype is ParamType.BOOL:
            if draw(st.booleans()):
                kwargs["default"] = draw(st.booleans())
        elif ptype is ParamType.TEXT and draw(st.booleans()):
            kwargs["default"] = "Title"
        specs.append(ParamSpec(name=name, type=ptype, description=DESC, required=required,
                               **kwargs))
    return specs


def raw_values(schema: DatasetSchema) -> st.SearchStrategy:
    """Arbitrary user/LLM values: real and unknown columns, numbers, text, lists."""
    names = list(schema.names) or ["x"]
    scalar = st.one_of(st.sampled_from(names), st.text(max_size=12), st.integers(-1000, 1000),
                       st.floats(allow_nan=True, allow_infinity=True), st.booleans(), st.none())
    return st.one_of(scalar, st.lists(st.one_of(st.sampled_from(names), st.text(max_size=8)),
                                      max_size=5))
