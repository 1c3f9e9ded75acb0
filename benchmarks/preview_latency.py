"""Inputs preview latency versus file size: one job per row count, ``repeats`` previews each
(the preview re-reads the stored dataset every time; nothing is cached)."""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Any

import httpx

from benchmarks.datasets import write_rows
from benchmarks.session import new_job, upload_file


def run(base_url: str, tmp: Path, row_counts: list[int], repeats: int) -> list[dict[str, Any]]:
    rows_out = []
    with httpx.Client(base_url=base_url, timeout=600) as client:
        for rows in row_counts:
            path = tmp / f"preview-{rows}.csv"
            size = write_rows(path, rows)
            job_id, auth = new_job(client)
            try:
                upload_file(client, job_id, auth, path)
            finally:
                path.unlink()
            samples = []
            for _ in range(repeats):
                started = time.perf_counter()
                r = client.get(f"/v1/jobs/{job_id}/inputs/preview", headers=auth)
                samples.append(time.perf_counter() - started)
                r.raise_for_status()
            rows_out.append({"rows": rows, "size_mb": size / 1024 / 1024,
                             "first_ms": samples[0] * 1000,
                             "median_ms": statistics.median(samples) * 1000,
                             "max_ms": max(samples) * 1000, "repeats": repeats})
    return rows_out
