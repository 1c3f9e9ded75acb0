"""Numbers as a person writes them in a sentence, and whether one is a cell at its precision.

``find_numbers`` returns every number written in a text (after NFKC, so full-width digits
count), skipping digits that are part of a name (``x1``, ``ln2wage``). ``agrees`` says whether a
written number is a raw cell value rounded to the decimals the writer showed: "2.05" agrees
with 2.051593, "2.06" does not. A percentage is compared as written ("12.3%" with a cell
12.3), never rescaled, so an interpretation cannot turn 0.123 into a new number.
"""

from __future__ import annotations

import math
import re
import unicodedata

import msgspec

_NUMBER = re.compile(
    r"(?<![A-Za-z_0-9.])"            # not the tail of a name or of another number
    r"(?P<sign>[-+−])?"
    r"(?P<body>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"(?P<exp>[eE][-+]?\d+)?"
    r"(?P<pct>\s?%)?"
    r"(?![A-Za-z_0-9])"
)


class WrittenNumber(msgspec.Struct, frozen=True):
    text: str
    value: float
    decimals: int
    percent: bool
    start: int
    end: int


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def find_numbers(text: str) -> list[WrittenNumber]:
    found = []
    norm = normalise(text)
    for match in _NUMBER.finditer(norm):
        body = match.group("body").replace(",", "")
        sign = "-" if match.group("sign") in ("-", "−") else ""
        exp = match.group("exp") or ""
        value = float(sign + body + exp)
        decimals = len(body.split(".")[1]) if "." in body else 0
        if exp:
            decimals = max(0, decimals - int(exp[1:]))
        found.append(WrittenNumber(text=match.group(0).strip(), value=value, decimals=decimals,
                                   percent=bool(match.group("pct")), start=match.start(),
                                   end=match.end()))
    return found


def parse_written(text: str) -> WrittenNumber | None:
    """A citation's ``value`` string as one written number (None unless it is exactly one)."""
    numbers = find_numbers(text.strip())
    return numbers[0] if len(numbers) == 1 and numbers[0].text == normalise(text.strip()) \
        else None


def agrees(written: WrittenNumber, raw: float) -> bool:
    """``raw`` rounded to the written number's decimals is the written value (either
    rounding direction of an exact half is accepted)."""
    if not math.isfinite(raw):
        return False
    half_unit = 0.5 * 10.0 ** (-written.decimals)
    return abs(raw - written.value) <= half_unit * (1 + 1e-9) + 1e-12
