"""``report.docx``: the report as a Word document with real tables and embedded figures."""

from __future__ import annotations

import io

from docx import Document
from docx.shared import Inches, Pt

from ss_core.reporting.interpretation import Omitted, Published
from ss_core.reporting.language import WORDS
from ss_core.reporting.model import Report
from ss_core.reporting.tables import ResultTable, shown


def docx_bytes(report: Report) -> bytes:
    w = WORDS[report.language]
    doc = Document()
    doc.styles["Normal"].font.size = Pt(10.5)
    doc.add_heading(f"{w['title']}: {report.method.title}", level=0)
    doc.add_paragraph(f"{w['job']} {report.job_id} · {w['plan']} {report.plan_id} · "
                      f"{w['run']} {report.run_id} · {w['generated']} "
                      f"{report.generated_at.isoformat()}")
    doc.add_heading(w["question"], level=1)
    doc.add_paragraph(report.question, style="Intense Quote")

    doc.add_heading(w["data"], level=1)
    data = report.data
    file_line = f"{data.file_name} ({data.format})" + (
        f" · {w['sheet']}: {data.sheet}" if data.sheet else "")
    _pairs(doc, [(w["file"], file_line), (w["rows"], str(data.row_count)),
                 (w["columns"], str(data.column_count)), (w["missing"], data.missing_values)])
    rows = [(v.parameter, " ".join(v.columns), v.description) for v in data.variables]
    rows += [(name, value, "") for name, value in data.settings]
    if rows:
        doc.add_paragraph(w["variables_used"], style="Caption")
        _grid(doc, (w["settings"], w["variables_used"], ""), rows)

    doc.add_heading(w["method"], level=1)
    m = report.method
    _pairs(doc, [(w["analysis"], f"{m.title} ({m.template_id}) — {m.description}"),
                 (w["why"], m.rationale), (w["se"], m.standard_errors),
                 (w["fe"], m.fixed_effects),
                 (w["packages"], ", ".join(m.packages) or w["none"]),
                 (w["stata"], m.stata_version)])

    doc.add_heading(w["results"], level=1)
    for table in report.tables:
        _result_table(doc, table, w)
    if report.figures:
        doc.add_heading(w["figures"], level=1)
        for figure in report.figures:
            try:
                doc.add_picture(io.BytesIO(figure.data), width=Inches(6))
            except Exception:  # an image python-docx cannot parse is named, not embedded
                doc.add_paragraph(f"[{figure.name}]")
            doc.add_paragraph(f"{figure.caption} ({figure.name})", style="Caption")

    doc.add_heading(w["diagnostics"], level=1)
    for line in report.diagnostics or (w["no_diagnostics"],):
        doc.add_paragraph(line, style="List Bullet")

    doc.add_heading(w["interpretation"], level=1)
    outcome = report.interpretation
    if isinstance(outcome, Published):
        for finding in outcome.interpretation.findings:
            doc.add_paragraph(finding.text, style="List Number")
            cites = "; ".join(f"{c.table} row {c.row}, {c.column} = {c.value}"
                              for c in finding.citations)
            if cites:
                doc.add_paragraph(f"{w['sources']}: {cites}", style="Caption")
        for heading, items in ((w["caveats"], outcome.interpretation.caveats),
                               (w["next_steps"], outcome.interpretation.next_steps)):
            if items:
                doc.add_heading(heading, level=2)
                for item in items:
                    doc.add_paragraph(item, style="List Bullet")
        doc.add_paragraph(w["ads"].replace("{model}", outcome.model), style="Caption")
    elif isinstance(outcome, Omitted):
        doc.add_paragraph(f"{w['omitted']}: {outcome.reason}")
    else:
        doc.add_paragraph(w["not_requested"])
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _pairs(doc: Document, pairs: list[tuple[str, str]]) -> None:
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for key, value in pairs:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = key, value


def _grid(doc: Document, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=False):
            cell.text = text


def _result_table(doc: Document, table: ResultTable, w: dict[str, str]) -> None:
    caption = f"{table.caption} ({table.name})" + (f" {w['truncated']}" if table.truncated
                                                  else "")
    doc.add_paragraph(caption, style="Caption")
    _grid(doc, ("#", *table.columns),
          [(str(i), *(shown(c) for c in row)) for i, row in enumerate(table.rows, start=1)])
