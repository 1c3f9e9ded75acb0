"""From what a reader found to the product's ``DatasetPreview`` with Stata-safe names."""

from __future__ import annotations

from ss_adapters.datasets.table import PreviewCell, TableRead
from ss_core.domain.dataset import Column, DatasetPreview, DatasetSchema
from ss_core.stata.names import normalize_names


def to_schema(table: TableRead) -> DatasetSchema:
    names = normalize_names([c.original_name for c in table.columns])
    columns = tuple(
        Column(
            name=name,
            original_name=facts.original_name,
            type=facts.type,
            label=facts.label or facts.original_name or name,
            missing_count=facts.missing_count,
            distinct_count=facts.distinct_count,
            sample_values=facts.sample_values,
            value_labels=dict(facts.value_labels),
            date=facts.date,
            numeric_text=facts.numeric_text,
            constant_within=None if facts.constant_within is None else tuple(
                names[i] for i in facts.constant_within),
        )
        for name, facts in zip(names, table.columns, strict=True)
    )
    return DatasetSchema(columns=columns, row_count=table.row_count,
                         nesting_units=tuple(names[i] for i in table.nesting_units))


def to_preview(table: TableRead) -> DatasetPreview:
    schema = to_schema(table)
    rows: list[dict[str, PreviewCell]] = [
        dict(zip(schema.names, record, strict=True)) for record in table.preview_rows
    ]
    return DatasetPreview(
        schema=schema,
        sample_rows=tuple(rows),
        sheet_names=table.sheet_names,
        selected_sheet=table.selected_sheet,
        header_row=table.header_row,
        encoding=table.encoding,
        delimiter=table.delimiter,
    )
