"""Ask the LLM to interpret the results, and publish only what is grounded.

The LLM sees the structured results (the result tables, each row numbered), never the log,
and answers a JSON Schema: findings that cite the cells their numbers come from, caveats and
next steps. The answer is checked (``grounding.check`` and ``wording.check_wording``); one
repair round feeds the violations back; an answer still in violation is refused, and so is
an LLM that fails: the report then says the interpretation was omitted and why.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec

from ss_core.errors import SSError
from ss_core.ports.llm import LLM, LLMTrace, StructuredRequest
from ss_core.reporting.grounding import Interpretation, Violation, check
from ss_core.reporting.tables import ResultTable, shown
from ss_core.reporting.wording import CAUSAL_DESIGN_FAMILIES, check_wording

ATTEMPTS = 2
PROMPT_TABLES = 8
PROMPT_ROWS = 40
MAX_FINDINGS = 6

SYSTEM = {
    "en": (
        "You interpret the results of a Stata analysis for a researcher, in English. Use only "
        "the result tables given. Every number you write must be copied from a table cell, "
        "and that cell must be cited in the same finding as {table, row, column, value}, "
        "value written exactly as in your text. Write counts and years in words or leave them "
        "out; do not compute new numbers (no differences, ratios or percentages). When you "
        "call a result significant, state the level or the p-value. {causal}"
    ),
    "zh": (
        "你为研究者用中文解读一次 Stata 分析的结果。只使用给出的结果表。你写出的每一个数字都必须"
        "从表格单元格中照抄，并在同一条发现中以 {table, row, column, value} 引用该单元格，value "
        "与正文中的写法完全一致。不要写出计数或年份数字，不要计算新的数字（差值、比率、百分比）。"
        "说结果显著时，必须写明所用的显著性水平或 p 值。{causal}"
    ),
}
CAUSAL_RULE = {
    ("en", False): "This design is descriptive or associational: never claim causation.",
    ("en", True): "Causal language is allowed only as far as the design's assumptions hold; "
                  "name them in a caveat.",
    ("zh", False): "本分析只能说明相关关系，不得作出因果结论。",
    ("zh", True): "只能在识别假设成立的范围内使用因果表述，并在注意事项中说明这些假设。",
}


class Published(msgspec.Struct, frozen=True, kw_only=True, tag="published"):
    interpretation: Interpretation
    model: str


class Omitted(msgspec.Struct, frozen=True, kw_only=True, tag="omitted"):
    reason: str
    violations: tuple[Violation, ...] = ()


InterpretationOutcome = Published | Omitted


def answer_schema(tables: Sequence[ResultTable]) -> dict[str, Any]:
    columns = sorted({c for t in tables for c in t.columns})
    text = {"type": "string", "minLength": 1, "maxLength": 600}
    citation = {
        "type": "object", "additionalProperties": False,
        "required": ["table", "row", "column", "value"],
        "properties": {
            "table": {"type": "string", "enum": [t.name for t in tables]},
            "row": {"type": "integer", "minimum": 1, "maximum": 10_000},
            "column": {"type": "string", "enum": columns},
            "value": {"type": "string", "minLength": 1, "maxLength": 32},
        },
    }
    return {
        "type": "object", "additionalProperties": False,
        "required": ["findings", "caveats", "next_steps"],
        "properties": {
            "findings": {"type": "array", "minItems": 1, "maxItems": MAX_FINDINGS, "items": {
                "type": "object", "additionalProperties": False,
                "required": ["text", "citations"],
                "properties": {"text": text,
                               "citations": {"type": "array", "maxItems": 8,
                                             "items": citation}}}},
            "caveats": {"type": "array", "maxItems": 4, "items": text},
            "next_steps": {"type": "array", "maxItems": 4, "items": text},
        },
    }


def results_prompt(requirement: str, title: str, tables: Sequence[ResultTable]) -> str:
    lines = [f"Request: {requirement[:1500]}", f"Analysis: {title}", ""]
    for table in tables:
        lines.append(f"Table {table.name} ({table.caption}); columns: "
                     + ", ".join(table.columns))
        for i, row in enumerate(table.rows[:PROMPT_ROWS], start=1):
            cells = "; ".join(f"{c}={shown(v)}" for c, v in zip(table.columns, row, strict=False)
                              if v.strip())
            lines.append(f"  row {i}: {cells}")
        lines.append("")
    return "\n".join(lines)


async def interpret(llm: LLM, *, requirement: str, title: str, family: str, language: str,
                    tables: Sequence[ResultTable]) -> tuple[InterpretationOutcome,
                                                            list[LLMTrace]]:
    """The grounded interpretation, or why it was omitted; plus every call's trace."""
    tables = [t for t in tables if t.rows][:PROMPT_TABLES]
    if not tables:
        return Omitted(reason=_say(language, "no_results")), []
    causal = family in CAUSAL_DESIGN_FAMILIES
    system = SYSTEM[language].replace("{causal}", CAUSAL_RULE[(language, causal)])
    prompt = results_prompt(requirement, title, tables)
    traces: list[LLMTrace] = []
    violations: list[Violation] = []
    for _attempt in range(ATTEMPTS):
        request = StructuredRequest(
            operation="interpret", system=system, schema=answer_schema(tables),
            schema_name="ss_interpretation", max_tokens=1500,
            prompt=prompt + _repair_note(violations))
        try:
            answer = await llm.complete_json(request)
        except SSError as exc:
            return Omitted(reason=_say(language, "llm_failed", code=exc.error_code)), traces
        traces.extend(answer.traces)
        try:
            candidate = msgspec.convert(answer.data, Interpretation)
        except msgspec.ValidationError as exc:
            violations = [Violation(where="answer", reason=str(exc))]
            continue
        violations = check(candidate, tables) + check_wording(candidate, family)
        if not violations:
            return Published(interpretation=candidate, model=answer.model), traces
    return Omitted(reason=_say(language, "ungrounded"), violations=tuple(violations)), traces


def _repair_note(violations: Sequence[Violation]) -> str:
    if not violations:
        return ""
    listed = "\n".join(f"- {v.where}: {v.reason}" for v in violations[:20])
    return ("\n\nYour previous answer was rejected for these reasons; answer again, fixing "
            "every one of them:\n" + listed)


_MESSAGES = {
    "no_results": {"en": "the run produced no numeric results to interpret",
                   "zh": "本次运行没有可供解读的数值结果"},
    "llm_failed": {"en": "the language model could not be reached ({code})",
                   "zh": "无法调用语言模型（{code}）"},
    "ungrounded": {"en": "the language model's interpretation cited numbers that are not in "
                         "the results or broke the wording rules, so it was not published",
                   "zh": "语言模型的解读引用了结果中不存在的数字或违反了表述规则，因此未予发布"},
}


def _say(language: str, key: str, **values: str) -> str:
    return _MESSAGES[key][language].format(**values)
