"""Peak memory and time of previewing a large CSV (default ~500 MB).

    python benchmarks/preview_memory.py [--mb 500] [--keep DIR]

Generates the CSV in a temporary directory (removed afterwards), stores it in a
LocalDirectoryStore and runs FileDatasetInspector.inspect in a child process, then prints the
child's peak RSS (from getrusage) and wall time next to a baseline child that only imports the
same modules (peak RSS read from /proc/self/status VmHWM). Run it from the repository root.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROWS_PER_BLOCK = 200_000


def generate(path: Path, target_bytes: int) -> int:
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(7)
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        header = True
        while handle.tell() < target_bytes:
            n = ROWS_PER_BLOCK
            block = pd.DataFrame(
                {
                    "id": np.arange(rows, rows + n),
                    "地区": rng.choice(["北京", "上海", "广州", "深圳", "成都"], n),
                    "treated": rng.integers(0, 2, n),
                    "age": rng.integers(18, 90, n),
                    **{f"x{i}": rng.normal(size=n).round(6) for i in range(8)},
                    "day": pd.Timestamp("2020-01-01")
                    + pd.to_timedelta(rng.integers(0, 1500, n), unit="D"),
                    "note": rng.choice(["ok", "late", "NA", ""], n),
                }
            )
            block["day"] = block["day"].dt.strftime("%Y-%m-%d")
            block.to_csv(handle, index=False, header=header)
            header = False
            rows += n
    return rows


async def _preview(root: Path) -> dict[str, object]:
    from ss_adapters.blob.local_store import LocalDirectoryStore
    from ss_adapters.datasets.inspector import FileDatasetInspector
    from ss_core.domain.dataset import DatasetFormat, InspectOptions

    store = LocalDirectoryStore(root / "objects")
    inspector = FileDatasetInspector(store, root / "scratch")
    started = time.monotonic()
    preview = await inspector.inspect("bench/data.csv", DatasetFormat.CSV, InspectOptions())
    return {
        "seconds": round(time.monotonic() - started, 1),
        "rows": preview.schema.row_count,
        "columns": {c.name: c.type.value for c in preview.schema.columns},
    }


def _peak_rss_kib() -> int:
    """This process's peak RSS. /proc's VmHWM starts afresh at exec; getrusage's ru_maxrss
    may carry the parent's peak over a fork, so it is only the fallback."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def child(mode: str, root: Path) -> None:
    import ss_adapters.datasets.inspector  # noqa: F401  (same imports in both modes)

    result = asyncio.run(_preview(root)) if mode == "preview" else {}
    result["peak_rss_mib"] = round(_peak_rss_kib() / 1024, 1)
    print(json.dumps(result, ensure_ascii=False))


def run_child(mode: str, root: Path) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(root)],
        check=True, capture_output=True, text=True, cwd=Path(__file__).resolve().parents[1],
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=500)
    parser.add_argument("--child", nargs=2, metavar=("MODE", "ROOT"))
    args = parser.parse_args()
    if args.child:
        sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
        child(args.child[0], Path(args.child[1]))
        return
    with tempfile.TemporaryDirectory(prefix="ss-bench-") as tmp:
        root = Path(tmp)
        target = root / "objects" / "bench" / "data.csv"
        target.parent.mkdir(parents=True)
        started = time.monotonic()
        rows = generate(target, args.mb * 1024 * 1024)
        size_mb = target.stat().st_size / 1024 / 1024
        print(f"generated {rows} rows, {size_mb:.0f} MiB in {time.monotonic() - started:.0f}s")
        baseline = run_child("baseline", root)
        result = run_child("preview", root)
        print(f"baseline (imports only): peak RSS {baseline['peak_rss_mib']} MiB")
        print(
            f"preview: peak RSS {result['peak_rss_mib']} MiB, {result['seconds']}s, "
            f"rows {result['rows']}"
        )
        print(f"column types: {result['columns']}")


if __name__ == "__main__":
    main()
