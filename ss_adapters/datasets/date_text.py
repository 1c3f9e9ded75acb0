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


def parse(values: pd.Series, memo: DateMemo | None = None
          ) -> tuple[pd.Series, set[DateFrequency]]:
    """Timestamps for ``values`` (NaT where no form matches) and the forms' frequency hints.

    Each distinct text is parsed once (a date column repeats its values), so the cost
    follows the number of distinct dates, not of cells; ``memo`` carries what earlier calls
    parsed (a column's earlier chunks) so a text is parsed once per column."""
    objects = values.astype(object)
    if infer_dtype(objects, skipna=True) != "string":  # numbers or dates mixed in: cell by cell
        stamps, forms = _parse_distinct(objects)
        return stamps, _hints(forms)
    codes, distinct = pd.factorize(objects)
    if memo is None:
        stamps, forms = _parse_distinct(pd.Series(distinct, dtype=object))
        found, hints = stamps.to_numpy("datetime64[ns]"), _hints(forms)
    else:
        found, hints = memo.parse(distinct)
    out = found[codes]
    out[codes < 0] = np.datetime64("NaT")
    return pd.Series(out, index=values.index, dtype="datetime64[ns]"), hints


def _hints(forms: pd.Series) -> set[DateFrequency]:
    return {FORMS[int(i)][0] for i in pd.unique(forms.dropna())}


DATE_MEMO_MAX = 200_000  # distinct date texts remembered per column (a few MB at most)


class DateMemo:
    """What ``parse`` found for the texts of one column, kept across its chunks: each text's
    timestamp and the form that matched it, up to ``DATE_MEMO_MAX`` texts (looked up by a
    hash index, not text by text in Python)."""

    def __init__(self) -> None:
        self.texts = pd.Index([], dtype=object)
        self.stamps = np.empty(0, dtype="datetime64[ns]")
        self.forms = np.empty(0, dtype="int64")

    def __len__(self) -> int:
        return len(self.texts)

    def parse(self, distinct: np.ndarray) -> tuple[np.ndarray, set[DateFrequency]]:
        where = self.texts.get_indexer(distinct)
        known = where >= 0
        stamps = np.full(len(distinct), np.datetime64("NaT", "ns"))
        forms = np.full(len(distinct), -1, dtype="int64")
        stamps[known], forms[known] = self.stamps[where[known]], self.forms[where[known]]
        if not known.all():
            unknown = np.flatnonzero(~known)
            texts = distinct[unknown]
            parsed, matched = _parse_distinct(pd.Series(texts, dtype=object))
            stamps[unknown] = parsed.to_numpy("datetime64[ns]")
            forms[unknown] = matched.fillna(-1).to_numpy("int64")
            if len(self.texts) < DATE_MEMO_MAX:
                self.texts = self.texts.append(pd.Index(texts, dtype=object))
                self.stamps = np.concatenate([self.stamps, stamps[unknown]])
                self.forms = np.concatenate([self.forms, forms[unknown]])
        return stamps, {FORMS[int(i)][0] for i in np.unique(forms[forms >= 0])}


def _parse_distinct(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Timestamps of ``values`` and the index in ``FORMS`` of the form each matched (NaN
    where none did; a match naming an impossible date is NaT with its form)."""
    text = normalise(values)
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    forms = pd.Series(np.nan, index=values.index, dtype="float64")
    pending = text.map(lambda v: isinstance(v, str))
    for index, (_, pattern) in enumerate(FORMS):
        if not pending.any():
            break
        candidates = text[pending].astype(str)
        found = candidates.str.extract(f"^{pattern}$")
        matched = found["y"].notna()
        if not matched.any():
            continue
        stamps = _stamps(found[matched])
        out.loc[stamps.index] = stamps
        forms.loc[stamps.index] = index
        pending.loc[stamps.index] = False
    return out, forms


def all_dates(values: np.ndarray, memo: DateMemo | None = None
              ) -> tuple[pd.Series, set[DateFrequency]] | None:
    """Parsed timestamps when every value in ``values`` (non-missing text) is a date."""
    first = values[0]
    if not isinstance(first, str) or not first.strip()[:4].isdigit():
        return None  # every form starts with a four-digit year
    if len(values) > SAMPLE:  # reject most text columns on a sample before parsing them all
        sample, _ = parse(pd.Series(values[:SAMPLE], dtype=object), memo)
        if sample.isna().any():
            return None
    stamps, hints = parse(pd.Series(values, dtype=object), memo)
    if stamps.isna().any():
        return None
    return stamps, hints
