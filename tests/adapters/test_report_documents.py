"""report.docx and tables.xlsx hold the known-answer estimates in the right cells; the HTML is
self-contained and renders in headless Chromium; data never becomes an Excel formula."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from ss_adapters.report import OfficeReportWriter
from ss_core.reporting.grounding import Citation, Finding, Interpretation
from ss_core.reporting.html import render_html
from ss_core.reporting.interpretation import Published
from ss_core.reporting.model import DataSection, Figure, MethodSection, Report
from ss_core.reporting.tables import read_table
from tests.core.journey_kit import LIBRARY_ROOT

FIXTURES = LIBRARY_ROOT / "fixtures"
HEADER = ["step", "term", "estimate", "std_error", "statistic", "p_value", "ci_lower",
          "ci_upper", "n_obs", "r2"]
REPORTS = Path(__file__).resolve().parents[2] / "reports" / "report"
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00"
       b"\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35"
       b"\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")


def known_answer_cases() -> list[tuple[str, list[tuple[str, str, str, float]]]]:
    plan = json.loads((FIXTURES / "smoke_plan.json").read_text())
    expected = json.loads((FIXTURES / "expected.json").read_text())["fixtures"]
    cases = []
    for template_id, case in sorted(plan["templates"].items()):
        rows = []
        for e in case.get("expect", []):
            value = e.get("value")
            if value is None:
                value = expected[case["fixture"]]["estimates"][e["estimate"]]
            rows.append((e["step"], e["term"], e.get("column", "estimate"), float(value)))
        if rows:
            cases.append((template_id, rows))
    return cases


CASES = known_answer_cases()


def results_csv(rows: list[tuple[str, str, str, float]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    records: dict[tuple[str, str], dict[str, str]] = {}
    for step, term, column, value in rows:
        record = records.setdefault((step, term), {h: "." for h in HEADER} | {
            "step": step, "term": term})
        record[column] = f"{value:.6f}"
    for record in records.values():
        writer.writerow([record[h] for h in HEADER])
    return out.getvalue().encode()


def report_for(template_id: str, results: bytes, language: str = "en", **extra) -> Report:
    return Report(
        language=language, job_id="job_1", plan_id="plan_1", run_id="run_1",
        generated_at=datetime(2026, 12, 4, tzinfo=UTC), question="Known-answer check",
        data=DataSection(file_name="cross_section.dta", format="dta", sheet=None,
                         row_count=300, column_count=12, variables=(), settings=(),
                         missing_values="listwise"),
        method=MethodSection(template_id=template_id, title=template_id, family="ols",
                             description="d", rationale="r", standard_errors="robust",
                             fixed_effects="none", packages=(), stata_version="18.0"),
        tables=(read_table("ss_results.csv", results, "Key results"),),
        **({"figures": (), "diagnostics": (), "interpretation": None} | extra))


def write(report: Report) -> dict[str, bytes]:
    documents = asyncio.run(OfficeReportWriter().write(report))
    return {d.name: d.data for d in documents}


@pytest.mark.parametrize(("template_id", "rows"), CASES, ids=[c[0] for c in CASES])
def test_known_answer_estimates_land_in_the_right_cells(template_id, rows):
    docs = write(report_for(template_id, results_csv(rows)))
    book = load_workbook(io.BytesIO(docs["tables.xlsx"]))
    sheet = book["ss_results"]
    header = [c.value for c in sheet[1]]
    table = [t for t in Document(io.BytesIO(docs["report.docx"])).tables
             if [c.text for c in t.rows[0].cells][:3] == ["#", "step", "term"]][0]
    docx_header = [c.text for c in table.rows[0].cells]
    for step, term, column, value in rows:
        [xrow] = [r for r in sheet.iter_rows(min_row=2, values_only=True)
                  if r[0] == step and r[1] == term]
        # the results file carries 6 decimals (results_csv): the cell holds what was written
        assert xrow[header.index(column)] == pytest.approx(float(f"{value:.6f}"), abs=1e-9)
        [drow] = [r for r in table.rows[1:] if r.cells[1].text == step
                  and r.cells[2].text == term]
        assert float(drow.cells[docx_header.index(column)].text) == pytest.approx(
            value, abs=5.1e-5)


def test_cell_text_that_looks_like_a_formula_stays_text():
    hostile = (b"step,term,estimate\n=HYPERLINK(\"http://x\"),+cmd|' /C calc'!A0,1.5\n"
               b"@SUM(1),-2+3,2\n")
    docs = write(report_for("t", hostile))
    sheet = load_workbook(io.BytesIO(docs["tables.xlsx"]))["ss_results"]
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row[:2]]
    assert [c.value for c in cells][0].startswith("=HYPERLINK")
    assert all(c.data_type == "s" for c in cells)


def test_html_escapes_data_and_needs_no_network():
    hostile = b"step,term,estimate\n<script>alert(1)</script>,<img src=x onerror=alert(2)>,1\n"
    html = render_html(report_for("t", hostile, figures=(
        Figure(name="fig.png", caption="A figure", content_type="image/png", data=PNG),)))
    text = html.decode()
    assert "<script>" not in text and "<img src=x" not in text
    assert "&lt;script&gt;" in text and "data:image/png;base64," in text
    assert "http://" not in text and "https://" not in text and "src=\"/" not in text


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Debian chromium not installed")
def test_the_html_report_renders_in_headless_chromium(tmp_path):
    rows = dict(CASES)["ols_robust"]
    findings = (Finding(text="x1 has a coefficient of 2.0516, significant at the 5% level.",
                        citations=(Citation(table="ss_results.csv", row=1,
                                            column="estimate", value="2.0516"),)),)
    report = report_for("ols_robust", results_csv(rows), language="zh",
                        interpretation=Published(interpretation=Interpretation(
                            findings=findings), model="ss-test-model"),
                        figures=(Figure(name="coef.png", caption="系数图",
                                        content_type="image/png", data=PNG),))
    page = tmp_path / "report.html"
    page.write_bytes(render_html(report))
    REPORTS.mkdir(parents=True, exist_ok=True)
    shot = REPORTS / "report_html.png"
    shot.unlink(missing_ok=True)
    subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", f"--user-data-dir={tmp_path / 'u'}",
                    "--window-size=1100,1600", f"--screenshot={shot}", page.as_uri()],
                   check=True, capture_output=True, timeout=60)
    assert shot.stat().st_size > 10_000  # a rendered page, not a blank one
