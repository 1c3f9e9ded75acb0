"""Data shapes at bind and render time: dates bind to ``time`` and become periods, text unit
ids are encoded, numbers stored as text are converted, clusters not nested in the unit switch
xtreg's ``nonest`` on or block with the way out; all by generated code from typed facts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ss_core import data_shapes
from ss_core.binding import bind
from ss_core.domain.dataset import (
    Column,
    ColumnType,
    DatasetSchema,
    DateFacts,
    DateFrequency,
    DateUnit,
    NumericText,
)
from ss_core.library.loader import load_library
from ss_core.rendering.renderer import render
from ss_core.rendering.safety import scan

LIBRARY = load_library(Path(__file__).resolve().parents[2] / "assets" / "stata_do_library",
                       check_index=False)


def schema(*, day: DateFacts | None = None, industry_nested: bool = False) -> DatasetSchema:
    within_units = ("firm", "city")
    return DatasetSchema(
        row_count=100,
        nesting_units=within_units,
        columns=(
            Column(name="firm", original_name="firm", type=ColumnType.INTEGER,
                   constant_within=("firm",)),
            Column(name="city", original_name="城市", type=ColumnType.STRING,
                   constant_within=("firm", "city")),
            Column(name="date", original_name="日期", type=ColumnType.DATE,
                   date=day or DateFacts(frequency=DateFrequency.MONTHLY, unit=DateUnit.TD),
                   constant_within=()),
            Column(name="year", original_name="year", type=ColumnType.INTEGER,
                   constant_within=()),
            Column(name="industry", original_name="行业", type=ColumnType.INTEGER,
                   constant_within=("firm", "city") if industry_nested else ("firm",)),
            Column(name="y", original_name="y", type=ColumnType.NUMERIC),
            Column(name="revenue", original_name="营业收入", type=ColumnType.STRING,
                   numeric_text=NumericText(marks=("currency", "thousands"), integer=True)),
        ),
    )


ROLES = {"outcome": "y", "regressors": ["revenue"], "unit_id": "city", "time": "date",
         "cluster": "industry"}


def _bind_render(template_id: str, roles: dict[str, object], data: DatasetSchema) -> str:
    template = LIBRARY.get(template_id)
    contract = bind(template.meta.parameters, roles, {}, data)
    assert contract.complete, (contract.missing_required, contract.invalid)
    return render(template, contract.bound, data, plan_id="p").text


def test_panel_fe_binds_date_text_id_and_numbers_as_text() -> None:
    text = _bind_render("panel_fixed_effects", ROLES, schema(industry_nested=True))
    body_at = text.index("* ---- template body ----")
    shapes_at = text.index("* ---- data shapes")
    assert text.index("use \"primary.dta\"") < shapes_at < body_at
    shapes = text[shapes_at:body_at]
    assert "quietly replace date = mofd(date)\nformat date %tm" in shapes
    assert "capture encode city, generate(`ss_enc')" in shapes
    assert "rename `ss_enc' city" in shapes
    assert "rename `ss_num' revenue" in shapes
    assert "local cluster_nonest 0" in text  # nested cluster: plain vce(cluster)
    assert "nonest dfadj" not in text
    assert "营业收入" not in text and "城市" not in text  # no user text reaches the code
    assert scan(text) == []


def test_cluster_not_nested_switches_nonest_on() -> None:
    template = LIBRARY.get("panel_fixed_effects")
    data = schema()
    contract = bind(template.meta.parameters, ROLES, {}, data)
    assert contract.complete
    assert contract.bound["cluster_nonest"] is True
    assert contract.sources["cluster_nonest"] == "data"
    text = render(template, contract.bound, data, plan_id="p").text
    assert "local vceopt vce(cluster `clustvar') nonest dfadj" in text


def test_cluster_not_nested_blocks_random_effects_with_the_way_out() -> None:
    template = LIBRARY.get("panel_random_effects")
    contract = bind(template.meta.parameters, ROLES, {}, schema())
    assert not contract.complete
    (problem,) = contract.invalid
    assert problem.param == "clustvar"
    assert "varies within city" in problem.reason and "panel_hdfe_reghdfe" in problem.reason
    assert "industry" not in problem.candidates and "firm" not in problem.candidates
    assert "city" in problem.candidates


def test_unknown_nesting_does_not_block() -> None:
    template = LIBRARY.get("panel_random_effects")
    data = schema()
    unknown = DatasetSchema(row_count=data.row_count, columns=data.columns, nesting_units=())
    contract = bind(template.meta.parameters, ROLES, {}, unknown)
    assert contract.complete


@pytest.mark.parametrize(("facts", "shape", "expected"), [
    (DateFacts(frequency=DateFrequency.YEARLY, unit=DateUnit.TD), "panel",
     "quietly replace date = yofd(date)\nformat date %ty"),
    (DateFacts(frequency=DateFrequency.QUARTERLY, unit=DateUnit.TD), "panel",
     "quietly replace date = qofd(date)\nformat date %tq"),
    (DateFacts(frequency=DateFrequency.DAILY, unit=DateUnit.TD), "panel", "format date %td"),
    (DateFacts(frequency=DateFrequency.DAILY, unit=DateUnit.TD), "time_series",
     "quietly egen long `ss_seq' = group(date)"),
    (DateFacts(frequency=DateFrequency.WEEKLY, unit=DateUnit.TD), "panel",
     "quietly replace date = floor(date / 7)"),
    (DateFacts(frequency=DateFrequency.DATETIME, unit=DateUnit.TC), "panel",
     "quietly egen long `ss_seq' = group(date)"),
    (DateFacts(frequency=DateFrequency.MONTHLY, unit=DateUnit.TM), "time_series",
     "format date %tm"),
])
def test_period_rule_per_frequency(facts: DateFacts, shape: str, expected: str) -> None:
    template_id = "arima_model" if shape == "time_series" else "panel_twoway_fe"
    roles = {**ROLES, "outcome": "y", "regressors": ["y"]} if shape == "panel" else {
        "outcome": "y", "time": "date"}
    if shape == "panel":
        roles = {"outcome": "y", "regressors": ["revenue"], "unit_id": "firm", "time": "date"}
    text = _bind_render(template_id, roles, schema(day=facts))
    assert expected in text
    assert scan(text) == []


def test_time_series_template_accepts_a_date() -> None:
    text = _bind_render("unit_root_tests", {"variables": ["y"], "time": "date"},
                        schema(day=DateFacts(frequency=DateFrequency.DAILY, unit=DateUnit.TD)))
    assert "quietly egen long `ss_seq' = group(date)" in text


# synth and synth_runner identify the treated unit by its number in the panel (trunit()), so a
# text id would need a name-to-code mapping the user sees; until then they take numeric ids.
NUMERIC_UNIT_ONLY = {"synthetic_control_synth", "synth_placebo_inference"}


def test_every_time_and_panel_template_accepts_dates_and_panels_text_ids() -> None:
    with_time = [t for t in LIBRARY if any(p.role == "time" for p in t.meta.parameters)]
    assert len(with_time) >= 17
    for template in with_time:
        for spec in template.meta.parameters:
            if spec.role == "time":
                assert ColumnType.DATE in spec.var_types, template.id
            if spec.role == "unit_id" and template.id not in NUMERIC_UNIT_ONLY:
                assert ColumnType.STRING in spec.var_types, template.id


def test_conversion_notes_say_what_happens() -> None:
    template = LIBRARY.get("panel_fixed_effects")
    data = schema()
    contract = bind(template.meta.parameters, ROLES, {}, data)
    notes = [c.note for c in data_shapes.plan(template.meta.parameters, contract.bound, data,
                                              data_shape="panel")]
    assert any("monthly dates" in n and "months" in n for n in notes)
    assert any("encoded" in n for n in notes)
    assert any("numbers stored as text" in n for n in notes)


_NAME = st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True)


@settings(max_examples=80, deadline=None)
@given(
    names=st.lists(_NAME, min_size=3, max_size=3, unique=True),
    frequency=st.sampled_from(list(DateFrequency)),
    unit=st.sampled_from(list(DateUnit)),
    marks=st.lists(st.sampled_from(["currency", "thousands", "percent", "fullwidth"]),
                   min_size=1, max_size=4, unique=True),
    template_id=st.sampled_from(["panel_fixed_effects", "panel_twoway_fe", "arima_model",
                                 "dynamic_panel_diff_gmm", "var_irf"]),
)
def test_generated_conversions_use_only_names_and_pass_the_scan(
    names: list[str], frequency: DateFrequency, unit: DateUnit, marks: list[str],
    template_id: str,
) -> None:
    """Whatever the facts, the conversion code holds only column names and house constants."""
    unit_name, time_name, text_name = names
    data = DatasetSchema(row_count=10, columns=(
        Column(name=unit_name, original_name="`rm -rf`", type=ColumnType.STRING),
        Column(name=time_name, original_name="$(evil)", type=ColumnType.DATE,
               date=DateFacts(frequency=frequency, unit=unit)),
        Column(name=text_name, original_name="x", type=ColumnType.STRING,
               numeric_text=NumericText(marks=tuple(sorted(marks)))),
        Column(name="yy", original_name="yy", type=ColumnType.NUMERIC),
    ))
    template = LIBRARY.get(template_id)
    roles = {"outcome": "yy", "regressors": [text_name], "unit_id": unit_name,
             "time": time_name, "variables": ["yy", text_name]}
    contract = bind(template.meta.parameters, roles, {}, data)
    if not contract.complete:
        return
    text = render(template, contract.bound, data, plan_id="p").text
    assert scan(text) == []
    shapes = text[text.index("* ---- data shapes"):text.index("* ---- template body ----")]
    words = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", shapes))
    assert "rm" not in words and "evil" not in words
    assert f"replace {time_name}" in shapes or f"format {time_name}" in shapes


def test_monthly_dates_with_a_treatment_year_block_and_yearly_dates_bind() -> None:
    template = LIBRARY.get("event_study_leads_lags")
    roles = {"outcome": "y", "unit_id": "firm", "time": "date", "treat_time": "year"}
    contract = bind(template.meta.parameters, roles, {}, schema())
    [problem] = contract.invalid
    assert problem.param == "time" and "monthly dates" in problem.reason
    assert "date" not in problem.candidates and "year" in problem.candidates
    yearly = schema(day=DateFacts(frequency=DateFrequency.YEARLY, unit=DateUnit.TD))
    assert bind(template.meta.parameters, roles, {}, yearly).complete


NESTED = sorted(t.id for t in LIBRARY
                if any(p.nested_in for p in t.meta.parameters))


@settings(max_examples=200, deadline=None)
@given(template_id=st.sampled_from(NESTED), data=st.data())
def test_a_ready_binding_never_clusters_across_units_without_nonest(
    template_id: str, data: st.DataObject
) -> None:
    """Bound and complete ⇒ the cluster is not known to vary within the unit, or the template's
    nonest flag is on; and a cluster known to vary never binds silently."""
    units = ("u1", "u2")
    clusters = ("c1", "c2", "c3")
    within = st.none() | st.lists(st.sampled_from(units), unique=True).map(tuple)
    columns = [Column(name=u, original_name=u, type=data.draw(st.sampled_from(
        [ColumnType.INTEGER, ColumnType.STRING])), constant_within=(u,)) for u in units]
    columns += [Column(name=c, original_name=c, type=ColumnType.INTEGER,
                       constant_within=data.draw(within)) for c in clusters]
    columns += [Column(name=n, original_name=n, type=ColumnType.NUMERIC)
                for n in ("y", "x", "t")]
    columns += [Column(name="yr", original_name="yr", type=ColumnType.INTEGER),
                Column(name="d", original_name="d", type=ColumnType.BINARY)]
    data_schema = DatasetSchema(columns=tuple(columns), row_count=50,
                                nesting_units=data.draw(st.sampled_from([units, ("u1",), ()])))
    roles = {"outcome": "y", "regressors": ["x"], "treatment": "d", "treated": "d",
             "post": "d", "treat_time": "yr", "time": "yr", "threshold": "t",
             "unit_id": data.draw(st.sampled_from(units)),
             "cluster": data.draw(st.sampled_from(clusters))}
    template = LIBRARY.get(template_id)
    contract = bind(template.meta.parameters, roles, {}, data_schema)
    spec = next(p for p in template.meta.parameters if p.nested_in)
    unit = contract.bound.get(spec.nested_in or "")
    column = data_schema.column(roles["cluster"])
    assert column is not None and isinstance(unit, str)
    varies = column.nested_in(unit, data_schema) is False
    flagged = bool(spec.nonest_flag and contract.bound.get(spec.nonest_flag) is True)
    if spec.name in contract.bound:
        assert not varies or flagged
    if varies:
        assert flagged or spec.name in {i.param for i in contract.invalid}
    if contract.complete:
        assert scan(render(template, contract.bound, data_schema, plan_id="p").text) == []
