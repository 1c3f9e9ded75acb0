"""The report writer port: the Word and Excel renderings of a report.

``write`` returns ``report.docx`` (real Word tables and embedded figures) and ``tables.xlsx``
(one sheet per results table, numbers as numbers). The HTML rendering is the core's own
(``ss_core.reporting.html``); these two need file-format libraries, so they are adapters.
"""

from __future__ import annotations

from typing import Protocol

import msgspec

from ss_core.reporting.model import Report

DOCX_NAME = "report.docx"
XLSX_NAME = "tables.xlsx"


class ReportDocument(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    data: bytes


class ReportWriter(Protocol):
    async def write(self, report: Report) -> tuple[ReportDocument, ...]:
        """``report.docx`` and ``tables.xlsx`` for ``report``; raises ``REPORT_BUILD_FAILED``."""
        ...
