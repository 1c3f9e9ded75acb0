"""Synthetic CSV files for the benchmarks (written to a temporary directory by the caller).

The columns fit the bundled ``ols_robust`` template (wage on educ, controls, cluster by firm)
plus a few extra columns so that rows look like survey data (~60 bytes a row). One block of
rows is generated with numpy and written repeatedly, so a 1 GB file takes seconds.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

HEADER = "id,wage,educ,exper,firm,region,x1,x2\n"
BLOCK_ROWS = 100_000


def _block(rows: int, seed: int = 7) -> list[str]:
    rng = np.random.default_rng(seed)
    educ = rng.integers(8, 21, rows)
    exper = rng.integers(0, 40, rows)
    firm = rng.integers(1, 200, rows)
    wage = (5 + 0.8 * educ + 0.1 * exper + rng.normal(0, 2, rows)).round(3)
    x1, x2 = rng.normal(size=rows).round(5), rng.normal(size=rows).round(5)
    regions = np.array(["north", "south", "east", "west"])[rng.integers(0, 4, rows)]
    return [f"{i},{w},{e},{x},{f},{r},{a},{b}\n" for i, w, e, x, f, r, a, b in
            zip(range(rows), wage, educ, exper, firm, regions, x1, x2, strict=True)]


def write_rows(path: Path, rows: int) -> int:
    """A CSV with exactly ``rows`` data rows; returns its size in bytes."""
    block = _block(min(rows, BLOCK_ROWS))
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(HEADER)
        left = rows
        while left > 0:
            take = min(left, len(block))
            handle.write("".join(block[:take]))
            left -= take
    return path.stat().st_size


def write_bytes(path: Path, target_bytes: int) -> int:
    """A CSV of about ``target_bytes`` (whole rows, never more than one row over)."""
    block = _block(BLOCK_ROWS)
    text = "".join(block).encode("utf-8")
    with path.open("wb") as handle:
        handle.write(HEADER.encode("utf-8"))
        while handle.tell() + len(text) <= target_bytes:
            handle.write(text)
        rest = target_bytes - handle.tell()
        if rest > 0:
            cut = text.rfind(b"\n", 0, rest) + 1
            handle.write(text[:cut] if cut > 0 else block[0].encode("utf-8"))
    return path.stat().st_size
