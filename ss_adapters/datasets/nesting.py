"""Which columns are constant within which id-like columns, learnt in one streaming pass.

A panel estimator that clusters by ``c`` with unit ``u`` needs ``c`` constant within each
``u`` (xtreg's r(498) otherwise). That is a fact of the data, so it is checked here, at upload,
and kept in the schema; binding reads it and never touches the data.

The id-like candidates ``u`` are chosen on the first chunk: integer or text columns whose
values repeat (a panel unit id appears once per period), at most ``MAX_UNITS`` of them,
columns named like ids (firm, code, 省, city...) first, then in file order. Every integer,
text or date column (at most ``MAX_COLUMNS``) is checked against each candidate: within a
chunk by counting distinct values per unit, across chunks by remembering each unit's first
value. A candidate with more than ``MAX_UNIT_VALUES`` distinct
units is dropped (its facts become unknown) so memory stays bounded. Missing values carry no
evidence (Stata drops those rows from the estimation).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import msgspec
import pandas as pd

from ss_adapters.datasets.table import TableRead

MAX_UNITS = 6
MAX_COLUMNS = 80
MAX_UNIT_VALUES = 200_000
ID_NAME = re.compile(r"id|code|代码|编号|编码|stkcd|firm|公司|企业|省|市|县|city|province|county"
                     r"|country|国家|地区|region|person|pid|个体|individual|school|学校",
                     re.IGNORECASE)


def _discrete(values: pd.Series) -> bool:
    present = values.dropna()
    if present.empty:
        return False
    if present.dtype.kind in "iub":
        return True
    if present.dtype.kind == "f":
        return bool((present == present.round()).all())
    if present.dtype.kind == "M":
        return True
    return all(isinstance(v, str | int) for v in present.head(200))


def _key(values: pd.Series) -> pd.Series:
    """Comparable keys: numbers as floats (1 == 1.0 across chunks), text as text."""
    if values.dtype.kind in "iufb":
        return values.astype("float64")
    if values.dtype.kind == "M":
        return values.astype("int64").where(values.notna())
    if pd.api.types.infer_dtype(values, skipna=True) == "string":
        return values
    if pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty"):
        return values  # text only (a C-level check): nothing to turn into floats
    return values.map(lambda v: float(v) if isinstance(v, int | float) and v == v else v)


class NestingTracker:
    """Feed it positional chunks; ``result`` says which columns are constant within which."""

    def __init__(self, names: Sequence[str] = ()) -> None:
        self.names = list(names)
        self.units: list[int] | None = None
        self.columns: list[int] = []
        self.first: dict[int, pd.DataFrame] = {}
        self.broken: dict[int, set[int]] = {}

    def _choose(self, chunk: Sequence[pd.Series]) -> None:
        candidates: list[int] = []
        for index, values in enumerate(chunk):
            if not _discrete(values):
                continue
            if len(self.columns) < MAX_COLUMNS:
                self.columns.append(index)
            present = values.dropna()
            if 3 <= present.nunique() < 0.8 * len(present):
                candidates.append(index)
        # columns named like ids first (a panel's unit), then file order
        candidates.sort(key=lambda i: not (i < len(self.names)
                                           and ID_NAME.search(self.names[i])))
        self.units = candidates[:MAX_UNITS]
        for unit in self.units:
            self.broken[unit] = set()

    def feed(self, chunk: Sequence[pd.Series]) -> None:
        if self.units is None:
            self._choose(chunk)
        assert self.units is not None
        if not self.units:
            return
        keyed = {i: _key(chunk[i]).reset_index(drop=True) for i in self.columns if i < len(chunk)}
        for unit in list(self.units):
            self._feed_unit(unit, keyed)

    def _feed_unit(self, unit: int, keyed: dict[int, pd.Series]) -> None:
        others = [c for c in self.columns if c != unit and c in keyed
                  and c not in self.broken[unit]]
        if unit not in keyed:
            return
        frame = pd.DataFrame({"u": keyed[unit], **{str(c): keyed[c] for c in others}})
        frame = frame[frame["u"].notna()]
        if frame.empty or not others:
            return
        grouped = frame.groupby("u", sort=False)
        counts = grouped.nunique(dropna=True).max()
        firsts = grouped.first()
        known = self.first.get(unit)
        if known is not None:
            common = known.index.intersection(firsts.index)
            for c in others:
                name = str(c)
                if name not in known:
                    continue
                old, new = known.loc[common, name], firsts.loc[common, name]
                both = old.notna() & new.notna()
                if bool((old[both] != new[both]).any()):
                    self.broken[unit].add(c)
            firsts = known.combine_first(firsts)
        for c in others:
            if counts.get(str(c), 0) > 1:
                self.broken[unit].add(c)
        if len(firsts) > MAX_UNIT_VALUES:
            assert self.units is not None
            self.units.remove(unit)
            self.first.pop(unit, None)
            return
        self.first[unit] = firsts[[str(c) for c in others if c not in self.broken[unit]]]

    def result(self, width: int) -> tuple[tuple[int, ...], list[tuple[int, ...] | None]]:
        """The unit candidates kept, and per column the units it is constant within."""
        units = tuple(self.units or ())
        within: list[tuple[int, ...] | None] = [None] * width
        for c in self.columns:
            if c < width:
                within[c] = tuple(u for u in units if u == c or c not in self.broken[u])
        return units, within


def with_nesting(table: TableRead, tracker: NestingTracker) -> TableRead:
    """``table`` with the tracker's nesting facts recorded on it and its columns."""
    units, within = tracker.result(len(table.columns))
    columns = tuple(
        msgspec.structs.replace(facts, constant_within=within[index])
        for index, facts in enumerate(table.columns)
    )
    return msgspec.structs.replace(table, columns=columns, nesting_units=units)
