"""A Stata ``.dta`` (format 118) written row chunk by row chunk: memory holds one chunk.

pyreadstat writes a whole DataFrame at once, so staging a 2 GB CSV that way holds it all in
memory (~9x its size). This writer takes the variables' final layout up front (type, string
width, format, labels) and then any number of row chunks; the header, written first, carries
the observation count, and the section map is filled in at the end. Doubles use Stata's
system missing ``.``; strings are fixed width (``str1`` .. ``str2045``), UTF-8, NUL padded.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

import msgspec
import numpy as np

STATA_MISSING_DOUBLE = struct.unpack("<d", b"\x00\x00\x00\x00\x00\x00\xe0\x7f")[0]
DOUBLE, LONG = 65526, 65528
_SECTIONS = 14


class DtaVariable(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    label: str = ""
    kind: str  # "double" | "long" | "str"
    width: int = 0  # bytes, for "str"
    display_format: str = "%10.0g"
    value_labels: dict[int, str] = msgspec.field(default_factory=dict)

    @property
    def type_code(self) -> int:
        return {"double": DOUBLE, "long": LONG}.get(self.kind, self.width)

    @property
    def numpy_type(self) -> str:
        return {"double": "<f8", "long": "<i4"}.get(self.kind, f"S{self.width}")


def _fixed(text: str, size: int) -> bytes:
    raw = text.encode("utf-8")[: size - 1]
    while True:  # never cut inside a UTF-8 character
        try:
            raw.decode("utf-8")
            break
        except UnicodeDecodeError:
            raw = raw[:-1]
    return raw.ljust(size, b"\x00")


def _value_label_table(name: str, labels: dict[int, str]) -> bytes:
    items = sorted(labels.items())
    texts = [_fixed(text, len(text.encode("utf-8")) + 1)[:32000] for _, text in items]
    offsets, position = [], 0
    for text in texts:
        offsets.append(position)
        position += len(text)
    table = struct.pack(f"<ii{len(items)}i{len(items)}i", len(items), position, *offsets,
                        *(value for value, _ in items)) + b"".join(texts)
    return (b"<lbl>" + struct.pack("<i", len(table)) + _fixed(name, 129) + b"\x00" * 3
            + table + b"</lbl>")


class DtaStreamWriter:
    """Write ``rows`` observations of ``variables``: ``write(chunk)`` per chunk, then
    ``close()`` (which checks the count)."""

    def __init__(self, destination: Path, variables: Sequence[DtaVariable], rows: int) -> None:
        self.variables = tuple(variables)
        self.rows = rows
        self.written = 0
        self.dtype = np.dtype([(f"v{i}", v.numpy_type) for i, v in enumerate(self.variables)])
        self.handle: BinaryIO = destination.open("wb")
        self.offsets = [0] * _SECTIONS
        self._head()

    def _mark(self, index: int) -> None:
        self.offsets[index] = self.handle.tell()

    def _head(self) -> None:
        out, k = self.handle, len(self.variables)
        out.write(b"<stata_dta><header><release>118</release><byteorder>LSF</byteorder>")
        out.write(b"<K>" + struct.pack("<H", k) + b"</K><N>" + struct.pack("<Q", self.rows)
                  + b"</N><label>" + struct.pack("<H", 0) + b"</label><timestamp>"
                  + b"\x00" + b"</timestamp></header>")
        self._mark(1)
        out.write(b"<map>" + b"\x00" * 8 * _SECTIONS + b"</map>")
        self._mark(2)
        out.write(b"<variable_types>" + b"".join(struct.pack("<H", v.type_code)
                                                 for v in self.variables) + b"</variable_types>")
        self._mark(3)
        out.write(b"<varnames>" + b"".join(_fixed(v.name, 129) for v in self.variables)
                  + b"</varnames>")
        self._mark(4)
        out.write(b"<sortlist>" + b"\x00\x00" * (k + 1) + b"</sortlist>")
        self._mark(5)
        out.write(b"<formats>" + b"".join(_fixed(v.display_format, 57) for v in self.variables)
                  + b"</formats>")
        self._mark(6)
        out.write(b"<value_label_names>" + b"".join(
            _fixed(v.name if v.value_labels else "", 129) for v in self.variables)
            + b"</value_label_names>")
        self._mark(7)
        out.write(b"<variable_labels>" + b"".join(_fixed(v.label, 321) for v in self.variables)
                  + b"</variable_labels>")
        self._mark(8)
        out.write(b"<characteristics></characteristics>")
        self._mark(9)
        out.write(b"<data>")

    def write(self, columns: Sequence[np.ndarray]) -> None:
        """One chunk: a column array per variable (doubles with NaN for missing, int32,
        or UTF-8 ``bytes`` objects for strings), all of the same length."""
        count = len(columns[0]) if columns else 0
        block = np.zeros(count, dtype=self.dtype)
        for i, (variable, values) in enumerate(zip(self.variables, columns, strict=True)):
            if variable.kind == "double":
                doubles = np.asarray(values, dtype="<f8")
                block[f"v{i}"] = np.where(np.isnan(doubles), STATA_MISSING_DOUBLE, doubles)
            else:
                block[f"v{i}"] = values
        self.handle.write(block.tobytes())
        self.written += count

    def close(self) -> None:
        out = self.handle
        try:
            if self.written != self.rows:
                raise ValueError(f"{self.written} rows written, {self.rows} declared")
            out.write(b"</data>")
            self._mark(10)
            out.write(b"<strls></strls>")
            self._mark(11)
            out.write(b"<value_labels>" + b"".join(
                _value_label_table(v.name, v.value_labels)
                for v in self.variables if v.value_labels) + b"</value_labels>")
            self._mark(12)
            out.write(b"</stata_dta>")
            self._mark(13)
            out.seek(self.offsets[1] + len(b"<map>"))
            out.write(struct.pack(f"<{_SECTIONS}Q", *self.offsets))
        finally:
            out.close()
