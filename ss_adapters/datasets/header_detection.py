"""Whether the first row of a table names its columns.

A first row is taken as data (no header) only when every non-empty cell is a number or a
date; anything else (a word, a label, a mix) is a header. Most uploads have a header, so the
rule errs on that side.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from ss_adapters.datasets.type_inference import DATE_RE

NUMBER_RE = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def _is_value_like(cell: object) -> bool:
    if isinstance(cell, bool | int | float | dt.date | dt.datetime):
        return True
    if isinstance(cell, str):
        text = cell.strip()
        return bool(NUMBER_RE.fullmatch(text) or DATE_RE.fullmatch(text))
    return False


def looks_like_header(cells: Sequence[object]) -> bool:
    present = [c for c in cells if c is not None and not (isinstance(c, str) and not c.strip())]
    if not present:
        return False
    return not all(_is_value_like(c) for c in present)
