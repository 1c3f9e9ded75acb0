"""Is an interpretation grounded in the results? Every number it writes must be a cell.

An interpretation is a list of findings, each citing the cells its numbers come from
(table, 1-based row, column, the value as written). It is grounded when

- every citation names an existing numeric cell and its value agrees with that cell at the
  precision written (``numbers.agrees``);
- every number written in a finding agrees with one of that finding's cited cells, and every
  number in a caveat or next step with a cell cited anywhere in the answer;
- the only other numbers are significance or confidence levels written as such ("at the 5%
  level", "在 5% 的水平上", "95% confidence interval") from the conventional set, or a
  threshold a cited p-value really satisfies ("p < 0.01").

``check`` lists every violation (empty means publishable); it never repairs anything.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import msgspec

from ss_core.reporting.numbers import WrittenNumber, agrees, find_numbers, normalise, parse_written
from ss_core.reporting.tables import ResultTable, as_number

LEVELS = frozenset({1.0, 5.0, 10.0, 90.0, 95.0, 99.0})
THRESHOLDS = frozenset({0.001, 0.01, 0.05, 0.1})
_LEVEL_AFTER = re.compile(
    r"^\s*(?:的)?\s*(?:significance\s+|confidence\s+|统计)?"
    r"(?:level|significance|confidence|显著性?水平|水平|置信|显著)", re.IGNORECASE)
_LEVEL_BEFORE = re.compile(
    r"(?:level|significance|confidence|显著性?水平|置信水平|置信度|显著性)\s*(?:of|at|为|是|:|：)?\s*$",
    re.IGNORECASE)
_COMPARISON_BEFORE = re.compile(r"(?:<|<=|≤|＜|小于|低于)\s*$")


class Citation(msgspec.Struct, frozen=True, kw_only=True):
    table: str
    row: int
    column: str
    value: str


class Finding(msgspec.Struct, frozen=True, kw_only=True):
    text: str
    citations: tuple[Citation, ...] = ()


class Interpretation(msgspec.Struct, frozen=True, kw_only=True):
    findings: tuple[Finding, ...]
    caveats: tuple[str, ...] = ()
    next_steps: tuple[str, ...] = ()


class Violation(msgspec.Struct, frozen=True, kw_only=True):
    where: str
    reason: str


def check(answer: Interpretation, tables: Sequence[ResultTable]) -> list[Violation]:
    by_name = {t.name: t for t in tables}
    violations: list[Violation] = []
    all_cells: list[float] = []
    per_finding: list[list[float]] = []
    for i, finding in enumerate(answer.findings, start=1):
        cells = []
        for citation in finding.citations:
            raw, problem = _cited_value(citation, by_name)
            if problem:
                violations.append(Violation(where=f"finding {i}", reason=problem))
                continue
            assert raw is not None
            cells.append(raw)
        per_finding.append(cells)
        all_cells.extend(cells)
    for i, (finding, cells) in enumerate(zip(answer.findings, per_finding, strict=True),
                                         start=1):
        violations += _text_numbers(f"finding {i}", finding.text, cells)
    for label, texts in (("caveat", answer.caveats), ("next step", answer.next_steps)):
        for i, text in enumerate(texts, start=1):
            violations += _text_numbers(f"{label} {i}", text, all_cells)
    return violations


def _cited_value(citation: Citation, tables: dict[str, ResultTable]
                 ) -> tuple[float | None, str | None]:
    table = tables.get(citation.table)
    where = f"{citation.table} row {citation.row} column {citation.column!r}"
    if table is None:
        return None, f"cites {citation.table!r}, which is not a results table"
    raw = as_number(table.cell(citation.row, citation.column))
    if raw is None:
        return None, f"cites {where}, which is not a numeric cell"
    written = parse_written(citation.value)
    if written is None:
        return None, f"cites {where} with {citation.value!r}, which is not one number"
    if not agrees(written, raw):
        return None, f"cites {where} as {citation.value}, but the cell is {raw:g}"
    return raw, None


def _text_numbers(where: str, text: str, cells: Iterable[float]) -> list[Violation]:
    cells = list(cells)
    norm = normalise(text)
    problems = []
    for number in find_numbers(norm):
        if any(agrees(number, raw) for raw in cells):
            continue
        if _is_level(number, norm) or _is_true_threshold(number, norm, cells):
            continue
        problems.append(Violation(
            where=where, reason=f"writes {number.text}, which is not a cited results cell"))
    return problems


def _is_level(number: WrittenNumber, text: str) -> bool:
    if not number.percent or number.value not in LEVELS:
        return False
    return bool(_LEVEL_AFTER.match(text[number.end:number.end + 30])
                or _LEVEL_BEFORE.search(text[max(0, number.start - 30):number.start]))


def _is_true_threshold(number: WrittenNumber, text: str, cells: list[float]) -> bool:
    """``p < 0.05`` is allowed when a cited cell (a p-value) is really below it."""
    if number.percent or number.value not in THRESHOLDS:
        return False
    if not _COMPARISON_BEFORE.search(text[max(0, number.start - 6):number.start]):
        return False
    return any(0.0 <= raw < number.value for raw in cells)
