"""Upload throughput and the server's peak memory, against a plain file copy.

For each size a CSV is generated in the temporary directory, copied once with
``shutil.copyfile`` (the baseline: same disk, warm page cache) and uploaded once as a
multipart request to a new job. The server's peak RSS is read from ``/proc/<pid>/status``
(VmHWM, reset before each upload by writing 5 to ``/proc/<pid>/clear_refs``) and, in case the
reset is not allowed, from VmRSS sampled every 10 ms. The upload's answer arrives once the
file is stored and either inspected (``200``, a primary within
``SS_UPLOAD_INSPECT_INLINE_BYTES``) or still being inspected (``202``, a larger one); the
preview is then asked for until it answers ``200`` (the inspection has ended), and that
moment is reported as ``inspected_s`` from the upload's start. The peak RSS covers the
inspection too.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import httpx

from benchmarks.datasets import write_bytes
from benchmarks.session import new_job, upload_file


def _status_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _reset_peak(pid: int) -> bool:
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
        return True
    except OSError:
        return False


class RssSampler:
    """Samples a process's VmRSS every ``interval`` seconds in a thread; keeps the maximum."""

    def __init__(self, pid: int, interval: float = 0.01) -> None:
        self.pid, self.interval, self.peak_kib = pid, interval, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.peak_kib = max(self.peak_kib, _status_kib(self.pid, "VmRSS"))
            self._stop.wait(self.interval)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _sha256sum_seconds(path: Path) -> float:
    """Wall time of ``sha256sum`` over ``path`` (hashlib in 1 MiB blocks without it)."""
    started = time.perf_counter()
    if shutil.which("sha256sum"):
        subprocess.run(["sha256sum", str(path)], check=True, capture_output=True)
    else:
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            while block := handle.read(1 << 20):
                digest.update(block)
    return time.perf_counter() - started


def _one(client: httpx.Client, pid: int, tmp: Path, size_mb: float) -> dict[str, Any]:
    source, copy = tmp / f"upload-{size_mb}mb.csv", tmp / "copy.csv"
    size = write_bytes(source, int(size_mb * 1024 * 1024))
    try:
        started = time.perf_counter()
        shutil.copyfile(source, copy)
        copy_s = time.perf_counter() - started
        copy.unlink()
        hash_s = _sha256sum_seconds(source)
        job_id, auth = new_job(client)
        baseline = _status_kib(pid, "VmRSS")
        reset = _reset_peak(pid)
        with RssSampler(pid) as sampler:
            started = time.perf_counter()
            answer = upload_file(client, job_id, auth, source).status_code
            upload_s = time.perf_counter() - started
            inspected_s = _inspected(client, job_id, auth) - started
        hwm = _status_kib(pid, "VmHWM") if reset else 0
        started = time.perf_counter()
        client.get(f"/v1/jobs/{job_id}/inputs/preview", headers=auth,
                   timeout=1800).raise_for_status()
        preview_s = time.perf_counter() - started
    finally:
        source.unlink(missing_ok=True)
        copy.unlink(missing_ok=True)
    mib = size / 1024 / 1024
    peak = max(hwm, sampler.peak_kib) / 1024
    return {"size_mb": mib, "upload_s": upload_s, "upload_mb_s": mib / upload_s,
            "copy_s": copy_s, "copy_mb_s": mib / copy_s, "slowdown": upload_s / copy_s,
            "sha256sum_s": hash_s, "slowdown_vs_copy_and_hash": upload_s / (copy_s + hash_s),
            "answer_status": answer, "inspected_s": inspected_s,
            "preview_s": preview_s, "rss_before_mib": baseline / 1024, "peak_rss_mib": peak,
            "peak_source": "VmHWM (reset)" if reset else "VmRSS sampled every 10 ms"}


def _inspected(client: httpx.Client, job_id: str, auth: dict[str, str]) -> float:
    """When the preview first answers 200 (the upload's inspection has ended)."""
    while True:
        r = client.get(f"/v1/jobs/{job_id}/inputs/preview", headers=auth, timeout=1800)
        r.raise_for_status()
        if r.status_code == 200:
            return time.perf_counter()
        time.sleep(0.02)


def run(base_url: str, pid: int, tmp: Path, sizes_mb: list[float]) -> list[dict[str, Any]]:
    with httpx.Client(base_url=base_url, timeout=60) as client:
        return [_one(client, pid, tmp, size) for size in sizes_mb]
