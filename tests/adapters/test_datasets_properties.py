"""Properties over generated CSV files: inspection either succeeds with valid, unique Stata
names or fails with an INPUT_* error; nothing else escapes."""

from __future__ import annotations

import asyncio
import csv
import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ss_core.errors import SSError
from ss_core.stata.names import is_valid_stata_name
from tests.adapters.dataset_files import Harness

cell_text = st.one_of(
    st.text(alphabet=st.sampled_from(list('ab1 2.-,;|\t"\n\r中文é.NA')), max_size=8),
    st.sampled_from(["", "0", "1", "2020-01-02", "3.5", "NA"]),
)
header_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=40
)


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    width = draw(st.integers(1, 6))
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC]))
    header = draw(st.lists(header_text, min_size=width, max_size=width))
    rows = draw(
        st.lists(st.lists(cell_text, min_size=width, max_size=width), min_size=0, max_size=8)
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, quoting=quoting, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]))
    return buffer.getvalue().encode(encoding, errors="replace")


raw_bytes = st.binary(max_size=400)


def _check(data: bytes) -> None:
    async def attempt() -> None:
        with tempfile.TemporaryDirectory() as scratch:
            harness = Harness(Path(scratch))
            try:
                preview = await harness.inspect(data, "csv")
            except SSError as exc:
                assert exc.error_code.startswith("INPUT_"), exc
                assert exc.context.get("reason")
                return
            names = preview.schema.names
            assert all(is_valid_stata_name(n) for n in names)
            assert len({n.lower() for n in names}) == len(names)
            for row in preview.sample_rows:
                assert set(row) == set(names)

    asyncio.run(attempt())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=csv_files())
def test_generated_csv_inspects_or_fails_with_an_input_error(data: bytes) -> None:
    _check(data)


@settings(max_examples=100, deadline=None)
@given(data=raw_bytes)
def test_arbitrary_bytes_never_escape_as_anything_but_input_errors(data: bytes) -> None:
    _check(data)
