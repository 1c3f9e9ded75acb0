"""Finding 1: data never becomes code. Hostile headers, string cells, value labels and sheet
names go through the real readers and staging, and every template is rendered over columns
carrying the same text: the staged .dta holds only inert text (nothing Stata could act on),
the rendered do-files never contain the text, pass the safety scan, and no template lets
label or value text held in a macro be expanded or evaluated."""

from __future__ import annotations

import asyncio
import csv
import io
import re
from functools import cache
from pathlib import Path

import msgspec
import pandas as pd
import pyreadstat
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from ss_core.authoring.body_scan import scan_body
from ss_core.authoring.data_text import data_text_problems
from ss_core.authoring.sample_binding import sample_bindings
from ss_core.domain.dataset import DatasetFormat, InspectOptions
from ss_core.domain.inert_text import ACTIVE, is_inert
from ss_core.library.loader import load_templates
from ss_core.library.meta import Template
from ss_core.rendering.renderer import render
from ss_core.rendering.safety import scan
from ss_core.stata.names import is_valid_stata_name
from tests.adapters.dataset_files import Harness, xlsx_bytes
from tests.library.conftest import LIBRARY

BINARY = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MARK = "Zq9"  # in every hostile text, so its presence in a do-file is detectable
PAYLOADS = [
    "\"'+fileread(\"/etc/passwd\")+`\"", "a\"',1,1)+fileread(\"/etc/passwd\")+usubstr(`\"`",
    "`=filewrite(\"pwn.ado\",\"program pwn\")'", "`\"", "\"'", "`", "'", "\"", "$HOME",
    "${S_ADO}", "\\`x'", "\\", "`macval(x)'", "\n", "\r\n", "\t", "\x00", "\x7f", "///",
    "/*", "*/", "//", "{{ x }}", "{% raw %}", "}", "mata: unlink(\"ss.db\")", "shell rm -rf",
    "收入", "\u202e", "ｓｈｅｌｌ", "`=char(47)'etc", "c(pwd)",
]
hostile = st.lists(st.one_of(st.sampled_from(PAYLOADS), st.text(max_size=6)), min_size=1,
                   max_size=6).map(lambda parts: MARK + "".join(parts))
SHEET_SAFE = st.text(st.characters(blacklist_characters="[]:*?/\\'",
                                   blacklist_categories=("Cc", "Cs")), min_size=1, max_size=20)


@cache
def templates() -> tuple[Template, ...]:
    loaded, _ = load_templates(LIBRARY)
    return tuple(loaded)


def excel_text(text: str) -> str:
    """What a workbook can hold: Excel refuses control characters in cells."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def csv_bytes(header: str, groups: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["y", header, "grp"])
    for i, group in enumerate(groups * 3):
        writer.writerow([i * 1.5, i % 2, group])
    return BINARY.sub("", out.getvalue()).encode("utf-8")  # else refused as binary data


def dta_bytes(tmp: Path, header: str, groups: list[str], value_label: str) -> bytes:
    frame = pd.DataFrame({"y": [1.5, 2.5, 3.5, 4.0], "code": [1, 2, 1, 2],
                          "grp": (groups * 4)[:4]})
    path = tmp / "hostile.dta"
    pyreadstat.write_dta(frame, str(path), column_labels=[header[:80], value_label[:80], "g"],
                         variable_value_labels={"code": {1: value_label[:80], 2: header[:80]}},
                         version=14)
    return path.read_bytes()


async def staged(harness: Harness, data: bytes, fmt: DatasetFormat, tmp: Path,
                 sheet: str | None = None) -> tuple[pd.DataFrame, object]:
    key = f"in/{fmt.value}"
    await harness.store.put_bytes(key, data, "application/octet-stream")
    await harness.inspector.stage_dta(key, fmt, InspectOptions(sheet_name=sheet), "out.dta")
    path = tmp / "staged.dta"
    path.write_bytes(await harness.store.get_bytes("out.dta"))
    return pyreadstat.read_dta(str(path))


def assert_inert(frame: pd.DataFrame, meta: object) -> None:
    assert all(is_valid_stata_name(name) for name in frame.columns)
    for label in meta.column_labels:  # type: ignore[attr-defined]
        assert label is None or is_inert(label), label
    for mapping in meta.value_labels.values():  # type: ignore[attr-defined]
        for text in mapping.values():
            assert is_inert(text), text
    for name in frame.columns:
        if frame[name].dtype == object:
            for value in frame[name].dropna():
                assert not isinstance(value, str) or is_inert(value), value


@given(header=hostile, groups=st.lists(hostile, min_size=2, max_size=3, unique=True),
       value_label=hostile, sheet=SHEET_SAFE)
@settings(max_examples=40, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_staged_data_holds_only_inert_text(tmp_path_factory: object, header: str,
                                           groups: list[str], value_label: str,
                                           sheet: str) -> None:
    tmp = tmp_path_factory.mktemp("stage")  # type: ignore[attr-defined]
    harness = Harness(tmp / "scratch")
    cleaned: list[list[object]] = [["y", excel_text(header), "grp"]]
    cleaned += [[i * 1.5, i % 2, excel_text(g)] for i, g in enumerate(groups * 3)]
    inputs = [
        (csv_bytes(header, groups), DatasetFormat.CSV, None),
        (dta_bytes(tmp, header, groups, value_label), DatasetFormat.DTA, None),
        (xlsx_bytes({"first": [["a"], [1]], sheet.strip() or "s": cleaned}),
         DatasetFormat.XLSX, sheet.strip() or "s"),
    ]
    for data, fmt, chosen in inputs:
        frame, meta = asyncio.run(staged(harness, data, fmt, tmp, chosen))
        assert_inert(frame, meta)


def hostile_schema_binding(template: Template, texts: list[str]) -> tuple[object, dict]:
    _, schema, values = sample_bindings(template.meta)[0]
    columns = tuple(
        msgspec.structs.replace(col, original_name=texts[i % len(texts)],
                                label=texts[(i + 1) % len(texts)],
                                value_labels={"1": texts[i % len(texts)]},
                                sample_values=tuple(texts))
        for i, col in enumerate(schema.columns))
    return msgspec.structs.replace(schema, columns=columns), values


@given(texts=st.lists(hostile, min_size=1, max_size=4))
@settings(max_examples=15, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_no_template_render_carries_data_text(texts: list[str]) -> None:
    for template in templates():
        schema, values = hostile_schema_binding(template, texts)
        rendered = render(template, values, schema, plan_id="hostile")  # scans, raises if unsafe
        assert MARK not in rendered.text, template.id
        assert scan(rendered.text) == []


def test_no_template_expands_or_evaluates_data_text() -> None:
    found = {t.id: data_text_problems(t, scan_body(t.source).commands) for t in templates()}
    assert {k: v for k, v in found.items() if v} == {}


def test_inert_text_has_no_active_character() -> None:
    from ss_core.domain.inert_text import inert

    for payload in PAYLOADS:
        assert not (ACTIVE & set(inert(payload))) and is_inert(inert(payload))
