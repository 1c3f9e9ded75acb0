"""The control-character count behind the binary-content refusal of CSV files: the fast form
counts exactly what the definition says (every character below 32 except tab, CR and LF,
plus DEL), so the refusal threshold keeps its meaning."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ss_adapters.datasets.csv_dialect import control_count


def by_definition(text: str) -> int:
    return sum(1 for ch in text if (ord(ch) < 32 and ch not in "\t\r\n") or ch == "\x7f")


@given(st.text(alphabet=st.characters(max_codepoint=0x2FFF), max_size=400))
def test_counts_exactly_the_control_characters(text: str) -> None:
    assert control_count(text) == by_definition(text)


def test_every_code_point_below_128_is_classified_as_defined() -> None:
    for code in range(128):
        assert control_count(chr(code)) == by_definition(chr(code)), hex(code)
    assert control_count("a,b\r\n1\t2\n") == 0
    assert control_count("\x00\x01\x7f\x1f") == 4
