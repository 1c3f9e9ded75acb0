"""The audit's verdict as a Markdown page for people and a JSON document for machines."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

PASS, FAIL, SKIP = "PASS", "FAIL", "SKIP"
READY, NOT_READY = "READY", "NOT READY"


@dataclass
class PointResult:
    id: str
    title: str
    status: str
    summary: str
    evidence: dict[str, Any]
    requests: list[dict[str, Any]]


@dataclass
class AuditReport:
    base_url: str
    started_at: str
    finished_at: str
    points: list[PointResult]
    job_id: str | None = None
    plan_id: str | None = None
    template: dict[str, Any] = field(default_factory=dict)
    llm_models: list[str] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        """READY only when no point failed (a SKIP is listed, and never hides a FAIL)."""
        return NOT_READY if any(p.status == FAIL for p in self.points) else READY

    @property
    def exit_code(self) -> int:
        return 0 if self.verdict == READY else 1

    def point(self, point_id: str) -> PointResult:
        return next(p for p in self.points if p.id == point_id)

    def to_dict(self) -> dict[str, Any]:
        body = asdict(self)
        body["verdict"] = self.verdict
        body["counts"] = {s: sum(p.status == s for p in self.points) for s in (PASS, FAIL, SKIP)}
        return body


def _value(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = text.replace("|", "\\|").replace("\n", " ")
    return text if len(text) <= 400 else text[:397] + "..."


def to_markdown(report: AuditReport) -> str:
    lines = [
        f"# SS production audit: {report.verdict}", "",
        f"- service: `{report.base_url}`",
        f"- started: {report.started_at}; finished: {report.finished_at}",
        f"- job: `{report.job_id}`; plan: `{report.plan_id}`",
        f"- template: `{report.template.get('template_id')}` "
        f"{report.template.get('version') or ''} "
        f"(sha256 `{report.template.get('content_sha256')}`)",
        f"- rationale: {_value(report.template.get('rationale'))}",
        f"- LLM models: {', '.join(report.llm_models) or 'none recorded'}", "",
        "| # | point | result | summary |", "|---|---|---|---|",
    ]
    for n, p in enumerate(report.points, 1):
        lines.append(f"| {n} | `{p.id}` {p.title} | **{p.status}** | {_value(p.summary)} |")
    for p in report.points:
        lines += ["", f"## {p.id}: {p.status}", "", p.title, "", f"{p.summary}", ""]
        lines += [f"- `{k}`: {_value(v)}" for k, v in p.evidence.items()]
        if p.requests:
            lines += ["", "| request id | method | path | status | error_code |",
                      "|---|---|---|---|---|"]
            lines += [f"| `{r['request_id']}` | {r['method']} | `{_value(r['path'])}` | "
                      f"{r['status']} | {r['error_code'] or ''} |" for r in p.requests]
    return "\n".join(lines) + "\n"


def write_report(report: AuditReport, directory: Path) -> tuple[Path, Path]:
    """Write ``audit_report.md`` and ``audit_report.json`` into ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    markdown, document = directory / "audit_report.md", directory / "audit_report.json"
    markdown.write_text(to_markdown(report), encoding="utf-8")
    document.write_text(json.dumps(report.to_dict(), ensure_ascii=False, indent=2,
                                   default=str) + "\n", encoding="utf-8")
    return markdown, document
