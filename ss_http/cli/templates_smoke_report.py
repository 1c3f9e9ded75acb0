"""The smoke suite's per-template outcome and its JSON and Markdown reports."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import msgspec

from ss_core.authoring.smoke_plan import Comparison

REPORT_JSON = "smoke_report.json"
REPORT_MD = "smoke_report.md"


@dataclasses.dataclass
class Outcome:
    """What happened to one template (mutable while the run proceeds)."""

    template_id: str
    fixture: str = ""
    run_dir: str = ""
    case_source: str = ""
    status: str = "FAIL"
    rc: int | None = None
    reason: str = ""
    seconds: float = 0.0
    comparisons: list[Comparison] = dataclasses.field(default_factory=list)
    missing_outputs: list[str] = dataclasses.field(default_factory=list)

    def failed(self, reason: str) -> Outcome:
        self.status = "FAIL"
        self.reason = reason
        return self

    def to_json(self) -> dict[str, Any]:
        body = dataclasses.asdict(self)
        body["comparisons"] = [msgspec.to_builtins(c) for c in self.comparisons]
        return body


def _markdown(outcomes: list[Outcome]) -> str:
    passed = sum(o.status == "PASS" for o in outcomes)
    lines = ["# Template smoke report", "", f"{passed}/{len(outcomes)} passed.", "",
             "| template | status | rc | fixture | case | reason |", "|---|---|---|---|---|---|"]
    for o in outcomes:
        rc = "" if o.rc is None else str(o.rc)
        reason = o.reason.replace("|", "\\|").replace("\n", " ")
        lines.append(f"| `{o.template_id}` | {o.status} | {rc} | {o.fixture} | "
                     f"{o.case_source} | {reason} |")
    compared = [o for o in outcomes if o.comparisons]
    if compared:
        lines += ["", "## Compared estimates", "",
                  "| template | step | term | column | expected | actual | tolerance | ok |",
                  "|---|---|---|---|---|---|---|---|"]
        for o in compared:
            for c in o.comparisons:
                actual = "" if c.actual is None else f"{c.actual:.6g}"
                lines.append(f"| `{o.template_id}` | {c.step} | {c.term} | {c.column} | "
                             f"{c.expected:.6g} | {actual} | {c.tolerance:g} | "
                             f"{'yes' if c.ok else 'NO'} |")
    return "\n".join(lines) + "\n"


def write_reports(report_dir: Path, outcomes: list[Outcome]) -> tuple[Path, Path]:
    json_path, md_path = report_dir / REPORT_JSON, report_dir / REPORT_MD
    passed = sum(o.status == "PASS" for o in outcomes)
    doc = {"passed": passed, "failed": len(outcomes) - passed,
           "templates": [o.to_json() for o in outcomes]}
    json_path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    md_path.write_text(_markdown(outcomes), encoding="utf-8")
    return json_path, md_path
