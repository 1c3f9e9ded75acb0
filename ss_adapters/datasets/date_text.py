"""Dates written as text, parsed to the first day of the period they name.

Recognised forms (after NFKC normalisation, so full-width digits and letters count):
ISO dates and datetimes (``2020-03-01``, ``2020/3/1 10:30``), months (``2020-03``,
``2020/03``, ``2020m3``), quarters (``2020Q1``, ``2020-Q1``, ``2020q1``), half-years
(``2020h1``) and the Chinese forms ``2020年3月1日``, ``2020年3月``, ``2020年第1季度``,
``2020年一季度``, ``2020年上半年``, ``2020年``. A bare number (``2020``, ``20200301``) is never a
date here: it stays an integer, which is what a year column should be.

Parsing is vectorised over a pandas Series (one regular expression per form); a value no form
matches, or one naming an impossible date, is ``NaT``.
"""

from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype

from ss_core.domain.dataset import DateFrequency

SAMPLE = 64
_CN_DIGITS = {"一": "1", "二": "2", "三": "3", "四": "4"}
_HALF = {"上": "1", "下": "2"}
_TIME = r"(?:[ T](?P<hh>\d{1,2}):(?P<mi>\d{2})(?::(?P<ss>\d{2})(?:\.\d+)?)?)?"

# (frequency hint, pattern with named groups y, m, d, q, h)
FORMS: tuple[tuple[DateFrequency, str], ...] = (
    (DateFrequency.DAILY, r"(?P<y>\d{4})[-/](?P<m>\d{1,2})[-/](?P<d>\d{1,2})" + _TIME),
    (DateFrequency.DAILY, r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})[日号]"),
    (DateFrequency.MONTHLY, r"(?P<y>\d{4})[-/](?P<m>\d{1,2})"),
    (DateFrequency.MONTHLY, r"(?P<y>\d{4})[mM](?P<m>\d{1,2})"),
    (DateFrequency.MONTHLY, r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?:份)?"),
    (DateFrequency.QUARTERLY, r"(?P<y>\d{4})\s?-?\s?[qQ](?P<q>[1-4])"),
    (DateFrequency.QUARTERLY, r"(?P<y>\d{4})年?第?(?P<q>[1-4一二三四])季度?"),
    (DateFrequency.HALFYEARLY, r"(?P<y>\d{4})[hH](?P<h>[12])"),
    (DateFrequency.HALFYEARLY, r"(?P<y>\d{4})年(?P<h>[上下])半年"),
    (DateFrequency.YEARLY, r"(?P<y>\d{4})年(?:度)?"),
)


def normalise(text: pd.Series) -> pd.Series:
    return text.map(lambda v: unicodedata.normalize("NFKC", v).strip() if isinstance(v, str)
                    else v)


def _number(frame: pd.DataFrame, name: str, default: int) -> pd.Series:
    if name not in frame:
        return pd.Series(default, index=frame.index, dtype="int64")
    raw = frame[name]
    if name == "q":
        raw = raw.map(lambda v: _CN_DIGITS.get(v, v) if isinstance(v, str) else v)
    if name == "h":
        raw = raw.map(lambda v: _HALF.get(v, v) if isinstance(v, str) else v)
    return pd.to_numeric(raw, errors="coerce").fillna(default).astype("int64")


def _stamps(found: pd.DataFrame) -> pd.Series:
    year = _number(found, "y", 0)
    month = _number(found, "m", 1)
    if "q" in found:
        month = (_number(found, "q", 1) - 1) * 3 + 1
    if "h" in found:
        month = (_number(found, "h", 1) - 1) * 6 + 1
    parts = pd.DataFrame({
        "year": year, "month": month, "day": _number(found, "d", 1),
        "hour": _number(found, "hh", 0), "minute": _number(found, "mi", 0),
        "second": _number(found, "ss", 0),
    })
    return pd.to_datetime(parts, errors="coerce")


def parse(values: pd.Series) -> tuple[pd.Series, set[DateFrequency]]:
    """Timestamps for ``values`` (NaT where no form matches) and the forms' frequency hints.

    Each distinct text is parsed once (a date column repeats its values), so the cost
    follows the number of distinct dates, not of cells."""
    objects = values.astype(object)
    if infer_dtype(objects, skipna=True) != "string":  # numbers or dates mixed in: cell by cell
        return _parse_distinct(objects)
    codes, distinct = pd.factorize(objects)
    stamps, hints = _parse_distinct(pd.Series(distinct, dtype=object))
    out = stamps.to_numpy()[codes]
    out[codes < 0] = np.datetime64("NaT")
    return pd.Series(out, index=values.index, dtype="datetime64[ns]"), hints


def _parse_distinct(values: pd.Series) -> tuple[pd.Series, set[DateFrequency]]:
    text = normalise(values)
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    hints: set[DateFrequency] = set()
    pending = text.map(lambda v: isinstance(v, str))
    for hint, pattern in FORMS:
        if not pending.any():
            break
        candidates = text[pending].astype(str)
        found = candidates.str.extract(f"^{pattern}$")
        matched = found["y"].notna()
        if not matched.any():
            continue
        stamps = _stamps(found[matched])
        out.loc[stamps.index] = stamps
        pending.loc[stamps.index] = False
        hints.add(hint)
    return out, hints


def all_dates(values: np.ndarray) -> tuple[pd.Series, set[DateFrequency]] | None:
    """Parsed timestamps when every value in ``values`` (non-missing text) is a date."""
    first = values[0]
    if not isinstance(first, str) or not first.strip()[:4].isdigit():
        return None  # every form starts with a four-digit year
    if len(values) > SAMPLE:  # reject most text columns on a sample before parsing them all
        sample, _ = parse(pd.Series(values[:SAMPLE], dtype=object))
        if sample.isna().any():
            return None
    stamps, hints = parse(pd.Series(values, dtype=object))
    if stamps.isna().any():
        return None
    return stamps, hints
