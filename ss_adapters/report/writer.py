"""The report writer adapter: Word and Excel renderings, built off the event loop."""

from __future__ import annotations

import asyncio

from ss_adapters.report.docx_document import docx_bytes
from ss_adapters.report.xlsx_workbook import xlsx_bytes
from ss_core.errors import SSError
from ss_core.ports.report_writer import DOCX_NAME, XLSX_NAME, ReportDocument
from ss_core.reporting.model import Report


class OfficeReportWriter:
    async def write(self, report: Report) -> tuple[ReportDocument, ...]:
        try:
            docx, xlsx = await asyncio.gather(asyncio.to_thread(docx_bytes, report),
                                              asyncio.to_thread(xlsx_bytes, report))
        except (ValueError, KeyError, OSError) as exc:
            raise SSError(f"the report documents could not be written ({type(exc).__name__})",
                          code="REPORT_BUILD_FAILED") from exc
        return (ReportDocument(name=DOCX_NAME, data=docx),
                ReportDocument(name=XLSX_NAME, data=xlsx))
