"""Reading uploaded datasets (CSV, Excel, Stata) and staging them for Stata."""

from __future__ import annotations

from typing import Protocol

from ss_core.domain.dataset import DatasetFormat, DatasetPreview, InspectOptions
from ss_core.ports.object_store import StoredObject


class DatasetInspector(Protocol):
    async def inspect(
        self, object_key: str, fmt: DatasetFormat, options: InspectOptions
    ) -> DatasetPreview:
        """Schema (with Stata-safe normalised names) and a bounded preview of the stored file.

        Memory is bounded by the preview, not the file. Unreadable input raises
        ``INPUT_PARSE_FAILED`` / ``INPUT_UNSUPPORTED_FORMAT`` / ``INPUT_EMPTY`` with a reason.
        """
        ...

    async def stage_dta(
        self, object_key: str, fmt: DatasetFormat, options: InspectOptions, dest_key: str
    ) -> StoredObject:
        """Convert the dataset to ``.dta`` with the normalised names (original names kept as
        variable labels) and store it at ``dest_key``."""
        ...
