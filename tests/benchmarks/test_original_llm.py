"""The LLM double for the original SS answers each kind of its prompts with the JSON shape
that prompt asks for, choosing among what the prompt offers."""

from __future__ import annotations

import json

import httpx

from tests.doubles.llm_server import ScriptedLLMServer
from tests.doubles.original_llm import answer, reply


def test_family_selection_prefers_a_listed_linear_family() -> None:
    got = answer("TASK: Select families\nATTEMPT: 1\n"
                 "CANONICAL_FAMILY_IDS: descriptive, linear_regression, panel\n\nRULES:")
    assert got["families"][0]["family_id"] == "linear_regression"
    assert got["analysis_sequence"] == ["linear_regression"] and got["schema_version"] == 2
    only = answer("CANONICAL_FAMILY_IDS: descriptive, panel")
    assert only["families"][0]["family_id"] == "descriptive"


def test_template_selection_picks_a_listed_candidate() -> None:
    got = answer("TASK: x\nCANDIDATE_TEMPLATE_IDS: T07, T01\nCANDIDATE_TOKEN_BUDGET: 10")
    assert got["primary_template_id"] == "T07" and got["supplementary_templates"] == []


def test_draft_names_only_offered_columns() -> None:
    prompt = ('REQUIREMENT:\nOLS\n\nCOLUMN_CANDIDATES (use exact names when possible):\n'
              '["id", "wage", "educ", "firm"]\n\nOUTPUT_SCHEMA (v2):\n{"outcome_var": "x"}')
    got = answer(prompt)
    assert (got["outcome_var"], got["treatment_var"], got["cluster_var"]) == (
        "wage", "educ", "firm")
    assert got["controls"] == []  # exper was not offered


def test_other_prompts_get_an_empty_object_over_the_chat_wire() -> None:
    with ScriptedLLMServer(default=reply) as server:
        r = httpx.post(f"{server.openai_base_url}/chat/completions", json={
            "model": "m", "messages": [{"role": "user", "content": "Plan the steps."}]})
    assert json.loads(r.json()["choices"][0]["message"]["content"]) == {}
