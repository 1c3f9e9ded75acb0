"""The frequency of a date column, learnt from its values chunk by chunk in constant memory.

The rule is the coarsest calendar grid every value sits on: a time of day anywhere makes it
``datetime``; all on 1 January ``yearly``; all on the first day of a quarter ``quarterly``
(of a half-year ``halfyearly`` only when the text said half-years); all on the first of a
month ``monthly``; all on one weekday with at least three distinct values ``weekly``;
anything else ``daily``.
"""

from __future__ import annotations

from collections.abc import Set

import pandas as pd

from ss_core.domain.dataset import DateFacts, DateFrequency, DateUnit

_UNIT_BY_FORMAT = (
    ("%tw", DateFrequency.WEEKLY, DateUnit.TW),
    ("%tm", DateFrequency.MONTHLY, DateUnit.TM),
    ("%tq", DateFrequency.QUARTERLY, DateUnit.TQ),
    ("%th", DateFrequency.HALFYEARLY, DateUnit.TH),
    ("%ty", DateFrequency.YEARLY, DateUnit.TY),
)


class DateShape:
    """Accumulates the calendar evidence of one date column."""

    def __init__(self) -> None:
        self.seen = False
        self.any_time = False
        self.all_day1 = True
        self.all_quarter_start = True
        self.all_half_start = True
        self.all_january = True
        self.weekdays: set[int] = set()
        self.distinct: set[object] = set()
        self.hints: set[DateFrequency] = set()

    def feed(self, stamps: pd.Series, hints: Set[DateFrequency] = frozenset()) -> None:
        present = pd.to_datetime(pd.Series(stamps), errors="coerce").dropna()
        if present.empty:
            return
        self.seen = True
        self.hints |= set(hints)
        dt = present.dt
        self.any_time = self.any_time or bool((present != dt.normalize()).any())
        self.all_day1 = self.all_day1 and bool((dt.day == 1).all())
        self.all_quarter_start = self.all_quarter_start and bool(dt.month.isin((1, 4, 7, 10)).all())
        self.all_half_start = self.all_half_start and bool(dt.month.isin((1, 7)).all())
        self.all_january = self.all_january and bool((dt.month == 1).all())
        self.weekdays.update(int(w) for w in dt.day_of_week.unique())
        if len(self.distinct) < 3:
            self.distinct.update(present.unique()[:3].tolist())

    @property
    def frequency(self) -> DateFrequency:
        if self.any_time:
            return DateFrequency.DATETIME
        if self.all_day1 and self.all_january:
            return DateFrequency.YEARLY
        if self.all_day1 and self.all_half_start and DateFrequency.HALFYEARLY in self.hints:
            return DateFrequency.HALFYEARLY
        if self.all_day1 and self.all_quarter_start and (
            DateFrequency.QUARTERLY in self.hints or len(self.distinct) >= 3
        ):
            return DateFrequency.QUARTERLY
        if self.all_day1:
            return DateFrequency.MONTHLY
        if len(self.weekdays) == 1 and len(self.distinct) >= 3:
            return DateFrequency.WEEKLY
        return DateFrequency.DAILY

    def facts(self, stata_format: str = "") -> DateFacts:
        """The column's facts; a ``.dta`` period format (``%tm``...) decides them outright."""
        fmt = stata_format.lstrip("%-").lower()
        for prefix, frequency, unit in _UNIT_BY_FORMAT:
            if fmt.startswith(prefix.lstrip("%")):
                return DateFacts(frequency=frequency, unit=unit)
        frequency = self.frequency
        unit = DateUnit.TC if frequency is DateFrequency.DATETIME else DateUnit.TD
        return DateFacts(frequency=frequency, unit=unit)


def period_format(stata_format: str) -> bool:
    """Whether a ``.dta`` display format stores periods (weeks, months...) rather than days."""
    fmt = stata_format.lstrip("%-").lower()
    return any(fmt.startswith(prefix.lstrip("%")) for prefix, _, _ in _UNIT_BY_FORMAT)


_PER_YEAR = {DateUnit.TM: (12, "m"), DateUnit.TQ: (4, "q"), DateUnit.TH: (2, "h"),
             DateUnit.TW: (52, "w")}


def period_text(value: object, unit: DateUnit) -> object:
    """A Stata period number as Stata displays it (``720`` in ``%tm`` is ``2020m1``); other
    values unchanged."""
    periodic = unit in _PER_YEAR or unit is DateUnit.TY
    if not periodic or not isinstance(value, int | float) or value != value:
        return value
    number = int(value)
    if unit is DateUnit.TY:
        return str(number)
    per_year, letter = _PER_YEAR[unit]
    return f"{1960 + number // per_year}{letter}{number % per_year + 1}"
