import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ss_core.binding import bind
from ss_core.domain.dataset import Column, ColumnType, DatasetSchema
from ss_core.errors import RenderError
from ss_core.library.meta import (
    Bilingual,
    Dependencies,
    Keywords,
    ParamSpec,
    ParamType,
    Template,
    TemplateMeta,
)
from ss_core.rendering.renderer import render
from ss_core.rendering.safety import scan

DESC = Bilingual(en="d", zh="d")
PARAMS = (
    ParamSpec(name="depvar", type=ParamType.VAR, role="outcome", required=True,
              var_types=(ColumnType.NUMERIC,), description=DESC),
    ParamSpec(name="controls", type=ParamType.VARLIST, role="controls", required=False,
              description=DESC),
    ParamSpec(name="level", type=ParamType.NUMBER, required=False, default=95, minimum=1,
              maximum=99.9, description=DESC),
    ParamSpec(name="method", type=ParamType.CHOICE, required=False, default="robust",
              choices=("robust", "cluster"), description=DESC),
    ParamSpec(name="fe", type=ParamType.BOOL, required=False, default=False, description=DESC),
    ParamSpec(name="title", type=ParamType.TEXT, required=False, default="Results",
              description=DESC),
)
BODY = """display as text "SS_STEP 1: model"
regress `depvar' `controls', level(`level')
{% if opt.method == "cluster" %}
display "cluster"
{% endif %}
{% if has.controls %}
display "controls: `controls'"
{% endif %}
{% if opt.fe %}
display "fe"
{% endif %}
display `title'
ss_coef "main" "`depvar'"
"""


def make_template(body: str = BODY) -> Template:
    meta = TemplateMeta(
        id="synthetic", version="1.0.0", family="ols", title=DESC, description=DESC,
        keywords=Keywords(en=("x",), zh=("x",)), parameters=PARAMS,
        dependencies=Dependencies(stata_min_version=14, builtin_commands=(), packages=()),
        outputs=(), do_file="template.do")
    return Template(meta=meta, source=body, content_sha256="0" * 64, path="templates/synthetic")


hostile_names = st.sampled_from(["shell", "net", "cd", "do", "run", "ssc", "x", "y_1", "_z"])


@st.composite
def schema_and_values(draw):
    names = draw(st.lists(hostile_names, min_size=1, max_size=6, unique=True))
    cols = tuple(Column(name=n, original_name=n, type=ColumnType.NUMERIC) for n in names)
    schema = DatasetSchema(columns=cols, row_count=10)
    overrides = {
        "depvar": draw(st.sampled_from(names)),
        "controls": draw(st.lists(st.sampled_from(names), max_size=3)),
        "level": draw(st.floats(1, 99.9)),
        "method": draw(st.sampled_from(["robust", "cluster"])),
        "fe": draw(st.booleans()),
        "title": draw(st.text(max_size=60)),
    }
    return schema, overrides


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(schema_and_values())
def test_every_valid_binding_renders_a_safe_deterministic_do_file(case):
    schema, overrides = case
    contract = bind(PARAMS, {}, overrides, schema)
    template = make_template()
    first = render(template, contract.bound, schema, plan_id="plan_x")
    second = render(template, contract.bound, schema, plan_id="plan_x")
    assert first.text == second.text and first.sha256 == second.sha256
    assert scan(first.text) == []


@settings(max_examples=300)
@given(st.text(max_size=120))
def test_hostile_text_never_escapes_its_compound_quotes(text):
    schema = DatasetSchema(columns=(Column(name="y", original_name="y",
                                           type=ColumnType.NUMERIC),), row_count=1)
    contract = bind(PARAMS, {}, {"depvar": "y", "title": text}, schema)
    if "title" not in contract.bound:
        assert any(i.param == "title" for i in contract.invalid)
        return
    rendered = render(make_template(), contract.bound, schema, plan_id="p").text
    [line] = [ln for ln in rendered.splitlines() if ln.startswith("local title")]
    match = re.fullmatch(r'local title `"(.*)"\'', line)
    assert match is not None
    inner = match.group(1)
    assert not re.search(r"[`$\\\"'{}]", inner)
    assert scan(rendered) == []


def test_absent_optional_values_leave_no_broken_syntax():
    schema = DatasetSchema(columns=(Column(name="y", original_name="y",
                                           type=ColumnType.NUMERIC),), row_count=1)
    contract = bind(PARAMS, {}, {"depvar": "y"}, schema)
    text = render(make_template(), contract.bound, schema, plan_id="p").text
    assert "local controls\n" in text
    assert 'display "controls:' not in text


def test_preamble_rejects_a_variable_not_in_the_schema():
    schema = DatasetSchema(columns=(Column(name="y", original_name="y",
                                           type=ColumnType.NUMERIC),), row_count=1)
    with pytest.raises(RenderError):
        render(make_template(), {"depvar": "z"}, schema, plan_id="p")


def test_expression_blocks_are_refused():
    schema = DatasetSchema(columns=(Column(name="y", original_name="y",
                                           type=ColumnType.NUMERIC),), row_count=1)
    with pytest.raises(RenderError):
        render(make_template(BODY + "{{ has }}\n"), {"depvar": "y"}, schema, plan_id="p")


def test_undeclared_parameter_reference_fails_strictly():
    schema = DatasetSchema(columns=(Column(name="y", original_name="y",
                                           type=ColumnType.NUMERIC),), row_count=1)
    with pytest.raises(RenderError):
        render(make_template("{% if has.nope %}\nx\n{% endif %}\n"), {"depvar": "y"}, schema,
               plan_id="p")


def test_sandbox_blocks_attribute_escape():
    schema = DatasetSchema(columns=(Column(name="y", original_name="y",
                                           type=ColumnType.NUMERIC),), row_count=1)
    body = "{% if has.__class__.__mro__ %}\nx\n{% endif %}\n"
    with pytest.raises(RenderError):
        render(make_template(body), {"depvar": "y"}, schema, plan_id="p")


def test_exemplar_template_renders_from_the_real_library():
    from ss_core.library.loader import load_library

    library = load_library(Path(__file__).resolve().parents[2] / "assets" / "stata_do_library")
    schema = DatasetSchema(row_count=5, columns=(
        Column(name="wage", original_name="工资", type=ColumnType.NUMERIC),
        Column(name="educ", original_name="educ", type=ColumnType.INTEGER)))
    tpl = library.get("ols_robust")
    contract = bind(tpl.meta.parameters, {"outcome": "wage", "treatment": "educ"}, {}, schema)
    assert contract.complete
    text = render(tpl, contract.bound, schema, plan_id="p").text
    assert "local depvar wage" in text and "vce(robust)" in text
