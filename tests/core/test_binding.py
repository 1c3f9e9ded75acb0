from hypothesis import given, settings
from hypothesis import strategies as st

from ss_core import data_shapes
from ss_core.binding import bind
from ss_core.domain.dataset import Column, ColumnType, DatasetSchema
from ss_core.library.meta import Bilingual, ParamSpec, ParamType
from tests.core.strategies import param_specs, raw_values, schemas

DESC = Bilingual(en="d", zh="d")


@st.composite
def binding_cases(draw):
    schema = draw(schemas())
    specs = draw(param_specs())
    values = raw_values(schema)
    roles = {s.role: draw(values) for s in specs if s.role and draw(st.booleans())}
    overrides = {s.name: draw(values) for s in specs if draw(st.booleans())}
    return specs, roles, overrides, schema


@settings(max_examples=120)
@given(binding_cases())
def test_never_binds_a_missing_or_wrongly_typed_column(case):
    specs, roles, overrides, schema = case
    contract = bind(specs, roles, overrides, schema)
    for spec in specs:
        if spec.name not in contract.bound or not spec.is_variable:
            continue
        value = contract.bound[spec.name]
        names = value if isinstance(value, tuple) else (value,)
        for name in names:
            column = schema.column(name)
            assert column is not None
            if spec.var_types:
                # its own type, or numbers stored as text where a number is asked for
                assert any(column.type.satisfies(t) for t in spec.var_types) or (
                    column.numeric_text is not None and data_shapes.fits(spec, column))


@settings(max_examples=120)
@given(binding_cases())
def test_missing_is_exactly_the_unbound_required_set(case):
    specs, roles, overrides, schema = case
    contract = bind(specs, roles, overrides, schema)
    invalid = {i.param for i in contract.invalid}
    unbound_required = {s.name for s in specs if s.required and s.name not in contract.bound}
    assert {m.param for m in contract.missing_required} == unbound_required - invalid
    assert contract.complete == (not unbound_required and not invalid)


@settings(max_examples=80)
@given(binding_cases())
def test_binding_is_deterministic(case):
    specs, roles, overrides, schema = case
    assert bind(specs, roles, overrides, schema) == bind(specs, roles, overrides, schema)


SCHEMA = DatasetSchema(row_count=3, columns=(
    Column(name="wage", original_name="工资", type=ColumnType.NUMERIC),
    Column(name="name", original_name="name", type=ColumnType.STRING),
    Column(name="educ", original_name="educ", type=ColumnType.INTEGER),
))
OUTCOME = ParamSpec(name="depvar", type=ParamType.VAR, role="outcome", required=True,
                    var_types=(ColumnType.NUMERIC,), description=DESC)


def test_freeze_rejects_string_column_for_numeric_outcome():
    contract = bind([OUTCOME], {"outcome": "name"}, {}, SCHEMA)
    [invalid] = contract.invalid
    assert invalid.param == "depvar" and "string" in invalid.reason
    assert set(invalid.candidates) == {"wage", "educ"}


def test_override_beats_draft_and_original_names_resolve():
    contract = bind([OUTCOME], {"outcome": "educ"}, {"depvar": "工资"}, SCHEMA)
    assert contract.bound == {"depvar": "wage"} and contract.sources == {"depvar": "override"}


def test_missing_required_offers_typed_candidates():
    contract = bind([OUTCOME], {}, {}, SCHEMA)
    [missing] = contract.missing_required
    assert missing.param == "depvar" and set(missing.candidates) == {"wage", "educ"}


def test_unknown_variable_is_invalid_not_silently_dropped():
    controls = ParamSpec(name="controls", type=ParamType.VARLIST, role="controls",
                         required=False, description=DESC)
    contract = bind([controls], {"controls": ["educ", "nope"]}, {}, SCHEMA)
    assert contract.bound == {} and contract.invalid[0].reason.startswith("column 'nope'")


def test_distinct_from_keeps_controls_apart_from_outcome():
    controls = ParamSpec(name="controls", type=ParamType.VARLIST, role="controls",
                         required=False, distinct_from=("depvar",), description=DESC)
    contract = bind([OUTCOME, controls], {"outcome": "wage", "controls": ["wage", "educ"]}, {},
                    SCHEMA)
    assert "controls" not in contract.bound
    assert contract.invalid[0].param == "controls"


def test_text_values_lose_quotes_and_reject_macro_characters():
    title = ParamSpec(name="title", type=ParamType.TEXT, required=False, description=DESC)
    ok = bind([title], {}, {"title": 'Women\'s "wages"'}, SCHEMA)
    assert ok.bound["title"] == "Women\u2019s \u201dwages\u201d"
    bad = bind([title], {}, {"title": "x `shell rm'"}, SCHEMA)
    assert bad.invalid and "title" not in bad.bound


def test_numbers_respect_bounds_and_integrality():
    level = ParamSpec(name="level", type=ParamType.INTEGER, required=False, default=95,
                      minimum=50, maximum=99, description=DESC)
    assert bind([level], {}, {}, SCHEMA).bound == {"level": 95}
    assert bind([level], {}, {"level": "90"}, SCHEMA).bound == {"level": 90}
    assert bind([level], {}, {"level": 99.5}, SCHEMA).invalid
    assert bind([level], {}, {"level": float("nan")}, SCHEMA).invalid
