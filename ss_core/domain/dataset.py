"""Dataset schema: what SS knows about an uploaded table, independent of its file format."""

from __future__ import annotations

import enum

import msgspec


class ColumnType(enum.StrEnum):
    """Inferred column type. ``binary`` and ``integer`` are also numeric."""

    NUMERIC = "numeric"
    INTEGER = "integer"
    BINARY = "binary"
    STRING = "string"
    DATE = "date"

    @property
    def is_numeric(self) -> bool:
        return self in (ColumnType.NUMERIC, ColumnType.INTEGER, ColumnType.BINARY)

    def satisfies(self, required: ColumnType) -> bool:
        """Whether a column of this type can serve where ``required`` is asked for."""
        if required is ColumnType.NUMERIC:
            return self.is_numeric
        if required is ColumnType.INTEGER:
            return self in (ColumnType.INTEGER, ColumnType.BINARY)
        return self is required


class DatasetFormat(enum.StrEnum):
    CSV = "csv"
    XLSX = "xlsx"
    XLS = "xls"
    DTA = "dta"


class DatasetRole(enum.StrEnum):
    PRIMARY = "primary_dataset"
    SECONDARY = "secondary_dataset"
    AUXILIARY = "auxiliary_data"
    OTHER = "other"


class Column(msgspec.Struct, frozen=True, kw_only=True):
    """One column: the Stata-safe ``name``, the name as uploaded, its label and type."""

    name: str
    original_name: str
    type: ColumnType
    label: str = ""
    missing_count: int = 0
    distinct_count: int | None = None
    sample_values: tuple[str, ...] = ()
    value_labels: dict[str, str] = msgspec.field(default_factory=dict)


class DatasetSchema(msgspec.Struct, frozen=True, kw_only=True):
    """The columns of one dataset (by Stata-safe name) and its size."""

    columns: tuple[Column, ...]
    row_count: int

    def column(self, name: str) -> Column | None:
        for col in self.columns:
            if col.name == name:
                return col
        return None

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(col.name for col in self.columns)

    def by_original(self, original: str) -> Column | None:
        for col in self.columns:
            if col.original_name == original:
                return col
        return None

    def resolve(self, name: str) -> Column | None:
        """Find a column by Stata name, original name, or case-insensitive Stata name."""
        found = self.column(name) or self.by_original(name)
        if found is not None:
            return found
        lowered = name.lower()
        matches = [col for col in self.columns if col.name.lower() == lowered]
        return matches[0] if len(matches) == 1 else None


class NameNormalization(msgspec.Struct, frozen=True):
    original_name: str
    normalized_name: str


class DatasetPreview(msgspec.Struct, frozen=True, kw_only=True):
    """A bounded page of a dataset for display: the schema plus the first rows."""

    schema: DatasetSchema
    sample_rows: tuple[dict[str, str | float | int | None], ...]
    sheet_names: tuple[str, ...] = ()
    selected_sheet: str | None = None
    header_row: int = 1
    encoding: str | None = None
    delimiter: str | None = None
    row_count_exact: bool = True


class InspectOptions(msgspec.Struct, frozen=True, kw_only=True):
    sheet_name: str | None = None
    preview_rows: int = 20


class DatasetRef(msgspec.Struct, frozen=True, kw_only=True):
    """One uploaded dataset in a job's inputs manifest."""

    dataset_key: str
    role: DatasetRole
    original_name: str
    format: DatasetFormat
    object_key: str
    size_bytes: int
    sha256: str
    content_type: str
    sheet_name: str | None = None


class InputsManifest(msgspec.Struct, frozen=True, kw_only=True):
    """What was uploaded for a job, with the primary dataset's schema and the fingerprint."""

    datasets: tuple[DatasetRef, ...]
    fingerprint: str
    primary_schema: DatasetSchema
    normalizations: tuple[NameNormalization, ...]
    sheet_names: tuple[str, ...] = ()
    selected_sheet: str | None = None
    manifest_rel_path: str = "inputs/manifest.json"

    @property
    def primary(self) -> DatasetRef:
        for ref in self.datasets:
            if ref.role is DatasetRole.PRIMARY:
                return ref
        return self.datasets[0]
