"""examples/embed_core.py runs the journey through ss_core with user-supplied ports."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from ss_core.errors import SSError
from tests.doubles.csv_inspector import CsvInspector
from tests.doubles.inprocess_stata import InProcessStata
from tests.doubles.memory_object_store import MemoryObjectStore
from tests.doubles.memory_repositories import MemoryRepositories
from tests.doubles.schema_llm import SchemaLLM

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "embed_core.py"
WAGES = b"wage,educ,firm\n10.5,12,1\n12.0,16,2\n9.0,10,1\n"


def _example():
    spec = importlib.util.spec_from_file_location("embed_core", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    sys.modules["embed_core"] = module
    spec.loader.exec_module(module)
    return module


def _services(example, roles):
    repos, store = MemoryRepositories(), MemoryObjectStore()
    return example.build_services(
        jobs=repos.jobs, task_codes=repos.task_codes, tokens=repos.tokens, runs=repos.runs,
        artifacts=repos.artifacts, audit=repos.audit, store=store,
        inspector=CsvInspector(store), llm=SchemaLLM(roles=roles, choose="ols_robust"),
        runner=InProcessStata(store))


async def test_example_runs_the_journey_with_user_supplied_ports():
    example = _example()
    services = _services(example, {"outcome": "wage", "treatment": "educ", "cluster": "firm"})
    outcome = await example.analyse(services, dataset=WAGES, filename="wages.csv",
                                    requirement="OLS of wage on education, cluster by firm")
    assert outcome.status == "succeeded" and outcome.error is None
    assert outcome.template_id == "ols_robust" and outcome.rationale
    plan = json.loads(outcome.artifacts["plan/plan.json"])
    assert plan["plan_id"] == outcome.plan_id
    [do_file] = [p for p in outcome.artifacts if p.endswith("/job.do")]
    assert outcome.artifacts[do_file].decode().splitlines()[2] == f"* plan {outcome.plan_id}"
    assert any(p.endswith("/outputs/regression_table.csv") for p in outcome.artifacts)


async def test_example_surfaces_missing_parameters_then_accepts_them():
    example = _example()
    services = _services(example, {"treatment": "educ"})
    with pytest.raises(SSError) as err:
        await example.analyse(services, dataset=WAGES, filename="wages.csv",
                               requirement="OLS of wage on education")
    assert err.value.error_code == "PLAN_FREEZE_MISSING_REQUIRED"
    assert err.value.context["missing_params"] == ["depvar"]
    assert "wage" in err.value.context["missing_params_detail"][0]["candidates"]
    outcome = await example.analyse(services, dataset=WAGES, filename="wages.csv",
                                    requirement="OLS of wage on education",
                                    params={"depvar": "wage"})
    assert outcome.status == "succeeded"
