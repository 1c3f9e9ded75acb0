"""The operator smoke suite's plan and its judgements, without running anything.

``fixtures/smoke_plan.json`` says, per template id, which fixture dataset to bind, which
parameter values and draft roles to bind it with, and which results rows (step, term, column)
must match which expected value (a literal or a named estimate from ``fixtures/expected.json``)
within an absolute tolerance. Templates without expectations are run for success only.
This module decodes the plan, judges a batch log and compares ``ss_results.csv`` rows.
"""

from __future__ import annotations

import csv
import io
import math
import re
from typing import Any

import msgspec

from ss_core.rendering.house import DONE_MARKER

PLAN_FILE = "smoke_plan.json"
EXPECTED_FILE = "expected.json"
_RC_LINE = re.compile(r"^r\((\d+)\);$")


class Expectation(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    step: str
    term: str
    column: str = "estimate"
    value: float | None = None
    estimate: str | None = None
    tolerance: float = 1e-3


class SmokeCase(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    fixture: str
    params: dict[str, Any] = msgspec.field(default_factory=dict)
    roles: dict[str, Any] = msgspec.field(default_factory=dict)
    expect: tuple[Expectation, ...] = ()
    note: str = ""


class DataCase(SmokeCase, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """An extra case for one template on a fixture shaped as real data is (text ids, dates,
    unbalanced panels, clusters not nested in the unit), run after the template's own case."""

    template: str
    name: str


class SmokePlan(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    version: int
    templates: dict[str, SmokeCase]
    defaults: dict[str, SmokeCase] = msgspec.field(default_factory=dict)
    data_cases: tuple[DataCase, ...] = ()
    description: str = ""

    def data_cases_for(self, template_id: str) -> tuple[DataCase, ...]:
        return tuple(c for c in self.data_cases if c.template == template_id)

    def case_for(self, template_id: str, data_shape: str) -> tuple[SmokeCase | None, str]:
        """The case for a template and where it came from ("plan", "default" or "none")."""
        if template_id in self.templates:
            return self.templates[template_id], "plan"
        case = self.defaults.get(data_shape) or self.defaults.get("any")
        return case, "default" if case else "none"


class Fixture(msgspec.Struct, frozen=True, kw_only=True):
    file: str
    rows: int
    description: str = ""
    truth: dict[str, float] = msgspec.field(default_factory=dict)
    estimates: dict[str, float] = msgspec.field(default_factory=dict)


class ExpectedFile(msgspec.Struct, frozen=True, kw_only=True):
    seed: int
    fixtures: dict[str, Fixture]


class Comparison(msgspec.Struct, frozen=True, kw_only=True):
    step: str
    term: str
    column: str
    expected: float
    actual: float | None
    tolerance: float
    ok: bool


class LogVerdict(msgspec.Struct, frozen=True, kw_only=True):
    ok: bool
    rc: int | None
    reason: str


def decode_plan(data: bytes) -> SmokePlan:
    return msgspec.json.decode(data, type=SmokePlan)


def decode_expected(data: bytes) -> ExpectedFile:
    return msgspec.json.decode(data, type=ExpectedFile)


def plan_problems(plan: SmokePlan, expected: ExpectedFile) -> list[str]:
    """References in the plan that point nowhere (fixture names, estimate names)."""
    found = []
    cases: list[tuple[str, SmokeCase]] = [*sorted(plan.templates.items()),
                                          *sorted(plan.defaults.items())]
    cases += [(f"{c.template}@{c.name}", c) for c in plan.data_cases]
    names = [f"{c.template}@{c.name}" for c in plan.data_cases]
    found += [f"{n}: data case named twice" for n in sorted(set(names)) if names.count(n) > 1]
    for tid, case in cases:
        fixture = expected.fixtures.get(case.fixture)
        if fixture is None:
            found.append(f"{tid}: unknown fixture {case.fixture!r}")
            continue
        for exp in case.expect:
            if (exp.value is None) == (exp.estimate is None):
                found.append(f"{tid}: {exp.step}/{exp.term}: give exactly one of value/estimate")
            elif exp.estimate is not None and exp.estimate not in fixture.estimates:
                found.append(f"{tid}: unknown estimate {exp.estimate!r} of {case.fixture}")
    return found


def judge_log(text: str) -> LogVerdict:
    """Success iff the done marker was displayed and no ``r(N);`` follows the last command."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    trailing: int | None = None
    for line in reversed(lines):
        match = _RC_LINE.match(line)
        if match:
            trailing = int(match.group(1))
            break
        if line.startswith(". ") or line in (".", "end of do-file"):
            continue
        break
    if trailing is not None:
        return LogVerdict(ok=False, rc=trailing, reason=f"Stata stopped with r({trailing})")
    if DONE_MARKER not in lines:
        return LogVerdict(ok=False, rc=None, reason=f"{DONE_MARKER} never displayed")
    return LogVerdict(ok=True, rc=0, reason="")


def read_results(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _number(raw: str | None) -> float | None:
    try:
        value = float(raw) if raw not in (None, "", ".") else None
    except ValueError:
        return None
    return value if value is not None and math.isfinite(value) else None


def compare(
    rows: list[dict[str, str]], case: SmokeCase, fixture: Fixture
) -> list[Comparison]:
    found = []
    for exp in case.expect:
        target = exp.value if exp.value is not None else fixture.estimates[exp.estimate or ""]
        match = next((r for r in rows if r.get("step") == exp.step
                      and r.get("term") == exp.term), None)
        actual = _number(match.get(exp.column)) if match else None
        ok = actual is not None and abs(actual - target) <= exp.tolerance
        found.append(Comparison(step=exp.step, term=exp.term, column=exp.column,
                                expected=target, actual=actual, tolerance=exp.tolerance, ok=ok))
    return found
