"""The input errors a dataset reader raises, each with a human reason."""

from __future__ import annotations

from typing import Any

from ss_core.errors import InputError


def parse_failed(reason: str, **context: Any) -> InputError:
    return InputError(
        f"The file could not be read: {reason}",
        code="INPUT_PARSE_FAILED",
        reason=reason,
        fix=context.pop("fix", "check the file opens in its program, or export it again as "
                               "CSV or .xlsx"),
        **context,
    )


def unsupported(reason: str, **context: Any) -> InputError:
    return InputError(
        f"The file type is not supported: {reason}",
        code="INPUT_UNSUPPORTED_FORMAT",
        reason=reason,
        supported=[".csv", ".xlsx", ".xls", ".dta"],
        **context,
    )


def empty(reason: str, **context: Any) -> InputError:
    return InputError(
        f"The file has no data: {reason}",
        code="INPUT_EMPTY",
        reason=reason,
        fix="upload a file with a header row and at least one data row",
        **context,
    )


def sheet_not_found(sheet: str, available: list[str]) -> InputError:
    return InputError(
        f"The workbook has no sheet named {sheet!r}; it has: {', '.join(available)}.",
        code="INPUT_SHEET_NOT_FOUND",
        sheet_name=sheet,
        available_sheets=available,
    )
