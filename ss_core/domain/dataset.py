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


class DateFrequency(enum.StrEnum):
    """How often a date column's values occur, detected at upload from the values."""

    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    HALFYEARLY = "halfyearly"
    YEARLY = "yearly"
    DATETIME = "datetime"  # values carry a time of day


class DateUnit(enum.StrEnum):
    """What one unit of a date column means in the staged ``.dta`` (its Stata format).

    ``td`` days and ``tc`` milliseconds since 1960-01-01; ``tw``/``tm``/``tq``/``th`` weeks,
    months, quarters and half-years since 1960; ``ty`` calendar years.
    """

    TD = "td"
    TC = "tc"
    TW = "tw"
    TM = "tm"
    TQ = "tq"
    TH = "th"
    TY = "ty"


class DateFacts(msgspec.Struct, frozen=True, kw_only=True):
    """A date column: its detected frequency and the unit its staged values are in."""

    frequency: DateFrequency
    unit: DateUnit


class NumericText(msgspec.Struct, frozen=True, kw_only=True):
    """A text column whose every value is a number written for people ("1,234", "12%",
    "¥3,000", full-width digits). ``marks`` says which decorations were seen; ``integer``
    whether every value is whole once they are removed."""

    marks: tuple[str, ...]
    integer: bool = False


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
    date: DateFacts | None = None
    numeric_text: NumericText | None = None
    # The schema's ``nesting_units`` within which this column is constant (None: not checked).
    constant_within: tuple[str, ...] | None = None

    def nested_in(self, unit: str, schema: DatasetSchema) -> bool | None:
        """Whether this column is constant within each value of ``unit``; None when unknown."""
        if unit == self.name:
            return True
        if self.constant_within is None or unit not in schema.nesting_units:
            return None
        return unit in self.constant_within


class DatasetSchema(msgspec.Struct, frozen=True, kw_only=True):
    """The columns of one dataset (by Stata-safe name) and its size."""

    columns: tuple[Column, ...]
    row_count: int
    # Columns (id-like: repeated integer or text values) that nesting was checked against.
    nesting_units: tuple[str, ...] = ()

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
