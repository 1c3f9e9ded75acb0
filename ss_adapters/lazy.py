"""Adapters whose heavy libraries are imported on first use.

Reading and staging datasets needs pandas, numpy, pyreadstat, openpyxl and xlrd; writing the
Word and Excel report needs python-docx, lxml and openpyxl: together about 60 MiB and half a
second of imports. An API process that answers status and artifact requests, or a worker
between runs, has no use for them. The container hands out these proxies; the first call builds
the real adapter (importing its libraries then), and every call after that goes straight to it.
"""

from __future__ import annotations

from collections.abc import Callable

from ss_core.domain.dataset import DatasetFormat, DatasetPreview, InspectOptions
from ss_core.ports import DatasetInspector, StoredObject
from ss_core.ports.report_writer import ReportDocument, ReportWriter
from ss_core.reporting.model import Report


class LazyDatasetInspector:
    """A ``DatasetInspector`` built by ``build`` when first used."""

    def __init__(self, build: Callable[[], DatasetInspector]) -> None:
        self._build = build
        self._inner: DatasetInspector | None = None

    def resolve(self) -> DatasetInspector:
        """The real inspector (built now if it was not yet)."""
        if self._inner is None:
            self._inner = self._build()
        return self._inner

    async def inspect(
        self, object_key: str, fmt: DatasetFormat, options: InspectOptions
    ) -> DatasetPreview:
        return await self.resolve().inspect(object_key, fmt, options)

    async def stage_dta(
        self, object_key: str, fmt: DatasetFormat, options: InspectOptions, dest_key: str
    ) -> StoredObject:
        return await self.resolve().stage_dta(object_key, fmt, options, dest_key)


class LazyReportWriter:
    """The Word/Excel report writer, imported when the first report is written."""

    def __init__(self) -> None:
        self._inner: ReportWriter | None = None

    async def write(self, report: Report) -> tuple[ReportDocument, ...]:
        if self._inner is None:
            from ss_adapters.report import OfficeReportWriter

            self._inner = OfficeReportWriter()
        return await self._inner.write(report)
