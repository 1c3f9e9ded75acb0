"""Word (python-docx) and Excel (openpyxl) renderings of the results report."""

from ss_adapters.report.writer import OfficeReportWriter

__all__ = ["OfficeReportWriter"]
