"""Time and peak memory of staging a generated CSV as the ``.dta`` Stata reads.

    python benchmarks/staging.py [--mib 5] [--profile]

Generates a CSV of about ``--mib`` MiB with mixed columns (integers, decimals with gaps,
ISO dates, Chinese month dates, short and long text with quotes and ``$``) in a temporary
directory, then stages it in a child process exactly as the worker does (CsvReader profile,
then ``write_dta_chunks`` over the staging chunks) and prints seconds and the child's peak
RSS. ``--profile`` prints the top of a cProfile run instead. Run it from the repository root.
``python -m benchmarks.run`` measures it too (``measure``) and reports it under "Staging".
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROWS_PER_BLOCK = 10_000


def generate(path: Path, target_bytes: int) -> int:
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(11)
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        header = True
        while out.tell() < target_bytes:
            n = ROWS_PER_BLOCK
            ids = np.arange(rows, rows + n)
            income = rng.normal(5000, 1500, n).round(2).astype(object)
            income[rng.random(n) < 0.05] = ""
            days = pd.Timestamp("2000-01-01") + pd.to_timedelta(rng.integers(0, 8000, n), "D")
            frame = pd.DataFrame({
                "id": ids,
                "年龄": rng.integers(18, 90, n),
                "income": income,
                "score": rng.normal(0, 1, n).round(4),
                "female": rng.integers(0, 2, n),
                "birth": days.strftime("%Y-%m-%d"),
                "月份": [f"{y}年{m}月" for y, m in zip(rng.integers(2000, 2024, n),
                                                    rng.integers(1, 13, n), strict=True)],
                "city": rng.choice(["北京", "上海", "Shenzhen", "O'Hare \"x\"", "cost $5"], n),
                "note": rng.choice(["", "ok", "needs `review`", "长一点的备注文本 with words"], n),
                "code": [f"C{v:07d}" for v in rng.integers(0, 10**7, n)],
            })
            frame.to_csv(out, index=False, header=header)
            header = False
            rows += n
    return rows


def stage(csv: Path, dest: Path) -> None:
    from ss_adapters.datasets.csv_reader import CsvReader
    from ss_adapters.datasets.preview import to_schema
    from ss_adapters.datasets.read_limits import ReadLimits
    from ss_adapters.datasets.staging import write_dta_chunks
    from ss_core.domain.dataset import InspectOptions

    limits = ReadLimits()
    reader = CsvReader(ReadLimits(chunk_cells=limits.stage_chunk_cells))
    options = InspectOptions(preview_rows=20)
    table = reader.read_table(csv, options)
    write_dta_chunks(lambda: reader.iter_frames(csv, options, table), to_schema(table), dest)


def child(csv: str, dest: str, profile: bool) -> None:
    import resource

    if profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(stage, Path(csv), Path(dest))
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)
        return
    start, cpu = time.perf_counter(), time.process_time()
    stage(Path(csv), Path(dest))
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2),
                      "peak_rss_mib": round(peak, 1)}))


def measure(mib: float) -> dict[str, float | int]:
    """Stage a generated mixed CSV of about ``mib`` MiB in a child process: its size, rows,
    seconds and peak RSS, with the 1-minute load average at the start."""
    import os

    with tempfile.TemporaryDirectory(prefix="ss-bench-staging-") as tmp:
        csv = Path(tmp) / "mixed.csv"
        rows = generate(csv, int(mib * 1024 * 1024))
        load = os.getloadavg()[0]
        done = subprocess.run([sys.executable, __file__, "--child", str(csv),
                               str(Path(tmp) / "out.dta")],
                              capture_output=True, text=True, check=True)
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        return {"csv_mib": csv.stat().st_size / 1024 / 1024, "rows": rows,
                "seconds": figures["seconds"], "peak_rss_mib": figures["peak_rss_mib"],
                "load_1min": load}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mib", type=float, default=5.0)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--child", nargs=2, metavar=("CSV", "DTA"))
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], args.profile)
        return
    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / "mixed.csv"
        rows = generate(csv, int(args.mib * 1024 * 1024))
        size = csv.stat().st_size / 1024 / 1024
        command = [sys.executable, __file__, "--child", str(csv), str(Path(tmp) / "out.dta")]
        if args.profile:
            command.append("--profile")
        result = subprocess.run(command, capture_output=True, text=True, check=True)
        print(f"csv: {size:.1f} MiB, {rows} rows x 10 columns")
        print(result.stdout.strip())


if __name__ == "__main__":
    main()
