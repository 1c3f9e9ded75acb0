"""An interpretation is published only when every number it writes is a cited results cell
(issue: the results report cannot invent a number)."""

from __future__ import annotations

import asyncio

import msgspec
from hypothesis import given
from hypothesis import strategies as st

from ss_core.errors import LLMError
from ss_core.reporting.grounding import Citation, Finding, Interpretation, check
from ss_core.reporting.interpretation import Omitted, Published, interpret
from ss_core.reporting.numbers import agrees, find_numbers
from ss_core.reporting.tables import read_table
from ss_core.reporting.wording import check_wording
from tests.doubles.schema_llm import SchemaLLM

RESULTS = read_table("ss_results.csv", (
    b"step,term,estimate,std_error,statistic,p_value,ci_lower,ci_upper,n_obs,r2\n"
    b"main,x1,2.051593,0.054857,37.3992,0.000012,1.943,2.159,300,0.833333\n"
    b"main,x2,0.514729,0.061,8.438,0.2301,0.394,0.635,300,0.833333\n"))


def finding(text: str, *cites: tuple[int, str, str]) -> Finding:
    return Finding(text=text, citations=tuple(
        Citation(table="ss_results.csv", row=row, column=col, value=value)
        for row, col, value in cites))


def answer(*findings: Finding, caveats: tuple[str, ...] = ()) -> Interpretation:
    return Interpretation(findings=findings, caveats=caveats)


def test_a_number_cited_at_its_shown_precision_is_grounded():
    ok = answer(finding("x1 has a coefficient of 2.05 (SE 0.0549), p < 0.001.",
                        (1, "estimate", "2.05"), (1, "std_error", "0.0549"),
                        (1, "p_value", "0.000012")))
    assert check(ok, [RESULTS]) == []


def test_a_wrongly_rounded_or_invented_number_is_refused():
    wrong = answer(finding("The coefficient is 2.06.", (1, "estimate", "2.06")))
    assert "but the cell is" in check(wrong, [RESULTS])[0].reason
    invented = answer(finding("The coefficient is 2.05, about 3.1 times x2.",
                              (1, "estimate", "2.05")))
    [problem] = check(invented, [RESULTS])
    assert "3.1" in problem.reason


def test_numbers_hidden_in_chinese_text_or_full_width_digits_are_found():
    assert check(answer(finding("系数为2.05，样本量为４００。", (1, "estimate", "2.05"))),
                 [RESULTS])[0].reason.startswith("writes 400")
    assert check(answer(finding("系数为2.05。", (1, "estimate", "2.05"))), [RESULTS]) == []


def test_names_with_digits_are_not_numbers_and_levels_are_allowed_as_such():
    text = "x1 is significant at the 5% level; 在1%的水平上显著; x2 is not."
    assert check(answer(finding(text)), [RESULTS]) == []
    assert check(answer(finding("x1 rose by 5%.")), [RESULTS])  # 5% as an effect: refused


def test_a_threshold_must_be_true_of_a_cited_p_value():
    true = finding("x1 is significant (p < 0.01).", (1, "p_value", "0.000012"))
    false = finding("x2 is significant (p < 0.01).", (2, "p_value", "0.2301"))
    assert check(answer(true), [RESULTS]) == []
    assert check(answer(false), [RESULTS])


def test_citations_must_name_existing_numeric_cells():
    bad = [finding("Here.", (9, "n_obs", "300")), finding("x", (1, "term", "1")),
           Finding(text="t", citations=(Citation(table="other.csv", row=1, column="x",
                                                 value="1"),))]
    assert len(check(answer(*bad), [RESULTS])) == 3


def test_caveats_may_only_repeat_cited_numbers():
    ok = answer(finding("N is 300.", (1, "n_obs", "300")), caveats=("300 observations.",))
    assert check(ok, [RESULTS]) == []
    assert check(answer(finding("N is 300.", (1, "n_obs", "300")),
                        caveats=("Only 250 were complete.",)), [RESULTS])


