"""Numbers stored as text: "1,234", "12%", "¥3,000", "３．５", "-0.5%".

A text chunk is numeric text when every value, after NFKC normalisation (full-width digits,
signs and currency signs become ASCII), is an optional currency sign, an optional minus, a
number with or without correctly grouped thousands separators, an optional ``%`` or ``元``,
and at least one value carries such a decoration (plain digit strings such as ``"000123"``
are codes, not numbers). The marks seen are kept so the draft can say what the do-file will
strip; the conversion itself is generated Stata code, never done here.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np

_CURRENCY = "¥$€£"
NUMBER_RE = re.compile(
    rf"(?P<cur>[{_CURRENCY}])?\s?(?P<sign>[-+])?(?P<cur2>[{_CURRENCY}])?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"\s?(?P<pct>%)?(?P<yuan>元)?"
)


def _marks(raw: str) -> set[str] | None:
    text = unicodedata.normalize("NFKC", raw).strip()
    found = NUMBER_RE.fullmatch(text)
    if found is None:
        return None
    marks: set[str] = set()
    if text != raw.strip():
        marks.add("fullwidth")
    if "," in found["num"]:
        marks.add("thousands")
    if found["pct"]:
        marks.add("percent")
    if found["cur"] or found["cur2"] or found["yuan"]:
        marks.add("currency")
    return marks


def detect(present: np.ndarray) -> tuple[set[str], bool] | None:
    """The marks and whether all values are whole, when every text value is a number."""
    marks: set[str] = set()
    whole = True
    for value in present:
        if not isinstance(value, str):
            return None
        found = _marks(value)
        if found is None:
            return None
        marks |= found
        if whole:
            number = unicodedata.normalize("NFKC", value).strip()
            whole = "." not in number
    if not marks:
        return None
    return marks, whole