def test_wording_rules_causality_and_significance_level():
    causal = answer(finding("Education causes higher wages."))
    assert check_wording(causal, "ols") and not check_wording(causal, "did")
    assert check_wording(answer(finding("The effect is significant.")), "ols")
    assert not check_wording(answer(finding("Significant at the 5% level.")), "ols")
    assert not check_wording(answer(finding("x2 is not significant.")), "ols")
    assert check_wording(answer(finding("教育导致工资上升。")), "descriptive")


cells = [float(c) for row in RESULTS.rows for c in row[2:]]
shown_numbers = st.sampled_from(cells).flatmap(
    lambda v: st.integers(0, 6).map(lambda d: f"{v:.{d}f}"))
any_numbers = st.floats(-1e4, 1e4, allow_nan=False).flatmap(
    lambda v: st.integers(0, 5).map(lambda d: f"{v:.{d}f}"))
words = st.sampled_from(["the estimate is", "系数为", "and", "x1", "with SE", "样本", ";"])
texts = st.lists(st.one_of(words, shown_numbers, any_numbers), min_size=1, max_size=8).map(
    " ".join)
citations = st.builds(Citation, table=st.just("ss_results.csv"), row=st.integers(1, 3),
                      column=st.sampled_from(list(RESULTS.columns)),
                      value=st.one_of(shown_numbers, any_numbers))
findings = st.builds(Finding, text=texts, citations=st.lists(citations, max_size=3).map(tuple))
answers = st.builds(Interpretation, findings=st.lists(findings, min_size=1, max_size=3).map(
    tuple), caveats=st.lists(texts, max_size=2).map(tuple))


@given(answers)
def test_a_published_interpretation_never_holds_a_number_absent_from_the_results(candidate):
    llm = SchemaLLM()
    llm.interpretations = [_builtins(candidate), _builtins(candidate)]
    outcome, _ = asyncio.run(interpret(llm, requirement="r", title="t", family="ols",
                                       language="en", tables=[RESULTS]))
    if isinstance(outcome, Published):
        published = outcome.interpretation
        for text in [f.text for f in published.findings] + list(published.caveats):
            for number in find_numbers(text):
                assert any(agrees(number, raw) for raw in cells), (text, number)
    else:
        assert isinstance(outcome, Omitted) and outcome.violations


def _builtins(value: Interpretation) -> dict:
    return msgspec.json.decode(msgspec.json.encode(value))


def test_a_lying_answer_is_repaired_once_then_refused():
    lie = {"findings": [{"text": "The coefficient is 7.5.", "citations": []}],
           "caveats": [], "next_steps": []}
    truth = {"findings": [{"text": "The coefficient of x1 is 2.0516.", "citations": [
        {"table": "ss_results.csv", "row": 1, "column": "estimate", "value": "2.0516"}]}],
        "caveats": [], "next_steps": []}
    llm = SchemaLLM()
    llm.interpretations = [lie, truth]
    outcome, traces = asyncio.run(interpret(llm, requirement="r", title="t", family="ols",
                                            language="en", tables=[RESULTS]))
    assert isinstance(outcome, Published) and len(traces) == 2
    assert "7.5" in llm.calls[1].prompt and "rejected" in llm.calls[1].prompt
    llm = SchemaLLM()
    llm.interpretations = [lie, lie]
    outcome, _ = asyncio.run(interpret(llm, requirement="r", title="t", family="ols",
                                       language="zh", tables=[RESULTS]))
    assert isinstance(outcome, Omitted) and "未予发布" in outcome.reason
    assert any("7.5" in v.reason for v in outcome.violations)


def test_an_unreachable_llm_means_the_interpretation_is_omitted_with_the_reason():
    class Down(SchemaLLM):
        async def complete_json(self, request):
            raise LLMError("down", code="LLM_TIMEOUT", traces=[])
    outcome, _ = asyncio.run(interpret(Down(), requirement="r", title="t", family="ols",
                                       language="en", tables=[RESULTS]))
    assert isinstance(outcome, Omitted) and "LLM_TIMEOUT" in outcome.reason
